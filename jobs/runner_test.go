package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
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

func TestThrottle(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	th := jobs.Throttle{Every: time.Hour}
	var ran []time.Duration
	fail := true
	for _, at := range []time.Duration{0, 30 * time.Minute, 59 * time.Minute, time.Hour, 90 * time.Minute, 2 * time.Hour, 2*time.Hour + time.Minute} {
		err := th.Do(t0.Add(at), func() error {
			ran = append(ran, at)
			if at == 2*time.Hour && fail {
				fail = false
				return errors.New("database is locked")
			}
			return nil
		})
		if (err != nil) != (at == 2*time.Hour) {
			t.Errorf("at +%v: err = %v", at, err)
		}
	}
	// A failed run is tried again at the next tick.
	want := []time.Duration{0, time.Hour, 2 * time.Hour, 2*time.Hour + time.Minute}
	if !slices.Equal(ran, want) {
		t.Errorf("ran at %v, want %v", ran, want)
	}
}

func TestThrottleSweep(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	th := jobs.Throttle{Every: time.Hour}
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	var cutoffs []time.Time
	del := func(_ context.Context, cutoff time.Time) (int64, error) {
		cutoffs = append(cutoffs, cutoff)
		return int64(len(cutoffs) - 1), nil // nothing the first time, then 1
	}
	for _, at := range []time.Duration{0, 30 * time.Minute, time.Hour} {
		if err := th.Sweep(context.Background(), t0.Add(at), 24*time.Hour, log, "expired previews", del); err != nil {
			t.Fatal(err)
		}
	}
	want := []time.Time{t0.Add(-24 * time.Hour), t0.Add(-23 * time.Hour)}
	if !slices.Equal(cutoffs, want) {
		t.Errorf("cutoffs %v, want %v", cutoffs, want)
	}
	if got := strings.Count(logs.String(), `msg="deleted expired previews" count=1`); got != 1 {
		t.Errorf("want one log line of the one deletion:\n%s", logs.String())
	}
}
