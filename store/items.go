package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"opsbot/tracked/items"
)

// itemRow is the row of a tracked item (items.Item).
type itemRow struct {
	ID      uint64 `gorm:"primaryKey"`
	Shop    string `gorm:"size:32;not null;index:ix_items_shop_flagged,priority:1;index:ix_items_shop_resolved,priority:1"`
	OrderID string `gorm:"size:64;not null;index"`
	Type    string `gorm:"size:16;not null"`
	// OpenKey is shop/order/type while the item is open and NULL once it is
	// resolved: its unique index lets the database, not one process,
	// decide that an order has one open item of a type.
	OpenKey *string `gorm:"size:128;uniqueIndex"`
	Status  string  `gorm:"size:16;not null;index:ix_items_status_deadline,priority:1"`
	Rating  int     `gorm:"not null;default:0"` // 1-5 for reviews, 0 when not given
	Product string  `gorm:"size:200;not null;default:''"`
	Text    string  `gorm:"not null;default:''"`
	// Notes counts the notes added by flagging the item again; LastNote is
	// the latest, shown on the item's message.
	Notes    int    `gorm:"not null;default:0"`
	LastNote string `gorm:"not null;default:''"`
	// Channel is where the item's message is posted; CSChannel, when set,
	// holds a copy (urgent refunds go to customer service too).
	Channel   string    `gorm:"size:100;not null"`
	CSChannel string    `gorm:"size:100;not null;default:''"`
	FlaggedBy string    `gorm:"size:64;not null"`
	FlaggedAt time.Time `gorm:"not null;index:ix_items_shop_flagged,priority:2"`
	Deadline  time.Time `gorm:"not null;index:ix_items_status_deadline,priority:2"`
	Assignee  string    `gorm:"size:64;not null;default:''"`
	TakenAt   *time.Time
	// Escalation to the managers, by a person.
	EscalatedBy string `gorm:"size:64;not null;default:''"`
	EscalatedAt *time.Time
	ResolvedAt  *time.Time `gorm:"index:ix_items_shop_resolved,priority:2"`
	ResolvedBy  string     `gorm:"size:64;not null;default:''"`
	Resolution  string     `gorm:"not null;default:''"`
	// NextAlertAt is when the sweeper next has something to send, NULL
	// when nothing more will be sent. The partial index holds only the
	// items with an alert to come, so a sweep costs what is due, not what
	// was ever logged. AlertSeq numbers the next alert (see sla.Schedule);
	// claiming an alert advances it, so each is sent once.
	NextAlertAt *time.Time `gorm:"index:ix_items_next_alert,where:next_alert_at IS NOT NULL"`
	AlertSeq    int        `gorm:"not null;default:0"`
	BreachedAt  *time.Time // when the breach notice went out
	UpdatedAt   time.Time  `gorm:"not null"`
}

// TableName keeps the table's name stable.
func (itemRow) TableName() string { return "tracked_items" }

func (r itemRow) item() items.Item {
	return items.Item{
		ID: r.ID, Shop: r.Shop, OrderID: r.OrderID, Type: r.Type, Status: r.Status, Rating: r.Rating,
		Product: r.Product, Text: r.Text, Notes: r.Notes, LastNote: r.LastNote,
		Channel: r.Channel, CSChannel: r.CSChannel, FlaggedBy: r.FlaggedBy, FlaggedAt: r.FlaggedAt,
		Deadline: r.Deadline, Assignee: r.Assignee, TakenAt: r.TakenAt,
		EscalatedBy: r.EscalatedBy, EscalatedAt: r.EscalatedAt,
		ResolvedAt: r.ResolvedAt, ResolvedBy: r.ResolvedBy, Resolution: r.Resolution,
		NextAlertAt: r.NextAlertAt, AlertSeq: r.AlertSeq, BreachedAt: r.BreachedAt,
	}
}

// eventRow is the row of one line of an item's history (items.Event).
type eventRow struct {
	ID     uint64    `gorm:"primaryKey"`
	ItemID uint64    `gorm:"not null;index"`
	At     time.Time `gorm:"not null"`
	Actor  string    `gorm:"size:64;not null;default:''"` // "" for the bot
	Kind   string    `gorm:"size:16;not null"`
	Note   string    `gorm:"not null;default:''"`
	// Late marks an alert sent after its time because the bot was down.
	Late bool `gorm:"not null;default:false"`
}

// TableName keeps the table's name stable.
func (eventRow) TableName() string { return "item_events" }

// event is a conversion: eventRow has items.Event's fields in its order.
func (r eventRow) event() items.Event { return items.Event(r) }

