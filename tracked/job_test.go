package tracked_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/bot"
	"opsbot/calendar"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers"
	"opsbot/jobs"
	"opsbot/store"
	"opsbot/store/storetest"
	"opsbot/tracked"
	"opsbot/tracked/items"
)

var slaLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// slaRig is the sweeper on a fake clock, on a store shared with the
// handlers that flag, take and resolve. It ticks the sweeper with the
// runner's own TickAll at each simulated minute, as the scheduler would,
// so what a test sees never depends on how fast goroutines are scheduled.
type slaRig struct {
	t      *testing.T
	ctx    context.Context
	cfg    *config.Config
	st     *store.Store
	clock  *clockwork.FakeClock
	router *handlers.Router
	runner *jobs.Runner
	t0     time.Time
	seen   map[uint64]bool
}

// Monday 2026-11-23 09:00 in Shanghai.
func slaStart(cfg *config.Config) time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, cfg.Location) }

func newSLARig(t *testing.T, st *store.Store, edit func(*config.Config)) *slaRig {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	// These timelines run round the clock; quiet hours have their own tests.
	cfg.SLA.QuietHours = nil
	if edit != nil {
		edit(cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	t0 := slaStart(cfg)
	clock := clockwork.NewFakeClockAt(t0)
	return &slaRig{t: t, ctx: ctx, cfg: cfg, st: st, clock: clock, router: handlers.New(cfg, st, clock, slaLog), t0: t0, seen: map[uint64]bool{}}
}

func (g *slaRig) sweeper() *tracked.Sweeper {
	g.t.Helper()
	cal, err := calendar.New(g.cfg.Calendar, g.cfg.Timezone)
	if err != nil {
		g.t.Fatal(err)
	}
	sw, err := tracked.NewSweeper(g.cfg, g.st, cal, slaLog)
	if err != nil {
		g.t.Fatal(err)
	}
	return sw
}

// start builds a fresh sweeper, as a (re)started bot does, and ticks it
// once at once, as the scheduler's start-up tick does.
func (g *slaRig) start() {
	g.t.Helper()
	g.runner = jobs.NewRunner(g.clock, g.cfg.Location, slaLog, g.sweeper())
	g.tick()
}

func (g *slaRig) stop() {
	g.t.Helper()
	g.runner = nil
}

func (g *slaRig) tick() {
	g.t.Helper()
	if err := g.runner.TickAll(g.ctx, g.clock.Now()); err != nil {
		g.t.Fatalf("tick at %s: %v", g.clock.Now(), err)
	}
}

// minute moves the clock one minute, ticks the sweeper at it, and
// returns the alerts posted by that tick.
func (g *slaRig) minute() []alert {
	g.t.Helper()
	g.clock.Advance(time.Minute)
	g.tick()
	return g.alerts()
}

// alert is one alert found in the outbox: when (offset from t0), where,
// and its text.
type alert struct {
	at      time.Duration
	channel string
	text    string
}

func (a alert) String() string {
	return fmt.Sprintf("+%s %s %q", a.at, a.channel, chat.Truncate(a.text, 80))
}

// alerts returns the alerts queued since the last call: posts without a
// Ref (the item's own message has one).
func (g *slaRig) alerts() []alert {
	g.t.Helper()
	var out []alert
	for _, ch := range []string{g.cfg.Channels.Team, g.cfg.Channels.Managers, g.cfg.Channels.CS} {
		msgs, err := g.st.OutboxMessages(g.ctx, ch)
		if err != nil {
			g.t.Fatal(err)
		}
		for _, m := range msgs {
			if g.seen[m.ID] {
				continue
			}
			g.seen[m.ID] = true
			if m.Op == store.OpPost && m.Ref == "" {
				out = append(out, alert{at: g.clock.Now().Sub(g.t0).Truncate(time.Minute), channel: ch, text: m.Text})
			}
		}
	}
	return out
}

func (g *slaRig) do(user, line string) chat.Reply {
	g.t.Helper()
	name, text, _ := strings.Cut(line, " ")
	return g.router.Handle(g.ctx, chat.Command{UserID: user, UserName: user, ChannelName: "shop-ops", Name: name, Text: text, At: g.clock.Now()})
}

func (g *slaRig) item(id uint64) items.Item {
	g.t.Helper()
	it, err := g.st.TrackedItem(g.ctx, id)
	if err != nil {
		g.t.Fatal(err)
	}
	return it
}

func hours(h float64) time.Duration { return time.Duration(h * float64(time.Hour)) }

// TestThirtyHourTimeline walks two items through 30 hours, minute by
// minute, under gocron on a fake clock: each alert must land at its
// minute, once, in its channel; resolving stops the alerts.
func TestThirtyHourTimeline(t *testing.T) {
	g := newSLARig(t, storetest.SQLite(t), func(c *config.Config) {
		// Refunds remind every 2h here, so the 30 hours hold two reminders.
		c.SLA.Policies["refund"] = config.SLAPolicy{ResolveWithin: "24h", WarnBefore: "4h", RemindEvery: "2h"}
	})
	team, managers := g.cfg.Channels.Team, g.cfg.Channels.Managers
	if r := g.do("alice", "/urgent 123456789012345 type=refund customer threatens a bad review"); !strings.Contains(renderText(r), "Flagged 💸 Urgent refund #1") {
		t.Fatalf("flag: %s", renderText(r))
	}
	g.alerts() // the item's messages
	// The sender posted item 1's message; its buttons are clicked there.
	if err := g.st.RecordMessage(g.ctx, "item:1", "C0OPS", "1.0001", g.clock.Now()); err != nil {
		t.Fatal(err)
	}
	g.start()

	// What happens along the way, at minutes from t0.
	script := map[time.Duration]func(){
		30 * time.Minute: func() { g.do("carol", "/review 223456789012345 rating=1 product=mug arrived broken") },
		2 * time.Hour: func() {
			out := g.router.Interact(g.ctx, chat.Interaction{Kind: chat.KindAction, ActionID: tracked.ActionTake, Value: "1", UserID: "bob", UserName: "bob", At: g.clock.Now(), ChannelID: "C0OPS", MessageTS: "1.0001"})
			if out.Ephemeral == nil || !strings.Contains(out.Ephemeral.Text, "You took") {
				t.Errorf("take: %+v", out)
			}
		},
		29 * time.Hour: func() {
			out := g.router.Interact(g.ctx, chat.Interaction{Kind: chat.KindAction, ActionID: tracked.ActionResolve, Value: "1", UserID: "bob", At: g.clock.Now(), ChannelID: "C0OPS", MessageTS: "1.0001"})
			if out.OpenModal == nil {
				t.Fatalf("resolve button opened no modal: %+v", out)
			}
			sub := chat.Interaction{Kind: chat.KindSubmission, CallbackID: out.OpenModal.CallbackID, Metadata: out.OpenModal.PrivateMetadata, UserID: "bob", At: g.clock.Now(),
				Values: map[string]string{"note": "refunded in full"}}
			if out := g.router.Interact(g.ctx, sub); len(out.FieldErrors) != 0 {
				t.Errorf("resolve: %v", out.FieldErrors)
			}
		},
	}
	var got []alert
	for g.clock.Now().Sub(g.t0) < 30*time.Hour {
		got = append(got, g.minute()...)
		if f, ok := script[g.clock.Now().Sub(g.t0).Truncate(time.Minute)]; ok {
			f()
			g.alerts()
		}
	}
	g.stop()

	want := []struct {
		at      time.Duration
		channel string
		text    []string
	}{
		{hours(20), team, []string{"Urgent refund #1", "due in 4h 0m", "<@bob>"}},
		{hours(20.5), team, []string{"Bad review #2", "due in 4h 0m", "Nobody has taken it"}},
		{hours(24), managers, []string{"Urgent refund #1", "missed its deadline", "<@bob>"}},
		{hours(24.5), managers, []string{"Bad review #2", "missed its deadline"}},
		{hours(26), team, []string{"Reminder", "Urgent refund #1", "overdue by 2h 0m", "<@bob>"}},
		{hours(28), team, []string{"Reminder", "Urgent refund #1", "overdue by 4h 0m"}},
		{hours(28.5), team, []string{"Reminder", "Bad review #2", "overdue by 4h 0m"}},
	}
	if len(got) != len(want) {
		t.Errorf("got %d alerts, want %d:\n%v", len(got), len(want), got)
	}
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		if g.at != w.at || g.channel != w.channel {
			t.Errorf("alert %d = %v, want +%s in %s", i, g, w.at, w.channel)
		}
		for _, s := range w.text {
			if !strings.Contains(g.text, s) {
				t.Errorf("alert %d %v lacks %q", i, g, s)
			}
		}
		if strings.Contains(g.text, "Sent late") {
			t.Errorf("alert %d is marked late: %v", i, g)
		}
	}

	// The item's message followed every change, in both channels.
	it := g.item(1)
	if it.Open() || it.ResolvedBy != "bob" || it.NextAlertAt != nil {
		t.Errorf("item 1 = %+v", it)
	}
	for _, ch := range []string{team, g.cfg.Channels.CS} {
		msgs, _ := g.st.OutboxMessages(g.ctx, ch)
		var updates []store.OutboxMessage
		for _, m := range msgs {
			if m.Op == store.OpUpdate && strings.HasPrefix(m.Ref, "item:1") {
				updates = append(updates, m)
			}
		}
		// taken, warned, breached, reminded ×2, resolved
		if len(updates) != 6 {
			t.Errorf("%s: %d updates of item 1, want 6", ch, len(updates))
			continue
		}
		if last := updates[len(updates)-1].Blocks; !strings.Contains(last, "Resolved by \\u003c@bob\\u003e") || !strings.Contains(last, "refunded in full") || strings.Contains(last, tracked.ActionTake) {
			t.Errorf("%s: the last update does not show the resolution: %s", ch, last)
		}
	}
	ev, _ := g.st.ItemEvents(g.ctx, 1)
	var kinds []string
	for _, e := range ev {
		kinds = append(kinds, e.Kind)
	}
	if got := strings.Join(kinds, " "); got != "flagged taken warned breached reminded reminded resolved" {
		t.Errorf("history of item 1: %s", got)
	}
}

// TestRestartAcrossTheDeadline stops the bot before the deadline and
// starts it six hours after: the breach goes out once, marked late, the
// reminder it slept through is not sent in a burst, and the next one comes
// on time.
func TestRestartAcrossTheDeadline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		g := newSLARig(t, st, nil)
		g.do("alice", "/urgent 123456789012345 type=ship warehouse has stock")
		g.do("bob", "/ops take 1")
		g.alerts()
		g.start()
		var got []alert
		for g.clock.Now().Sub(g.t0) < 21*time.Hour {
			got = append(got, g.minute()...)
		}
		g.stop() // down from 21:00 on Monday…
		g.clock.Advance(9 * time.Hour)
		g.start() // …until Tuesday 15:00: the deadline (09:00) and a reminder (13:00) passed.
		got = append(got, g.alerts()...)

		// Another replica ticks at the same time and a tick repeats: nothing more.
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := g.sweeper().Tick(g.ctx, g.clock.Now()); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		got = append(got, g.alerts()...)
		for g.clock.Now().Sub(g.t0) < 34*time.Hour {
			got = append(got, g.minute()...)
		}
		g.stop()

		want := []struct {
			at      time.Duration
			channel string
			late    bool
		}{
			{hours(20), g.cfg.Channels.Team, false},
			{hours(30), g.cfg.Channels.Managers, true},
			{hours(32), g.cfg.Channels.Team, false},
		}
		if len(got) != len(want) {
			t.Fatalf("got %d alerts, want %d:\n%v", len(got), len(want), got)
		}
		for i, w := range want {
			late := strings.Contains(got[i].text, "Sent late: it was due Tue 11-24 09:00")
			if got[i].at != w.at || got[i].channel != w.channel || late != w.late {
				t.Errorf("alert %d = %v, want +%s in %s, late %v", i, got[i], w.at, w.channel, w.late)
			}
		}
		ev, _ := g.st.ItemEvents(g.ctx, 1)
		var kinds []string
		for _, e := range ev {
			k := e.Kind
			if e.Late {
				k += "(late)"
			}
			kinds = append(kinds, k)
		}
		if got := strings.Join(kinds, " "); got != "flagged taken warned breached(late) reminded" {
			t.Errorf("history: %s", got)
		}
	})
}

