package report

import (
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"opsbot/civil"
	"opsbot/config"
	"opsbot/exact"
	"opsbot/metric"
)

// This file checks the product's arithmetic against a reference written
// the plainest way, with math/big.Rat and its own rounding
// (Rat.FloatString rounds half away from zero), over random months of
// partly logged days: zeros, values at the 10¹⁵ limit, missing inputs.
// It is pure (no database), so CI runs it on every push.

// propertyDays is how many random days one run checks, at least.
const propertyDays = 10_000

// ---- the reference --------------------------------------------------

type refDay map[string]int64

func rat(v int64) *big.Rat { return new(big.Rat).SetInt64(v) }

// refGroup puts thousands separators in the integer part of a decimal.
func refGroup(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, has := strings.Cut(s, ".")
	var parts []string
	for len(whole) > 3 {
		parts = append([]string{whole[len(whole)-3:]}, parts...)
		whole = whole[:len(whole)-3]
	}
	parts = append([]string{whole}, parts...)
	out := sign + strings.Join(parts, ",")
	if has {
		out += "." + frac
	}
	return out
}

// refFormat shows an exact value as the product must: money to the fen in
// yuan, percentages and ratios to their decimals, counts to the unit.
func refFormat(u metric.Unit, dec int, r *big.Rat) string {
	if r == nil {
		return "—"
	}
	switch u {
	case metric.UnitMoney:
		s := refGroup(new(big.Rat).Quo(r, rat(100)).FloatString(2))
		if strings.HasPrefix(s, "-") {
			return "-¥" + s[1:]
		}
		return "¥" + s
	case metric.UnitRate:
		return refGroup(new(big.Rat).Mul(r, rat(100)).FloatString(dec)) + "%"
	case metric.UnitRatio:
		return "1:" + refGroup(r.FloatString(2))
	}
	return refGroup(r.FloatString(0))
}

// refSignedPercent shows a relative change: a sign only when what is
// shown is not zero.
func refSignedPercent(r *big.Rat, dec int) string {
	if r == nil {
		return "—"
	}
	s := refGroup(new(big.Rat).Mul(r, rat(100)).FloatString(dec))
	abs := strings.TrimPrefix(s, "-")
	if strings.Trim(abs, "0.,") == "" {
		return abs + "%"
	}
	if strings.HasPrefix(s, "-") {
		return "−" + abs + "%"
	}
	return "+" + abs + "%"
}

type refKPI struct {
	key    string
	unit   metric.Unit
	dec    int
	inputs []string
	// f computes from known inputs; nil when it has no value.
	f func(v map[string]*big.Rat) *big.Rat
}

func refQuo(a, b *big.Rat) *big.Rat {
	if b.Sign() == 0 {
		return nil
	}
	return new(big.Rat).Quo(a, b)
}

func refSum(v map[string]*big.Rat, keys ...string) *big.Rat {
	s := new(big.Rat)
	for _, k := range keys {
		s.Add(s, v[k])
	}
	return s
}

var refCosts = []string{"ad_search", "ad_display", "ad_affiliate", "shipping_cost", "discounts"}

