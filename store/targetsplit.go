package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MonthTotal is a metric over one month: its sum and the days logged.
type MonthTotal struct {
	Sum  int64
	Days int
}

// MonthlyTotals sums a metric by month (YYYY-MM) over a range of days.
func (s *Store) MonthlyTotals(ctx context.Context, shop, key, from, to string) (map[string]MonthTotal, error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT substr(day, 1, 7) AS month, SUM(value), COUNT(*) FROM metric_values
		WHERE shop = ? AND key = ? AND day >= ? AND day <= ? GROUP BY substr(day, 1, 7)`, shop, key, from, to).Rows()
	return keyed(rows, err, fmt.Sprintf("monthly totals of %s %s", shop, key), func(r *sql.Rows) (month string, t MonthTotal, err error) {
		err = r.Scan(&month, &t.Sum, &t.Days)
		return month, t, err
	})
}

// YearTargets returns a metric's monthly targets of a year by month, with
// whether each was set by hand.
func (s *Store) YearTargets(ctx context.Context, shop, key string, year int) (map[string]Target, error) {
	var rows []Target
	y := strconv.Itoa(year)
	if err := s.db.WithContext(ctx).Where("shop = ? AND key = ? AND month >= ? AND month <= ?", shop, key, y+"-01", y+"-12").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read targets of %s %s for %d: %w", shop, key, year, err)
	}
	out := make(map[string]Target, len(rows))
	for _, r := range rows {
		out[r.Month] = r
	}
	return out, nil
}

// ErrTargetsMoved means a monthly target was set by hand after the split
// was previewed; the split would no longer add up, so it is not applied.
var ErrTargetsMoved = errors.New("monthly targets changed since the preview")

// ApplyTargetSplit writes a previewed annual split as monthly targets, all
// or none: it claims the preview, checks that the hand-set months are still
// those the preview kept (hand), writes the other months marked as from the
// split, and audits the whole split as one entry.
func (s *Store) ApplyTargetSplit(ctx context.Context, id uint64, actor, shop, key string, year int, months, hand map[string]int64, at time.Time) error {
	at = at.UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := claimPending(tx, id, actor, at); err != nil {
			return err
		}
		var existing []Target
		y := strconv.Itoa(year)
		if err := s.forUpdate(tx).Where("shop = ? AND key = ? AND month >= ? AND month <= ?", shop, key, y+"-01", y+"-12").Find(&existing).Error; err != nil {
			return err
		}
		now := map[string]int64{}
		for _, t := range existing {
			if t.Source != TargetFromSplit {
				now[t.Month] = t.Value
			}
		}
		if len(now) != len(hand) {
			return ErrTargetsMoved
		}
		for m, v := range hand {
			if w, ok := now[m]; !ok || w != v {
				return ErrTargetsMoved
			}
		}
		keys := make([]string, 0, len(months))
		for m := range months {
			keys = append(keys, m)
		}
		sort.Strings(keys)
		rows := make([]Target, 0, len(keys))
		lines := make([]string, 0, len(keys))
		for _, m := range keys {
			rows = append(rows, Target{Shop: shop, Month: m, Key: key, Value: months[m], UpdatedBy: actor, UpdatedAt: at, Source: TargetFromSplit})
			lines = append(lines, fmt.Sprintf("%s %s %d", m, key, months[m]))
		}
		if len(rows) > 0 {
			if err := upsertTargets(tx, rows); err != nil {
				return err
			}
		}
		entry := AuditEntry{At: at, Actor: actor, Action: "target.split", Shop: shop,
			Subject: fmt.Sprintf("split %d %d %s", id, year, key), NewValue: ptr(strings.Join(lines, "\n"))}
		return tx.Create(&entry).Error
	})
	if err != nil {
		return fmt.Errorf("apply target split %d: %w", id, err)
	}
	return nil
}
