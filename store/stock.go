package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// StockItem is one SKU of a shop with its running position: what is on
// hand and in transit, when it first and last sold, and which warning was
// last posted (so a warning goes out once per crossing).
type StockItem struct {
	ID   uint64 `gorm:"primaryKey"`
	Shop string `gorm:"size:32;not null;uniqueIndex:ux_stock_item_shop_code,priority:1;index:ix_stock_item_shop_sums,priority:1"`
	Code string `gorm:"size:64;not null;uniqueIndex:ux_stock_item_shop_code,priority:2"`
	Name string `gorm:"size:200;not null;default:''"`
	// Zero means "not set": the stock section's defaults apply.
	CasePack   int64 `gorm:"not null;default:0"`
	MinOrder   int64 `gorm:"not null;default:0"`
	LeadDays   int   `gorm:"not null;default:0"`
	SafetyDays int   `gorm:"not null;default:0"`
	OnHand     int64 `gorm:"not null;default:0"`
	// Counted is set once a count, an arrival or an import gave on hand a
	// value: before that, zero on hand means "unknown", not "out".
	Counted   bool  `gorm:"not null;default:false"`
	InTransit int64 `gorm:"not null;default:0"`
	// NextETA is the earliest ETA of the open orders (YYYY-MM-DD), "" when
	// nothing is in transit.
	NextETA string `gorm:"size:10;not null;default:''"`
	// CountedOn is the day of the last count (/stock set): sales of days
	// before it are already in the count.
	CountedOn   string `gorm:"size:10;not null;default:''"`
	FirstSaleOn string `gorm:"size:10;not null;default:''"` // first day with a sales record
	LastSaleOn  string `gorm:"size:10;not null;default:''"` // last day with a sale above zero
	Warn        string `gorm:"size:8;not null;default:''"`  // "", "low" or "out": the warning last posted
	// Sold7 and Sold28 are the units sold in the 7 and 28 days before
	// SumsOn, kept so that a view of thousands of SKUs reads one row per
	// SKU instead of 28. The stock job refreshes them each day; each sale
	// logged adjusts them; a view whose day differs computes them afresh.
	SumsOn    string `gorm:"size:10;not null;default:'';index:ix_stock_item_shop_sums,priority:2"`
	Sold7     int64  `gorm:"not null;default:0"`
	Sold28    int64  `gorm:"not null;default:0"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// StockSale is one SKU's unit sales of one day. The primary key leads
// with the item, so a window of days is one index range.
type StockSale struct {
	ItemID uint64 `gorm:"primaryKey;autoIncrement:false"`
	Date   string `gorm:"primaryKey;size:10"`
	Qty    int64  `gorm:"not null"`
}

// StockMove is the audit trail of an SKU: every count, arrival, order,
// sale, approval and edit, with who did it and the position around it.
type StockMove struct {
	ID        uint64    `gorm:"primaryKey"`
	ItemID    uint64    `gorm:"not null;index:ix_stock_move_item,priority:1"`
	At        time.Time `gorm:"not null;index:ix_stock_move_item,priority:2"`
	Actor     string    `gorm:"size:64;not null"`
	Kind      string    `gorm:"size:16;not null"` // set, arrive, order, sold, approve, edit, add, import
	Qty       int64     `gorm:"not null;default:0"`
	Date      string    `gorm:"size:10;not null;default:''"` // the day a sale or count is for, an order's ETA
	OnHand    int64     `gorm:"not null;default:0"`          // after the move
	InTransit int64     `gorm:"not null;default:0"`          // after the move
	Note      string    `gorm:"size:300;not null;default:''"`
}

// StockOrder is goods ordered and not yet (all) arrived.
type StockOrder struct {
	ID        uint64 `gorm:"primaryKey"`
	ItemID    uint64 `gorm:"not null;index:ix_stock_order_item_open,priority:1"`
	Open      bool   `gorm:"not null;index:ix_stock_order_item_open,priority:2"`
	Qty       int64  `gorm:"not null"`
	Remaining int64  `gorm:"not null"`
	ETA       string `gorm:"size:10;not null"`
	SheetID   uint64 `gorm:"not null;default:0"`
	CreatedAt time.Time
	ClosedAt  *time.Time
}

// Sheet states.
const (
	SheetProposed = "proposed"
	SheetApproved = "approved"
)

// StockSheet is one replenishment sheet (补货需求表) of a shop. The unique
// key on shop and date makes the job post it once across replicas.
type StockSheet struct {
	ID         uint64    `gorm:"primaryKey"`
	Shop       string    `gorm:"size:32;not null;uniqueIndex:ux_stock_sheet_shop_date,priority:1"`
	Date       string    `gorm:"size:10;not null;uniqueIndex:ux_stock_sheet_shop_date,priority:2"`
	State      string    `gorm:"size:10;not null"`
	Channel    string    `gorm:"size:100;not null;default:''"`
	Nothing    int       `gorm:"not null;default:0"` // SKUs that needed no order
	CreatedAt  time.Time `gorm:"not null"`
	ApprovedBy string    `gorm:"size:64;not null;default:''"`
	ApprovedAt *time.Time
}

// StockSheetLine is one SKU of a sheet: the suggestion, its explanation,
// and the quantity to order (the suggestion unless someone edited it).
type StockSheetLine struct {
	ID        uint64 `gorm:"primaryKey"`
	SheetID   uint64 `gorm:"not null;uniqueIndex:ux_stock_line_sheet_item,priority:1"`
	ItemID    uint64 `gorm:"not null;uniqueIndex:ux_stock_line_sheet_item,priority:2"`
	Code      string `gorm:"size:64;not null"`
	Name      string `gorm:"size:200;not null;default:''"`
	OnHand    int64  `gorm:"not null"`
	InTransit int64  `gorm:"not null"`
	// Sold7 and Sold28 are the units sold over the windows; Days28 is how
	// many days the 28-day window really covers (less for a new SKU).
	Sold7     int64  `gorm:"not null"`
	Sold28    int64  `gorm:"not null"`
	Days28    int    `gorm:"not null"`
	LeadDays  int    `gorm:"not null"`
	NoHistory bool   `gorm:"not null"`
	Suggested int64  `gorm:"not null"`
	Qty       int64  `gorm:"not null"`
	Explain   string `gorm:"size:300;not null;default:''"`
	EditedBy  string `gorm:"size:64;not null;default:''"`
}

// stockItemColumns are read by StockItems, which scans them by hand:
// gorm's reflection, and parsing the timestamps, cost more than the
// query on thousands of rows (CreatedAt and UpdatedAt stay zero).
const stockItemColumns = `id, shop, code, name, case_pack, min_order, lead_days, safety_days, on_hand, counted, in_transit, next_eta,
counted_on, first_sale_on, last_sale_on, warn, sums_on, sold7, sold28`

// StockItems lists a shop's SKUs by code (the unique index's order).
func (s *Store) StockItems(ctx context.Context, shop string) ([]StockItem, error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT `+stockItemColumns+` FROM stock_items WHERE shop = ? ORDER BY shop, code`, shop).Rows()
	var out []StockItem
	err = eachRow(rows, err, "stock items of "+shop, func(r *sql.Rows) error {
		var it StockItem
		if err := r.Scan(&it.ID, &it.Shop, &it.Code, &it.Name, &it.CasePack, &it.MinOrder, &it.LeadDays, &it.SafetyDays, &it.OnHand, &it.Counted,
			&it.InTransit, &it.NextETA, &it.CountedOn, &it.FirstSaleOn, &it.LastSaleOn, &it.Warn, &it.SumsOn, &it.Sold7, &it.Sold28); err != nil {
			return err
		}
		out = append(out, it)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// StockItemsByCode finds the SKUs of a shop among some codes.
func (s *Store) StockItemsByCode(ctx context.Context, shop string, codes []string) ([]StockItem, error) {
	var out []StockItem
	if len(codes) == 0 {
		return nil, nil
	}
	if err := s.db.WithContext(ctx).Where("shop = ? AND code IN ?", shop, codes).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("stock items of %s: %w", shop, err)
	}
	return out, nil
}

// StaleStockSums reports whether some SKU of a shop has sums older than day.
func (s *Store) StaleStockSums(ctx context.Context, shop, day string) (bool, error) {
	var ids []uint64
	if err := s.db.WithContext(ctx).Model(&StockItem{}).Where("shop = ? AND sums_on < ?", shop, day).Limit(1).Pluck("id", &ids).Error; err != nil {
		return false, fmt.Errorf("stale stock sums of %s: %w", shop, err)
	}
	return len(ids) > 0, nil
}

// RefreshStockSums recomputes the 7- and 28-day sums of the shop's SKUs
// whose sums are older than day: windows [from28, to] and [from7, to].
func (s *Store) RefreshStockSums(ctx context.Context, shop, day, from28, from7, to string) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`UPDATE stock_items SET
sold28 = COALESCE((SELECT SUM(d.qty) FROM stock_sales AS d WHERE d.item_id = stock_items.id AND d.date >= ? AND d.date <= ?), 0),
sold7 = COALESCE((SELECT SUM(d.qty) FROM stock_sales AS d WHERE d.item_id = stock_items.id AND d.date >= ? AND d.date <= ?), 0),
sums_on = ?
WHERE shop = ? AND sums_on < ?`, from28, to, from7, to, day, shop, day)
	if res.Error != nil {
		return 0, fmt.Errorf("refresh stock sums of %s: %w", shop, res.Error)
	}
	return res.RowsAffected, nil
}