var refKPIs = []refKPI{
	{metric.KeyPaymentRate, metric.UnitRate, 1, []string{"paid", "orders"}, func(v map[string]*big.Rat) *big.Rat { return refQuo(v["paid"], v["orders"]) }},
	{metric.KeyConversionRate, metric.UnitRate, 2, []string{"paid", "uv"}, func(v map[string]*big.Rat) *big.Rat { return refQuo(v["paid"], v["uv"]) }},
	{metric.KeyAOV, metric.UnitMoney, 0, []string{"sales", "paid"}, func(v map[string]*big.Rat) *big.Rat { return refQuo(v["sales"], v["paid"]) }},
	{metric.KeyInquiryClose, metric.UnitRate, 1, []string{"inquiry_orders", "inquiries"}, func(v map[string]*big.Rat) *big.Rat {
		return refQuo(v["inquiry_orders"], v["inquiries"])
	}},
	{metric.KeyRefundRate, metric.UnitRate, 1, []string{"refunds", "paid"}, func(v map[string]*big.Rat) *big.Rat { return refQuo(v["refunds"], v["paid"]) }},
	{metric.KeyAdSpend, metric.UnitMoney, 0, refCosts[:3], func(v map[string]*big.Rat) *big.Rat { return refSum(v, refCosts[:3]...) }},
	{metric.KeyOperatingCost, metric.UnitMoney, 0, refCosts, func(v map[string]*big.Rat) *big.Rat { return refSum(v, refCosts...) }},
	{metric.KeyUVValue, metric.UnitMoney, 0, []string{"sales", "uv"}, func(v map[string]*big.Rat) *big.Rat { return refQuo(v["sales"], v["uv"]) }},
	{metric.KeyROI, metric.UnitRatio, 2, append([]string{"sales"}, refCosts...), func(v map[string]*big.Rat) *big.Rat {
		return refQuo(v["sales"], refSum(v, refCosts...))
	}},
	{metric.KeySellThrough, metric.UnitRate, 1, []string{"items_sold_30d", "items_online"}, func(v map[string]*big.Rat) *big.Rat {
		if v["items_online"].Cmp(rat(10)) < 0 {
			return nil
		}
		return refQuo(v["items_sold_30d"], v["items_online"])
	}},
}

func refLevel(k string) bool { return k == "items_online" || k == "items_sold_30d" }

// refOver is a KPI over days: the totals of the days that logged every
// input (levels: the last such day's value), then the formula.
func refOver(k refKPI, days []refDay) *big.Rat {
	v := map[string]*big.Rat{}
	n := 0
	for _, d := range days {
		all := true
		for _, in := range k.inputs {
			if _, ok := d[in]; !ok {
				all = false
			}
		}
		if !all {
			continue
		}
		n++
		for _, in := range k.inputs {
			if refLevel(in) || v[in] == nil {
				v[in] = rat(d[in])
			} else {
				v[in] = new(big.Rat).Add(v[in], rat(d[in]))
			}
		}
	}
	if n == 0 {
		return nil
	}
	return k.f(v)
}

func refGrade(r *big.Rat) metric.Grade {
	switch {
	case r == nil:
		return metric.GradeNone
	case r.Cmp(rat(5)) >= 0:
		return metric.GradeExcellent
	case r.Cmp(rat(4)) >= 0:
		return metric.GradeGood
	case r.Cmp(rat(3)) >= 0:
		return metric.GradePass
	}
	return metric.GradeFail
}

// refTotal is a metric's total over days (a level's last value), nil when
// never logged, and on how many days it was logged.
func refTotal(key string, days []refDay) (*big.Rat, int) {
	var t *big.Rat
	n := 0
	for _, d := range days {
		v, ok := d[key]
		if !ok {
			continue
		}
		n++
		if t == nil || refLevel(key) {
			t = rat(v)
		} else {
			t = new(big.Rat).Add(t, rat(v))
		}
	}
	return t, n
}

// refRoundHalfAway rounds to an integer, half away from zero.
func refRoundHalfAway(r *big.Rat) *big.Int {
	s := r.FloatString(0)
	n, _ := new(big.Int).SetString(s, 10)
	return n
}

// ---- the generator --------------------------------------------------

// value draws a figure as a team might log it, including the edges: zero,
// one, and the largest value accepted.
func value(rng *rand.Rand) int64 {
	switch rng.IntN(10) {
	case 0:
		return 0
	case 1:
		return 1
	case 2:
		return maxLogged
	case 3:
		return maxLogged - rng.Int64N(1000)
	case 4, 5:
		return rng.Int64N(1000)
	case 6, 7:
		return rng.Int64N(10_000_000)
	}
	return rng.Int64N(maxLogged + 1)
}

// randomDay logs each metric with some chance; sometimes nothing at all.
func randomDay(rng *rand.Rand, keys []string) refDay {
	d := refDay{}
	if rng.IntN(10) == 0 {
		return d
	}
	p := 1 + rng.IntN(10) // how full the day is, in tenths
	for _, k := range keys {
		if rng.IntN(10) < p {
			d[k] = value(rng)
		}
	}
	return d
}

