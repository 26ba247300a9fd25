package checklist_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/bot"
	"opsbot/bot/outbox"
	"opsbot/calendar"
	"opsbot/checklist"
	"opsbot/checklist/checkrun"
	"opsbot/config"
	"opsbot/i18n"
	"opsbot/jobs"
	"opsbot/store"
)

type world struct {
	t      *testing.T
	cfg    *config.Config
	st     *store.Store
	path   string
	clock  *clockwork.FakeClock
	out    *bytes.Buffer
	lists  *checklist.Job
	runner *jobs.Runner
	sender *outbox.Sender
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// newWorld is the checklist job on a SQLite file at a fake time; restart
// builds a fresh one on the same file, as a restarted process would.
func newWorld(t *testing.T, at time.Time, edit func(*config.Config)) *world {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(cfg)
	}
	w := &world{t: t, cfg: cfg, path: filepath.Join(t.TempDir(), "jobs.db"), out: &bytes.Buffer{}}
	w.start(clockwork.NewFakeClockAt(at.In(cfg.Location)))
	return w
}

func (w *world) start(clock *clockwork.FakeClock) {
	w.t.Helper()
	if w.st != nil {
		w.st.Close()
	}
	st, err := store.Open(context.Background(), "sqlite:"+w.path)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { st.Close() })
	cal, err := calendar.New(w.cfg.Calendar, w.cfg.Timezone)
	if err != nil {
		w.t.Fatal(err)
	}
	lists, err := checklist.NewJob(w.cfg, st, calendar.WorkingDays{Cal: cal, Tr: i18n.New("en")}, quiet)
	if err != nil {
		w.t.Fatal(err)
	}
	w.st, w.clock, w.lists = st, clock, lists
	w.runner = jobs.NewRunner(clock, w.cfg.Location, quiet, lists)
	printer := &bot.PrintAPI{Out: w.out, Clock: clock, Loc: w.cfg.Location, Layout: "01-02 15:04"}
	w.sender = outbox.New(st, printer, clock, quiet, outbox.Options{ChannelInterval: time.Millisecond})
}

// simulate runs the jobs until `to`.
func (w *world) simulate(to time.Time) {
	w.t.Helper()
	sim := &jobs.Simulation{Clock: w.clock, Runner: w.runner, Planners: []jobs.Planner{w.lists}, Outbox: w.sender}
	if err := sim.Run(context.Background(), to); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) runs(from, to string) []checkrun.Run {
	w.t.Helper()
	runs, err := w.st.RunsBetween(context.Background(), from, to)
	if err != nil {
		w.t.Fatal(err)
	}
	return runs
}

