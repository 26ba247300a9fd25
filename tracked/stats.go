package tracked

import (
	"context"
	"time"

	"opsbot/store"
)

// Stats are the figures of the 24-hour rule over a period, for reports.
type Stats struct {
	Opened   int64 // flagged in the period
	Resolved int64 // resolved in the period
	Open     int64 // open at its end
	// Breached counts items whose deadline fell in the period (before now)
	// and that were not resolved by it.
	Breached int64
	// Median and P90 are resolution times of the items resolved in the
	// period, from flagging (zero when none were).
	Median, P90 time.Duration
}

// RecordReader is the store's record of tracked items.
type RecordReader interface {
	ItemRecord(ctx context.Context, shop, typ string, from, to, now time.Time) (store.ItemRecord, error)
}

// StatsOf reads the items' record and summarizes it: every type of item
// of the shop over [from, to), as of now.
type StatsOf struct{ St RecordReader }

// Stats summarizes a shop's items over [from, to) as of now.
func (s StatsOf) Stats(ctx context.Context, shop string, from, to, now time.Time) (Stats, error) {
	rec, err := s.St.ItemRecord(ctx, shop, "", from, to, now)
	if err != nil {
		return Stats{}, err
	}
	return Summarize(rec), nil
}

// Summarize turns the record into the report's figures.
func Summarize(rec store.ItemRecord) Stats {
	return Stats{
		Opened: rec.Opened, Open: rec.Open, Breached: rec.Breached,
		Resolved: int64(len(rec.Resolutions)),
		Median:   percentile(rec.Resolutions, 50),
		P90:      percentile(rec.Resolutions, 90),
	}
}

// percentile of times sorted shortest first, by the nearest-rank method:
// a time some item really took.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 × n)
	return sorted[max(rank, 1)-1]
}
