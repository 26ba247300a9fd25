package report_test

import (
	"bytes"
	"context"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/bot"
	"opsbot/bot/outbox"
	"opsbot/config"
	"opsbot/jobs"
	"opsbot/report"
	"opsbot/store"
	"opsbot/store/storetest"
)

// reportWorld is the reports job on a SQLite file, delivering through a
// printer that writes charts to a directory.
type reportWorld struct {
	t      *testing.T
	cfg    *config.Config
	st     *store.Store
	clock  *clockwork.FakeClock
	job    *report.Job
	sender *outbox.Sender
	out    *bytes.Buffer
	files  string
}

// newReportWorld starts the world at `at`; the scheduler first started at
// epoch.
func newReportWorld(t *testing.T, at, epoch time.Time, edit func(*config.Config)) *reportWorld {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(cfg)
	}
	log := slog.New(slog.DiscardHandler)
	st := storetest.SQLite(t)
	job, err := report.NewJob(cfg, st, log)
	if err != nil {
		t.Fatal(err)
	}
	w := &reportWorld{t: t, cfg: cfg, st: st, clock: clockwork.NewFakeClockAt(at), job: job, out: &bytes.Buffer{}, files: t.TempDir()}
	printer := bot.PrintFiles{PrintAPI: &bot.PrintAPI{Out: w.out, Clock: w.clock, Loc: cfg.Location, Layout: "Mon 01-02 15:04"}, Dir: w.files}
	w.sender = outbox.New(st, printer, w.clock, log, outbox.Options{ChannelInterval: time.Millisecond})
	if _, err := st.SettingOnce(context.Background(), "scheduler.epoch", epoch.UTC().Format(time.RFC3339)); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *reportWorld) log(shop, day string, values map[string]int64) {
	w.t.Helper()
	var keys []string
	for k := range values {
		keys = append(keys, k)
	}
	if _, err := w.st.SetMetrics(context.Background(), "alice", shop, day, values, keys, time.Now()); err != nil {
		w.t.Fatal(err)
	}
}

// tick runs the job at a team-zone time and returns what it queued.
func (w *reportWorld) tick(at time.Time) []store.OutboxMessage {
	w.t.Helper()
	if err := w.job.Tick(context.Background(), at); err != nil {
		w.t.Fatal(err)
	}
	msgs, err := w.st.OutboxMessages(context.Background(), "#shop-managers")
	if err != nil {
		w.t.Fatal(err)
	}
	return msgs
}

