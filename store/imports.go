package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Import statuses. A preview is pending until its uploader confirms or
// cancels it; an "awaiting" row says a person ran /metric import and the
// next file they share in that channel is the import.
const (
	ImportPending   = "pending"
	ImportApplied   = "applied"
	ImportCancelled = "cancelled"
	ImportAwaiting  = "awaiting"
	ImportUsed      = "used"
)

// MetricImport is one file read into metrics: its preview and, once
// confirmed, the record of what it stored. Payload holds the values to
// store, as the metric package encoded them.
type MetricImport struct {
	ID       uint64 `gorm:"primaryKey"`
	Actor    string `gorm:"size:64;not null;index:ix_import_actor_channel,priority:1"`
	Channel  string `gorm:"size:64;not null;default:'';index:ix_import_actor_channel,priority:2"`
	FileName string `gorm:"size:200;not null;default:''"`
	Checksum string `gorm:"size:64;not null;default:'';index"`
	// Scope is what of the file was read (its sheet, the shop of a file
	// without a shop column): the same file read another way is another
	// import.
	Scope     string    `gorm:"size:200;not null;default:''"`
	Status    string    `gorm:"size:16;not null;index"`
	Rows      int       `gorm:"not null;default:0"`
	Payload   string    `gorm:"type:text;not null;default:''"`
	CreatedAt time.Time `gorm:"not null"`
	DecidedAt *time.Time
	DecidedBy string `gorm:"size:64;not null;default:''"`
	Stored    int    `gorm:"not null;default:0"` // values written when applied
	// Kind is "" for a file of metrics, KindTargetSplit for an annual
	// target split waiting for its confirmation.
	Kind string `gorm:"size:16;not null;default:''"`
}

// KindTargetSplit marks a previewed annual target split.
const KindTargetSplit = "target_split"

// ImportValue is one figure an import stores.
type ImportValue struct {
	Shop, Day, Key string
	Value          int64
}

// ImportChange is what an import did to one figure.
type ImportChange struct {
	ImportValue
	Old    int64
	HadOld bool
}

// ErrImportDecided means the import was confirmed or cancelled already
// (perhaps by a double click, or on another replica).
var ErrImportDecided = errors.New("import was confirmed or cancelled already")

// CreateImport records a preview (or an awaiting upload) and sets its ID.
func (s *Store) CreateImport(ctx context.Context, imp *MetricImport) error {
	imp.CreatedAt = imp.CreatedAt.UTC()
	if err := s.db.WithContext(ctx).Create(imp).Error; err != nil {
		return fmt.Errorf("record import of %q: %w", imp.FileName, err)
	}
	return nil
}

// Import returns one import by ID.
func (s *Store) Import(ctx context.Context, id uint64) (MetricImport, error) {
	var imp MetricImport
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&imp).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return imp, fmt.Errorf("import %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return imp, fmt.Errorf("read import %d: %w", id, err)
	}
	return imp, nil
}

// AppliedImport finds the latest applied import of a file, by checksum and
// scope.
func (s *Store) AppliedImport(ctx context.Context, checksum, scope string) (MetricImport, bool, error) {
	var imp MetricImport
	err := s.db.WithContext(ctx).Where("checksum = ? AND scope = ? AND status = ?", checksum, scope, ImportApplied).Order("id DESC").Take(&imp).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return imp, false, nil
	}
	if err != nil {
		return imp, false, fmt.Errorf("find import of %s: %w", checksum, err)
	}
	return imp, true, nil
}

// MetricsOf reads the stored figures of some shops and days, by shop, day
// and key: what an import would replace.
func (s *Store) MetricsOf(ctx context.Context, shops []string, from, to string) (map[string]map[string]map[string]int64, error) {
	out := map[string]map[string]map[string]int64{}
	for _, shop := range shops {
		days, err := s.RangeMetrics(ctx, shop, from, to)
		if err != nil {
			return nil, err
		}
		out[shop] = days
	}
	return out, nil
}

// ClaimAwaiting uses up the newest awaiting-upload row of a person in a
// channel made after since; false when there is none.
func (s *Store) ClaimAwaiting(ctx context.Context, actor, channel string, since, at time.Time) (bool, error) {
	var claimed bool
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var imp MetricImport
		err := s.forUpdate(tx).Where("actor = ? AND channel = ? AND status = ? AND created_at >= ?", actor, channel, ImportAwaiting, since.UTC()).
			Order("id DESC").Take(&imp).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		at := at.UTC()
		res := tx.Model(&MetricImport{}).Where("id = ? AND status = ?", imp.ID, ImportAwaiting).
			Updates(map[string]any{"status": ImportUsed, "decided_at": at, "decided_by": actor})
		claimed = res.RowsAffected == 1
		return res.Error
	})
	if err != nil {
		return false, fmt.Errorf("claim awaiting upload of %s in %s: %w", actor, channel, err)
	}
	return claimed, nil
}

