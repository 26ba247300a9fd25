package metric

import (
	"context"
	"log/slog"
	"time"

	"opsbot/jobs"
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
	st    ImportSweepStore
	log   *slog.Logger
	sweep jobs.Throttle
}

// NewImportJob builds the job.
func NewImportJob(st ImportSweepStore, log *slog.Logger) *ImportJob {
	return &ImportJob{st: st, log: log, sweep: jobs.Throttle{Every: sweepEvery}}
}

// Name of the job.
func (j *ImportJob) Name() string { return "metric-imports" }

// Tick deletes what expired, at most once an hour.
func (j *ImportJob) Tick(ctx context.Context, now time.Time) error {
	return j.sweep.Sweep(ctx, now, ImportExpiry, j.log, "expired import previews", j.st.DeleteStaleImports)
}
