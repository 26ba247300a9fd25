package stock

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/store"
)

// Kinds of stock movement.
const (
	moveSet    = "set"    // a count of what is on hand (at the start of its day)
	moveArrive = "arrive" // goods received: on hand up, open orders closed oldest first
	moveOrder  = "order"  // goods ordered: in transit until they arrive
	moveSold   = "sold"   // a day's unit sales
	moveImport = "import" // a day's sales and stock from a file
)

// move is one change asked for.
type move struct {
	kind string
	code string
	qty  int64
	date civil.Date // the day of a count or of sales; an order's ETA
	// stock, for an import line that also gives the stock (-1: none).
	stock int64
}

// applied is what a move did, for the reply.
type applied struct {
	code, name        string
	kind              string
	qty, old          int64 // old: the day's earlier sales figure (sold), -1 when none
	onHand, inTransit int64
	eta               string
	clamped           bool // sales exceeded on hand, which stopped at zero
}

// apply runs moves in one transaction with the warnings they cause: all
// of them or none. Unknown SKUs were refused before.
func (f *Feature) apply(ctx context.Context, actor, shop string, at time.Time, moves []move) ([]applied, error) {
	today := f.today(at)
	var out []applied
	queued := false
	err := f.st.Tx(ctx, func(tx *store.Store) error {
		out = out[:0]
		queued = false
		for _, m := range moves {
			it, err := tx.StockItem(ctx, shop, m.code)
			if err != nil {
				return err
			}
			res, err := f.applyOne(ctx, tx, actor, at, &it, m)
			if err != nil {
				return err
			}
			q, err := f.checkWarn(ctx, tx, it, today)
			if err != nil {
				return err
			}
			queued = queued || q
			out = append(out, res)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if queued {
		f.Notify()
	}
	return out, nil
}

func (f *Feature) applyOne(ctx context.Context, tx *store.Store, actor string, at time.Time, it *store.StockItem, m move) (applied, error) {
	res := applied{code: it.Code, name: it.Name, kind: m.kind, qty: m.qty, old: -1}
	day := m.date.String()
	note := ""
	switch m.kind {
	case moveSet:
		it.OnHand, it.Counted, it.CountedOn = m.qty, true, day
	case moveArrive:
		it.OnHand += m.qty
		it.Counted = true
		if err := f.closeOrders(ctx, tx, it, m.qty, at); err != nil {
			return res, err
		}
	case moveOrder:
		o := store.StockOrder{ItemID: it.ID, Open: true, Qty: m.qty, Remaining: m.qty, ETA: day}
		if err := tx.SaveStockOrder(ctx, &o); err != nil {
			return res, err
		}
		it.InTransit += m.qty
		if it.NextETA == "" || day < it.NextETA {
			it.NextETA = day
		}
	case moveSold, moveImport:
		if m.qty >= 0 { // an import without a sales column gives only stock
			old, clamped, err := f.logSale(ctx, tx, it, day, m.qty, m.kind == moveImport && m.stock >= 0)
			if err != nil {
				return res, err
			}
			res.old, res.clamped = old, clamped
			if clamped {
				note = "sales exceeded on hand; on hand stopped at 0"
			}
		}
		if m.kind == moveImport && m.stock >= 0 {
			// The file's stock is what was left at the end of its day.
			it.OnHand, it.Counted, it.CountedOn = m.stock, true, m.date.AddDays(1).String()
		}
	default:
		return res, fmt.Errorf("stock move %q", m.kind)
	}
	if err := tx.SaveStockItem(ctx, it); err != nil {
		return res, err
	}
	res.onHand, res.inTransit, res.eta = it.OnHand, it.InTransit, it.NextETA
	mv := store.StockMove{ItemID: it.ID, At: at, Actor: actor, Kind: m.kind, Qty: m.qty, Date: day, OnHand: it.OnHand, InTransit: it.InTransit, Note: note}
	return res, tx.AddStockMove(ctx, &mv)
}

// logSale stores a day's sales, keeps the SKU's first and last sale days
// and kept sums right, and takes the sales off on hand when they come
// after the last count (unless a count of the same day follows: recount).
// old is the day's previous figure, -1 when none.
func (f *Feature) logSale(ctx context.Context, tx *store.Store, it *store.StockItem, day string, qty int64, recount bool) (old int64, clamped bool, err error) {
	prev, had, err := tx.StockSaleOn(ctx, it.ID, day)
	if err != nil {
		return -1, false, err
	}
	old = -1
	if had {
		old = prev
	}
	if err := tx.SetStockSale(ctx, it.ID, day, qty); err != nil {
		return old, false, err
	}
	adjustSums(it, day, old, qty)
	if it.FirstSaleOn == "" || day < it.FirstSaleOn {
		it.FirstSaleOn = day
	}
	if qty > 0 && day > it.LastSaleOn {
		it.LastSaleOn = day
	} else if qty == 0 && day == it.LastSaleOn {
		if it.LastSaleOn, err = tx.LastStockSale(ctx, it.ID, day); err != nil {
			return old, false, err
		}
	}
	// A count is the stock at the start of its day: sales of that day and
	// later come off it; earlier ones are in it already.
	if !recount && it.Counted && day >= it.CountedOn {
		it.OnHand -= qty - max(old, 0)
		if it.OnHand < 0 {
			it.OnHand, clamped = 0, true
		}
	}
	return old, clamped, nil
}

// closeOrders takes an arrival off the open orders, oldest ETA first, and
// recomputes what is still in transit.
func (f *Feature) closeOrders(ctx context.Context, tx *store.Store, it *store.StockItem, qty int64, at time.Time) error {
	orders, err := tx.OpenStockOrders(ctx, it.ID)
	if err != nil {
		return err
	}
	it.InTransit, it.NextETA = 0, ""
	for i := range orders {
		o := &orders[i]
		take := min(qty, o.Remaining)
		qty -= take
		o.Remaining -= take
		if take > 0 {
			if o.Remaining == 0 {
				o.Open = false
				closed := at.UTC()
				o.ClosedAt = &closed
			}
			if err := tx.SaveStockOrder(ctx, o); err != nil {
				return err
			}
		}
		if o.Open {
			it.InTransit += o.Remaining
			if it.NextETA == "" {
				it.NextETA = o.ETA
			}
		}
	}
	return nil
}

// warnState is the warning an SKU's position calls for: "out", "low" or
// none.
func warnState(p Position) string {
	switch p.Status() {
	case StatusOut:
		return string(StatusOut)
	case StatusLow:
		return string(StatusLow)
	}
	return ""
}

// checkWarn posts a warning when an SKU crosses into low or out, once per
// crossing: the item's warn column records the last warning, and the
// conditional update that changes it decides who posts, in the same
// transaction as the message. Recovering clears it silently, so the next
// crossing warns again; going from out back to low is not a new crossing.
func (f *Feature) checkWarn(ctx context.Context, tx *store.Store, it store.StockItem, today civil.Date) (bool, error) {
	pos, err := f.itemPosition(ctx, tx, it, today)
	if err != nil {
		return false, err
	}
	want := warnState(pos)
	if want == it.Warn {
		return false, nil
	}
	won, err := tx.ClaimStockWarn(ctx, it.ID, it.Warn, want)
	if err != nil || !won {
		return false, err
	}
	post := want == "out" || (want == "low" && it.Warn == "")
	if !post {
		return false, nil
	}
	reply := f.warning(it, pos, want, today)
	_, err = chat.Enqueue(ctx, tx, store.Outgoing{Channel: f.channel(), Op: store.OpPost}, reply)
	return err == nil, err
}

// warning is the message of a crossing.
func (f *Feature) warning(it store.StockItem, pos Position, state string, today civil.Date) chat.Reply {
	name := skuLabel(it)
	var text string
	if state == "out" {
		text = f.Tr.T("stock.warn_out", name)
	} else {
		text = f.Tr.T("stock.warn_low", name, pos.CoverText(), pos.Threshold(), pos.OnHand, pos.AvgText())
	}
	switch {
	case it.InTransit > 0 && it.NextETA < today.String():
		text += " " + f.Tr.T("stock.warn_overdue", it.InTransit, it.NextETA)
	case it.InTransit > 0:
		text += " " + f.Tr.T("stock.warn_transit", it.InTransit, it.NextETA)
	default:
		text += " " + f.Tr.T("stock.warn_none_transit")
	}
	plain := f.Tr.T("stock.warn_plain_"+state, it.Code)
	return chat.Reply{Text: plain, Blocks: []slack.Block{chat.Section(text)}}
}

// skuLabel is an SKU as messages name it: *A100* Linen shirt (escaped).
func skuLabel(it store.StockItem) string {
	if it.Name == "" {
		return "*" + chat.Escape(it.Code) + "*"
	}
	return "*" + chat.Escape(it.Code) + "* " + chat.Escape(chat.Truncate(it.Name, 60))
}

// errUnknown is returned for an SKU the shop does not have.
var errUnknown = errors.New("unknown SKU")
