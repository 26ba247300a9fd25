package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"opsbot/checklist/checkrun"
)

// ReportPost records that a scheduled report (kind, shop, period) was
// queued for posting. Its own table rather than processed_events, whose
// old keys may be forgotten: a forgotten report key would post the report
// again.
type ReportPost struct {
	Key        string    `gorm:"primaryKey;size:128"`
	Kind       string    `gorm:"size:16;not null"`
	Shop       string    `gorm:"size:32;not null"`
	PeriodFrom string    `gorm:"size:10;not null"` // the period's first day
	PostedAt   time.Time `gorm:"not null"`
}

// ClaimReport records a report as posted; true only for the one caller
// that did it first, on every replica. Call it in the transaction that
// enqueues the report, so the claim and the messages commit together.
func (s *Store) ClaimReport(ctx context.Context, p ReportPost) (bool, error) {
	p.PostedAt = p.PostedAt.UTC()
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&p)
	if res.Error != nil {
		return false, fmt.Errorf("claim report %s: %w", p.Key, res.Error)
	}
	if res.RowsAffected != 1 {
		return false, nil
	}
	s.afterCommit(func() { s.observer().Scheduled("report", checkrun.Posted) })
	return true, nil
}

// SkipReport records a scheduled report as settled without posting it
// (its period is from before the bot's first start and has nothing
// logged); like ClaimReport it is true only for the first caller, but it
// is not counted as a posted report.
func (s *Store) SkipReport(ctx context.Context, p ReportPost) (bool, error) {
	p.PostedAt = p.PostedAt.UTC()
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&p)
	if res.Error != nil {
		return false, fmt.Errorf("skip report %s: %w", p.Key, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// PostedReports says which of the keys were already claimed, so a tick
// builds only the reports still to post.
func (s *Store) PostedReports(ctx context.Context, keys []string) (map[string]bool, error) {
	out := make(map[string]bool, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	var found []string
	if err := s.db.WithContext(ctx).Model(&ReportPost{}).Where("key IN ?", keys).Pluck("key", &found).Error; err != nil {
		return nil, fmt.Errorf("read posted reports: %w", err)
	}
	for _, k := range found {
		out[k] = true
	}
	return out, nil
}

// RunActivity is a checklist run with the items checked off in it.
type RunActivity struct {
	Run   checkrun.Run
	Items []checkrun.Check
}

// ChecklistActivity lists the runs of dates from..to (inclusive) with
// their checked items: two queries, each reading only the period's rows
// (runs by their date index, items by their run's primary key).
func (s *Store) ChecklistActivity(ctx context.Context, from, to string) ([]RunActivity, error) {
	runs, err := s.RunsBetween(ctx, from, to)
	if err != nil || len(runs) == 0 {
		return nil, err
	}
	db := s.db.WithContext(ctx)
	var items []checkRow
	ids := db.Model(&runRow{}).Select("id").Where("date >= ? AND date <= ?", from, to)
	if err := db.Where("run_id IN (?)", ids).Order("run_id, idx").Find(&items).Error; err != nil {
		return nil, fmt.Errorf("checklist items from %s to %s: %w", from, to, err)
	}
	byRun := make(map[uint64][]checkrun.Check, len(runs))
	for _, it := range items {
		byRun[it.RunID] = append(byRun[it.RunID], it.check())
	}
	out := make([]RunActivity, len(runs))
	for i, r := range runs {
		out[i] = RunActivity{Run: r, Items: byRun[r.ID]}
	}
	return out, nil
}
