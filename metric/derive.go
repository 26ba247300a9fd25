package metric

import (
	"fmt"
	"math/big"
	"strings"

	"opsbot/i18n"
	"opsbot/money"
)

// Day holds one day's logged values by metric key; a key that is absent was
// not logged, which is not the same as zero.
type Day map[string]int64

// Unit says how a value is scaled and shown.
type Unit int

const (
	UnitCount    Unit = iota // a whole number
	UnitMoney                // fen
	UnitRate                 // parts per million: 2.00% is 20000
	UnitRatio                // hundredths: ROI 1:4.20 is 420
	UnitPercent              // basis points of a logged share: 31.71% is 3171
	UnitDuration             // seconds: 1:35 is 95
)

// Derived is one KPI computed from a day's values. OK is false when an
// input is missing or a divisor is zero; it is then shown as "—".
type Derived struct {
	Key      string
	Name     i18n.Text
	Unit     Unit
	Decimals int // for rates: decimals of the percentage shown
	Value    int64
	OK       bool
	Grade    Grade // for ROI
}

// Grade is the ROI verdict of the team's rule of thumb.
type Grade string

const (
	GradeNone      Grade = ""
	gradeFail      Grade = "fail"
	gradePass      Grade = "pass"
	GradeGood      Grade = "good"
	gradeExcellent Grade = "excellent"
)

// rOIGrade grades sales against cost exactly: below 1:3 fails, from 1:3
// passes, from 1:4 is good, from 1:5 excellent.
func rOIGrade(sales, cost int64) Grade {
	if cost <= 0 {
		return GradeNone
	}
	s, c := big.NewInt(sales), big.NewInt(cost)
	at := func(n int64) bool { return s.Cmp(new(big.Int).Mul(c, big.NewInt(n))) >= 0 }
	switch {
	case at(5):
		return gradeExcellent
	case at(4):
		return GradeGood
	case at(3):
		return gradePass
	default:
		return gradeFail
	}
}

// minItemsForSellThrough: with fewer items online the ratio says nothing.
const minItemsForSellThrough = 10

// Keys of the derived KPIs, in the order they are shown.
const (
	KeyPaymentRate    = "payment_rate"
	KeyConversionRate = "conversion_rate"
	keyAOV            = "aov"
	keyInquiryClose   = "inquiry_close_rate"
	KeyRefundRate     = "refund_rate"
	keyAdSpend        = "ad_spend"
	keyOperatingCost  = "operating_cost"
	KeyROI            = "roi"
	KeySellThrough    = "sell_through"
	KeyUVValue        = "uv_value"
)

// DeriveAll computes every KPI of a day, in display order.
func DeriveAll(d Day) []Derived {
	adSpend, adOK := sum(d, "ad_search", "ad_display", "ad_affiliate")
	cost, costOK := sum(d, "ad_search", "ad_display", "ad_affiliate", "shipping_cost", "discounts")
	out := []Derived{
		rate(d, KeyPaymentRate, i18n.Text{En: "Payment rate", Zh: "付款率"}, 1, "paid", "orders"),
		rate(d, KeyConversionRate, i18n.Text{En: "Conversion rate", Zh: "转化率"}, 2, "paid", "uv"),
		quotient(d, keyAOV, i18n.Text{En: "Average order value", Zh: "客单价"}, "sales", "paid"),
		rate(d, keyInquiryClose, i18n.Text{En: "Inquiry close rate", Zh: "询单转化率"}, 1, "inquiry_orders", "inquiries"),
		rate(d, KeyRefundRate, i18n.Text{En: "Refund rate", Zh: "退款率"}, 1, "refunds", "paid"),
		{Key: keyAdSpend, Name: i18n.Text{En: "Ad spend", Zh: "推广花费"}, Unit: UnitMoney, Value: adSpend, OK: adOK},
		{Key: keyOperatingCost, Name: i18n.Text{En: "Operating cost", Zh: "运营成本"}, Unit: UnitMoney, Value: cost, OK: costOK},
	}
	out = append(out, quotient(d, KeyUVValue, i18n.Text{En: "UV value", Zh: "UV价值"}, "sales", "uv"))
	roi := Derived{Key: KeyROI, Name: i18n.Text{En: "ROI", Zh: "投产比"}, Unit: UnitRatio}
	if sales, ok := d["sales"]; ok && costOK && cost > 0 {
		roi.Value = money.RoundDiv(big.NewInt(sales), big.NewInt(100), big.NewInt(cost))
		roi.OK = true
		roi.Grade = rOIGrade(sales, cost)
	}
	out = append(out, roi)
	st := rate(d, KeySellThrough, i18n.Text{En: "Sell-through (30 days)", Zh: "动销率"}, 1, "items_sold_30d", "items_online")
	if d["items_online"] < minItemsForSellThrough {
		st.OK = false
	}
	return append(out, st)
}