func shanghai(t *testing.T, s string) time.Time {
	t.Helper()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	at, err := time.ParseInLocation("2006-01-02T15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func refs(msgs []store.OutboxMessage) []string {
	var out []string
	for _, m := range msgs {
		if m.Ref != "" {
			out = append(out, m.Op+" "+m.Ref)
		}
	}
	return out
}

// TestReportsPostOncePerPeriod: on Monday 2026-11-23 at 09:30 the daily
// (for Sunday) and the weekly (for last week) are queued for each shop,
// each with its chart after it; later ticks, a second replica and a
// restart queue nothing more.
func TestReportsPostOncePerPeriod(t *testing.T) {
	// First started on Sunday after its 09:30, so Sunday's and last
	// week's reports are the first it owes.
	w := newReportWorld(t, shanghai(t, "2026-11-23T09:00"), shanghai(t, "2026-11-22T12:00"), func(c *config.Config) {
		c.Shops = append(c.Shops, config.Shop{ID: "tmall", Name: "My Tmall store", Platform: "tmall"})
	})
	for _, day := range []string{"2026-11-16", "2026-11-21", "2026-11-22"} {
		w.log("main", day, map[string]int64{"uv": 12_000, "paid": 240, "sales": 3_600_000})
	}
	if got := w.tick(shanghai(t, "2026-11-23T09:29")); len(got) != 0 {
		t.Fatalf("queued before 09:30: %v", refs(got))
	}
	got := refs(w.tick(shanghai(t, "2026-11-23T09:30")))
	want := []string{
		"post report:daily:main:2026-11-22", "upload report:daily:main:2026-11-22",
		"post report:daily:tmall:2026-11-22", // nothing logged: no chart
		"post report:weekly:main:2026-11-16", "upload report:weekly:main:2026-11-16",
		"post report:weekly:tmall:2026-11-16",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("queued:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	replica, err := report.NewJob(w.cfg, w.st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := replica.Tick(context.Background(), shanghai(t, "2026-11-23T09:31")); err != nil {
		t.Fatal(err)
	}
	if again := w.tick(shanghai(t, "2026-11-23T18:00")); len(refs(again)) != len(want) {
		t.Errorf("posted again: %v", refs(again))
	}
	next, ok, err := w.job.Next(context.Background(), shanghai(t, "2026-11-23T09:30"))
	if err != nil || !ok || !next.Equal(shanghai(t, "2026-11-24T09:30")) {
		t.Errorf("next = %v %v %v", next, ok, err)
	}
}

// TestReportsAfterDowntime: a bot down at 09:30 posts the day's digest
// when it comes back, and only the latest one.
func TestReportsAfterDowntime(t *testing.T) {
	w := newReportWorld(t, shanghai(t, "2026-11-25T15:00"), shanghai(t, "2026-10-01T00:00"), nil)
	got := refs(w.tick(shanghai(t, "2026-11-25T15:00")))
	// Wednesday: the daily for Tuesday, and the weekly of Monday (still
	// the latest), not Monday's or Sunday's dailies.
	want := "post report:daily:main:2026-11-24\npost report:weekly:main:2026-11-16\npost report:monthly:main:2026-10-01"
	if strings.Join(got, "\n") != want {
		t.Errorf("queued:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}

// TestReportsFromBeforeTheFirstStart: a bot first started at midnight on
// Nov 1 owes no report on days before it existed, unless someone logged
// figures for them: the shop that brought yesterday's numbers gets its
// daily and October's monthly; the other gets nothing, now or on a later
// tick, and its first daily is about its first day.
func TestReportsFromBeforeTheFirstStart(t *testing.T) {
	w := newReportWorld(t, shanghai(t, "2026-11-01T09:00"), shanghai(t, "2026-11-01T00:00"), func(c *config.Config) {
		c.Shops = append(c.Shops, config.Shop{ID: "tmall", Name: "My Tmall store", Platform: "tmall"})
	})
	w.log("main", "2026-10-31", map[string]int64{"uv": 12_000, "paid": 240, "sales": 3_600_000})
	got := refs(w.tick(shanghai(t, "2026-11-01T09:30")))
	want := []string{
		"post report:daily:main:2026-10-31", "upload report:daily:main:2026-10-31",
		"post report:monthly:main:2026-10-01", "upload report:monthly:main:2026-10-01",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("queued:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if again := refs(w.tick(shanghai(t, "2026-11-01T18:00"))); len(again) != len(want) {
		t.Errorf("a later tick queued more: %v", again)
	}
	got = refs(w.tick(shanghai(t, "2026-11-02T09:30")))
	for _, key := range []string{"post report:daily:tmall:2026-11-01", "post report:weekly:tmall:2026-10-26"} {
		if !strings.Contains(strings.Join(got, "\n"), key) {
			t.Errorf("%s not queued: the period includes a day the bot ran:\n%s", key, strings.Join(got, "\n"))
		}
	}
}

// TestReportsFollowTheTeamZone: 00:30 on the 1st in Shanghai is still the
// 31st in UTC; the monthly report for October goes out then.
func TestReportsFollowTheTeamZone(t *testing.T) {
	w := newReportWorld(t, time.Date(2026, 10, 31, 16, 0, 0, 0, time.UTC), shanghai(t, "2026-10-30T12:00"), func(c *config.Config) {
		c.Reports.Monthly = "1 00:30"
		c.Reports.Daily = "23:59"
		c.Reports.Weekly = "sun 23:59"
	})
	// 00:29 on Sunday Nov 1 in Shanghai: Oct 31's 23:59 daily is out (the
	// weekly's latest time, Sunday Oct 25, is before the epoch), the
	// monthly is not due yet.
	if got := refs(w.tick(time.Date(2026, 10, 31, 16, 29, 0, 0, time.UTC))); strings.Join(got, " ") != "post report:daily:main:2026-10-30" {
		t.Fatalf("before 00:30: %v", got)
	}
	got := refs(w.tick(time.Date(2026, 10, 31, 16, 30, 0, 0, time.UTC)))
	if len(got) != 2 || got[1] != "post report:monthly:main:2026-10-01" {
		t.Errorf("at 00:30 on Nov 1 in Shanghai: %v", got)
	}
}

// TestMondayTheFirst simulates Monday 2027-03-01 (February has 28 days):
// the daily, weekly and monthly reports come out at 09:30, in that order,
// and the charts are written to disk with their paths printed.
func TestMondayTheFirst(t *testing.T) {
	w := newReportWorld(t, shanghai(t, "2027-03-01T08:00"), shanghai(t, "2027-03-01T00:00"), nil)
	for d := shanghai(t, "2027-01-01T12:00"); d.Before(shanghai(t, "2027-03-01T00:00")); d = d.AddDate(0, 0, 1) {
		w.log("main", d.Format("2006-01-02"), map[string]int64{"uv": int64(10_000 + d.Day()*100), "paid": 200, "orders": 250, "sales": int64(3_000_000 + d.Day()*10_000)})
	}
	runner := jobs.NewRunner(w.clock, w.cfg.Location, slog.New(slog.DiscardHandler), w.job)
	sim := &jobs.Simulation{Clock: w.clock, Runner: runner, Planners: []jobs.Planner{w.job}, Outbox: w.sender}
	if err := sim.Run(context.Background(), shanghai(t, "2027-03-01T10:00")); err != nil {
		t.Fatal(err)
	}
	out := w.out.String()
	daily := strings.Index(out, "Daily report · My shop · 2027-02-28 (Sun)")
	weekly := strings.Index(out, "Weekly report · My shop · 2027-02-22 to 2027-02-28 (week 8)")
	monthly := strings.Index(out, "Monthly report · My shop · 2027-02")
	if daily < 0 || weekly < daily || monthly < weekly {
		t.Fatalf("daily %d, weekly %d, monthly %d in:\n%s", daily, weekly, monthly, out)
	}
	if c := strings.Count(out, "── Mon 03-01 09:30 #shop-managers ──"); c != 6 { // three reports, three charts
		t.Errorf("%d messages at 09:30, want 6:\n%s", c, out)
	}
	if !strings.Contains(out, "Figures logged on 28 of 28 days.") {
		t.Error("February's coverage")
	}
	for _, name := range []string{"opsbot-main-daily-2027-02-28.png", "opsbot-main-weekly-2027-02-22.png", "opsbot-main-monthly-2027-02-01.png"} {
		path := filepath.Join(w.files, name)
		if !strings.Contains(out, "📎 "+path) {
			t.Errorf("%s not printed", path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil || img.Bounds().Dx() != 1200 || img.Bounds().Dy() != 600 {
			t.Errorf("%s: %v %v", name, err, img.Bounds())
		}
	}
}
