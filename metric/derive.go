package metric

import (
	"strings"

	"opsbot/exact"
	"opsbot/i18n"
)

// Day holds one day's logged values by metric key; a key that is absent was
// not logged, which is not the same as zero.
type Day map[string]int64

// Unit says how a value is scaled and shown; the arithmetic and the
// rounding are package exact's.
type Unit = exact.Unit

// Units of figures.
const (
	UnitCount = exact.Count   // a whole number
	UnitMoney = exact.Money   // fen
	UnitRate  = exact.Percent // a fraction, shown as a percentage
	UnitRatio = exact.Ratio   // ROI: sales per unit of cost, shown as 1:4.20
	// UnitPercent is a logged share in basis points: 31.71% is 3171.
	UnitPercent = exact.BasisPoints
	// UnitDuration is a logged length of time in seconds: 1:35 is 95.
	UnitDuration = exact.Seconds
)

// Derived is one KPI computed from a day's (or a period's) values. OK is
// false when an input is missing or a divisor is zero; it is then shown
// as "—", and Missing names the inputs that were not logged.
type Derived struct {
	Key      string
	Name     i18n.Text
	Unit     Unit
	Decimals int       // for rates: decimals of the percentage shown
	Value    exact.Num // exact, never rounded; Missing when not OK
	OK       bool
	Missing  []string // keys of inputs not logged, in formula order
	// Apart is set, over several days, when every input was logged on
	// some day but never all on the same day (Missing then lists them all).
	Apart bool
	Grade Grade // for ROI
	// JustUnder is, for an ROI whose two decimals round up to a grade's
	// boundary (1:3.00) while the exact ratio is below it, that boundary
	// (3); the grade is the lower one, and the reader is told why.
	JustUnder int
}

// Grade is the ROI verdict of the team's rule of thumb.
type Grade string

// Grades, from the lowest.
const (
	GradeNone      Grade = ""
	GradeFail      Grade = "fail"
	GradePass      Grade = "pass"
	GradeGood      Grade = "good"
	GradeExcellent Grade = "excellent"
)

// gradeFloors are the grades' lower bounds, best first.
var gradeFloors = []struct {
	at    int64
	grade Grade
}{{5, GradeExcellent}, {4, GradeGood}, {3, GradePass}}

// roiGrade grades an exact ROI: below 1:3 fails, from 1:3 passes, from
// 1:4 is good, from 1:5 excellent. It compares the exact ratio, never the
// rounded one: 29,995 ÷ 10,000 shows as 1:3.00 and fails.
func roiGrade(roi exact.Num) Grade {
	if !roi.OK() {
		return GradeNone
	}
	for _, f := range gradeFloors {
		if roi.Cmp(exact.Int(f.at)) >= 0 {
			return f.grade
		}
	}
	return GradeFail
}

// justUnder is the grade boundary an ROI's display rounds up to while the
// exact ratio is below it, or 0.
func justUnder(roi exact.Num) int {
	if !roi.OK() {
		return 0
	}
	shown := exact.Round(roi, 2)
	for _, f := range gradeFloors {
		if shown.Int64() == f.at*100 && shown.IsInt64() && roi.Cmp(exact.Int(f.at)) < 0 {
			return int(f.at)
		}
	}
	return 0
}

// minItemsForSellThrough: with fewer items online the ratio says nothing.
const minItemsForSellThrough = 10

// Keys of the derived KPIs, in the order they are shown.
const (
	KeyPaymentRate    = "payment_rate"
	KeyConversionRate = "conversion_rate"
	KeyAOV            = "aov"
	KeyInquiryClose   = "inquiry_close_rate"
	KeyRefundRate     = "refund_rate"
	KeyAdSpend        = "ad_spend"
	KeyOperatingCost  = "operating_cost"
	KeyROI            = "roi"
	KeySellThrough    = "sell_through"
	KeyUVValue        = "uv_value"
)