func openKey(shop, order, typ string) *string {
	k := shop + "/" + order + "/" + typ
	return &k
}

// NewItem is an item to flag. Deadline and NextAlertAt come from the SLA
// rules; Note is the flagging note (the review text for reviews).
type NewItem struct {
	Shop, OrderID, Type, Product, Text string
	Rating                             int
	Channel, CSChannel                 string
	FlaggedBy                          string
	At, Deadline                       time.Time
	NextAlertAt                        *time.Time
}

// FlagItem opens an item, unless the same order has an open item of the
// same type: then the text is added to that item as a note and nothing
// else changes (created is false). Call it in Tx with the messages it
// causes.
func (s *Store) FlagItem(ctx context.Context, n NewItem) (item items.Item, created bool, err error) {
	at := n.At.UTC()
	row := itemRow{
		Shop: n.Shop, OrderID: n.OrderID, Type: n.Type, OpenKey: openKey(n.Shop, n.OrderID, n.Type), Status: items.StatusOpen,
		Rating: n.Rating, Product: n.Product, Text: n.Text, Channel: n.Channel, CSChannel: n.CSChannel,
		FlaggedBy: n.FlaggedBy, FlaggedAt: at, Deadline: n.Deadline.UTC(), UpdatedAt: at,
	}
	if n.NextAlertAt != nil {
		next := n.NextAlertAt.UTC()
		row.NextAlertAt = &next
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// A resolve may free the key between the insert and the read; the
		// next round then opens a new item.
		for range 3 {
			// Look first, so that flagging again does not use up an ID;
			// the unique key still decides between racing flags.
			var open []itemRow
			if err := tx.Where("open_key = ?", *row.OpenKey).Limit(1).Find(&open).Error; err != nil {
				return fmt.Errorf("find the open item: %w", err)
			}
			if len(open) == 1 {
				return s.noteItem(tx, open[0], n, at, &item)
			}
			fresh := row
			res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "open_key"}}, DoNothing: true}).Create(&fresh)
			if res.Error != nil {
				return fmt.Errorf("insert: %w", res.Error)
			}
			if res.RowsAffected == 1 {
				item, created = fresh.item(), true
				return tx.Create(&eventRow{ItemID: fresh.ID, At: at, Actor: n.FlaggedBy, Kind: items.EventFlagged, Note: n.Text}).Error
			}
			// Another flag won the race; the next round finds its item.
		}
		return errors.New("the open item kept changing; try again")
	})
	if err != nil {
		return items.Item{}, false, fmt.Errorf("flag %s item for order %s: %w", n.Type, n.OrderID, err)
	}
	return item, created, nil
}

// noteItem adds the text of a repeated flag to the open item as a note;
// nothing else of the item changes.
func (s *Store) noteItem(tx *gorm.DB, it itemRow, n NewItem, at time.Time, out *items.Item) error {
	*out = it.item()
	if n.Text == "" {
		return nil
	}
	res := tx.Model(&itemRow{}).Where("id = ?", it.ID).Updates(map[string]any{
		"notes": gorm.Expr("notes + 1"), "last_note": n.Text, "updated_at": at,
	})
	if res.Error != nil {
		return fmt.Errorf("add note to item %d: %w", it.ID, res.Error)
	}
	out.Notes++
	out.LastNote = n.Text
	return tx.Create(&eventRow{ItemID: it.ID, At: at, Actor: n.FlaggedBy, Kind: items.EventNoted, Note: n.Text}).Error
}

// TrackedItem reads an item.
func (s *Store) TrackedItem(ctx context.Context, id uint64) (items.Item, error) {
	row, err := byID[itemRow](s.db.WithContext(ctx), "item", id)
	return row.item(), err
}

// ItemEvents is an item's history, oldest first.
func (s *Store) ItemEvents(ctx context.Context, id uint64) ([]items.Event, error) {
	q := s.db.WithContext(ctx).Where("item_id = ?", id).Order("at, id")
	return listed(q, 0, fmt.Sprintf("history of item %d", id), eventRow.event)
}

// ItemFilter narrows the open items; zero fields match everything.
type ItemFilter struct {
	Shop, Type, Assignee string
	Limit                int
}

// pairs are the filter's columns and values.
func (f ItemFilter) pairs() []string {
	return []string{"shop", f.Shop, "type", f.Type, "assignee", f.Assignee}
}

// OpenItems lists open items, the nearest deadline first.
func (s *Store) OpenItems(ctx context.Context, f ItemFilter) ([]items.Item, error) {
	q := whereEqual(s.db.WithContext(ctx).Where("status = ?", items.StatusOpen).Order("deadline, id"), f.pairs()...)
	return listed(q, f.Limit, "open items", itemRow.item)
}

