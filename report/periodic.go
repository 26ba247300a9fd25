package report

import (
	"math/big"

	"opsbot/civil"
	"opsbot/config"
	"opsbot/i18n"
	"opsbot/metric"
	"opsbot/report/chart"
)

// Total is one metric or KPI over a period, against the period before.
type Total struct {
	Key      string
	Name     i18n.Text
	Unit     metric.Unit
	Decimals int
	Metric   bool
	// Level metrics (items online…) are a state, not a flow: their value
	// is the last one logged, and they have no total.
	Level bool
	Value int64 // the total (flows), the last value (levels), the KPI of the totals
	OK    bool
	Grade metric.Grade
	// Days is how many days the metric was logged; Sum their total, for
	// the daily average.
	Days int
	Sum  int64
	// Prev is the same over the period before.
	Prev   int64
	PrevOK bool
	// LastYear is the same over the same dates a year before (quarterly
	// and yearly reviews).
	LastYear   int64
	LastYearOK bool
}

// YearChange is the change against the same period a year before, as
// Change is against the period before.
func (t Total) YearChange() (int64, bool) {
	return Total{Unit: t.Unit, Value: t.Value, OK: t.OK, Prev: t.LastYear, PrevOK: t.LastYearOK}.Change()
}

// DailyAvg is the mean over the days the metric was logged.
func (t Total) DailyAvg() (int64, bool) { return mean(t.Sum, t.Days) }

// Change is the change against the period before: ppm of the previous
// value for counts and money, the difference for rates (points) and
// ratios.
func (t Total) Change() (int64, bool) {
	if !t.OK || !t.PrevOK {
		return 0, false
	}
	if t.Unit == metric.UnitRate || t.Unit == metric.UnitRatio || t.Unit == metric.UnitPercent {
		return t.Value - t.Prev, true
	}
	return relChange(big.NewInt(t.Value), big.NewInt(t.Prev))
}

// isLevel tells the metrics that hold a state at the end of a day rather
// than count what happened in it: summing them over days means nothing.
func isLevel(key string) bool {
	switch key {
	case "items_online", "items_sold_30d":
		return true
	}
	return false
}

// dayValue is a day and its value (best and worst days).
type dayValue struct {
	Date  civil.Date
	Value int64
}

// periodTarget is one metric against its target over a period. A week
// takes each day's share of its month's target, so a week across two
// months adds the shares of both; a whole month takes the month's target.
type periodTarget struct {
	Key    string
	Name   i18n.Text
	Unit   metric.Unit
	Actual int64 // over the days that have a target
	Target int64
	// Days of the period that have a target (a month without one adds
	// nothing), of Of.
	Days, Of int
}

// Met reports whether the target was reached, exactly.
func (t periodTarget) Met() bool { return t.Actual >= t.Target }

// PeriodicReport is the weekly or monthly review of one shop.
type PeriodicReport struct {
	Kind         Kind
	Shop         config.Shop
	Period, Prev Period
	Partial      bool
	Totals       []Total
	// NoData lists the days with nothing logged.
	NoData      []civil.Date
	Best, Worst *dayValue // by sales
	Targets     []periodTarget
	SLA         *SLAStats
	Checklist   Checklists
	Commissions []Commission // monthly only
	Chart       []chart.Day
	// Quarterly and yearly only: the same dates a year before, the months
	// and the best and worst of them by sales.
	LastYear              Period
	Months                []MonthValue
	BestMonth, WorstMonth *MonthValue
}

// Total finds a total by key.
func (r PeriodicReport) Total(key string) (Total, bool) {
	for _, t := range r.Totals {
		if t.Key == key {
			return t, true
		}
	}
	return Total{}, false
}

// aggregate sums a period: flows add up, levels keep their last value.
// It returns the aggregate day (for KPIs) and the days each key was
// logged.
func (b *Builder) aggregate(days map[string]metric.Day, p Period) (metric.Day, map[string]int, map[string]int64) {
	agg, n, sums := metric.Day{}, map[string]int{}, map[string]int64{}
	for _, d := range p.Dates() {
		for k, v := range days[d.String()] {
			n[k]++
			sums[k] += v
			if isLevel(k) {
				agg[k] = v // dates go in order: the last one stays
			} else {
				agg[k] += v
			}
		}
	}
	// A share or a length of time (bounce rate, visit length) does not add
	// up over days: the period has the mean of its days.
	for k := range agg {
		if m, ok := b.cat.Lookup(k); ok && (m.Kind == metric.Percent || m.Kind == metric.Duration) {
			agg[k], _ = mean(sums[k], n[k])
		}
	}
	return agg, n, sums
}

