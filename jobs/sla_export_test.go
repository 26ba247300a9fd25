package jobs

import (
	"runtime"
	"time"
)

// SettleForTest waits until gocron is done with a run whose job returned
// at `returned` (real time, taken by the job as it returned), so a test on
// a fake clock can advance the clock safely: a run that gocron still
// counts as running makes it skip the next minute (singleton mode).
// Tests also tick off the minute (hh:mm:30): gocron plans the next run
// from the current time, and exactly on hh:mm:00 it may plan the minute
// that just ran once more.
func (r *Runner) SettleForTest(returned time.Time) {
	if r.sched == nil {
		return
	}
	for _, j := range r.sched.Jobs() {
		for {
			done, err := j.LastRunCompletedAt()
			if err != nil || !done.Before(returned) {
				break
			}
			time.Sleep(10 * time.Microsecond)
		}
	}
	// The run frees its singleton slot just after it reports completion.
	for range 5 {
		runtime.Gosched()
	}
	time.Sleep(20 * time.Microsecond)
}
