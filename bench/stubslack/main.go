// Command stubslack is a minimal Slack Web API for benchmarks: it answers
// what opsbot calls at start (auth.test, conversations.list, users.list)
// and what it calls while running (chat.postMessage, chat.update and the
// rest) with {"ok":true}, on loopback only, and counts the calls.
//
// It prints its base URL (for SLACK_API_URL) as the first line on stdout.
//
//	stubslack [-addr 127.0.0.1:0]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// channels are the built-in playbook's channels with stable IDs.
func channels() []map[string]any {
	return []map[string]any{
		{"id": "C0OPS", "name": "shop-ops", "is_channel": true, "is_member": true},
		{"id": "C0MGR", "name": "shop-managers", "is_channel": true, "is_member": true},
		{"id": "C0CS", "name": "shop-cs", "is_channel": true, "is_member": true},
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
	public := flag.Bool("public", false, "allow an address beyond loopback (deploy/smoke.sh runs the stub as a container beside the replicas)")
	flag.Parse()
	if err := run(*addr, *public); err != nil {
		log.Fatalf("stubslack: %v", err)
	}
}

func run(addr string, public bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); !public && host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("address %q is not on loopback", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	var calls atomic.Int64
	srv := &http.Server{Handler: handler(&calls), ReadHeaderTimeout: 5 * time.Second}
	fmt.Printf("http://%s/api/\n", ln.Addr())
	os.Stdout.Sync()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	fmt.Fprintf(os.Stderr, "stubslack: %d calls\n", calls.Load())
	return srv.Shutdown(shutdown)
}

func handler(calls *atomic.Int64) http.Handler {
	var ts atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		method := strings.TrimPrefix(r.URL.Path, "/api/")
		answer := map[string]any{"ok": true}
		switch method {
		case "auth.test":
			answer = map[string]any{"ok": true, "url": "https://bench.slack.com/", "team": "bench", "user": "opsbot",
				"team_id": "T0BENCH", "user_id": "U0BOT", "bot_id": "B0BOT"}
		case "bots.info":
			answer = map[string]any{"ok": true, "bot": map[string]any{"id": "B0BOT", "app_id": "A0BENCH", "user_id": "U0BOT", "name": "opsbot"}}
		case "conversations.list":
			answer = map[string]any{"ok": true, "channels": channels(), "response_metadata": map[string]string{"next_cursor": ""}}
		case "users.list":
			answer = map[string]any{"ok": true, "members": []any{}, "response_metadata": map[string]string{"next_cursor": ""}}
		case "chat.postMessage", "chat.update":
			_ = r.ParseForm()
			n := ts.Add(1)
			answer = map[string]any{"ok": true, "channel": r.Form.Get("channel"), "ts": "1700000000." + strconv.FormatInt(100000+n, 10)}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(answer)
	})
}
