package jobs

import (
	"context"
	"fmt"
	"time"

	"opsbot/civil"
	"opsbot/store"
)

// Epoch is the moment the scheduler first ran (to the minute),
// shared by every job: work due before it was never the bot's to do, so
// it is neither caught up nor called missed. A bot started for the first
// time at 16:00 has missed nothing of that morning. The first replica to
// start writes it; the database keeps the first value (databases from
// before this kept the start of that day, which stays valid).
func Epoch(ctx context.Context, st *store.Store, now time.Time) (time.Time, error) {
	first := now.Truncate(time.Minute)
	text, err := st.SettingOnce(ctx, "scheduler.epoch", first.UTC().Format(time.RFC3339))
	if err != nil {
		return time.Time{}, err
	}
	at, err := time.Parse(time.RFC3339, text)
	if err != nil {
		return time.Time{}, fmt.Errorf("scheduler epoch %q: %w", text, err)
	}
	return at, nil
}

// DayStart is the start of t's day in loc.
func DayStart(t time.Time, loc *time.Location) time.Time {
	return civil.Of(t, loc).At(loc, 0, 0)
}
