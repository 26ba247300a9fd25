package report

import (
	"opsbot/civil"
	"opsbot/config"
	"opsbot/exact"
	"opsbot/i18n"
	"opsbot/metric"
	"opsbot/tracked"
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
	// Value is the total (flows), the last value (levels) or the KPI of
	// the totals; exact, Missing when nothing was logged.
	Value     exact.Num
	OK        bool
	Grade     metric.Grade
	JustUnder int
	// Missing names, for a KPI, the inputs that were not logged; Apart
	// says they were, but never all on one day.
	Missing []string
	Apart   bool
	// Days is how many days the metric was logged, or how many days a
	// KPI is computed over (the days that logged all its inputs).
	Days int
	// Prev is the same over the period before.
	Prev exact.Num
	// PrevDays is how many days the period before logged the metric;
	// Span and PrevSpan are how many days the two periods have.
	PrevDays, Span, PrevSpan int
	// LastYear is the same over the same dates a year before (quarterly
	// and yearly reviews).
	LastYear exact.Num
}

// YearChange is the change against the same period a year before, as
// Change is against the period before.
func (t Total) YearChange() exact.Num {
	return Total{Unit: t.Unit, Value: t.Value, OK: t.OK, Prev: t.LastYear}.Change()
}

// DailyAvg is the mean over the days the metric was logged.
func (t Total) DailyAvg() exact.Num {
	if t.Days == 0 || t.Level || !t.Metric {
		return exact.Missing
	}
	if t.Unit == metric.UnitPercent || t.Unit == metric.UnitDuration {
		return t.Value // already the mean of its days (aggregate)
	}
	return t.Value.Div(exact.Int(int64(t.Days)))
}

// Change is the change against the period before: relative for counts
// and money, the difference for rates (points), ratios and lengths of
// time (+0:09, as the daily table shows them). When either period has
// days that did not log the metric, totals would count those days as
// zeros; the change then compares daily averages over the days logged
// (PerDay).
func (t Total) Change() exact.Num {
	if t.Unit == metric.UnitRate || t.Unit == metric.UnitRatio || t.Unit == metric.UnitPercent || t.Unit == metric.UnitDuration {
		return t.Value.Sub(t.Prev)
	}
	if t.PerDay() {
		return exact.Change(t.Value.Div(exact.Int(int64(t.Days))), t.Prev.Div(exact.Int(int64(t.PrevDays))))
	}
	return exact.Change(t.Value, t.Prev)
}

// PerDay reports whether Change compares daily averages: a total of a
// metric that adds up (not a level, a share or a KPI), logged on some
// days of both periods but not on all days of one of them.
func (t Total) PerDay() bool {
	if !t.Metric || t.Level || (t.Unit != metric.UnitCount && t.Unit != metric.UnitMoney) {
		return false
	}
	if t.Days == 0 || t.PrevDays == 0 || !t.Value.OK() || !t.Prev.OK() {
		return false
	}
	return t.Days < t.Span || t.PrevDays < t.PrevSpan
}

// DayValue is a day and its value (best and worst days).
type DayValue struct {
	Date  civil.Date
	Value int64
}

// periodTarget is one metric against its target over a period. The
// target is the exact sum of each day's share of its month's target, so a
// week across two months adds the shares of both and a whole month's
// shares add up to the month's target exactly.
type periodTarget struct {
	Key    string
	Name   i18n.Text
	Unit   metric.Unit
	Actual exact.Num // over the days that have a target; Missing when none was logged
	Target exact.Num
	// Days of the period that have a target (a month without one adds
	// nothing), of Of; Logged of those days had the metric logged.
	Days, Of, Logged int
}

// Met reports whether the target was reached, exactly; never when nothing
// was logged.
func (t periodTarget) Met() bool { return t.Actual.OK() && t.Actual.Cmp(t.Target) >= 0 }

// PeriodicReport is the weekly or monthly review of one shop.
type PeriodicReport struct {
	Kind         Kind
	Shop         config.Shop
	Period, Prev Period
	Partial      bool
	Totals       []Total
	// NoData lists the days with nothing logged.
	NoData      []civil.Date
	Best, Worst *DayValue // by sales
	Targets     []periodTarget
	SLA         *tracked.Stats
	Checklist   Checklists
	Commissions []Commission // monthly only
	Basis       Basis        // what the commissions are computed on
	// Quarterly and yearly only: the same dates a year before, the months
	// and the best and worst of them by sales.
	LastYear              Period
	Months                []MonthValue
	BestMonth, WorstMonth *MonthValue
	Chart                 []ChartDay
}

// KPIs are the period's derived figures, for what says which were not
// computed and why.
func (r PeriodicReport) KPIs() []metric.Derived { return kpis(r.Totals) }

