package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"opsbot/checklist/checkrun"

	"gorm.io/gorm/clause"
)

// ProcessedEvent remembers a delivery that was handled (a Slack event_id),
// so retries and other replicas do not handle it twice.
type ProcessedEvent struct {
	Key string    `gorm:"primaryKey;size:128"`
	At  time.Time `gorm:"not null;index"`
}

// FirstSeen records key and reports whether this call was the first to do
// so; the database's primary key decides, so it holds across replicas.
func (s *Store) FirstSeen(ctx context.Context, key string, at time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&ProcessedEvent{Key: key, At: at.UTC()})
	if res.Error != nil {
		return false, fmt.Errorf("record event %s: %w", key, res.Error)
	}
	if res.RowsAffected != 1 {
		return false, nil
	}
	if strings.HasPrefix(key, "campaign:") || strings.HasPrefix(key, "calendar-missing:") {
		// The calendar job's messages are claimed by key here.
		s.afterCommit(func() { s.observer().Scheduled("calendar", checkrun.Posted) })
	}
	return true, nil
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