// StockItem finds one SKU of a shop by code; ErrNotFound when absent. In
// a transaction on PostgreSQL the row is locked for the change to come.
func (s *Store) StockItem(ctx context.Context, shop, code string) (StockItem, error) {
	var it StockItem
	err := s.forUpdate(s.db.WithContext(ctx)).Where("shop = ? AND code = ?", shop, code).Take(&it).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return it, ErrNotFound
	}
	if err != nil {
		return it, fmt.Errorf("stock item %s/%s: %w", shop, code, err)
	}
	return it, nil
}

// StockItemByID reads one SKU, locked like StockItem.
func (s *Store) StockItemByID(ctx context.Context, id uint64) (StockItem, error) {
	return byID[StockItem](s.forUpdate(s.db.WithContext(ctx)), "stock item", id)
}

// CreateStockItem adds an SKU; created is false when the shop already has
// that code (the unique key decides, across replicas).
func (s *Store) CreateStockItem(ctx context.Context, it *StockItem) (bool, error) {
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(it)
	if res.Error != nil {
		return false, fmt.Errorf("add stock item %s/%s: %w", it.Shop, it.Code, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// SaveStockItem writes an SKU's fields and position back.
func (s *Store) SaveStockItem(ctx context.Context, it *StockItem) error {
	if err := s.db.WithContext(ctx).Save(it).Error; err != nil {
		return fmt.Errorf("save stock item %s/%s: %w", it.Shop, it.Code, err)
	}
	return nil
}

// ClaimStockWarn moves an SKU's warning state from one value to another
// and reports whether this call did it: a warning is posted by the one
// transaction that wins the change, on any replica.
func (s *Store) ClaimStockWarn(ctx context.Context, id uint64, from, to string) (bool, error) {
	res := s.db.WithContext(ctx).Model(&StockItem{}).Where("id = ? AND warn = ?", id, from).Update("warn", to)
	if res.Error != nil {
		return false, fmt.Errorf("stock warning of item %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// AddStockMove appends to an SKU's audit trail.
func (s *Store) AddStockMove(ctx context.Context, m *StockMove) error {
	m.At = m.At.UTC()
	if err := s.db.WithContext(ctx).Create(m).Error; err != nil {
		return fmt.Errorf("record stock move of item %d: %w", m.ItemID, err)
	}
	return nil
}

// StockMoves lists an SKU's last moves, newest first.
func (s *Store) StockMoves(ctx context.Context, itemID uint64, limit int) ([]StockMove, error) {
	var out []StockMove
	if err := s.db.WithContext(ctx).Where("item_id = ?", itemID).Order("at DESC, id DESC").Limit(limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("stock moves of item %d: %w", itemID, err)
	}
	return out, nil
}

// StockSaleOn returns an SKU's sales of a day and whether any were logged.
func (s *Store) StockSaleOn(ctx context.Context, itemID uint64, date string) (int64, bool, error) {
	var rows []StockSale
	if err := s.db.WithContext(ctx).Where("item_id = ? AND date = ?", itemID, date).Limit(1).Find(&rows).Error; err != nil {
		return 0, false, fmt.Errorf("stock sales of item %d on %s: %w", itemID, date, err)
	}
	if len(rows) == 0 {
		return 0, false, nil
	}
	return rows[0].Qty, true, nil
}

// SetStockSale stores an SKU's sales of a day, replacing what was there.
func (s *Store) SetStockSale(ctx context.Context, itemID uint64, date string, qty int64) error {
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "item_id"}, {Name: "date"}},
		DoUpdates: clause.AssignmentColumns([]string{"qty"}),
	}).Create(&StockSale{ItemID: itemID, Date: date, Qty: qty}).Error
	if err != nil {
		return fmt.Errorf("store stock sales of item %d on %s: %w", itemID, date, err)
	}
	return nil
}

// LastStockSale is the last day before or on `to` on which the SKU sold
// anything, "" when none: one step down the item's primary-key range.
func (s *Store) LastStockSale(ctx context.Context, itemID uint64, to string) (string, error) {
	var dates []string
	err := s.db.WithContext(ctx).Model(&StockSale{}).Where("item_id = ? AND date <= ? AND qty > 0", itemID, to).
		Order("date DESC").Limit(1).Pluck("date", &dates).Error
	if err != nil {
		return "", fmt.Errorf("last sale of item %d: %w", itemID, err)
	}
	if len(dates) == 0 {
		return "", nil
	}
	return dates[0], nil
}

// StockSales lists an SKU's daily sales from one day to another, inclusive.
func (s *Store) StockSales(ctx context.Context, itemID uint64, from, to string) ([]StockSale, error) {
	var out []StockSale
	if err := s.db.WithContext(ctx).Where("item_id = ? AND date >= ? AND date <= ?", itemID, from, to).Order("date").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("stock sales of item %d: %w", itemID, err)
	}
	return out, nil
}

// SalesWindow is an SKU's units sold over the two windows of the views.
type SalesWindow struct {
	Sold7, Sold28 int64
}

// StockSalesSums sums the sales of every SKU of a shop over [from28, to]
// and, separately, [from7, to], in one pass: for each item of the shop
// (its unique index), one range of the sales' primary key.
func (s *Store) StockSalesSums(ctx context.Context, shop, from28, from7, to string) (map[uint64]SalesWindow, error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT i.id, COALESCE(SUM(CASE WHEN d.date >= ? THEN d.qty ELSE 0 END), 0), COALESCE(SUM(d.qty), 0)
FROM stock_items AS i JOIN stock_sales AS d ON d.item_id = i.id
WHERE i.shop = ? AND d.date >= ? AND d.date <= ?
GROUP BY i.id`, from7, shop, from28, to).Rows()
	return keyed(rows, err, "stock sales of "+shop, func(r *sql.Rows) (id uint64, w SalesWindow, err error) {
		err = r.Scan(&id, &w.Sold7, &w.Sold28)
		return id, w, err
	})
}

// OpenStockOrders lists an SKU's orders still in transit, oldest ETA first.
func (s *Store) OpenStockOrders(ctx context.Context, itemID uint64) ([]StockOrder, error) {
	var out []StockOrder
	if err := s.forUpdate(s.db.WithContext(ctx)).Where("item_id = ? AND open = ?", itemID, true).Order("eta, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("open orders of item %d: %w", itemID, err)
	}
	return out, nil
}

// SaveStockOrder creates or updates an order.
func (s *Store) SaveStockOrder(ctx context.Context, o *StockOrder) error {
	if err := s.db.WithContext(ctx).Save(o).Error; err != nil {
		return fmt.Errorf("save order of item %d: %w", o.ItemID, err)
	}
	return nil
}

// CreateStockSheet claims a shop's sheet of a date with its lines; created
// is false when the sheet exists already (then nothing is written).
func (s *Store) CreateStockSheet(ctx context.Context, sh *StockSheet, lines []StockSheetLine) (bool, error) {
	// Look first: a conflicting insert would still use up a sheet number,
	// and people refer to sheets by number. The unique key stays the judge.
	if exists, err := s.StockSheetExists(ctx, sh.Shop, sh.Date); err != nil || exists {
		return false, err
	}
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(sh)
	if res.Error != nil {
		return false, fmt.Errorf("create stock sheet %s/%s: %w", sh.Shop, sh.Date, res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	for i := range lines {
		lines[i].SheetID = sh.ID
	}
	if len(lines) > 0 {
		if err := s.db.WithContext(ctx).CreateInBatches(lines, 200).Error; err != nil {
			return false, fmt.Errorf("create stock sheet %s/%s lines: %w", sh.Shop, sh.Date, err)
		}
	}
	return true, nil
}

// StockSheetExists reports whether a shop has its sheet of a date.
func (s *Store) StockSheetExists(ctx context.Context, shop, date string) (bool, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&StockSheet{}).Where("shop = ? AND date = ?", shop, date).Limit(1).Count(&n).Error; err != nil {
		return false, fmt.Errorf("stock sheet %s/%s: %w", shop, date, err)
	}
	return n > 0, nil
}

// StockSheet reads a sheet and its lines (ordered as posted).
func (s *Store) StockSheet(ctx context.Context, id uint64) (StockSheet, []StockSheetLine, error) {
	var sh StockSheet
	err := s.forUpdate(s.db.WithContext(ctx)).Where("id = ?", id).Take(&sh).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return sh, nil, ErrNotFound
	}
	if err != nil {
		return sh, nil, fmt.Errorf("stock sheet %d: %w", id, err)
	}
	var lines []StockSheetLine
	if err := s.db.WithContext(ctx).Where("sheet_id = ?", id).Order("id").Find(&lines).Error; err != nil {
		return sh, nil, fmt.Errorf("stock sheet %d lines: %w", id, err)
	}
	return sh, lines, nil
}

// LatestStockSheet is a shop's newest sheet; ErrNotFound when none.
func (s *Store) LatestStockSheet(ctx context.Context, shop string) (StockSheet, error) {
	var sh StockSheet
	err := s.db.WithContext(ctx).Where("shop = ?", shop).Order("date DESC").Take(&sh).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return sh, ErrNotFound
	}
	if err != nil {
		return sh, fmt.Errorf("latest stock sheet of %s: %w", shop, err)
	}
	return sh, nil
}

// SetSheetLineQty changes the quantity of a line of a sheet still
// proposed; ok is false when the sheet was approved meanwhile.
func (s *Store) SetSheetLineQty(ctx context.Context, sheetID, lineID uint64, qty int64, by string) (bool, error) {
	res := s.db.WithContext(ctx).Model(&StockSheetLine{}).
		Where("id = ? AND sheet_id = ? AND EXISTS (SELECT 1 FROM stock_sheets WHERE id = ? AND state = ?)", lineID, sheetID, sheetID, SheetProposed).
		Updates(map[string]any{"qty": qty, "edited_by": by})
	if res.Error != nil {
		return false, fmt.Errorf("edit line %d of sheet %d: %w", lineID, sheetID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ApproveStockSheet marks a proposed sheet approved; ok is false when it
// was approved already (by another click, person or replica).
func (s *Store) ApproveStockSheet(ctx context.Context, id uint64, by string, at time.Time) (bool, error) {
	at = at.UTC()
	res := s.db.WithContext(ctx).Model(&StockSheet{}).Where("id = ? AND state = ?", id, SheetProposed).
		Updates(map[string]any{"state": SheetApproved, "approved_by": by, "approved_at": &at})
	if res.Error != nil {
		return false, fmt.Errorf("approve stock sheet %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// AddAudit appends to the audit log.
func (s *Store) AddAudit(ctx context.Context, e AuditEntry) error {
	e.At = e.At.UTC()
	if err := s.db.WithContext(ctx).Create(&e).Error; err != nil {
		return fmt.Errorf("audit %s %s: %w", e.Action, e.Subject, err)
	}
	return nil
}

// StockImport is a file of per-SKU sales and stock, read and previewed,
// waiting for a person to confirm it. Rows holds the parsed lines (JSON
// the stock feature wrote), so a confirmation on any replica applies
// exactly what was previewed.
type StockImport struct {
	ID        uint64    `gorm:"primaryKey"`
	Shop      string    `gorm:"size:32;not null;index:ix_stock_import_shop_sum,priority:1"`
	Checksum  string    `gorm:"size:64;not null;index:ix_stock_import_shop_sum,priority:2"`
	FileName  string    `gorm:"size:200;not null;default:''"`
	Actor     string    `gorm:"size:64;not null"`
	State     string    `gorm:"size:10;not null"`
	Rows      string    `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
}

// CreateStockImport stores a previewed import.
func (s *Store) CreateStockImport(ctx context.Context, im *StockImport) error {
	if err := s.db.WithContext(ctx).Create(im).Error; err != nil {
		return fmt.Errorf("store stock import of %s: %w", im.FileName, err)
	}
	return nil
}

// StockImportByID reads an import; ErrNotFound when absent.
func (s *Store) StockImportByID(ctx context.Context, id uint64) (StockImport, error) {
	return byID[StockImport](s.forUpdate(s.db.WithContext(ctx)), "stock import", id)
}

// StockImportDone reports whether the shop already imported a file with
// this checksum.
func (s *Store) StockImportDone(ctx context.Context, shop, checksum string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&StockImport{}).Where("shop = ? AND checksum = ? AND state = ?", shop, checksum, ImportApplied).Limit(1).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("stock imports of %s: %w", shop, err)
	}
	return n > 0, nil
}

// FinishStockImport moves a pending import to done or cancelled; ok is
// false when it was no longer pending (confirmed or cancelled already).
func (s *Store) FinishStockImport(ctx context.Context, id uint64, state string) (bool, error) {
	res := s.db.WithContext(ctx).Model(&StockImport{}).Where("id = ? AND state = ?", id, ImportPending).Update("state", state)
	if res.Error != nil {
		return false, fmt.Errorf("finish stock import %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// DeleteStaleStockImports deletes the stock import previews made before
// cutoff that were never applied (expired or cancelled), with the rows
// they held; applied ones stay as the record that a file was imported.
func (s *Store) DeleteStaleStockImports(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("state <> ? AND created_at < ?", ImportApplied, cutoff.UTC()).Delete(&StockImport{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete stale stock imports: %w", res.Error)
	}
	return res.RowsAffected, nil
}
