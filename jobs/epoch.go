package jobs

import (
	"context"
	"fmt"
	"time"

	"opsbot/civil"
	"opsbot/store"
)

// Epoch is the start of the day the scheduler first ran, in the team's
// zone, shared by every job: work due before it was never the bot's to
// do, so it is neither caught up nor called missed. The first replica to
// start writes it; the database keeps the first value.
func Epoch(ctx context.Context, st *store.Store, now time.Time, loc *time.Location) (time.Time, error) {
	firstDay := civil.Of(now, loc).At(loc, 0, 0)
	text, err := st.SettingOnce(ctx, "scheduler.epoch", firstDay.UTC().Format(time.RFC3339))
	if err != nil {
		return time.Time{}, err
	}
	at, err := time.Parse(time.RFC3339, text)
	if err != nil {
		return time.Time{}, fmt.Errorf("scheduler epoch %q: %w", text, err)
	}
	return at, nil
}