func toInput(days map[civil.Date]refDay) map[string]metric.Day {
	out := map[string]metric.Day{}
	for d, v := range days {
		if len(v) > 0 {
			out[d.String()] = metric.Day(v)
		}
	}
	return out
}

// TestPropertyArithmetic replays random months through the KPIs of a day,
// the daily digest's comparisons, the monthly report's totals, KPIs,
// targets and commissions, and compares every figure, as shown, with the
// reference.
func TestPropertyArithmetic(t *testing.T) {
	seed := uint64(15)
	rng := rand.New(rand.NewPCG(seed, 2026))
	cfg := testConfig(t, func(c *config.Config) {
		c.Roles = map[string][]string{"cs": {"c1", "c2", "c3"}, "warehouse": {"w1", "w2", "w3", "w4", "w5", "w6", "w7"}, "data": {"d1"}, "marketing": {"m1", "m2"}}
	})
	b := NewBuilder(cfg)
	var keys []string
	for _, m := range metric.NewCatalog(cfg.Metrics).All() {
		// Shares and lengths of time (issue 18) average over days; the
		// reference here covers the figures that add up.
		if m.Kind == metric.Percent || m.Kind == metric.Duration {
			continue
		}
		keys = append(keys, m.Key)
	}
	units := map[string]metric.Unit{}
	for _, m := range metric.NewCatalog(cfg.Metrics).All() {
		units[m.Key] = metric.UnitOf(m.Kind)
	}
	checked, mismatches, months := 0, 0, 0
	fail := func(format string, args ...any) {
		t.Helper()
		mismatches++
		if mismatches <= 20 {
			t.Errorf(format, args...)
		}
	}
	for checked < propertyDays {
		// A month, and the month before it (the comparison).
		month := civil.Date{Year: 2024 + rng.IntN(7), Month: time.Month(1 + rng.IntN(12)), Day: 1}
		p := monthOf(month)
		prevP := Previous(Monthly, p)
		days := map[civil.Date]refDay{}
		for _, d := range Window(Monthly, p).Dates() {
			days[d] = randomDay(rng, keys)
		}
		var cur, prev []refDay
		for _, d := range p.Dates() {
			cur = append(cur, days[d])
		}
		for _, d := range prevP.Dates() {
			prev = append(prev, days[d])
		}

		// Each day's KPIs.
		for _, d := range p.Dates() {
			got := metric.DeriveAll(metric.Day(days[d]))
			for i, k := range refKPIs {
				want := refOver(k, []refDay{days[d]})
				if s := got[i].String(); s != refFormat(k.unit, k.dec, want) {
					fail("%s %s: %s, want %s (day %v)", d, k.key, s, refFormat(k.unit, k.dec, want), days[d])
				}
				if k.key == metric.KeyROI && got[i].Grade != refGrade(want) {
					fail("%s ROI grade %q, want %q", d, got[i].Grade, refGrade(want))
				}
			}
			checked++
		}

		// The month's report.
		target := value(rng)
		in := Input{Kind: Monthly, Shop: config.Shop{ID: "main", Name: "M"}, Period: p, Days: toInput(days),
			Targets: map[string]map[string]int64{p.From.MonthString(): {"sales": target}}}
		r := b.Periodic(in)
		for _, key := range keys {
			tot, _ := r.Total(key)
			want, n := refTotal(key, cur)
			if s := exact.Format(tot.Unit, 0, tot.Value); s != refFormat(units[key], 0, want) || tot.Days != n {
				fail("%s %s total %s over %d days, want %s over %d", p, key, s, tot.Days, refFormat(units[key], 0, want), n)
			}
			if key == "sales" || key == "uv" {
				// Against last month: totals when both months logged the
				// metric every day, else daily averages over the days
				// logged (a day not logged is not a zero).
				pw, pn := refTotal(key, prev)
				cw := want
				if want != nil && pw != nil && (n < len(cur) || pn < len(prev)) {
					cw = new(big.Rat).Quo(want, big.NewRat(int64(n), 1))
					pw = new(big.Rat).Quo(pw, big.NewRat(int64(pn), 1))
				}
				var change *big.Rat
				if cw != nil && pw != nil && pw.Sign() > 0 {
					change = new(big.Rat).Quo(new(big.Rat).Sub(cw, pw), pw)
				}
				if s := exact.SignedPercent(tot.Change(), 1); s != refSignedPercent(change, 1) {
					fail("%s %s change %s, want %s", p, key, s, refSignedPercent(change, 1))
				}
			}
		}
		for _, k := range refKPIs {
			tot, _ := r.Total(k.key)
			want := refOver(k, cur)
			if s := exact.Format(tot.Unit, tot.Decimals, tot.Value); s != refFormat(k.unit, k.dec, want) {
				fail("%s %s over the month %s, want %s", p, k.key, s, refFormat(k.unit, k.dec, want))
			}
			if k.key == metric.KeyROI && tot.Grade != refGrade(want) {
				fail("%s ROI grade %q, want %q", p, tot.Grade, refGrade(want))
			}
		}

		// The target: the whole month's, against the month's sales.
		sales, salesDays := refTotal("sales", cur)
		if len(r.Targets) == 0 || r.Targets[0].Key != "sales" {
			fail("%s: no sales target line", p)
		} else {
			pt := r.Targets[0]
			met := sales != nil && sales.Cmp(rat(target)) >= 0
			if pt.Met() != met || exact.Format(pt.Unit, 0, pt.Target) != refFormat(metric.UnitMoney, 0, rat(target)) || pt.Logged != salesDays {
				fail("%s target %+v, want met=%v", p, pt, met)
			}
			if sales != nil && target > 0 {
				prog := new(big.Rat).Quo(sales, rat(target))
				if s := exact.Format(exact.Percent, 1, metric.Progress(pt.Actual, pt.Target)); s != refFormat(metric.UnitRate, 1, prog) {
					fail("%s target progress %s, want %s", p, s, refFormat(metric.UnitRate, 1, prog))
				}
			}
		}

		// Commissions: the pool rounded once to the fen, the shares adding
		// up to it, the target compared exactly.
		paid, _ := refTotal("paid", cur)
		for _, c := range r.Commissions {
			rule := cfg.Commissions[c.Role]
			var pool *big.Rat
			switch {
			case rule.Rate != "" && sales != nil:
				pool = new(big.Rat).Mul(sales, big.NewRat(c.RateBP, 10_000))
			case rule.PerOrder != "" && paid != nil:
				pool = new(big.Rat).Mul(paid, rat(c.PerOrder))
			}
			if pool == nil {
				if c.Pool.OK() || c.Unpaid != UnpaidNotLogged {
					fail("%s %s: pool %s on a basis not logged", p, c.Role, exact.Format(exact.Money, 0, c.Pool))
				}
				continue
			}
			want := refRoundHalfAway(pool)
			if got := exact.RoundInt(c.Pool); got == nil || got.Cmp(want) != 0 {
				fail("%s %s pool %v, want %v", p, c.Role, got, want)
				continue
			}
			if c.Unpaid != "" {
				if c.Role != "marketing" || (sales.Cmp(rat(target)) >= 0) {
					fail("%s %s unpaid %q", p, c.Role, c.Unpaid)
				}
				continue
			}
			sum := new(big.Int)
			members := cfg.Roles[c.Role]
			floor := new(big.Int).Quo(want, big.NewInt(int64(len(members))))
			for _, s := range c.Shares {
				sum.Add(sum, s.Amount)
				if d := new(big.Int).Sub(s.Amount, floor); d.Sign() < 0 || d.Cmp(big.NewInt(1)) > 0 {
					fail("%s %s share %v, not the floor %v or a fen more", p, c.Role, s.Amount, floor)
				}
			}
			if sum.Cmp(want) != 0 || len(c.Shares) != len(members) {
				fail("%s %s shares add up to %v, want %v", p, c.Role, sum, want)
			}
		}

		// The digest of the month's last day: against the day before and
		// the average of the 7 days before.
		last := p.To
		dr := b.Daily(Input{Kind: Daily, Shop: in.Shop, Period: dayOf(last), Days: in.Days})
		var trailing []refDay
		for i := trailingDays; i >= 1; i-- {
			trailing = append(trailing, days[last.AddDays(-i)])
		}
		for _, f := range dr.Figures {
			if !f.Metric {
				continue
			}
			// The mean of the days logged, levels too.
			sum, n := new(big.Rat), 0
			for _, d := range trailing {
				if v, ok := d[f.Key]; ok {
					sum.Add(sum, rat(v))
					n++
				}
			}
			var avg, change *big.Rat
			if n > 0 {
				avg = new(big.Rat).Quo(sum, rat(int64(n)))
				if avg.Sign() > 0 {
					change = new(big.Rat).Quo(new(big.Rat).Sub(rat(days[last][f.Key]), avg), avg)
				}
			}
			if s := exact.Format(f.Unit, 0, f.Avg); s != refFormat(units[f.Key], 0, avg) {
				fail("%s %s average %s, want %s", last, f.Key, s, refFormat(units[f.Key], 0, avg))
			}
			if s := exact.SignedPercent(f.VsAvg(), 0); s != refSignedPercent(change, 0) {
				fail("%s %s vs average %s, want %s", last, f.Key, s, refSignedPercent(change, 0))
			}
			anomalous := false
			if change != nil && f.Threshold > 0 && n >= 3 { // judged against 3 days or more
				anomalous = new(big.Rat).Abs(change).Cmp(big.NewRat(int64(f.Threshold), 100)) >= 0
			}
			if f.Anomalous() != anomalous {
				fail("%s %s anomalous %v, want %v", last, f.Key, f.Anomalous(), anomalous)
			}
		}
		for i, k := range refKPIs {
			f := dr.Figures[len(dr.Figures)-len(refKPIs)+i]
			if want := refOver(k, trailing); exact.Format(f.Unit, f.Decimals, f.Avg) != refFormat(k.unit, k.dec, want) {
				fail("%s %s 7-day %s, want %s", last, k.key, exact.Format(f.Unit, f.Decimals, f.Avg), refFormat(k.unit, k.dec, want))
			}
		}
		// Whatever the figures, the rendered report never shows a float
		// artefact or an overflowed sign (every 8th month: laying out is
		// the slow part, and it adds no arithmetic).
		months++
		if months%8 != 1 {
			continue
		}
		text := texts(b.RenderPeriodic(r).Messages) + texts(b.RenderDaily(dr).Messages)
		for _, bad := range []string{"NaN", "Inf", "e+", "+-", "−-", "+0.0%", "−0.0%", "+0.00 pp", "−0.00 pp"} {
			if strings.Contains(text, bad) {
				fail("%s: the report shows %q", p, bad)
			}
		}
	}
	if mismatches > 0 {
		t.Fatalf("%d mismatches over %d days (seed %d)", mismatches, checked, seed)
	}
	t.Logf("%d random days checked against the reference", checked)
}

// TestReferenceRounding pins the reference's own rounding, so the
// property test's yardstick is known good: half away from zero.
func TestReferenceRounding(t *testing.T) {
	for _, tt := range []struct {
		r    *big.Rat
		want string
	}{{big.NewRat(5, 2), "3"}, {big.NewRat(-5, 2), "-3"}, {big.NewRat(49, 20), "2"}} {
		if got := tt.r.FloatString(0); got != tt.want {
			t.Errorf("%v → %s, want %s", tt.r, got, tt.want)
		}
	}
	if got := refFormat(metric.UnitRate, 2, big.NewRat(74708, 1211818)); got != "6.16%" {
		t.Errorf("74,708 ÷ 1,211,818 = %s, want 6.16%%", got)
	}

}

// maxLogged is the largest value the bot accepts (metric's limit).
const maxLogged = 1_000_000_000_000_000