var (
	adKeys   = []string{"ad_search", "ad_display", "ad_affiliate"}
	costKeys = []string{"ad_search", "ad_display", "ad_affiliate", "shipping_cost", "discounts"}
)

// formula is one KPI: its inputs, and how it is computed from their values
// once all are known.
type formula struct {
	key      string
	name     i18n.Text
	unit     Unit
	decimals int
	inputs   []string
	compute  func(v map[string]exact.Num) exact.Num
}

func ratio(num, den string) func(v map[string]exact.Num) exact.Num {
	return func(v map[string]exact.Num) exact.Num { return v[num].Div(v[den]) }
}

func total(keys []string) func(v map[string]exact.Num) exact.Num {
	return func(v map[string]exact.Num) exact.Num {
		xs := make([]exact.Num, len(keys))
		for i, k := range keys {
			xs[i] = v[k]
		}
		return exact.All(xs...)
	}
}

var formulas = []formula{
	{KeyPaymentRate, i18n.Text{En: "Payment rate", Zh: "付款率"}, UnitRate, 1, []string{"paid", "orders"}, ratio("paid", "orders")},
	{KeyConversionRate, i18n.Text{En: "Conversion rate", Zh: "转化率"}, UnitRate, 2, []string{"paid", "uv"}, ratio("paid", "uv")},
	{KeyAOV, i18n.Text{En: "Average order value", Zh: "客单价"}, UnitMoney, 0, []string{"sales", "paid"}, ratio("sales", "paid")},
	{KeyInquiryClose, i18n.Text{En: "Inquiry close rate", Zh: "询单转化率"}, UnitRate, 1, []string{"inquiry_orders", "inquiries"}, ratio("inquiry_orders", "inquiries")},
	{KeyRefundRate, i18n.Text{En: "Refund rate", Zh: "退款率"}, UnitRate, 1, []string{"refunds", "paid"}, ratio("refunds", "paid")},
	{KeyAdSpend, i18n.Text{En: "Ad spend", Zh: "推广花费"}, UnitMoney, 0, adKeys, total(adKeys)},
	{KeyOperatingCost, i18n.Text{En: "Operating cost", Zh: "运营成本"}, UnitMoney, 0, costKeys, total(costKeys)},
	{KeyUVValue, i18n.Text{En: "UV value", Zh: "UV价值"}, UnitMoney, 0, []string{"sales", "uv"}, ratio("sales", "uv")},
	{KeyROI, i18n.Text{En: "ROI", Zh: "投产比"}, UnitRatio, 2, append([]string{"sales"}, costKeys...), func(v map[string]exact.Num) exact.Num {
		return v["sales"].Div(total(costKeys)(v))
	}},
	{KeySellThrough, i18n.Text{En: "Sell-through (30 days)", Zh: "动销率"}, UnitRate, 1, []string{"items_sold_30d", "items_online"}, func(v map[string]exact.Num) exact.Num {
		if v["items_online"].Cmp(exact.Int(minItemsForSellThrough)) < 0 {
			return exact.Missing
		}
		return v["items_sold_30d"].Div(v["items_online"])
	}},
}

// DeriveAll computes every KPI of a day, in display order.
func DeriveAll(d Day) []Derived {
	v := make(map[string]exact.Num, len(d))
	for k, x := range d {
		v[k] = exact.Int(x)
	}
	return Derive(v)
}

// Derive computes every KPI from known values by key (a day's figures, or
// a period's totals), in display order. A KPI whose inputs are not all
// known is not computed, and says which are missing: an input not logged
// is never taken as zero.
func Derive(v map[string]exact.Num) []Derived {
	out := make([]Derived, len(formulas))
	for i, f := range formulas {
		d := Derived{Key: f.key, Name: f.name, Unit: f.unit, Decimals: f.decimals}
		for _, in := range f.inputs {
			if !v[in].OK() {
				d.Missing = append(d.Missing, in)
			}
		}
		if len(d.Missing) == 0 {
			d.Value = f.compute(v)
			d.OK = d.Value.OK()
		}
		if f.key == KeyROI {
			d.Grade = roiGrade(d.Value)
			d.JustUnder = justUnder(d.Value)
		}
		out[i] = d
	}
	return out
}