func sh(t *testing.T, s string) time.Time {
	t.Helper()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	at, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func TestAWeekOfTheBuiltinPlaybook(t *testing.T) {
	// A plain week (no holidays): 2026-11-23 (Mon) to 2026-11-30.
	w := newWorld(t, sh(t, "2026-11-23 00:00"), nil)
	w.simulate(sh(t, "2026-11-30 00:00"))
	runs := w.runs("2026-11-23", "2026-11-29")
	perID := map[string]int{}
	for _, r := range runs {
		perID[r.Checklist]++
		if r.State != checkrun.Posted {
			t.Errorf("%s is %s, want posted on time", r.Key, r.State)
		}
	}
	for id, want := range map[string]int{"morning-meeting": 7, "evening-meeting": 5, "promo-group-buy": 1, "promo-free-shipping": 1, "replenishment": 1, "weekly-review": 1, "monthly-review": 0, "search-ranking": 0} {
		if perID[id] != want {
			t.Errorf("%s ran %d times, want %d", id, perID[id], want)
		}
	}
	// Every run was posted exactly once, at its minute, and nudged once at
	// its due time (nobody checked anything off).
	out := w.out.String()
	for _, r := range runs {
		cl, _ := w.lists.Checklist(r.Checklist)
		head := "── " + r.ScheduledAt.In(w.cfg.Location).Format("01-02 15:04") + " #shop-"
		title := cl.Title.En + "\n"
		if n := strings.Count(out, title); n != perID[r.Checklist] {
			t.Errorf("%q posted %d times in the week, want %d", cl.Title.En, n, perID[r.Checklist])
		}
		if !strings.Contains(out, head) {
			t.Errorf("nothing posted at %s for %s", head, r.Key)
		}
		if r.NudgedAt == nil || !r.NudgedAt.Equal(r.DueAt) {
			t.Errorf("%s nudged at %v, want at its due time %v", r.Key, r.NudgedAt, r.DueAt)
		}
	}
	if n := strings.Count(out, "was due at"); n != len(runs) {
		t.Errorf("%d nudges for %d runs", n, len(runs))
	}
	if strings.Contains(out, "posted late") {
		t.Error("a run was marked late with the bot up all week")
	}
}

func TestNationalDayAndMakeupDays(t *testing.T) {
	w := newWorld(t, sh(t, "2026-09-28 00:00"), nil)
	w.simulate(sh(t, "2026-10-11 00:00"))
	runs := w.runs("2026-09-28", "2026-10-10")
	on := func(id, date string) *checkrun.Run {
		for i := range runs {
			if runs[i].Checklist == id && runs[i].Date == date {
				return &runs[i]
			}
		}
		return nil
	}
	for _, d := range []string{"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"} {
		if on("evening-meeting", d) != nil {
			t.Errorf("the evening meeting (workdays) ran on holiday %s", d)
		}
	}
	if on("replenishment", "2026-10-01") != nil {
		t.Error("Thursday's replenishment request ran on National Day")
	}
	if r := on("evening-meeting", "2026-10-10"); r == nil || !strings.Contains(r.Note, "National Day") {
		t.Errorf("the makeup Saturday 10-10 has no evening meeting, or no note: %+v", r)
	}
	if on("evening-meeting", "2026-09-29") == nil || on("morning-meeting", "2026-10-01") == nil {
		t.Error("ordinary workdays and daily routines must still run")
	}
}

func TestRestartInTheMiddleOfASlotPostsLate(t *testing.T) {
	w := newWorld(t, sh(t, "2026-11-23 08:00"), nil)
	w.simulate(sh(t, "2026-11-23 08:25"))
	// Down from 08:25 to 08:40: shop-checks (08:30, due 09:00) is posted
	// late; the morning meeting, posted at 08:20, is not posted again.
	w.start(clockwork.NewFakeClockAt(sh(t, "2026-11-23 08:40")))
	w.simulate(sh(t, "2026-11-23 08:45"))
	runs := w.runs("2026-11-23", "2026-11-23")
	states := map[string]string{}
	for _, r := range runs {
		states[r.Checklist] = r.State
	}
	if states["morning-meeting"] != checkrun.Posted || states["shop-checks"] != checkrun.Late {
		t.Errorf("states = %v", states)
	}
	out := w.out.String()
	if n := strings.Count(out, "Morning meeting\n"); n != 1 {
		t.Errorf("morning meeting posted %d times across the restart", n)
	}
	if !strings.Contains(out, "── 11-23 08:40 #shop-ops ──\nShop and competitor checks") || !strings.Contains(out, "posted late") {
		t.Errorf("shop checks not posted late at 08:40:\n%s", out)
	}
}

func TestRestartAcrossAWholeSlotRecordsMissed(t *testing.T) {
	w := newWorld(t, sh(t, "2026-11-23 08:00"), nil)
	w.simulate(sh(t, "2026-11-23 08:25"))
	w.start(clockwork.NewFakeClockAt(sh(t, "2026-11-23 09:05")))
	w.simulate(sh(t, "2026-11-23 09:10"))
	var shop *checkrun.Run
	for _, r := range w.runs("2026-11-23", "2026-11-23") {
		if r.Checklist == "shop-checks" {
			shop = &r
		}
	}
	if shop == nil || shop.State != checkrun.Missed {
		t.Fatalf("shop-checks run = %+v, want recorded as missed", shop)
	}
	if strings.Contains(w.out.String(), "Shop and competitor checks") {
		t.Error("a missed run was posted")
	}
}

// TestTwoReplicasPostEachRunOnce ticks two runners on one database (two
// replicas) minute by minute, as their schedulers would: the 08:20 run is
// created at 08:20, not before, and posted once.
func TestTwoReplicasPostEachRunOnce(t *testing.T) {
	w := newWorld(t, sh(t, "2026-11-23 08:18"), nil)
	ctx := context.Background()
	other := jobs.NewRunner(w.clock, w.cfg.Location, quiet, w.lists)
	for _, want := range []struct {
		at   string
		runs int
	}{{"08:18", 0}, {"08:19", 0}, {"08:20", 1}, {"08:21", 1}} {
		if got := w.clock.Now().Format("15:04"); got != want.at {
			t.Fatalf("clock at %s, want %s", got, want.at)
		}
		for _, r := range []*jobs.Runner{w.runner, other} {
			if err := r.TickAll(ctx, w.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		runs := w.runs("2026-11-23", "2026-11-23")
		if len(runs) != want.runs {
			t.Fatalf("%d runs at %s, want %d", len(runs), want.at, want.runs)
		}
		if len(runs) == 1 && (runs[0].State != checkrun.Posted || !runs[0].ScheduledAt.Equal(sh(t, "2026-11-23 08:20"))) {
			t.Fatalf("run at %s: %s, scheduled %s; want posted on time at 08:20", want.at, runs[0].State, runs[0].ScheduledAt)
		}
		w.clock.Advance(time.Minute)
	}
	if _, err := w.sender.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(w.out.String(), "Morning meeting\n"); n != 1 {
		t.Errorf("posted %d times by two replicas, want 1", n)
	}
}

// tickSignal is a job that tells the test each time gocron ticks it, and
// at what time on the clock.

func TestDaylightSavingZone(t *testing.T) {
	w := newWorld(t, time.Date(2026, 3, 7, 0, 0, 0, 0, mustZone(t, "America/New_York")), func(c *config.Config) {
		c.Timezone = "America/New_York"
		c.Location = mustZone(t, "America/New_York")
		c.Calendar.Kind = config.CalendarNone
		c.Checklists = []config.Checklist{
			{ID: "night", Title: i18n.Text{En: "Night check"}, Channel: "team", At: "02:30", Due: "04:00", Items: []config.ChecklistItem{{Text: i18n.Text{En: "x"}}}},
			{ID: "late", Title: i18n.Text{En: "Late check"}, Channel: "team", At: "01:30", Due: "03:30", Items: []config.ChecklistItem{{Text: i18n.Text{En: "x"}}}},
		}
	})
	w.simulate(time.Date(2026, 3, 10, 0, 0, 0, 0, w.cfg.Location)) // spring forward on 03-08
	w.start(clockwork.NewFakeClockAt(time.Date(2026, 10, 31, 0, 0, 0, 0, w.cfg.Location)))
	w.simulate(time.Date(2026, 11, 3, 0, 0, 0, 0, w.cfg.Location)) // fall back on 11-01
	per := map[string]int{}
	for _, r := range append(w.runs("2026-03-07", "2026-03-09"), w.runs("2026-10-31", "2026-11-02")...) {
		per[r.Checklist+" "+r.Date]++
	}
	for _, d := range []string{"2026-03-07", "2026-03-08", "2026-03-09", "2026-10-31", "2026-11-01", "2026-11-02"} {
		for _, id := range []string{"night", "late"} {
			if per[id+" "+d] != 1 {
				t.Errorf("%s on %s ran %d times, want exactly 1", id, d, per[id+" "+d])
			}
		}
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