// Total finds a total by key.
func (r PeriodicReport) Total(key string) (Total, bool) { return byKey(r.Totals, key) }

func (t Total) key() string { return t.Key }

func (t Total) derived() (metric.Derived, bool) {
	return metric.Derived{Key: t.Key, Name: t.Name, OK: t.OK, Missing: t.Missing, Apart: t.Apart}, !t.Metric
}

// daysOf lists the logged days of a period in date order.
func daysOf(days map[string]metric.Day, p Period) []metric.Day {
	var out []metric.Day
	for _, d := range p.Dates() {
		if v := days[d.String()]; len(v) > 0 {
			out = append(out, v)
		}
	}
	return out
}

// aggregate totals a period's logged days (metric.Aggregate): flows add
// up, levels keep their last value, and a share or a length of time
// (bounce rate, visit length), which does not add up over days, is the
// mean of its days. It also says on how many days each key was logged.
func (b *Builder) aggregate(days map[string]metric.Day, p Period) (map[string]exact.Num, map[string]int) {
	agg, n := metric.Aggregate(daysOf(days, p))
	for k, v := range agg {
		if m, ok := b.cat.Lookup(k); ok && (m.Kind == metric.Percent || m.Kind == metric.Duration) {
			agg[k] = v.Div(exact.Int(int64(n[k])))
		}
	}
	return agg, n
}

// periodKPIs computes each KPI of a period as the ratio of its totals
// (metric.DeriveOver).
func (b *Builder) periodKPIs(days map[string]metric.Day, p Period) []metric.Over {
	return metric.DeriveOver(daysOf(days, p))
}

// Periodic computes a weekly or monthly report. Totals of metrics come
// from every day logged; a KPI is the ratio of the period's totals over
// the days that logged all its inputs (metric.DeriveOver).
func (b *Builder) Periodic(in Input) PeriodicReport {
	p := in.Period
	r := PeriodicReport{Kind: in.Kind, Shop: in.Shop, Period: p, Prev: Previous(in.Kind, p), Partial: in.Partial, SLA: in.SLA}
	cur, n := b.aggregate(in.Days, p)
	prev, prevN := b.aggregate(in.Days, r.Prev)
	for _, m := range b.cat.All() {
		t := Total{Key: m.Key, Name: m.Name, Unit: metric.UnitOf(m.Kind), Metric: true, Level: metric.IsLevel(m.Key),
			Value: cur[m.Key], OK: cur[m.Key].OK(), Days: n[m.Key], Prev: prev[m.Key],
			PrevDays: prevN[m.Key], Span: p.Days(), PrevSpan: r.Prev.Days()}
		r.Totals = append(r.Totals, t)
	}
	prevKPIs := b.periodKPIs(in.Days, r.Prev)
	for i, d := range b.periodKPIs(in.Days, p) {
		r.Totals = append(r.Totals, Total{Key: d.Key, Name: d.Name, Unit: d.Unit, Decimals: d.Decimals, Value: d.Value, OK: d.OK,
			Grade: d.Grade, JustUnder: d.JustUnder, Missing: d.Missing, Apart: d.Apart, Days: d.Days, Prev: prevKPIs[i].Value})
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
			r.Best = &DayValue{d, s}
		}
		if r.Worst == nil || s < r.Worst.Value {
			r.Worst = &DayValue{d, s}
		}
	}
	r.Targets = b.periodTargets(in, cur)
	r.Checklist = b.tally(in.Runs)
	if in.Kind == Monthly {
		target, ok := in.Targets[p.From.MonthString()]["sales"]
		r.Basis = Basis{Sales: cur["sales"], SalesDays: n["sales"], Paid: cur["paid"], PaidDays: n["paid"], Days: p.Days()}
		r.Commissions = Commissions(b.cfg, r.Basis, exact.Of(target, ok))
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
func (b *Builder) periodTargets(in Input, cur map[string]exact.Num) []periodTarget {
	p := in.Period
	var out []periodTarget
	for _, m := range b.cat.All() {
		t := periodTarget{Key: m.Key, Name: m.Name, Unit: metric.UnitOf(m.Kind), Of: p.Days()}
		var actual []exact.Num
		var shares []exact.Num
		for _, d := range p.Dates() {
			monthly, ok := in.Targets[d.MonthString()][m.Key]
			if !ok {
				continue
			}
			shares = append(shares, metric.DailyTarget(monthly, d.DaysInMonth()))
			v, logged := in.Days[d.String()][m.Key]
			actual = append(actual, exact.Of(v, logged))
			t.Days++
		}
		if t.Days == 0 {
			continue
		}
		t.Target, _ = exact.Sum(shares...)
		t.Actual, t.Logged = exact.Sum(actual...)
		out = append(out, t)
	}
	return out
}
