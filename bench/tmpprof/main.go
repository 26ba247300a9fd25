package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"

	"opsbot/bot"
	"opsbot/config"
	"opsbot/handlers"
	"opsbot/store"
)

func main() {
	ctx := context.Background()
	cfg, _ := config.Default()
	st, err := store.Open(ctx, "sqlite:"+os.Args[1])
	if err != nil {
		panic(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	clock := clockwork.NewRealClock()
	router := handlers.New(cfg, st, clock, log)
	api := slack.New("xoxb-x", slack.OptionAPIURL("http://127.0.0.1:9/api/"))
	sl := &bot.Slack{App: router, API: api, Dedup: st, Clock: clock, Log: log}
	mux := http.NewServeMux()
	mux.Handle("/", (&bot.HTTPReceiver{Slack: sl, SigningSecret: "s"}).Handler())
	mux.Handle("/debug/", http.DefaultServeMux)
	srv := &http.Server{Addr: os.Args[2], Handler: mux, ReadTimeout: 10 * time.Second}
	panic(srv.ListenAndServe())
}
