package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"opsbot/checklist/checkrun"
)

// ProcessedEvent remembers a delivery that was handled (a Slack event_id),
// so retries and other replicas do not handle it twice.
type ProcessedEvent struct {
	Key string    `gorm:"primaryKey;size:128"`
	At  time.Time `gorm:"not null;index"`
}

// FirstSeen records key and reports whether this call was the first to do
// so; the database's primary key decides, so it holds across replicas.
//
// Outside a transaction the key joins the group writer's next batch, which
// records all its keys with one statement: each Slack command and
// interaction records its delivery before it runs, and one transaction
// per delivery cost more than the command's own work on PostgreSQL.
func (s *Store) FirstSeen(ctx context.Context, key string, at time.Time) (bool, error) {
	if s.group != nil {
		r := s.group.do(&groupTx{ctx: ctx, seen: &seenKey{key: key, at: at.UTC()}, tmpl: *s})
		if r.err != nil {
			return false, fmt.Errorf("record event %s: %w", key, r.err)
		}
		if r.first {
			s.seenFirst(key)
		}
		return r.first, nil
	}
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&ProcessedEvent{Key: key, At: at.UTC()})
	if res.Error != nil {
		return false, fmt.Errorf("record event %s: %w", key, res.Error)
	}
	if res.RowsAffected != 1 {
		return false, nil
	}
	s.seenFirst(key)
	return true, nil
}

// seenFirst reports what a newly recorded key means, once committed.
func (s *Store) seenFirst(key string) {
	if strings.HasPrefix(key, "campaign:") || strings.HasPrefix(key, "calendar-missing:") {
		// The calendar job's messages are claimed by key here.
		s.afterCommit(func() { s.observer().Scheduled("calendar", checkrun.Posted) })
	}
}

// seenKey is one FirstSeen call waiting for its batch.
type seenKey struct {
	key string
	at  time.Time
}

// writeSeenKeys records keys inside the caller's transaction with one
// statement, and says of each call whether it was the first: a key
// already stored is not, and of calls in the batch with the same key only
// the earliest is.
func writeSeenKeys(tx *gorm.DB, keys []*seenKey) ([]groupResult, error) {
	out := make([]groupResult, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	pg := tx.Dialector.Name() == "postgres"
	args := make([]any, 0, 2*len(keys))
	asked := make(map[string]bool, len(keys))
	for _, k := range keys {
		if asked[k.key] {
			continue
		}
		asked[k.key] = true
		var at any = k.at
		if !pg {
			// As the driver writes a time.Time, so comparisons with the
			// times gorm writes hold.
			at = k.at.Format(sqlite3.SQLiteTimestampFormats[0])
		}
		args = append(args, k.key, at)
	}
	q := `INSERT INTO processed_events (key, at) VALUES ` + placeholders(len(args)/2, 2) + ` ON CONFLICT (key) DO NOTHING RETURNING key`
	rows, err := tx.Statement.ConnPool.QueryContext(context.Background(), rebind(pg, q), args...)
	inserted, err := keyed(rows, err, "record deliveries", func(r *sql.Rows) (k string, _ bool, err error) {
		err = r.Scan(&k)
		return k, true, err
	})
	if err != nil {
		return nil, err
	}
	for i, k := range keys {
		out[i].first = inserted[k.key]
		delete(inserted, k.key) // a later call with the same key is not first
	}
	return out, nil
}

// ForgetEventsBefore drops old delivery keys; Slack retries within minutes.
func (s *Store) ForgetEventsBefore(ctx context.Context, before time.Time) error {
	if err := s.db.WithContext(ctx).Where("at < ?", before.UTC()).Delete(&ProcessedEvent{}).Error; err != nil {
		return fmt.Errorf("forget events: %w", err)
	}
	return nil
}

// deliveryPrefixes are the keys of deliveries from Slack (commands and
// interactions by trigger_id, requests by signature, envelopes, events),
// which only matter within the signature window; other keys (campaign
// reminders…) are kept.
var deliveryPrefixes = []string{"trigger:", "request:", "envelope:", "event:"}

// ForgetDeliveriesBefore drops delivery keys older than before: a replay
// older than the signature window is refused by its timestamp anyway.
func (s *Store) ForgetDeliveriesBefore(ctx context.Context, before time.Time) error {
	q := s.db.WithContext(ctx).Where("at < ?", before.UTC())
	cond := s.db.Where("key LIKE ?", deliveryPrefixes[0]+"%")
	for _, p := range deliveryPrefixes[1:] {
		cond = cond.Or("key LIKE ?", p+"%")
	}
	if err := q.Where(cond).Delete(&ProcessedEvent{}).Error; err != nil {
		return fmt.Errorf("forget deliveries: %w", err)
	}
	return nil
}
