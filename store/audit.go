package store

import (
	"context"
	"time"
)

// AuditEntry records one change a user made: who, when, what, and the old
// and new value (nil when there was none).
type AuditEntry struct {
	ID       uint64    `gorm:"primaryKey"`
	At       time.Time `gorm:"not null;index"`
	Actor    string    `gorm:"size:64;not null"`
	Action   string    `gorm:"size:32;not null"`
	Shop     string    `gorm:"size:32;not null;default:''"`
	Subject  string    `gorm:"size:200;not null"`
	OldValue *string
	NewValue *string
}

// AuditFilter narrows the audit log; zero fields match everything.
type AuditFilter struct {
	Shop    string
	Action  string
	Subject string
	Limit   int
}

// Audit lists audit entries, newest first.
func (s *Store) Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	q := whereEqual(s.db.WithContext(ctx).Order("id DESC"), "shop", f.Shop, "action", f.Action, "subject", f.Subject)
	return limited[AuditEntry](q, f.Limit, "audit log")
}
