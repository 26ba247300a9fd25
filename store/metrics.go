package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MetricValue is one logged figure of one shop on one day. Day is the
// team-zone date as YYYY-MM-DD, so ranges sort and compare as text on every
// database.
type MetricValue struct {
	ID        uint64    `gorm:"primaryKey"`
	Shop      string    `gorm:"size:32;not null;uniqueIndex:ux_metric_shop_day_key,priority:1"`
	Day       string    `gorm:"size:10;not null;uniqueIndex:ux_metric_shop_day_key,priority:2"`
	Key       string    `gorm:"size:32;not null;uniqueIndex:ux_metric_shop_day_key,priority:3"`
	Value     int64     `gorm:"not null"`
	UpdatedBy string    `gorm:"size:64;not null"`
	UpdatedAt time.Time `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
}

// Target is a shop's goal for a metric over a month (YYYY-MM).
type Target struct {
	ID        uint64    `gorm:"primaryKey"`
	Shop      string    `gorm:"size:32;not null;uniqueIndex:ux_target_shop_month_key,priority:1"`
	Month     string    `gorm:"size:7;not null;uniqueIndex:ux_target_shop_month_key,priority:2"`
	Key       string    `gorm:"size:32;not null;uniqueIndex:ux_target_shop_month_key,priority:3"`
	Value     int64     `gorm:"not null"`
	UpdatedBy string    `gorm:"size:64;not null"`
	UpdatedAt time.Time `gorm:"not null"`
	// Source is "" for a target set by hand, TargetFromSplit for one that
	// an annual split set; a split never overwrites a hand-set month.
	Source string `gorm:"size:16;not null;default:''"`
}

// TargetFromSplit marks a monthly target set by an annual split.
const TargetFromSplit = "split"

// Change is what one write replaced: the old value, when there was one.
type Change struct {
	Key    string
	Old    int64
	HadOld bool
	New    int64
}

// SetMetrics stores several figures of a day at once, replacing earlier
// ones, and records each change in the audit log: all or nothing.
func (s *Store) SetMetrics(ctx context.Context, actor, shop, day string, values map[string]int64, keys []string, at time.Time) ([]Change, error) {
	var changes []Change
	at = at.UTC() // SQLite compares times as text: keep one zone
	// Plain SQL rather than gorm's Create: building the statements from
	// the structs by reflection cost more than SQLite's own work, on the
	// path of every logged figure.
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := existingMetrics(tx, s.Dialect(), shop, day, keys)
		if err != nil {
			return err
		}
		changes = changes[:0]
		rows := make([]any, 0, rowCols*len(keys))
		audit := make([]any, 0, rowCols*len(keys))
		for _, k := range keys {
			c := Change{Key: k, New: values[k]}
			c.Old, c.HadOld = old[k]
			changes = append(changes, c)
			rows = append(rows, shop, day, k, c.New, actor, at, at)
			e := auditOf(c, at, actor, "metric.set", shop, day+" "+k)
			audit = append(audit, e.At, e.Actor, e.Action, e.Shop, e.Subject, e.OldValue, e.NewValue)
		}
		err = tx.Exec(insertMetricsSQL+placeholders(len(keys), rowCols)+upsertMetricsSQL, rows...).Error
		if err != nil {
			return fmt.Errorf("write metrics: %w", err)
		}
		err = tx.Exec(insertAuditSQL+placeholders(len(keys), rowCols), audit...).Error
		if err != nil {
			return fmt.Errorf("write audit: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("set metrics of %s on %s: %w", shop, day, err)
	}
	return changes, nil
}

// forUpdate locks the rows read on databases that can; SQLite needs no row
// locks since an immediate transaction already holds the write lock.
func (s *Store) forUpdate(tx *gorm.DB) *gorm.DB {
	if s.Dialect() == "postgres" {
		return tx.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return tx
}

// DayMetrics returns a shop's figures of one day by key.
func (s *Store) DayMetrics(ctx context.Context, shop, day string) (map[string]int64, error) {
	days, err := s.RangeMetrics(ctx, shop, day, day)
	if err != nil {
		return nil, err
	}
	if d, ok := days[day]; ok {
		return d, nil
	}
	return map[string]int64{}, nil
}

// RangeMetrics returns a shop's figures from one day to another, inclusive,
// by day and key. It reads only the rows of that range (the unique index
// leads with shop and day).
func (s *Store) RangeMetrics(ctx context.Context, shop, from, to string) (map[string]map[string]int64, error) {
	out := make(map[string]map[string]int64)
	rows, err := s.db.WithContext(ctx).Raw(`SELECT day, key, value FROM metric_values WHERE shop = ? AND day >= ? AND day <= ?`, shop, from, to).Rows()
	err = eachRow(rows, err, fmt.Sprintf("read metrics of %s from %s to %s", shop, from, to), func(r *sql.Rows) error {
		var day, key string
		var v int64
		if err := r.Scan(&day, &key, &v); err != nil {
			return err
		}
		d := out[day]
		if d == nil {
			d = make(map[string]int64)
			out[day] = d
		}
		d[key] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// existingMetrics reads the stored values of some keys of a day, locked.
func existingMetrics(tx *gorm.DB, dialect, shop, day string, keys []string) (map[string]int64, error) {
	return lockedValues(tx, dialect, "metric_values", "day", shop, day, keys)
}

// lockedValues reads the stored values of some keys that a shop has for
// one day or month (table metric_values by day, targets by month),
// locking the rows where the database can (an immediate SQLite
// transaction holds the write lock already). Plain SQL: it is on the path
// of every logged figure.
func lockedValues(tx *gorm.DB, dialect, table, period, shop, when string, keys []string) (map[string]int64, error) {
	q := `SELECT key, value FROM ` + table + ` WHERE shop = ? AND ` + period + ` = ? AND key IN ?`
	if dialect == "postgres" {
		q += ` FOR UPDATE`
	}
	rows, err := tx.Raw(q, shop, when, keys).Rows()
	return keyValues(rows, err, "read "+table)
}

// placeholders is the VALUES list of a multi-row insert: n rows of cols
// parameters each.
func placeholders(n, cols int) string {
	row := "(" + strings.Repeat("?, ", cols-1) + "?)"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// SetTargets stores a shop's monthly targets for several metrics at once,
// replacing earlier ones, with an audit entry each: all or nothing.
func (s *Store) SetTargets(ctx context.Context, actor, shop, month string, values map[string]int64, keys []string, at time.Time) ([]Change, error) {
	var changes []Change
	at = at.UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := lockedValues(tx, s.Dialect(), "targets", "month", shop, month, keys)
		if err != nil {
			return err
		}
		changes = changes[:0]
		rows := make([]Target, 0, len(keys))
		audit := make([]AuditEntry, 0, len(keys))
		for _, k := range keys {
			c := Change{Key: k, New: values[k]}
			c.Old, c.HadOld = old[k]
			changes = append(changes, c)
			rows = append(rows, Target{Shop: shop, Month: month, Key: k, Value: c.New, UpdatedBy: actor, UpdatedAt: at})
			audit = append(audit, auditOf(c, at, actor, "target.set", shop, month+" "+k))
		}
		if err := upsertTargets(tx, rows); err != nil {
			return err
		}
		if err := tx.Create(&audit).Error; err != nil {
			return fmt.Errorf("write audit: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("set targets of %s for %s: %w", shop, month, err)
	}
	return changes, nil
}

// auditOf records a change of a stored number.
func auditOf(c Change, at time.Time, actor, action, shop, subject string) AuditEntry {
	e := AuditEntry{At: at, Actor: actor, Action: action, Shop: shop, Subject: subject, NewValue: ptr(strconv.FormatInt(c.New, 10))}
	if c.HadOld {
		e.OldValue = ptr(strconv.FormatInt(c.Old, 10))
	}
	return e
}

// Targets returns a shop's targets of a month by key.
func (s *Store) Targets(ctx context.Context, shop, month string) (map[string]int64, error) {
	var rows []Target
	if err := s.db.WithContext(ctx).Where("shop = ? AND month = ?", shop, month).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read targets of %s for %s: %w", shop, month, err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Key] = r.Value
	}
	return out, nil
}

func ptr[T any](v T) *T { return &v }

// upsertTargets writes monthly targets, replacing any set before for the
// same shop, month and key.
func upsertTargets(tx *gorm.DB, rows []Target) error {
	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "shop"}, {Name: "month"}, {Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_by", "updated_at", "source"}),
	}).Create(&rows).Error
	if err != nil {
		return fmt.Errorf("write targets: %w", err)
	}
	return nil
}