// CancelImport marks a pending import cancelled; ErrImportDecided when it
// is no longer pending.
func (s *Store) CancelImport(ctx context.Context, id uint64, actor string, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&MetricImport{}).Where("id = ? AND status = ?", id, ImportPending).
		Updates(map[string]any{"status": ImportCancelled, "decided_at": at.UTC(), "decided_by": actor})
	if res.Error != nil {
		return fmt.Errorf("cancel import %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("import %d: %w", id, ErrImportDecided)
	}
	return nil
}

// ApplyImport stores a pending import's values, all or none: it claims the
// import (so a second confirmation, here or on another replica, stores
// nothing), writes every value that differs from what is stored, and
// records the whole import as one audit entry naming the file and its
// checksum, with every change in it. Values equal to the stored ones are
// not written again.
func (s *Store) ApplyImport(ctx context.Context, id uint64, actor string, values []ImportValue, at time.Time) ([]ImportChange, error) {
	at = at.UTC()
	var changes []ImportChange
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		changes = changes[:0]
		var imp MetricImport
		if err := tx.Where("id = ?", id).Take(&imp).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNotFound
			}
			return err
		}
		if err := claimPending(tx, id, actor, at); err != nil {
			return err
		}
		type shopDay struct{ shop, day string }
		groups := map[shopDay][]string{}
		for _, v := range values {
			k := shopDay{v.Shop, v.Day}
			groups[k] = append(groups[k], v.Key)
		}
		old := map[shopDay]map[string]int64{}
		for k, keys := range groups {
			o, err := existingMetrics(tx, s.Dialect(), k.shop, k.day, keys)
			if err != nil {
				return err
			}
			old[k] = o
		}
		var rows []MetricValue
		for _, v := range values {
			c := ImportChange{ImportValue: v}
			c.Old, c.HadOld = old[shopDay{v.Shop, v.Day}][v.Key]
			if c.HadOld && c.Old == c.New() {
				continue
			}
			changes = append(changes, c)
			rows = append(rows, MetricValue{Shop: v.Shop, Day: v.Day, Key: v.Key, Value: v.Value, UpdatedBy: actor, UpdatedAt: at, CreatedAt: at})
		}
		if len(rows) > 0 {
			err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "shop"}, {Name: "day"}, {Name: "key"}},
				DoUpdates: clause.AssignmentColumns([]string{"value", "updated_by", "updated_at"}),
			}).CreateInBatches(&rows, 200).Error
			if err != nil {
				return fmt.Errorf("write metrics: %w", err)
			}
		}
		if err := tx.Model(&MetricImport{}).Where("id = ?", id).Update("stored", len(changes)).Error; err != nil {
			return err
		}
		entry := AuditEntry{
			At: at, Actor: actor, Action: "metric.import", Shop: importShops(values),
			Subject:  truncate(fmt.Sprintf("import %d %s sha256:%s", id, imp.FileName, imp.Checksum), 200),
			NewValue: ptr(changeLog(changes)),
		}
		if err := tx.Create(&entry).Error; err != nil {
			return fmt.Errorf("write audit: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("apply import %d: %w", id, err)
	}
	return changes, nil
}

// claimPending marks a pending import applied, once: a second claim, here
// or on another replica, finds it decided.
func claimPending(tx *gorm.DB, id uint64, actor string, at time.Time) error {
	res := tx.Model(&MetricImport{}).Where("id = ? AND status = ?", id, ImportPending).
		Updates(map[string]any{"status": ImportApplied, "decided_at": at, "decided_by": actor})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrImportDecided
	}
	return nil
}

// New is the value the change stores.
func (c ImportChange) New() int64 { return c.Value }

// importShops is the audit entry's shop: the one shop, or "" for several.
func importShops(values []ImportValue) string {
	shop := ""
	for i, v := range values {
		if i > 0 && v.Shop != shop {
			return ""
		}
		shop = v.Shop
	}
	return shop
}

// changeLog writes an import's changes one a line, "shop day key old→new"
// ("-" when there was none), sorted, so the audit entry says everything.
func changeLog(changes []ImportChange) string {
	lines := make([]string, 0, len(changes))
	for _, c := range changes {
		old := "-"
		if c.HadOld {
			old = strconv.FormatInt(c.Old, 10)
		}
		lines = append(lines, fmt.Sprintf("%s %s %s %s→%d", c.Shop, c.Day, c.Key, old, c.Value))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// DeleteStaleImports deletes the import previews and waiting uploads made
// before cutoff that were never applied: pending ones (expired: they can
// no longer be confirmed), cancelled ones, and awaiting or used-up upload
// requests, with the values they held. Applied imports stay: they are the
// record that a file was imported (and the same file twice stores
// nothing). It returns how many were deleted.
func (s *Store) DeleteStaleImports(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("status <> ? AND created_at < ?", ImportApplied, cutoff.UTC()).Delete(&MetricImport{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete stale imports: %w", res.Error)
	}
	return res.RowsAffected, nil
}
