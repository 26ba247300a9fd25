package handlers_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jonboulle/clockwork"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers"
	"opsbot/handlers/handlerstest"
	"opsbot/store"
	"opsbot/store/storetest"
)

// manyPairs is "k1=1 k2=2 … kn=n".
func manyPairs(prefix string, n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%s%d=%d ", prefix, i, i)
	}
	return b.String()
}

// TestInputNoPersonTypesIsRefused: each refusal is clear, quick, stores
// nothing, and fits in one Slack section block (3,000 characters).
func TestInputNoPersonTypesIsRefused(t *testing.T) {
	tests := []struct {
		name  string
		line  string
		wants []string
	}{
		{"invalid UTF-8", "/metric uv=1 \xff\xfe date=\xc3", []string{"not UTF-8 text", "nothing was done"}},
		{"invalid UTF-8 in another command", "/checklist done \x80", []string{"not UTF-8 text"}},
		{"10,000 keys", "/metric " + manyPairs("k", 10_000), []string{"characters long; opsbot reads at most 40000"}},
		{"text longer than a message", "/ops " + strings.Repeat("x", handlers.MaxCommandText+1), []string{"at most 40000"}},
		{"more values than metrics", "/metric " + manyPairs("uv", 30), []string{"has 30 values; one `/metric` command takes at most 23"}},
		{"many bad tokens", "/metric " + strings.Repeat("<!channel>x ", 20), []string{"Nothing was stored. 20 problems", "&lt;!channel&gt;x"}},
		{"many long bad tokens", "/metric " + strings.Repeat("bogus"+strings.Repeat("z", 400)+"=1 ", 20), []string{"Nothing was stored. 20 problems", "more."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := handlerstest.New(t, nil)
			r := f.Do("alice", tt.line)
			if !r.Ephemeral {
				t.Error("a refusal is for the asker only")
			}
			raw := ""
			for _, b := range r.Blocks {
				text := handlerstest.RawText(b)
				if n := utf8.RuneCountInString(text); n > 3000 {
					t.Errorf("a block of %d characters; Slack refuses more than 3,000", n)
				}
				raw += text + "\n"
			}
			handlerstest.Contains(t, raw, tt.wants...)
			if strings.Contains(raw, "<!channel>") {
				t.Errorf("echoed an unescaped mention:\n%s", raw)
			}
			if a := f.Audit(); len(a) != 0 {
				t.Errorf("stored %d changes", len(a))
			}
		})
	}
}

// TestControlCharactersOnBothDatabases: NUL and other control characters
// are refused before any database sees them, so SQLite (which would store
// NUL) and PostgreSQL (which fails on it, SQLSTATE 22021) answer alike.
func TestControlCharactersOnBothDatabases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		cfg, err := config.Default()
		if err != nil {
			t.Fatal(err)
		}
		clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 23, 9, 0, 0, 0, cfg.Location))
		router := handlers.New(cfg, st, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
		ctx := context.Background()
		for _, c := range []chat.Command{
			{Name: "/urgent", Text: "123456789012345 type=ship note\x00NUL"},
			{Name: "/review", Text: "123456789012345 rating=1 \x1b[2Jbroken"},
			{Name: "/metric", Text: "uv=1\x00"},
		} {
			c.UserID, c.ChannelName, c.At = "alice", "shop-ops", clock.Now()
			r := router.Handle(ctx, c)
			if !strings.Contains(bot.RenderText(r.Blocks), "control character") {
				t.Errorf("%q: %s", c.Text, bot.RenderText(r.Blocks))
			}
		}
		if items, err := st.OpenItems(ctx, store.ItemFilter{}); err != nil || len(items) != 0 {
			t.Errorf("items stored: %+v %v", items, err)
		}
		if day, err := st.DayMetrics(ctx, "main", "2026-11-22"); err != nil || len(day) != 0 {
			t.Errorf("metrics stored: %v %v", day, err)
		}
		// Invisible characters are removed, not stored.
		router.Handle(ctx, chat.Command{UserID: "alice", ChannelName: "shop-ops", At: clock.Now(), Name: "/urgent", Text: "123456789012345 type=ship wa\u202eit\u200bing"})
		items, err := st.OpenItems(ctx, store.ItemFilter{})
		if err != nil || len(items) != 1 || items[0].Text != "waiting" {
			t.Errorf("items = %+v %v", items, err)
		}
	})
}
