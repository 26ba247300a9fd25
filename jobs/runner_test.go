package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/jobs"
)

type tickSignal chan time.Time

func (tickSignal) Name() string { return "signal" }
func (s tickSignal) Tick(_ context.Context, now time.Time) error {
	s <- now
	return nil
}

// TestGocronFiresOnTheFakeClock is the one smoke test of gocron itself:
// the runner's scheduler ticks a job at start, and again when the fake
// clock passes a minute, handing it the fake clock's time. It waits for
// the job's own signal; other scheduler tests tick with TickAll.
func TestGocronFiresOnTheFakeClock(t *testing.T) {
	start := sh(t, "2026-11-23 08:18").Add(30 * time.Second)
	clock := clockwork.NewFakeClockAt(start)
	ticks := make(tickSignal, 64)
	r := jobs.NewRunner(clock, start.Location(), quiet, ticks)
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	// A failure bound only: a working scheduler answers at once.
	giveUp := time.After(time.Minute)
	select {
	case now := <-ticks:
		if !now.Equal(start) {
			t.Fatalf("start-up tick at %s, want %s", now, start)
		}
	case <-giveUp:
		t.Fatal("gocron did not tick at start")
	}
	// gocron sets its next timer on the fake clock some time after the
	// first tick returns; moving the clock before that only delays the
	// tick to a later minute, so move it a minute at a time until the job
	// signals.
	for {
		clock.Advance(time.Minute)
		select {
		case now := <-ticks:
			if !now.After(start) || now.Sub(start) > 10*time.Minute {
				t.Fatalf("cron tick at %s: want one soon after %s", now, start)
			}
			return
		case <-time.After(20 * time.Millisecond):
		case <-giveUp:
			t.Fatal("gocron never ticked on the fake clock")
		}
	}
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func sh(t *testing.T, s string) time.Time {
	t.Helper()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	at, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return at
}