// periodKPIs computes each KPI of a period from the totals of the days on
// which that KPI can be computed: the payment rate of a week is the paid
// orders over the orders of the days that logged both, so a day that
// logged paid orders but not orders cannot push it past 100%.
func (b *Builder) periodKPIs(days map[string]metric.Day, p Period) []metric.Derived {
	n := len(metric.DeriveAll(nil))
	aggs := make([]metric.Day, n)
	for i := range aggs {
		aggs[i] = metric.Day{}
	}
	for _, d := range p.Dates() {
		v := days[d.String()]
		if len(v) == 0 {
			continue
		}
		for i, k := range metric.DeriveAll(v) {
			if !k.OK {
				continue
			}
			for key, x := range v {
				if isLevel(key) {
					aggs[i][key] = x // dates go in order: the last one stays
				} else {
					aggs[i][key] += x
				}
			}
		}
	}
	out := make([]metric.Derived, n)
	for i, agg := range aggs {
		out[i] = metric.DeriveAll(agg)[i]
	}
	return out
}

// Periodic computes a weekly or monthly report.
func (b *Builder) Periodic(in Input) PeriodicReport {
	p := in.Period
	r := PeriodicReport{Kind: in.Kind, Shop: in.Shop, Period: p, Prev: Previous(in.Kind, p), Partial: in.Partial, SLA: in.SLA}
	cur, days, sums := b.aggregate(in.Days, p)
	prev, _, _ := b.aggregate(in.Days, r.Prev)
	// Totals of metrics come from every day logged; KPIs from the days
	// that have their inputs (periodKPIs).
	for _, m := range b.cat.All() {
		t := Total{Key: m.Key, Name: m.Name, Unit: metric.UnitOf(m.Kind), Metric: true, Level: isLevel(m.Key),
			Days: days[m.Key], Sum: sums[m.Key]}
		t.Value, t.OK = cur[m.Key]
		t.Prev, t.PrevOK = prev[m.Key]
		r.Totals = append(r.Totals, t)
	}
	prevKPIs := b.periodKPIs(in.Days, r.Prev)
	for i, d := range b.periodKPIs(in.Days, p) {
		r.Totals = append(r.Totals, Total{Key: d.Key, Name: d.Name, Unit: d.Unit, Decimals: d.Decimals, Value: d.Value, OK: d.OK,
			Grade: d.Grade, Prev: prevKPIs[i].Value, PrevOK: prevKPIs[i].OK})
	}
	for _, d := range p.Dates() {
		v := in.Days[d.String()]
		if len(v) == 0 {
			r.NoData = append(r.NoData, d)
			continue
		}
		s, ok := v["sales"]
		if !ok {
			continue
		}
		// Ties go to the earlier day.
		if r.Best == nil || s > r.Best.Value {
			r.Best = &dayValue{d, s}
		}
		if r.Worst == nil || s < r.Worst.Value {
			r.Worst = &dayValue{d, s}
		}
	}
	r.Targets = b.periodTargets(in, cur)
	r.Checklist = b.tally(in.Runs)
	if in.Kind == Monthly {
		target, ok := in.Targets[p.From.MonthString()]["sales"]
		r.Commissions = Commissions(b.cfg, cur["sales"], cur["paid"], target, ok)
	}
	chartPeriod := p
	if in.Kind == Weekly {
		chartPeriod = Window(Weekly, p) // this week after last week
	}
	r.Chart = chartDays(in.Days, in.Targets, chartPeriod)
	if long(in.Kind) {
		b.longer(in, &r)
	}
	return r
}

// periodTargets sets the period's totals against its targets.
func (b *Builder) periodTargets(in Input, cur metric.Day) []periodTarget {
	p := in.Period
	var out []periodTarget
	for _, m := range b.cat.All() {
		t := periodTarget{Key: m.Key, Name: m.Name, Unit: metric.UnitOf(m.Kind), Of: p.Days()}
		if in.Kind == Monthly && !in.Partial && p == monthOf(p.From) {
			monthly, ok := in.Targets[p.From.MonthString()][m.Key]
			if !ok {
				continue
			}
			t.Target, t.Actual, t.Days = monthly, cur[m.Key], p.Days()
			out = append(out, t)
			continue
		}
		for _, d := range p.Dates() {
			monthly, ok := in.Targets[d.MonthString()][m.Key]
			if !ok {
				continue
			}
			t.Target += metric.DailyTarget(monthly, d.DaysInMonth())
			t.Actual += in.Days[d.String()][m.Key]
			t.Days++
		}
		if t.Days > 0 {
			out = append(out, t)
		}
	}
	return out
}