// Progress is how far a value is towards a target, in parts per million.
func Progress(value, target int64) (int64, bool) {
	if target <= 0 {
		return 0, false
	}
	return money.RoundDiv(big.NewInt(value), big.NewInt(1_000_000), big.NewInt(target)), true
}

// BelowHalf applies the team's rule that at least 50% of the day's target
// must be reached, exactly (a rounded percentage would let 49.99998% pass).
func BelowHalf(value, target int64) bool {
	if target <= 0 {
		return false
	}
	return new(big.Int).Mul(big.NewInt(value), big.NewInt(2)).Cmp(big.NewInt(target)) < 0
}

// DailyTarget splits a monthly target evenly over the month's days, to the
// unit (fen for money).
func DailyTarget(monthly int64, daysInMonth int) int64 {
	if daysInMonth <= 0 {
		return 0
	}
	return money.RoundDiv(big.NewInt(monthly), big.NewInt(1), big.NewInt(int64(daysInMonth)))
}

// rate is num/den in parts per million (a percentage with decimals).
func rate(d Day, key string, name i18n.Text, decimals int, num, den string) Derived {
	return ratioOf(d, Derived{Key: key, Name: name, Unit: UnitRate, Decimals: decimals}, 1_000_000, num, den)
}

// quotient is num/den in money (average order value, in fen).
func quotient(d Day, key string, name i18n.Text, num, den string) Derived {
	return ratioOf(d, Derived{Key: key, Name: name, Unit: UnitMoney}, 1, num, den)
}

// ratioOf fills out with num×scale/den, rounded, when both were logged
// and den is positive.
func ratioOf(d Day, out Derived, scale int64, num, den string) Derived {
	n, okN := d[num]
	m, okD := d[den]
	if okN && okD && m > 0 {
		out.Value = money.RoundDiv(big.NewInt(n), big.NewInt(scale), big.NewInt(m))
		out.OK = true
	}
	return out
}

// sum adds the keys that were logged; OK when at least one was.
func sum(d Day, keys ...string) (int64, bool) {
	var total int64
	ok := false
	for _, k := range keys {
		if v, has := d[k]; has {
			total += v
			ok = true
		}
	}
	return total, ok
}

// Dash is what a value that cannot be computed shows.
const Dash = "—"

// FormatRate shows parts per million as a percentage with the given decimals.
func FormatRate(ppm int64, decimals int) string {
	div := int64(1)
	for i := 0; i < 4-decimals; i++ {
		div *= 10
	}
	v := money.RoundDiv(big.NewInt(ppm), big.NewInt(1), big.NewInt(div))
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	if decimals == 0 {
		return fmt.Sprintf("%s%d%%", sign, v)
	}
	p := int64(1)
	for i := 0; i < decimals; i++ {
		p *= 10
	}
	return fmt.Sprintf("%s%d.%0*d%%", sign, v/p, decimals, v%p)
}

// formatRatio shows an ROI in hundredths as 1:4.20.
func formatRatio(hundredths int64) string {
	return fmt.Sprintf("1:%d.%02d", hundredths/100, hundredths%100)
}

// Format shows a value of a unit for people; money as ¥1,234.50.
func Format(unit Unit, decimals int, v int64) string {
	switch unit {
	case UnitMoney:
		return money.Fen(v).String()
	case UnitRate:
		return FormatRate(v, decimals)
	case UnitRatio:
		return formatRatio(v)
	case UnitPercent:
		return FormatBasisPoints(v)
	case UnitDuration:
		return FormatSeconds(v)
	default:
		return money.Group(v)
	}
}

// String shows the KPI's value, or "—" when it cannot be computed.
func (d Derived) String() string {
	if !d.OK {
		return Dash
	}
	return Format(d.Unit, d.Decimals, d.Value)
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

// FormatDelta writes a change of a figure or KPI with its sign: +2,000,
// -¥50.00, +1.25 pp (a rate's change is in percentage points), -1.00 (a
// ratio such as ROI). Every place that shows a change uses it, so a fall
// reads the same everywhere.
func FormatDelta(unit Unit, decimals int, delta int64) string {
	switch unit {
	case UnitRate:
		return Signed(strings.TrimSuffix(FormatRate(delta, decimals), "%")+" pp", delta)
	case UnitPercent:
		return Signed(strings.TrimSuffix(FormatBasisPoints(delta), "%")+" pp", delta)
	case UnitRatio:
		return Signed(money.Hundredths(delta), delta)
	default:
		return Signed(Format(unit, decimals, delta), delta)
	}
}

// Signed puts a + before a positive value; negatives carry their minus.
func Signed(s string, v int64) string {
	if v > 0 {
		return "+" + s
	}
	return s
}
