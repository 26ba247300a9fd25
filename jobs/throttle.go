package jobs

import (
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
