package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Run states.
const (
	RunPosted = "posted" // posted at its time
	RunLate   = "late"   // posted after its time (the bot was down), before it was due
	RunMissed = "missed" // its due time passed while the bot was down; not posted
)

// ChecklistRun is one scheduled run of a checklist. Key (checklist, date,
// wall-clock time) is unique: the database decides that a run happens at
// most once, across restarts and replicas.
type ChecklistRun struct {
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

// Ref is the outbox reference of the run's message, for in-place updates.
func (r ChecklistRun) Ref() string { return fmt.Sprintf("run:%d", r.ID) }

// RunItem records that an item of a run was checked off.
type RunItem struct {
	RunID  uint64    `gorm:"primaryKey;autoIncrement:false"`
	Idx    int       `gorm:"primaryKey;autoIncrement:false"`
	DoneBy string    `gorm:"size:64;not null"`
	DoneAt time.Time `gorm:"not null"`
	// Late marks an item ticked on a missed run, by the explicit late
	// command: the run was never posted, so no button could tick it.
	Late bool `gorm:"not null;default:false"`
}

// Setting is a small named value the bot keeps, such as the time the
// scheduler first started.
type Setting struct {
	Key   string `gorm:"primaryKey;size:64"`
	Value string `gorm:"not null"`
}

// ClaimRun inserts a run unless its key exists; it reports whether this
// call created it (and so must post it).
func (s *Store) ClaimRun(ctx context.Context, r *ChecklistRun) (bool, error) {
	// SQLite compares times as text, so every stored time is UTC.
	r.ScheduledAt, r.DueAt, r.CreatedAt = r.ScheduledAt.UTC(), r.DueAt.UTC(), r.CreatedAt.UTC()
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoNothing: true}).Create(r)
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
	res := s.db.WithContext(ctx).Model(&ChecklistRun{}).Where("id = ? AND nudged_at IS NULL", runID).Update("nudged_at", at.UTC())
	if res.Error != nil {
		return false, fmt.Errorf("claim nudge of run %d: %w", runID, res.Error)
	}
	if res.RowsAffected != 1 {
		return false, nil
	}
	s.afterCommit(func() { s.observer().Scheduled("nudge", RunPosted) })
	return true, nil
}

// RunsToNudge lists posted runs whose due time has come and that were not
// nudged yet; the index on (nudged_at, due_at) keeps this cheap however
// many runs there have been.
func (s *Store) RunsToNudge(ctx context.Context, now time.Time) ([]ChecklistRun, error) {
	var runs []ChecklistRun
	err := s.db.WithContext(ctx).Where("nudged_at IS NULL AND due_at <= ? AND state IN ?", now.UTC(), []string{RunPosted, RunLate}).
		Order("due_at, id").Find(&runs).Error
	if err != nil {
		return nil, fmt.Errorf("runs to nudge: %w", err)
	}
	return runs, nil
}

// Run finds a run by ID.
func (s *Store) Run(ctx context.Context, id uint64) (ChecklistRun, error) {
	return byID[ChecklistRun](s.db.WithContext(ctx), "run", id)
}

// RunsOn lists the runs of a date (YYYY-MM-DD), by time.
func (s *Store) RunsOn(ctx context.Context, date string) ([]ChecklistRun, error) {
	var runs []ChecklistRun
	if err := s.db.WithContext(ctx).Where("date = ?", date).Order("scheduled_at, checklist").Find(&runs).Error; err != nil {
		return nil, fmt.Errorf("runs on %s: %w", date, err)
	}
	return runs, nil
}

// RunsBetween lists the runs of dates from..to inclusive, by time.
func (s *Store) RunsBetween(ctx context.Context, from, to string) ([]ChecklistRun, error) {
	var runs []ChecklistRun
	if err := s.db.WithContext(ctx).Where("date >= ? AND date <= ?", from, to).Order("scheduled_at, checklist").Find(&runs).Error; err != nil {
		return nil, fmt.Errorf("runs from %s to %s: %w", from, to, err)
	}
	return runs, nil
}

// SetItem checks an item off (done) or back on; it reports whether that
// changed anything, so a double click does not log twice.
func (s *Store) SetItem(ctx context.Context, runID uint64, idx int, done bool, user string, at time.Time) (bool, error) {
	var res *gorm.DB
	if done {
		res = s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&RunItem{RunID: runID, Idx: idx, DoneBy: user, DoneAt: at.UTC()})
	} else {
		res = s.db.WithContext(ctx).Where("run_id = ? AND idx = ?", runID, idx).Delete(&RunItem{})
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
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&RunItem{RunID: runID, Idx: idx, DoneBy: user, DoneAt: at.UTC(), Late: true})
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
func (s *Store) Items(ctx context.Context, runIDs ...uint64) (map[uint64][]RunItem, error) {
	out := map[uint64][]RunItem{}
	if len(runIDs) == 0 {
		return out, nil
	}
	var items []RunItem
	if err := s.db.WithContext(ctx).Where("run_id IN ?", runIDs).Order("run_id, idx").Find(&items).Error; err != nil {
		return nil, fmt.Errorf("read run items: %w", err)
	}
	for _, it := range items {
		out[it.RunID] = append(out[it.RunID], it)
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
	if err := s.db.WithContext(ctx).Model(&ChecklistRun{}).Where("date >= ?", date).Pluck("key", &keys).Error; err != nil {
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
	var runs []ChecklistRun
	err := s.db.WithContext(ctx).Select("due_at").Where("nudged_at IS NULL AND due_at > ? AND state IN ?", after.UTC(), []string{RunPosted, RunLate}).
		Order("due_at").Limit(1).Find(&runs).Error
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next nudge: %w", err)
	}
	if len(runs) == 0 {
		return time.Time{}, false, nil
	}
	return runs[0].DueAt, true, nil
}
