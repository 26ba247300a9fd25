// Package handlerstest is the test fixture of the features' commands: the
// router on a real SQLite file and a fake clock, with helpers to type
// commands, click buttons and read what was stored and queued.
package handlerstest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"

	"opsbot/bot"
	"opsbot/bot/blockkit"
	"opsbot/chat"
	"opsbot/checklist/checkrun"
	"opsbot/config"
	"opsbot/handlers"
	"opsbot/store"
	"opsbot/tracked/items"
)

// Fixture is a router on a real SQLite file, at 2026-11-23 09:00 Shanghai.
type Fixture struct {
	T      *testing.T
	Router *handlers.Router
	Store  *store.Store
	Clock  *clockwork.FakeClock
	Cfg    *config.Config
}

// New builds a fixture on the built-in playbook, with boss as manager;
// edit changes the config first.
func New(t *testing.T, edit func(*config.Config)) *Fixture {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Managers = []string{"boss"}
	if edit != nil {
		edit(cfg)
	}
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 23, 9, 0, 0, 0, cfg.Location))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return &Fixture{T: t, Router: handlers.New(cfg, st, clock, log), Store: st, Clock: clock, Cfg: cfg}
}

// Do runs a command as typed ("/metric uv=1") by a user in #shop-ops.
func (f *Fixture) Do(user, line string) chat.Reply {
	f.T.Helper()
	name, text, _ := strings.Cut(line, " ")
	r := f.Router.Handle(context.Background(), chat.Command{
		UserID: user, UserName: user, ChannelName: "shop-ops", Name: name, Text: text, At: f.Clock.Now(),
	})
	CheckReply(f.T, r)
	return r
}

// Text runs a command and renders the reply as the console shows it.
func (f *Fixture) Text(user, line string) string {
	f.T.Helper()
	return bot.RenderText(f.Do(user, line).Blocks)
}

// Contains fails the test for each want that got lacks.
func Contains(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("reply lacks %q:\n%s", w, got)
		}
	}
}

// Day is a shop's stored figures of a day.
func (f *Fixture) Day(shop, day string) map[string]int64 {
	f.T.Helper()
	m, err := f.Store.DayMetrics(context.Background(), shop, day)
	if err != nil {
		f.T.Fatal(err)
	}
	return m
}

// Audit is the whole audit log.
func (f *Fixture) Audit() []store.AuditEntry {
	f.T.Helper()
	a, err := f.Store.Audit(context.Background(), store.AuditFilter{})
	if err != nil {
		f.T.Fatal(err)
	}
	return a
}

// StartRun records a run of a checklist today, as the scheduler would.
func (f *Fixture) StartRun(id string) checkrun.Run {
	f.T.Helper()
	now := f.Clock.Now()
	run := checkrun.Run{Key: id + "@test", Checklist: id, Date: now.Format("2006-01-02"), ScheduledAt: now.Add(-time.Minute),
		DueAt: now.Add(time.Hour), State: checkrun.Posted, Channel: "#shop-ops", Items: 7, CreatedAt: now}
	if _, err := f.Store.ClaimRun(context.Background(), &run); err != nil {
		f.T.Fatal(err)
	}
	return run
}

// Queued is what the outbox holds for a channel.
func (f *Fixture) Queued(channel string) []store.OutboxMessage {
	f.T.Helper()
	ms, err := f.Store.OutboxMessages(context.Background(), channel)
	if err != nil {
		f.T.Fatal(err)
	}
	for _, m := range ms {
		if m.Op != store.OpUpload {
			if err := blockkit.CheckMessage(m.Text, json.RawMessage(m.Blocks)); err != nil {
				f.T.Errorf("outbox message %d to %s breaks Block Kit: %v", m.ID, m.Channel, err)
			}
		}
	}
	return ms
}

// OpenItems are the open tracked items.
func (f *Fixture) OpenItems() []items.Item {
	f.T.Helper()
	items, err := f.Store.OpenItems(context.Background(), store.ItemFilter{})
	if err != nil {
		f.T.Fatal(err)
	}
	return items
}

// Interact clicks, submits or opens something, now, as in.UserID.
func (f *Fixture) Interact(in chat.Interaction) chat.Outcome {
	f.T.Helper()
	if in.UserName == "" {
		in.UserName = in.UserID
	}
	in.At = f.Clock.Now()
	out := f.Router.Interact(context.Background(), in)
	CheckOutcome(f.T, out)
	return out
}

// CheckOutcome fails the test when an interaction's modal, Home tab or
// reply breaks Block Kit's published limits.
func CheckOutcome(t *testing.T, out chat.Outcome) {
	t.Helper()
	if out.OpenModal != nil {
		if err := blockkit.CheckModal(out.OpenModal); err != nil {
			t.Errorf("modal %s breaks Block Kit: %v", out.OpenModal.CallbackID, err)
		}
	}
	if out.Home != nil {
		if err := blockkit.CheckModal(out.Home); err != nil {
			t.Errorf("Home tab breaks Block Kit: %v", err)
		}
	}
	if out.Ephemeral != nil {
		CheckReply(t, *out.Ephemeral)
	}
}

// CheckReply fails the test when a reply breaks Block Kit's published
// limits.
func CheckReply(t *testing.T, r chat.Reply) {
	t.Helper()
	if err := blockkit.CheckReply(r.Text, r.Blocks); err != nil {
		t.Errorf("reply breaks Block Kit: %v\n%s", err, chat.Truncate(r.Text, 200))
	}
}

// BlocksOf decodes an outbox message's blocks.
func BlocksOf(t *testing.T, m store.OutboxMessage) []slack.Block {
	t.Helper()
	var b slack.Blocks
	if err := json.Unmarshal([]byte(m.Blocks), &b); err != nil {
		t.Fatalf("blocks of message %d: %v", m.ID, err)
	}
	return b.BlockSet
}

// RawText is the unrendered text a block carries, as Slack receives it
// (for tests and logs that check escaping).
func RawText(b slack.Block) string {
	var parts []string
	add := func(t *slack.TextBlockObject) {
		if t != nil {
			parts = append(parts, t.Text)
		}
	}
	switch b := b.(type) {
	case *slack.HeaderBlock:
		add(b.Text)
	case *slack.SectionBlock:
		add(b.Text)
		for _, f := range b.Fields {
			add(f)
		}
	case *slack.ContextBlock:
		for _, e := range b.ContextElements.Elements {
			if t, ok := e.(*slack.TextBlockObject); ok {
				add(t)
			}
		}
	}
	return strings.Join(parts, "\n")
}
