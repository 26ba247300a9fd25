package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers"
	"opsbot/handlers/handlerstest"
	"opsbot/stock"
	"opsbot/store"
)

// ownMarkup is what the bot itself writes between < and >: mentions of
// the user who asked, channels, and dates.
var ownMarkup = regexp.MustCompile(`<@(fuzzer|boss)>|<#[A-Z0-9]+(\|[a-z0-9_-]*)?>|<!date\^[^>]*>`)

// FuzzCommand types arbitrary text after every command the router answers,
// as an ordinary user and as a manager, against a real SQLite file. The
// router must never panic, must always answer something, and must never
// echo the user's '<' unescaped (so no <!channel> or fake link gets
// through).
func FuzzCommand(f *testing.F) {
	names := append(handlers.Commands(), "/metrics", "/checklists", "/METRIC", "/nope")
	for _, seed := range []string{
		"uv=12000 paid=240 orders=300 sales=36000",
		"访客数=1.2万 销售额=¥45,600.50 date=2026-11-22 shop=main",
		"show 2026-11-22 shop=main",
		"export 2026-11-01 2026-11-22",
		"target sales=1,500,000 month=2026-11",
		"metric uv=<!channel> date=<http://x|y>",
		"done shop-checks 1 2",
		"outbox",
		"calendar 2026-10",
		"digest",
		"ORDER123 type=refund <@U123> note",
		"uv=1 uv=2 date=2999-01-01 shop=<nope>",
		"sold A100 12 date=yesterday",
		"set A100 1.2万 B200 <!here>",
		"item add <b>X</b> name=<!channel> case=12",
		"sheet now",
		"approve 1",
		"top 5",
		"",
	} {
		for i := range names {
			f.Add(uint8(i), seed, i%2 == 0)
		}
	}
	cfg, err := config.Default()
	if err != nil {
		f.Fatal(err)
	}
	cfg.Managers = []string{"boss"}
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 23, 9, 0, 0, 0, cfg.Location))
	router := handlers.New(cfg, st, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
	cfg.Stock.Items = []config.StockItem{{SKU: "A100", Name: "Linen shirt", CasePack: 12, MinOrder: 50}}
	router.UseStock(stock.New(cfg, st, nil, clock, slog.New(slog.NewTextHandler(io.Discard, nil))))

	f.Fuzz(func(t *testing.T, which uint8, text string, manager bool) {
		user := "fuzzer"
		if manager {
			user = "boss"
		}
		cmd := chat.Command{
			UserID: user, UserName: user, ChannelID: "C0OPS", ChannelName: "shop-ops",
			Name: names[int(which)%len(names)], Text: text, At: clock.Now(),
		}
		r := router.Handle(context.Background(), cmd)
		if len(r.Blocks) == 0 && strings.TrimSpace(r.Text) == "" {
			t.Fatalf("%s %q: empty reply", cmd.Name, text)
		}
		for _, b := range r.Blocks {
			raw := ownMarkup.ReplaceAllString(handlerstest.RawText(b), "")
			if i := strings.IndexByte(raw, '<'); i >= 0 && strings.Contains(text, "<") {
				t.Fatalf("%s %q: reply has an unescaped '<': …%s…", cmd.Name, text, raw[max(i-40, 0):min(i+40, len(raw))])
			}
		}
	})
}
