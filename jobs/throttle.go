package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Throttle runs work at most once per interval of scheduler time, however
// often a job is ticked: for upkeep (deleting what expired) that need not
// run at every tick. It is per process; the work must be safe to repeat,
// since replicas each keep their own.
type Throttle struct {
	Every time.Duration

	mu   sync.Mutex
	next time.Time // zero: at the first tick
}

// Do runs fn unless it ran less than Every before now. A failed run is
// tried again at the next tick.
func (t *Throttle) Do(now time.Time, fn func() error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if now.Before(t.next) {
		return nil
	}
	if err := fn(); err != nil {
		return err
	}
	t.next = now.Add(t.Every)
	return nil
}

// Sweep deletes what is older than age, through del, at most once per
// interval, and logs how much went: "deleted " + what.
func (t *Throttle) Sweep(ctx context.Context, now time.Time, age time.Duration, log *slog.Logger, what string,
	del func(ctx context.Context, cutoff time.Time) (int64, error)) error {
	return t.Do(now, func() error {
		n, err := del(ctx, now.Add(-age))
		if n > 0 {
			log.Info("deleted "+what, "count", n, "older_than", age)
		}
		return err
	})
}
