package stock

import (
	"fmt"
	"strings"

	"opsbot/civil"
	"opsbot/i18n"
)

// Windows of the averages, in days.
const (
	shortWindow = 7
	longWindow  = 28
)

// Status of an SKU, worst first.
type Status string

// Statuses.
const (
	StatusOut  Status = "out"
	StatusLow  Status = "low"
	StatusSlow Status = "slow"
	StatusOK   Status = "ok"
	StatusNew  Status = "new" // never counted: nothing known about its stock
)

// Position is an SKU's numbers on a day, in whole units: everything the
// arithmetic needs, and nothing it has to look up.
type Position struct {
	OnHand, InTransit int64
	Counted           bool // a count, an arrival or an import set on hand
	// Sold7 and Sold28 are the units sold over the 7 and 28 days before
	// the day; Days7 and Days28 how many of those days the SKU had a
	// sales record (fewer for a new SKU). Days28 == 0: no history yet.
	Sold7, Sold28 int64
	Days7, Days28 int
	Lead, Safety  int   // days
	Review        int   // the review period, days
	CasePack      int64 // 1 when not set
	MinOrder      int64
	Slow          bool // no sale in the slow window
}

// window is how many days of a window ending the day before `day` lie on
// or after an SKU's first sales record.
func window(first string, day civil.Date, n int) int {
	if first == "" {
		return 0
	}
	f, err := civil.Parse(first)
	if err != nil {
		return 0
	}
	days := f.DaysUntil(day) // days from the first record to the day before `day`, inclusive
	return max(0, min(n, days))
}

// HasHistory reports whether any sales were ever recorded.
func (p Position) HasHistory() bool { return p.Days28 > 0 }

// Threshold is the cover below which the SKU warns: lead plus safety days.
func (p Position) Threshold() int { return p.Lead + p.Safety }

// Low reports whether on hand plus in transit covers fewer days than the
// threshold at the 28-day average: integer arithmetic, no rounding.
func (p Position) Low() bool {
	if !p.HasHistory() || p.Sold28 == 0 {
		return false
	}
	return (p.OnHand+p.InTransit)*int64(p.Days28) < int64(p.Threshold())*p.Sold28
}

// Status is the SKU's state: out, low, slow, ok, or new.
func (p Position) Status() Status {
	switch {
	case !p.Counted:
		return StatusNew
	case p.OnHand <= 0:
		return StatusOut
	case p.Low():
		return StatusLow
	case p.Slow:
		return StatusSlow
	}
	return StatusOK
}

// Suggestion is the order-up-to arithmetic of one SKU.
type Suggestion struct {
	Horizon int   // lead + review + safety days
	Need    int64 // units short of the order-up-to level, rounded up; may be ≤ 0
	Packed  int64 // Need rounded up to the case pack
	Qty     int64 // what to order: Packed, at least the minimum order, or 0
}

// Suggest computes: average daily sales × (lead + review + safety)
// − on hand − in transit, rounded up to the case pack, at least the
// minimum order, never below zero. ok is false without sales history.
func (p Position) Suggest() (Suggestion, bool) {
	if !p.HasHistory() {
		return Suggestion{}, false
	}
	s := Suggestion{Horizon: p.Lead + p.Review + p.Safety}
	d := int64(p.Days28)
	num := p.Sold28*int64(s.Horizon) - (p.OnHand+p.InTransit)*d
	s.Need = ceilDiv(num, d)
	if s.Need <= 0 {
		return s, true
	}
	pack := max(p.CasePack, 1)
	s.Packed = ceilDiv(s.Need, pack) * pack
	s.Qty = s.Packed
	if s.Qty < p.MinOrder {
		s.Qty = ceilDiv(p.MinOrder, pack) * pack
	}
	return s, true
}

// ceilDiv is ⌈a/b⌉ for b > 0, for negative a too.
func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a > 0 {
		q++
	}
	return q
}

// tenths writes num/den with one decimal, rounded half up: 12.5.
func tenths(num, den int64) string {
	if den <= 0 {
		return "—"
	}
	t := (num*10*2 + den) / (2 * den)
	return fmt.Sprintf("%d.%d", t/10, t%10)
}

// AvgText is the 28-day (or shorter) average, "12.5".
func (p Position) AvgText() string {
	if !p.HasHistory() {
		return "—"
	}
	return tenths(p.Sold28, int64(p.Days28))
}

// Avg7Text is the 7-day average.
func (p Position) Avg7Text() string {
	if p.Days7 == 0 {
		return "—"
	}
	return tenths(p.Sold7, int64(p.Days7))
}

// CoverText is days of cover: on hand ÷ the 28-day average; "—" without
// sales to divide by.
func (p Position) CoverText() string {
	if !p.HasHistory() || p.Sold28 == 0 {
		return "—"
	}
	return tenths(p.OnHand*int64(p.Days28), p.Sold28)
}

// Explain says in one short phrase how a suggestion was reached, e.g.
// "28-day avg 12.5/day × 17 days − 140 on hand − 60 in transit = 13 →
// 24 (case 12) → 60 (min 50)".
func (p Position) Explain(tr i18n.Printer, s Suggestion) string {
	if !p.HasHistory() {
		return tr.T("stock.no_history")
	}
	var b strings.Builder
	b.WriteString(tr.T("stock.why_avg", p.Days28, p.AvgText(), s.Horizon, p.OnHand))
	if p.InTransit > 0 {
		b.WriteString(tr.T("stock.why_transit", p.InTransit))
	}
	if s.Need <= 0 {
		fmt.Fprintf(&b, " = %d → 0", s.Need)
		return b.String()
	}
	fmt.Fprintf(&b, " = %d", s.Need)
	if max(p.CasePack, 1) > 1 && s.Packed != s.Need {
		b.WriteString(tr.T("stock.why_case", s.Packed, p.CasePack))
	}
	if s.Qty != s.Packed {
		b.WriteString(tr.T("stock.why_min", s.Qty, p.MinOrder))
	}
	return b.String()
}
