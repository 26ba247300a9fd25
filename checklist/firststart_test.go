package checklist_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"opsbot/calendar"
	"opsbot/checklist"
	"opsbot/checklist/checkrun"
	"opsbot/config"
	"opsbot/i18n"
	"opsbot/report"
	"opsbot/store"
)

// Issue 16, item 10: a bot that has never run has missed nothing. Its
// history starts at its first start: no run of that morning is recorded
// as missed, no warning is logged, and no report of a day before it is
// posted.
func TestFirstStartHasMissedNothing(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "first.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	cal, err := calendar.New(cfg.Calendar, cfg.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	lists, err := checklist.NewJob(cfg, st, calendar.WorkingDays{Cal: cal, Tr: i18n.New("en")}, log)
	if err != nil {
		t.Fatal(err)
	}
	reports, err := report.NewJob(cfg, st, log)
	if err != nil {
		t.Fatal(err)
	}
	now := sh(t, "2026-11-24 16:00") // a Tuesday, first start
	ctx := context.Background()
	for _, tick := range []func(context.Context, time.Time) error{lists.Tick, reports.Tick} {
		if err := tick(ctx, now); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := st.RunsBetween(ctx, "2026-11-24", "2026-11-24")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.State == checkrun.Missed {
			t.Errorf("run %s recorded as missed on the first start", r.Key)
		}
	}
	if strings.Contains(logs.String(), "missed") {
		t.Errorf("warnings on the first start:\n%s", logs.String())
	}
	msgs, err := st.OutboxMessages(ctx, cfg.ChannelFor("managers"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if strings.Contains(m.Text, "Daily report") || strings.Contains(m.Text, "Nothing was logged") {
			t.Errorf("a report of a day before the first start was posted: %q", m.Text)
		}
	}
}

// A run missed while the bot was down is logged once, even when two ticks
// race for it (the runner and the console, or two replicas).
func TestMissedRunIsLoggedOnce(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "missed.db")
	var mu sync.Mutex
	var logs bytes.Buffer
	w := &lockedWriter{mu: &mu, w: &logs}
	log := slog.New(slog.NewTextHandler(w, nil))
	cal, err := calendar.New(cfg.Calendar, cfg.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	open := func() (*store.Store, *checklist.Job) {
		st, err := store.Open(ctx, "sqlite:"+path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		l, err := checklist.NewJob(cfg, st, calendar.WorkingDays{Cal: cal, Tr: i18n.New("en")}, log)
		if err != nil {
			t.Fatal(err)
		}
		return st, l
	}
	_, first := open()
	if err := first.Tick(ctx, sh(t, "2026-11-23 07:00")); err != nil {
		t.Fatal(err)
	}
	// Down from 07:00 to 12:00: two tickers on the same database.
	_, a := open()
	_, b := open()
	var wg sync.WaitGroup
	for _, l := range []*checklist.Job{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := l.Tick(ctx, sh(t, "2026-11-23 12:00")); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	for _, key := range []string{"morning-meeting", "shop-checks"} {
		if n := strings.Count(logs.String(), "run="+key+"@"); n != 1 {
			t.Errorf("%s logged %d times, want once:\n%s", key, n, logs.String())
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
