package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"

	"opsbot/bot"
	"opsbot/config"
	"opsbot/handlers"
	"opsbot/handlers/handlerstest"
	"opsbot/store"
	"opsbot/store/storetest"
)

// What people type, literally: &, <, >, an entity and emoji.
const typed = `fragile & heavy, box <2kg> &amp; 📦`

// Slack sends &, < and > in command text as entities.
const asSlackSends = `fragile &amp; heavy, box &lt;2kg&gt; &amp;amp; 📦`

// The reply escapes the text exactly once.
const escapedOnce = `fragile &amp; heavy, box &lt;2kg&gt; &amp;amp; 📦`

func TestTextRoundTripOverHTTP(t *testing.T) {
	r := newRig(t, nil)
	resp := r.post("/slack/commands", "application/x-www-form-urlencoded", slashBody("/urgent", "123456789012345 type=ship "+asSlackSends, ""), nil)
	raw, _ := io.ReadAll(resp.Body)
	items, err := r.store.OpenItems(context.Background(), store.ItemFilter{})
	if err != nil || len(items) != 1 {
		t.Fatalf("items = %+v, %v; reply %s", items, err, raw)
	}
	if items[0].Text != typed {
		t.Errorf("stored %q, want what was typed: %q", items[0].Text, typed)
	}
	var m struct {
		Blocks slack.Blocks `json:"blocks"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var rawText strings.Builder
	for _, b := range m.Blocks.BlockSet {
		rawText.WriteString(handlerstest.RawText(b) + "\n")
	}
	if strings.Contains(string(raw), "&amp;amp;amp;") || !strings.Contains(rawText.String(), escapedOnce) {
		t.Errorf("reply is not escaped exactly once:\n%s", rawText.String())
	}
	if shown := bot.RenderText(m.Blocks.BlockSet); !strings.Contains(shown, typed) {
		t.Errorf("Slack would show:\n%s\nwant %q", shown, typed)
	}
}

func TestTextRoundTripInTheConsole(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.SQLite(t)
	clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC))
	var out bytes.Buffer
	c := &bot.Console{
		Handler: handlers.New(cfg, st, clock, slog.New(slog.DiscardHandler)), Clock: clock,
		In: strings.NewReader("/urgent 123456789012345 type=ship " + typed + "\n"), Out: &out, User: "alice", Channel: "shop-ops",
	}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	items, err := st.OpenItems(context.Background(), store.ItemFilter{})
	if err != nil || len(items) != 1 || items[0].Text != typed {
		t.Fatalf("items = %+v, %v", items, err)
	}
	if !strings.Contains(out.String(), typed) || strings.Contains(out.String(), "&amp;amp;") {
		t.Errorf("console shows:\n%s", out.String())
	}
}

func TestUnescapeDecodesOnce(t *testing.T) {
	for in, want := range map[string]string{
		"a &amp; b":        "a & b",
		"&amp;lt;":         "&lt;",
		"&lt;@U1&gt;":      "<@U1>",
		"plain 📦 text":     "plain 📦 text",
		"&amp;amp;amp;":    "&amp;amp;",
		"no entity & here": "no entity & here",
	} {
		if got := bot.Unescape(in); got != want {
			t.Errorf("Unescape(%q) = %q, want %q", in, got, want)
		}
	}
}