// CountOpenItems counts what OpenItems would list without a limit.
func (s *Store) CountOpenItems(ctx context.Context, f ItemFilter) (int64, error) {
	q := whereEqual(s.db.WithContext(ctx).Model(&itemRow{}).Where("status = ?", items.StatusOpen), f.pairs()...)
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count open items: %w", err)
	}
	return n, nil
}

// change updates an open item under a condition and records the event;
// it reports whether a row changed, and returns the item as it is after.
func (s *Store) change(ctx context.Context, id uint64, what string, cond func(*gorm.DB) *gorm.DB, set map[string]any, ev eventRow) (items.Item, bool, error) {
	var it itemRow
	changed := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Model(&itemRow{}).Where("id = ? AND status = ?", id, items.StatusOpen)
		if cond != nil {
			q = cond(q)
		}
		res := q.Updates(set)
		if res.Error != nil {
			return res.Error
		}
		changed = res.RowsAffected == 1
		if err := tx.First(&it, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("item %d: %w", id, ErrNotFound)
			}
			return err
		}
		if !changed {
			if !it.item().Open() {
				return items.ErrClosed
			}
			return nil
		}
		ev.ItemID = id
		return tx.Create(&ev).Error
	})
	if err != nil {
		return it.item(), false, fmt.Errorf("%s item %d: %w", what, id, err)
	}
	return it.item(), changed, nil
}

// TakeItem assigns an open item to user, if it is held by from now ("" for
// nobody): the holder that the caller authorised against, so a take that
// raced another changes nothing. changed is false when it was not held by
// from (or was the user's already). items.ErrClosed when it is resolved.
func (s *Store) TakeItem(ctx context.Context, id uint64, user, from string, at time.Time) (items.Item, bool, error) {
	at = at.UTC()
	ev := eventRow{At: at, Actor: user, Kind: items.EventTaken}
	return s.change(ctx, id, "take",
		func(q *gorm.DB) *gorm.DB { return q.Where("assignee = ? AND assignee <> ?", from, user) },
		map[string]any{"assignee": user, "taken_at": at, "updated_at": at},
		ev)
}

// EscalateItem records that user escalated an open item to the managers;
// changed is false when it was escalated already.
func (s *Store) EscalateItem(ctx context.Context, id uint64, user, note string, at time.Time) (items.Item, bool, error) {
	at = at.UTC()
	return s.change(ctx, id, "escalate",
		func(q *gorm.DB) *gorm.DB { return q.Where("escalated_at IS NULL") },
		map[string]any{"escalated_by": user, "escalated_at": at, "updated_at": at},
		eventRow{At: at, Actor: user, Kind: items.EventEscalated, Note: note})
}

// ResolveItem closes an open item with a note: no alert follows, and the
// order may be flagged again. items.ErrClosed when it was resolved already.
func (s *Store) ResolveItem(ctx context.Context, id uint64, user, note string, at time.Time) (items.Item, error) {
	at = at.UTC()
	it, _, err := s.change(ctx, id, "resolve", nil,
		map[string]any{
			"status": items.StatusResolved, "open_key": nil, "next_alert_at": nil,
			"resolved_at": at, "resolved_by": user, "resolution": note, "updated_at": at,
		},
		eventRow{At: at, Actor: user, Kind: items.EventResolved, Note: note})
	return it, err
}

// DueItems lists open items whose next alert is due by now, the earliest
// first; the partial index on next_alert_at makes this cost the number
// due.
func (s *Store) DueItems(ctx context.Context, now time.Time, limit int) ([]items.Item, error) {
	var out []itemRow
	err := s.db.WithContext(ctx).Where("next_alert_at IS NOT NULL AND next_alert_at <= ?", now.UTC()).
		Order("next_alert_at, id").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("due items: %w", err)
	}
	return mapped(out, itemRow.item), nil
}

// NextItemAlert is the earliest alert time after `after`.
func (s *Store) NextItemAlert(ctx context.Context, after time.Time) (time.Time, bool, error) {
	var out []itemRow
	err := s.db.WithContext(ctx).Select("next_alert_at").Where("next_alert_at IS NOT NULL AND next_alert_at > ?", after.UTC()).
		Order("next_alert_at").Limit(1).Find(&out).Error
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next item alert: %w", err)
	}
	if len(out) == 0 || out[0].NextAlertAt == nil {
		return time.Time{}, false, nil
	}
	return *out[0].NextAlertAt, true, nil
}

