package metric

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// ImportSweepStore is the storage the import job needs.
type ImportSweepStore interface {
	DeleteStaleImports(ctx context.Context, cutoff time.Time) (int64, error)
}

// sweepEvery is how often the import job looks for stale previews: an
// expired one is refused when confirmed anyway, so within the hour is
// soon enough, and the ticks in between cost nothing.
const sweepEvery = time.Hour

// ImportJob deletes import previews (files and annual target splits)
// that can no longer be confirmed, ImportExpiry after they were made,
// with the cancelled ones and stale upload requests: a preview holds
// every value of its file. Replicas may sweep at once; a row is deleted
// once either way.
type ImportJob struct {
	st  ImportSweepStore
	log *slog.Logger

	mu   sync.Mutex
	next time.Time // when to sweep next; zero: at the first tick
}

// NewImportJob builds the job.
func NewImportJob(st ImportSweepStore, log *slog.Logger) *ImportJob {
	return &ImportJob{st: st, log: log}
}

// Name of the job.
func (j *ImportJob) Name() string { return "metric-imports" }

// Tick deletes what expired, at most once an hour.
func (j *ImportJob) Tick(ctx context.Context, now time.Time) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if now.Before(j.next) {
		return nil
	}
	n, err := j.st.DeleteStaleImports(ctx, now.Add(-ImportExpiry))
	if err != nil {
		return err
	}
	j.next = now.Add(sweepEvery)
	if n > 0 {
		j.log.Info("deleted expired import previews", "count", n, "older_than", ImportExpiry)
	}
	return nil
}
