package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"opsbot/tracked/items"
)

// DeleteMetrics removes figures of a day logged by mistake, and records
// each in the audit log with its old value: all or nothing. Keys that
// were not logged are left out of the changes.
func (s *Store) DeleteMetrics(ctx context.Context, actor, shop, day string, keys []string, at time.Time) ([]Change, error) {
	var changes []Change
	at = at.UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		changes = changes[:0]
		old, err := existingMetrics(tx, s.Dialect(), shop, day, keys)
		if err != nil {
			return err
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
	return limited[AuditEntry](db, q.Limit, "audit log")
}

// WithdrawItem takes back an open item flagged by mistake, with the
// reason, and audits it with what it was. items.ErrClosed when it is not
// open any more.
func (s *Store) WithdrawItem(ctx context.Context, id uint64, user, reason string, at time.Time) (items.Item, error) {
	at = at.UTC()
	var it items.Item
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inner := &Store{db: tx}
		var err error
		it, _, err = inner.change(ctx, id, "withdraw", nil,
			map[string]any{
				"status": items.StatusWithdrawn, "open_key": nil, "next_alert_at": nil,
				"resolved_at": at, "resolved_by": user, "resolution": reason, "updated_at": at,
			},
			eventRow{At: at, Actor: user, Kind: items.EventWithdrawn, Note: reason})
		if err != nil {
			return err
		}
		old := fmt.Sprintf("open %s order %s", it.Type, it.OrderID)
		e := AuditEntry{At: at, Actor: user, Action: "item.withdraw", Shop: it.Shop, Subject: fmt.Sprintf("item #%d: %s", id, reason), OldValue: &old}
		return tx.Create(&e).Error
	})
	return it, err
}
