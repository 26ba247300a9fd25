// Package jobs runs the bot's scheduled work: each feature hands it a Job,
// ticked by a gocron scheduler on an injected clock; the database decides
// what has been done, so a tick may repeat, a restart may catch up, and
// several replicas may tick at once, and each run still happens exactly
// once. It also holds the scheduler epoch every job shares, and the
// simulation driver behind `opsbot simulate`.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"
)

// LateGrace is how long after its time a run still counts as on time: a
// tick may come a little after the minute.
const LateGrace = 2 * time.Minute

// Job is scheduled work that does, at each tick, whatever has come due.
// Ticks may repeat or come late: a job decides what is due from the time
// it is given and what the database says was done.
type Job interface {
	Name() string
	Tick(ctx context.Context, now time.Time) error
}

// Runner ticks jobs at the start of every minute with gocron, on the
// injected clock, and once at start to catch up on what passed while the
// bot was down.
type Runner struct {
	jobs  []Job
	clock clockwork.Clock
	loc   *time.Location
	log   *slog.Logger
	sched gocron.Scheduler
}

// NewRunner builds a runner; Start starts it.
func NewRunner(clock clockwork.Clock, loc *time.Location, log *slog.Logger, jobs ...Job) *Runner {
	return &Runner{jobs: jobs, clock: clock, loc: loc, log: log}
}

// Start schedules the ticks. Each job ticks in singleton mode: a slow tick
// is never overlapped by the next one.
func (r *Runner) Start(ctx context.Context) error {
	s, err := gocron.NewScheduler(gocron.WithClock(r.clock), gocron.WithLocation(r.loc))
	if err != nil {
		return fmt.Errorf("create scheduler: %w", err)
	}
	for _, j := range r.jobs {
		_, err := s.NewJob(
			gocron.CronJob("* * * * *", false),
			gocron.NewTask(func() { r.tick(ctx, j) }),
			gocron.WithName(j.Name()),
			gocron.WithSingletonMode(gocron.LimitModeReschedule),
			gocron.WithStartAt(gocron.WithStartImmediately()),
		)
		if err != nil {
			return fmt.Errorf("schedule %s: %w", j.Name(), err)
		}
	}
	s.Start()
	r.sched = s
	return nil
}

func (r *Runner) tick(ctx context.Context, j Job) {
	if ctx.Err() != nil {
		return
	}
	if err := j.Tick(ctx, r.clock.Now()); err != nil && !errors.Is(err, context.Canceled) {
		r.log.Error("job tick failed", "job", j.Name(), "err", err)
	}
}

// TickAll runs every job once at now (for simulate and tests).
func (r *Runner) TickAll(ctx context.Context, now time.Time) error {
	var errs []error
	for _, j := range r.jobs {
		if err := j.Tick(ctx, now); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", j.Name(), err))
		}
	}
	return errors.Join(errs...)
}

// Stop waits for running ticks and stops the scheduler.
func (r *Runner) Stop() error {
	if r.sched == nil {
		return nil
	}
	if err := r.sched.Shutdown(); err != nil {
		return fmt.Errorf("stop scheduler: %w", err)
	}
	return nil
}

// Planner is a job that can say when it next has something to do, so a
// simulation jumps from one such moment to the next instead of ticking
// every minute.
type Planner interface {
	Next(ctx context.Context, after time.Time) (time.Time, bool, error)
}
