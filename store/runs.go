package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"opsbot/checklist/checkrun"
)

// runRow is the row of a checklist run (checkrun.Run). Its unique key lets
// the database decide that a run happens at most once, across restarts
// and replicas.
type runRow struct {
	ID          uint64     `gorm:"primaryKey"`
	Key         string     `gorm:"size:128;not null;uniqueIndex"`
	Checklist   string     `gorm:"size:64;not null;index:ix_run_checklist_date,priority:1"`
	Date        string     `gorm:"size:10;not null;index:ix_run_checklist_date,priority:2;index"`
	ScheduledAt time.Time  `gorm:"not null"`
	DueAt       time.Time  `gorm:"not null;index:ix_run_nudge,priority:2"`
	State       string     `gorm:"size:16;not null"`
	Channel     string     `gorm:"size:64;not null"`
	Items       int        `gorm:"not null"`
	Note        string     `gorm:"size:200;not null;default:''"`
	NudgedAt    *time.Time `gorm:"index:ix_run_nudge,priority:1"`
	CreatedAt   time.Time  `gorm:"not null"`
}

// TableName keeps the table's name stable.
func (runRow) TableName() string { return "checklist_runs" }

// run and rowOfRun are conversions: runRow has checkrun.Run's fields, in
// its order, with the storage tags added, so the compiler refuses a field
// added to one and not the other.
func (r runRow) run() checkrun.Run { return checkrun.Run(r) }

func rowOfRun(r checkrun.Run) runRow { return runRow(r) }

// checkRow is the row of an item checked off in a run (checkrun.Check).
type checkRow struct {
	RunID  uint64    `gorm:"primaryKey;autoIncrement:false"`
	Idx    int       `gorm:"primaryKey;autoIncrement:false"`
	DoneBy string    `gorm:"size:64;not null"`
	DoneAt time.Time `gorm:"not null"`
	// Late marks an item ticked on a missed run, by the explicit late
	// command: the run was never posted, so no button could tick it.
	Late bool `gorm:"not null;default:false"`
}

// TableName keeps the table's name stable.
func (checkRow) TableName() string { return "run_items" }

// check is a conversion: checkRow has checkrun.Check's fields in its order.
func (c checkRow) check() checkrun.Check { return checkrun.Check(c) }

// Setting is a small named value the bot keeps, such as the time the
// scheduler first started.
type Setting struct {
	Key   string `gorm:"primaryKey;size:64"`
	Value string `gorm:"not null"`
}

// ClaimRun inserts a run unless its key exists; it reports whether this
// call created it (and so must post it).
func (s *Store) ClaimRun(ctx context.Context, r *checkrun.Run) (bool, error) {
	// SQLite compares times as text, so every stored time is UTC.
	r.ScheduledAt, r.DueAt, r.CreatedAt = r.ScheduledAt.UTC(), r.DueAt.UTC(), r.CreatedAt.UTC()
	row := rowOfRun(*r)
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoNothing: true}).Create(&row)
	r.ID = row.ID
	if res.Error != nil {
		return false, fmt.Errorf("claim run %s: %w", r.Key, res.Error)
	}
	if res.RowsAffected != 1 {
		return false, nil
	}
	state := r.State
	s.afterCommit(func() { s.observer().Scheduled("checklist", state) })
	return true, nil
}

// ClaimNudge marks a run's nudge as sent; true only for the one caller that
// did it first.
func (s *Store) ClaimNudge(ctx context.Context, runID uint64, at time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Model(&runRow{}).Where("id = ? AND nudged_at IS NULL", runID).Update("nudged_at", at.UTC())
	if res.Error != nil {
		return false, fmt.Errorf("claim nudge of run %d: %w", runID, res.Error)
	}
	if res.RowsAffected != 1 {
		return false, nil
	}
	s.afterCommit(func() { s.observer().Scheduled("nudge", checkrun.Posted) })
	return true, nil
}

// RunsToNudge lists posted runs whose due time has come and that were not
// nudged yet; the index on (nudged_at, due_at) keeps this cheap however
// many runs there have been.
func (s *Store) RunsToNudge(ctx context.Context, now time.Time) ([]checkrun.Run, error) {
	q := s.db.WithContext(ctx).Where("nudged_at IS NULL AND due_at <= ? AND state IN ?", now.UTC(), []string{checkrun.Posted, checkrun.Late}).
		Order("due_at, id")
	return listed(q, 0, "runs to nudge", runRow.run)
}

// Run finds a run by ID.
func (s *Store) Run(ctx context.Context, id uint64) (checkrun.Run, error) {
	row, err := byID[runRow](s.db.WithContext(ctx), "run", id)
	return row.run(), err
}

// RunsOn lists the runs of a date (YYYY-MM-DD), by time.
func (s *Store) RunsOn(ctx context.Context, date string) ([]checkrun.Run, error) {
	q := s.db.WithContext(ctx).Where("date = ?", date).Order("scheduled_at, checklist")
	return listed(q, 0, "runs on "+date, runRow.run)
}