// Progress is how far a value is towards a target, as a fraction; Missing
// when either is missing or the target is not positive.
func Progress(value, target exact.Num) exact.Num {
	if target.Sign() <= 0 {
		return exact.Missing
	}
	return value.Div(target)
}

// BelowHalf applies the team's rule that at least 50% of the day's target
// must be reached, exactly (a rounded percentage would let 49.99998% pass).
func BelowHalf(value, target exact.Num) bool {
	if !value.OK() || target.Sign() <= 0 {
		return false
	}
	return value.MulInt(2).Cmp(target) < 0
}

// DailyTarget is a monthly target's exact share of one day.
func DailyTarget(monthly int64, daysInMonth int) exact.Num {
	return exact.Share(monthly, 1, daysInMonth)
}

// targetTooSmall reports whether a monthly target is too small to split
// over the month: its daily share would show as 0.
func targetTooSmall(monthly int64, daysInMonth int) bool {
	return exact.RoundInt(DailyTarget(monthly, daysInMonth)).Sign() == 0
}

// Dash is what a value that cannot be computed shows.
const Dash = exact.Dash

// FormatRate shows a fraction num ÷ den as a percentage with the given
// decimals, rounded once.
func FormatRate(num, den int64, decimals int) string {
	return exact.Format(UnitRate, decimals, exact.Frac(num, den))
}

// Format shows a logged value of a unit for people; money as ¥1,234.50.
func Format(unit Unit, decimals int, v int64) string {
	return exact.Format(unit, decimals, exact.Int(v))
}

// String shows the KPI's value, or "—" when it cannot be computed.
func (d Derived) String() string {
	if !d.OK {
		return Dash
	}
	return exact.Format(d.Unit, d.Decimals, d.Value)
}

// UnitOf is the display unit of a logged metric.
func UnitOf(k Kind) Unit {
	switch k {
	case Money:
		return UnitMoney
	case Percent:
		return UnitPercent
	case Duration:
		return UnitDuration
	}
	return UnitCount
}

// Gap is a group of KPIs that could not be computed because the same
// inputs were not logged.
type Gap struct {
	KPIs   []i18n.Text
	Inputs []string // metric keys
	Apart  bool     // each was logged, but never all on the same day
}

// Gaps groups the KPIs left uncomputed by inputs that were not logged, so
// a reply can say which inputs are missing ("Ad spend, Operating cost,
// ROI: needs Display ads, Affiliate"), in display order.
func Gaps(ds []Derived) []Gap {
	var out []Gap
	index := map[string]int{}
	for _, d := range ds {
		if d.OK || len(d.Missing) == 0 {
			continue
		}
		sig := strings.Join(d.Missing, ",")
		if d.Apart {
			sig += ",apart"
		}
		i, ok := index[sig]
		if !ok {
			i = len(out)
			index[sig] = i
			out = append(out, Gap{Inputs: d.Missing, Apart: d.Apart})
		}
		out[i].KPIs = append(out[i].KPIs, d.Name)
	}
	return out
}

// LookupKPI finds a derived KPI by its key or its name in either
// language, in any case: uv_value, UV价值, conversion rate.
func LookupKPI(name string) (Derived, bool) {
	n := fold(name)
	for _, f := range formulas {
		if fold(f.key) == n || fold(f.name.En) == n || fold(f.name.Zh) == n {
			return Derived{Key: f.key, Name: f.name, Unit: f.unit, Decimals: f.decimals, Value: exact.Missing}, true
		}
	}
	return Derived{}, false
}
