package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// DeleteMetrics removes figures of a day logged by mistake, and records
// each in the audit log with its old value: all or nothing. Keys that
// were not logged are left out of the changes.
func (s *Store) DeleteMetrics(ctx context.Context, actor, shop, day string, keys []string, at time.Time) ([]Change, error) {
	var changes []Change
	at = at.UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		changes = changes[:0]
		var rows []MetricValue
		if err := s.forUpdate(tx).Where("shop = ? AND day = ? AND key IN ?", shop, day, keys).Find(&rows).Error; err != nil {
			return fmt.Errorf("read metrics: %w", err)
		}
		old := make(map[string]int64, len(rows))
		for _, r := range rows {
			old[r.Key] = r.Value
		}
		for _, k := range keys {
			v, ok := old[k]
			if !ok {
				continue
			}
			if err := tx.Where("shop = ? AND day = ? AND key = ?", shop, day, k).Delete(&MetricValue{}).Error; err != nil {
				return fmt.Errorf("delete %s: %w", k, err)
			}
			e := AuditEntry{At: at, Actor: actor, Action: "metric.delete", Shop: shop, Subject: day + " " + k, OldValue: ptr(strconv.FormatInt(v, 10))}
			if err := tx.Create(&e).Error; err != nil {
				return fmt.Errorf("write audit: %w", err)
			}
			changes = append(changes, Change{Key: k, Old: v, HadOld: true})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("delete metrics of %s on %s: %w", shop, day, err)
	}
	return changes, nil
}

// AuditQuery selects audit entries for a reader: by shop, by who, and by
// time (From inclusive, To exclusive); zero fields match everything.
type AuditQuery struct {
	Shop, Actor string
	From, To    time.Time
	Limit       int
}

// AuditLog lists audit entries, newest first.
func (s *Store) AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	db := s.db.WithContext(ctx).Order("id DESC")
	if q.Shop != "" {
		db = db.Where("shop = ?", q.Shop)
	}
	if q.Actor != "" {
		db = db.Where("actor = ?", q.Actor)
	}
	if !q.From.IsZero() {
		db = db.Where("at >= ?", q.From.UTC())
	}
	if !q.To.IsZero() {
		db = db.Where("at < ?", q.To.UTC())
	}
	if q.Limit > 0 {
		db = db.Limit(q.Limit)
	}
	var out []AuditEntry
	if err := db.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, nil
}