// RunsBetween lists the runs of dates from..to inclusive, by time.
func (s *Store) RunsBetween(ctx context.Context, from, to string) ([]checkrun.Run, error) {
	q := s.db.WithContext(ctx).Where("date >= ? AND date <= ?", from, to).Order("scheduled_at, checklist")
	return listed(q, 0, "runs from "+from+" to "+to, runRow.run)
}

// SetItem checks an item off (done) or back on; it reports whether that
// changed anything, so a double click does not log twice.
func (s *Store) SetItem(ctx context.Context, runID uint64, idx int, done bool, user string, at time.Time) (bool, error) {
	var res *gorm.DB
	if done {
		res = s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&checkRow{RunID: runID, Idx: idx, DoneBy: user, DoneAt: at.UTC()})
	} else {
		res = s.db.WithContext(ctx).Where("run_id = ? AND idx = ?", runID, idx).Delete(&checkRow{})
	}
	if res.Error != nil {
		return false, fmt.Errorf("set item %d of run %d: %w", idx, runID, res.Error)
	}
	if res.RowsAffected == 1 {
		state := "done"
		if !done {
			state = "open"
		}
		e := AuditEntry{At: at.UTC(), Actor: user, Action: "checklist.item", Subject: fmt.Sprintf("run %d item %d", runID, idx+1), NewValue: &state}
		if err := s.db.WithContext(ctx).Create(&e).Error; err != nil {
			return false, fmt.Errorf("audit item: %w", err)
		}
	}
	return res.RowsAffected == 1, nil
}

// SetItemLate records an item of a missed run as done late; false when it
// was recorded already.
func (s *Store) SetItemLate(ctx context.Context, runID uint64, idx int, user string, at time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&checkRow{RunID: runID, Idx: idx, DoneBy: user, DoneAt: at.UTC(), Late: true})
	if res.Error != nil {
		return false, fmt.Errorf("set item %d of run %d late: %w", idx, runID, res.Error)
	}
	if res.RowsAffected == 1 {
		state := "done late"
		e := AuditEntry{At: at.UTC(), Actor: user, Action: "checklist.item", Subject: fmt.Sprintf("run %d item %d", runID, idx+1), NewValue: &state}
		if err := s.db.WithContext(ctx).Create(&e).Error; err != nil {
			return false, fmt.Errorf("audit item: %w", err)
		}
	}
	return res.RowsAffected == 1, nil
}

// Items lists the checked items of runs, by run.
func (s *Store) Items(ctx context.Context, runIDs ...uint64) (map[uint64][]checkrun.Check, error) {
	out := map[uint64][]checkrun.Check{}
	if len(runIDs) == 0 {
		return out, nil
	}
	var rows []checkRow
	if err := s.db.WithContext(ctx).Where("run_id IN ?", runIDs).Order("run_id, idx").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read run items: %w", err)
	}
	for _, c := range rows {
		out[c.RunID] = append(out[c.RunID], c.check())
	}
	return out, nil
}

// SettingOnce returns a setting, storing value first if it had none; the
// first writer wins, on every replica.
func (s *Store) SettingOnce(ctx context.Context, key, value string) (string, error) {
	db := s.db.WithContext(ctx)
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&Setting{Key: key, Value: value}).Error; err != nil {
		return "", fmt.Errorf("write setting %s: %w", key, err)
	}
	var st Setting
	if err := db.First(&st, "key = ?", key).Error; err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return st.Value, nil
}

// ErrNotFound is returned when a row asked for does not exist.
var ErrNotFound = errors.New("not found")

// RunKeysFrom returns the keys of runs from a date on, so a tick claims
// only the slots it has not seen.
func (s *Store) RunKeysFrom(ctx context.Context, date string) (map[string]bool, error) {
	var keys []string
	if err := s.db.WithContext(ctx).Model(&runRow{}).Where("date >= ?", date).Pluck("key", &keys).Error; err != nil {
		return nil, fmt.Errorf("run keys from %s: %w", date, err)
	}
	out := make(map[string]bool, len(keys))
	for _, k := range keys {
		out[k] = true
	}
	return out, nil
}

// NextNudge is the earliest due time after t of a posted run not yet
// nudged.
func (s *Store) NextNudge(ctx context.Context, after time.Time) (time.Time, bool, error) {
	var rows []runRow
	err := s.db.WithContext(ctx).Select("due_at").Where("nudged_at IS NULL AND due_at > ? AND state IN ?", after.UTC(), []string{checkrun.Posted, checkrun.Late}).
		Order("due_at").Limit(1).Find(&rows).Error
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next nudge: %w", err)
	}
	if len(rows) == 0 {
		return time.Time{}, false, nil
	}
	return rows[0].DueAt, true, nil
}