// TestSweepersRaceForTheSameAlerts runs several sweepers (replicas) at one
// moment over many due items: every alert is sent exactly once.
func TestSweepersRaceForTheSameAlerts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		g := newSLARig(t, st, nil)
		const n = 30
		for i := range n {
			g.do("alice", fmt.Sprintf("/urgent %015d type=complaint", 100000000000000+i))
		}
		g.alerts()
		g.clock.Advance(20 * time.Hour)
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := g.sweeper().Tick(g.ctx, g.clock.Now()); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if got := g.alerts(); len(got) != n {
			t.Errorf("%d warnings for %d items", len(got), n)
		}
		next, ok, err := g.sweeper().Next(g.ctx, g.clock.Now())
		if err != nil || !ok || !next.Equal(g.t0.Add(24*time.Hour)) {
			t.Errorf("next = %v %v %v, want the deadline", next, ok, err)
		}
	})
}

// TestSweepInBusinessHours: a review flagged on Friday evening before a
// weekend is warned and breached on Monday, in working hours.
func TestSweepInBusinessHours(t *testing.T) {
	g := newSLARig(t, storetest.SQLite(t), func(c *config.Config) {
		c.SLA.BusinessHours = &config.BusinessHours{Start: "09:00", End: "18:00"}
		c.SLA.Policies["review"] = config.SLAPolicy{ResolveWithin: "4h", WarnBefore: "1h", RemindEvery: "2h"}
	})
	g.clock.Advance(4*24*time.Hour + 8*time.Hour) // Friday 2026-11-27 17:00
	g.t0 = g.clock.Now()
	g.do("alice", "/review 123456789012345 rating=2 slow delivery")
	g.alerts()
	sw := g.sweeper()
	var got []string
	for now := g.clock.Now(); now.Before(g.t0.Add(72 * time.Hour)); now = now.Add(time.Minute) {
		if err := sw.Tick(g.ctx, now); err != nil {
			t.Fatal(err)
		}
		g.clock.Advance(time.Minute)
		for range g.alerts() {
			got = append(got, now.In(g.cfg.Location).Format("Mon 15:04"))
		}
	}
	// 1h on Friday, 3h on Monday from 09:00: due Monday 12:00.
	want := "Mon 11:00 Mon 12:00 Mon 14:00 Mon 16:00"
	if strings.Join(got, " ") != want {
		t.Errorf("alerts at %v, want %s", got, want)
	}
}

func renderText(r chat.Reply) string { return bot.RenderText(r.Blocks) }
