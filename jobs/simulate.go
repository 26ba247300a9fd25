package jobs

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jonboulle/clockwork"
)

// Flusher delivers whatever the outbox holds that is due now.
type Flusher interface {
	Flush(ctx context.Context) (int, error)
}

// Step is something that happens at a moment of a simulation: a command a
// script types, a note to print.
type Step struct {
	At  time.Time
	Run func(ctx context.Context) error
}

// Simulation runs the real jobs on a fake clock from one moment to
// another, jumping straight to each moment when something is due, and
// delivers what they post after every tick.
type Simulation struct {
	Clock    *clockwork.FakeClock
	Runner   *Runner
	Planners []Planner
	Outbox   Flusher
	Steps    []Step
	// Settle is how far the clock moves between flushes, so paced
	// messages to one channel go out one after the other.
	Settle time.Duration
}

// Run simulates [Clock.Now(), to).
func (s *Simulation) Run(ctx context.Context, to time.Time) error {
	steps := slices.Clone(s.Steps)
	slices.SortStableFunc(steps, func(a, b Step) int { return a.At.Compare(b.At) })
	now := s.Clock.Now()
	if err := s.tick(ctx, now); err != nil {
		return err
	}
	for {
		next := time.Time{}
		for _, p := range s.Planners {
			t, ok, err := p.Next(ctx, now)
			if err != nil {
				return fmt.Errorf("plan after %v: %w", now, err)
			}
			if ok && (next.IsZero() || t.Before(next)) {
				next = t
			}
		}
		for len(steps) > 0 && steps[0].At.Before(now) {
			steps = steps[1:] // before the start, or already passed
		}
		if len(steps) > 0 && (next.IsZero() || !steps[0].At.After(next)) {
			next = steps[0].At
		}
		if next.IsZero() || !next.Before(to) {
			return nil
		}
		if d := next.Sub(s.Clock.Now()); d > 0 {
			s.Clock.Advance(d)
		}
		now = next
		// What is scheduled for this minute goes out before a command typed
		// in it, as in real life, where the post at 10:00:00 precedes
		// anything typed during 10:00; then a tick after the commands sends
		// what they set off.
		if err := s.tick(ctx, now); err != nil {
			return err
		}
		ran := false
		for len(steps) > 0 && !steps[0].At.After(now) {
			if err := steps[0].Run(ctx); err != nil {
				return err
			}
			steps = steps[1:]
			ran = true
			if err := s.flush(ctx); err != nil {
				return err
			}
		}
		if ran {
			if err := s.tick(ctx, now); err != nil {
				return err
			}
		}
	}
}

func (s *Simulation) tick(ctx context.Context, now time.Time) error {
	if err := s.Runner.TickAll(ctx, now); err != nil {
		return err
	}
	return s.flush(ctx)
}

// flush delivers until nothing more goes out, moving the clock a little
// between rounds for per-channel pacing; the planners' next moment is
// always whole minutes away, so this never skips one.
func (s *Simulation) flush(ctx context.Context) error {
	settle := s.Settle
	if settle <= 0 {
		settle = time.Millisecond
	}
	for i := 0; i < 1000; i++ {
		n, err := s.Outbox.Flush(ctx)
		if err != nil {
			return fmt.Errorf("deliver: %w", err)
		}
		if n == 0 && i > 0 {
			return nil
		}
		s.Clock.Advance(settle)
	}
	return fmt.Errorf("deliver: the outbox did not drain")
}