// Alert is an alert claimed for sending.
type Alert struct {
	Seq     int        // the alert's number (see sla.Schedule)
	Kind    string     // items.EventWarned, EventBreached, EventReminded, or "" to only reschedule
	At      time.Time  // when it was sent
	Late    bool       // sent late, after downtime
	NextSeq int        // the item's next alert number
	NextAt  *time.Time // and its time; nil when none follows
}

// ClaimItemAlert records that an alert of an item is sent, if the item is
// still open and its next alert is still seq: of callers racing for the
// same alert (a repeated tick, another replica), exactly one gets true.
// Enqueue the alert in the same transaction. An Alert without a Kind
// only moves the item's schedule (the policy changed) and records nothing.
func (s *Store) ClaimItemAlert(ctx context.Context, id uint64, seq int, a Alert) (bool, error) {
	at := a.At.UTC()
	set := map[string]any{"alert_seq": a.NextSeq, "next_alert_at": nil}
	if a.NextAt != nil {
		set["next_alert_at"] = a.NextAt.UTC()
	}
	if a.Kind == items.EventBreached {
		set["breached_at"] = at
	}
	claimed := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&itemRow{}).Where("id = ? AND status = ? AND alert_seq = ?", id, items.StatusOpen, seq).Updates(set)
		if res.Error != nil || res.RowsAffected != 1 {
			return res.Error
		}
		claimed = true
		if a.Kind == "" {
			return nil
		}
		return tx.Create(&eventRow{ItemID: id, At: at, Kind: a.Kind, Late: a.Late}).Error
	})
	if err != nil {
		return false, fmt.Errorf("claim alert %d of item %d: %w", seq, id, err)
	}
	if claimed && a.Kind != "" {
		kind := map[string]string{items.EventWarned: "warning", items.EventBreached: "breach", items.EventReminded: "reminder"}[a.Kind]
		if kind == "" {
			kind = a.Kind
		}
		s.afterCommit(func() { s.observer().SLAAlert(kind) })
	}
	return claimed, nil
}

// ItemRecord is what the database holds of the 24-hour rule over a range:
// counts, and the resolution times the tracked feature summarizes.
type ItemRecord struct {
	Opened int64 // flagged in the range
	Open   int64 // open at the end of the range
	// Breached counts items whose deadline fell in the range (before now)
	// and that were not resolved by it.
	Breached int64
	// Resolutions are the times the items resolved in the range took,
	// from flagging, shortest first.
	Resolutions []time.Duration
}

// ItemRecord reads the record of one shop (all shops when empty) and
// type (all when empty) over [from, to), as of now.
func (s *Store) ItemRecord(ctx context.Context, shop, typ string, from, to, now time.Time) (ItemRecord, error) {
	from, to, now = from.UTC(), to.UTC(), now.UTC()
	var st ItemRecord
	scope := func() *gorm.DB {
		// A withdrawn item was flagged by mistake: it counts nowhere.
		q := s.db.WithContext(ctx).Model(&itemRow{}).Where("status <> ?", items.StatusWithdrawn)
		if shop != "" {
			q = q.Where("shop = ?", shop)
		}
		if typ != "" {
			q = q.Where("type = ?", typ)
		}
		return q
	}
	if err := scope().Where("flagged_at >= ? AND flagged_at < ?", from, to).Count(&st.Opened).Error; err != nil {
		return st, fmt.Errorf("count opened items: %w", err)
	}
	if err := scope().Where("flagged_at < ? AND (resolved_at IS NULL OR resolved_at >= ?)", to, to).Count(&st.Open).Error; err != nil {
		return st, fmt.Errorf("count open items: %w", err)
	}
	end := to
	if now.Before(end) {
		end = now
	}
	if err := scope().Where("deadline >= ? AND deadline < ? AND (resolved_at IS NULL OR resolved_at > deadline)", from, end).
		Count(&st.Breached).Error; err != nil {
		return st, fmt.Errorf("count breached items: %w", err)
	}
	var resolved []itemRow
	if err := scope().Select("flagged_at", "resolved_at").Where("resolved_at >= ? AND resolved_at < ?", from, to).
		Find(&resolved).Error; err != nil {
		return st, fmt.Errorf("read resolved items: %w", err)
	}
	durs := make([]time.Duration, 0, len(resolved))
	for _, it := range resolved {
		if it.ResolvedAt != nil {
			durs = append(durs, it.ResolvedAt.Sub(it.FlaggedAt))
		}
	}
	slices.Sort(durs)
	st.Resolutions = durs
	return st, nil
}
