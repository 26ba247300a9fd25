package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"opsbot/tracked/items"
)

// Observer hears what the store does, for metrics: each database
// transaction, and each piece of scheduled work this process claimed (a
// checklist run, a nudge, a report, a calendar message, an alert of the
// 24-hour rule), once its transaction has committed. telemetry.Metrics
// implements it; the store does not know Prometheus.
type Observer interface {
	Transaction(database string, took time.Duration, err error)
	Scheduled(job, state string)
	SLAAlert(kind string)
}

type noObserver struct{}

func (noObserver) Transaction(string, time.Duration, error) {}
func (noObserver) Scheduled(string, string)                 {}
func (noObserver) SLAAlert(string)                          {}

// Observe sets the observer. Call it before the store is used.
func (s *Store) Observe(o Observer) {
	s.obs = o
	if s.group != nil {
		s.group.obs = o
	}
}

func (s *Store) observer() Observer {
	if s.obs == nil {
		return noObserver{}
	}
	return s.obs
}

// hooks are what a transaction does once it has committed.
type hooks struct{ fns []func() }

func (h *hooks) run() {
	if h == nil {
		return
	}
	for _, f := range h.fns {
		f()
	}
}

// afterCommit runs f once the transaction this Store is bound to has
// committed, or now when it is bound to none (the caller's own
// transaction has committed already).
func (s *Store) afterCommit(f func()) {
	if s.hooks == nil {
		f()
		return
	}
	s.hooks.fns = append(s.hooks.fns, f)
}

// Ping says whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("database does not answer: %w", err)
	}
	return nil
}

// Migrated says whether every table the bot uses is there: another
// replica, or an older version, may have left the schema behind.
func (s *Store) Migrated(ctx context.Context) error {
	m := s.db.WithContext(ctx).Migrator()
	var missing []string
	for _, model := range models() {
		if !m.HasTable(model) {
			missing = append(missing, fmt.Sprintf("%T", model))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("database not migrated: no table for %s", strings.Join(missing, ", "))
	}
	return nil
}

// OutboxBacklog returns, per channel, the pending messages and the time
// the oldest of them was queued, and the number of dead letters.
func (s *Store) OutboxBacklog(ctx context.Context) (pending map[string]int64, oldest map[string]time.Time, dead int64, err error) {
	var rows []struct {
		Channel string
		N       int64
		First   uint64
	}
	// IDs grow with time: the smallest pending ID of a channel is its
	// oldest message, whose time is then read as a proper timestamp.
	err = s.db.WithContext(ctx).Model(&OutboxMessage{}).Select("channel, COUNT(*) AS n, MIN(id) AS first").
		Where("state = ?", OutboxPending).Group("channel").Scan(&rows).Error
	if err != nil {
		return nil, nil, 0, fmt.Errorf("outbox backlog: %w", err)
	}
	pending, oldest = make(map[string]int64, len(rows)), make(map[string]time.Time, len(rows))
	ids := make([]uint64, 0, len(rows))
	for _, r := range rows {
		pending[r.Channel] = r.N
		ids = append(ids, r.First)
	}
	if len(ids) > 0 {
		var firsts []OutboxMessage
		if err := s.db.WithContext(ctx).Select("id", "channel", "created_at").Find(&firsts, ids).Error; err != nil {
			return nil, nil, 0, fmt.Errorf("outbox backlog: %w", err)
		}
		for _, m := range firsts {
			oldest[m.Channel] = m.CreatedAt
		}
	}
	if err := s.db.WithContext(ctx).Model(&OutboxMessage{}).Where("state = ?", OutboxDead).Count(&dead).Error; err != nil {
		return nil, nil, 0, fmt.Errorf("count dead letters: %w", err)
	}
	return pending, oldest, dead, nil
}

// OpenItemsByType counts the open tracked items of each type.
func (s *Store) OpenItemsByType(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		Type string
		N    int64
	}
	err := s.db.WithContext(ctx).Model(&itemRow{}).Select("type, COUNT(*) AS n").
		Where("status = ?", items.StatusOpen).Group("type").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count open items: %w", err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Type] = r.N
	}
	return out, nil
}

// BackupSQLite writes a consistent copy of a SQLite database to path,
// online (VACUUM INTO: writers go on meanwhile, and the copy is compact).
// The file must not exist yet.
func (s *Store) BackupSQLite(ctx context.Context, path string) error {
	if s.Dialect() != "sqlite" {
		return fmt.Errorf("backup: %s is not SQLite; use pg_dump", s.Dialect())
	}
	if err := s.db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
