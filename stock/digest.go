package stock

import (
	"context"
	"strings"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/report"
)

// digestNames is how many SKUs a digest line names before counting.
const digestNames = 10

// DigestSection is the stock part of a shop's daily digest about `day`,
// as the stock stands when it is read (the day after): SKUs out and low,
// hot SKUs whose cover will not last to the next delivery, and the
// sell-through from SKU data. Nil when the shop keeps no SKUs.
func (f *Feature) DigestSection(ctx context.Context, shop string, day civil.Date) (*report.StockSection, error) {
	if err := f.sync(ctx); err != nil {
		return nil, err
	}
	read := day.AddDays(1)
	rows, err := f.shopRows(ctx, shop, read)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	var out, low, short []string
	hot := topRows(rows, f.Cfg.Stock.HotItems)
	for _, r := range rows {
		switch r.pos.Status() {
		case StatusOut:
			out = append(out, f.digestName(r, false))
		case StatusLow:
			low = append(low, f.digestName(r, true))
		}
	}
	for _, r := range hot {
		if s := r.pos.Status(); s == StatusOut || s == StatusLow {
			continue
		}
		if f.shortUntilDelivery(r, read) {
			short = append(short, f.digestName(r, true))
		}
	}
	st := f.sellThrough(rows)
	sec := &report.StockSection{Online: st.Online, Sold: st.Sold}
	add := func(key string, names []string) {
		if len(names) == 0 {
			return
		}
		more := ""
		if len(names) > digestNames {
			more = " " + f.Tr.T("stock.more", len(names)-digestNames)
			names = names[:digestNames]
		}
		sec.Lines = append(sec.Lines, f.Tr.T(key, len(names), strings.Join(names, ", ")+more))
	}
	add("stock.digest_out", out)
	add("stock.digest_low", low)
	add("stock.digest_hot_short", short)
	if len(out)+len(low)+len(short) == 0 {
		sec.Lines = append(sec.Lines, f.Tr.T("stock.digest_ok", len(rows)))
	}
	sec.Lines = append(sec.Lines, f.sellThroughText(st))
	return sec, nil
}

// shortUntilDelivery reports whether on hand will run out before the
// next goods can arrive: the open order's ETA when one is in transit,
// else an order placed at the next sheet (review period plus lead time),
// with the safety days kept.
func (f *Feature) shortUntilDelivery(r row, day civil.Date) bool {
	p := r.pos
	if p.Sold28 == 0 {
		return false
	}
	wait := p.Review + p.Lead + p.Safety
	if p.InTransit > 0 {
		if eta, err := civil.Parse(r.item.NextETA); err == nil {
			wait = max(0, day.DaysUntil(eta)) + p.Safety
		}
	}
	return p.OnHand*int64(p.Days28) < int64(wait)*p.Sold28
}

// digestName is an SKU in a digest line, with its cover and ETA.
func (f *Feature) digestName(r row, cover bool) string {
	s := "`" + chat.Escape(r.item.Code) + "`"
	var notes []string
	if cover {
		notes = append(notes, f.Tr.T("stock.cover_days", r.pos.CoverText()))
	}
	if r.item.InTransit > 0 {
		notes = append(notes, f.Tr.T("stock.eta", r.item.NextETA))
	}
	if len(notes) > 0 {
		s += " (" + strings.Join(notes, ", ") + ")"
	}
	return s
}

// SellThroughCounts is the SKU data behind a shop's sell-through as of a
// day: SKUs online, and SKUs with a sale in the slow window (30 days by
// default). online is 0 when the shop keeps no SKUs.
func (f *Feature) SellThroughCounts(ctx context.Context, shop string, day civil.Date) (online, sold int64, err error) {
	rows, err := f.shopRows(ctx, shop, day.AddDays(1))
	if err != nil {
		return 0, 0, err
	}
	st := f.sellThrough(rows)
	return st.Online, st.Sold, nil
}
