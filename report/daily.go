package report

import (
	"math/big"

	"opsbot/civil"
	"opsbot/config"
	"opsbot/i18n"
	"opsbot/metric"
	"opsbot/money"
	"opsbot/report/chart"
)

// Figure is one logged metric or derived KPI of a day, with what it is
// compared with. Comparisons are exact integer arithmetic on the stored
// values (fen, counts, parts per million).
type Figure struct {
	Key      string
	Name     i18n.Text
	Unit     metric.Unit
	Decimals int
	Metric   bool // logged, not derived
	Value    int64
	OK       bool // logged, or computable
	Grade    metric.Grade
	// Prev is the day before's value, when it had one.
	Prev   int64
	PrevOK bool
	// AvgSum and AvgDays describe the trailing average: the sum of the
	// values over the days before that have one, and how many there are.
	AvgSum  int64
	AvgDays int
	// Threshold is the anomaly threshold in percent; 0 turns flags off.
	Threshold int
}

// Avg is the trailing average, rounded to the unit.
func (f Figure) Avg() (int64, bool) { return mean(f.AvgSum, f.AvgDays) }

// mean is sum ÷ n rounded to the unit; false when there is nothing to
// average.
func mean(sum int64, n int) (int64, bool) {
	if n == 0 {
		return 0, false
	}
	return money.RoundDiv(big.NewInt(sum), big.NewInt(1), big.NewInt(int64(n))), true
}

// VsPrev is the change against the day before in parts per million of
// the day before's value.
func (f Figure) VsPrev() (int64, bool) {
	if !f.OK || !f.PrevOK {
		return 0, false
	}
	return relChange(big.NewInt(f.Value), big.NewInt(f.Prev))
}

// VsAvg is the change against the trailing average in parts per million,
// computed from the sum (value × days against the sum), so the rounding of
// the average never shifts it.
func (f Figure) VsAvg() (int64, bool) {
	if !f.OK || f.AvgDays == 0 {
		return 0, false
	}
	n := big.NewInt(int64(f.AvgDays))
	return relChange(new(big.Int).Mul(big.NewInt(f.Value), n), big.NewInt(f.AvgSum))
}

// Anomalous reports whether the value differs from the trailing average by
// at least the threshold, exactly: |value × days − sum| × 100 ≥ threshold ×
// sum. An average of zero has no percentage and is never flagged.
func (f Figure) Anomalous() bool {
	if !f.OK || f.AvgDays == 0 || f.AvgSum <= 0 || f.Threshold <= 0 {
		return false
	}
	diff := new(big.Int).Mul(big.NewInt(f.Value), big.NewInt(int64(f.AvgDays)))
	diff.Sub(diff, big.NewInt(f.AvgSum)).Abs(diff)
	diff.Mul(diff, big.NewInt(100))
	return diff.Cmp(new(big.Int).Mul(big.NewInt(int64(f.Threshold)), big.NewInt(f.AvgSum))) >= 0
}

// relChange is (v − base) ÷ base in parts per million; base must be
// positive.
func relChange(v, base *big.Int) (int64, bool) {
	if base.Sign() <= 0 {
		return 0, false
	}
	return money.RoundDiv(new(big.Int).Sub(v, base), big.NewInt(1_000_000), base), true
}

// TargetLine is how a day stands against its month's target for one
// metric.
type TargetLine struct {
	Key     string
	Name    i18n.Text
	Unit    metric.Unit
	Month   string
	Monthly int64
	// The day against its share of the monthly target.
	Day         int64
	DayOK       bool // the metric was logged that day
	DailyTarget int64
	// The month to date (the 1st to the day, the days logged).
	MTD int64
	// Elapsed is the part of the month passed by the end of the day, ppm.
	Elapsed int64
}

// BelowHalf applies the team's rule: at least half of the daily target.
func (t TargetLine) BelowHalf() bool { return t.DayOK && metric.BelowHalf(t.Day, t.DailyTarget) }

// DailyReport is the digest of one shop's day.
type DailyReport struct {
	Shop    config.Shop
	Day     civil.Date
	Partial bool
	// Figures lists the metrics logged that day in catalog order, then
	// every derived KPI (with OK false when it cannot be computed).
	Figures []Figure
	// Missing lists the metrics not logged that day: missing is not zero.
	Missing []metric.Metric
	// Anomalies are the figures flagged against their trailing average.
	Anomalies []Figure
	// OutOfLimits are the figures outside their floor or ceiling.
	OutOfLimits []OutOfLimit
	Targets     []TargetLine
	SLA         *SLAStats
	Checklist   Checklists
	// Chart is the last ChartDays days.
	Chart []chart.Day
	// Campaigns are those running when the digest is read (the day after
	// the report's day) or whose registration closes within 3 days of it.
	Campaigns []CampaignLine
}

// CampaignLine is a campaign a digest names.
type CampaignLine struct {
	Name     i18n.Text
	Running  bool       // running on the day the digest is read
	Start    civil.Date // when it starts
	End      civil.Date
	Deadline int // days left to register, or -1
}

// campaignWindow is how near a registration deadline must be for the
// digest to name it.
const campaignWindow = 3

// campaigns lists what the digest must mention on the day it is read.
func (b *Builder) campaigns(read civil.Date) []CampaignLine {
	var out []CampaignLine
	for _, o := range b.cfg.CampaignRuns(read.Year, read.Year) {
		cp, run := o.Campaign, o.Run
		line := CampaignLine{Name: cp.Name, Start: run.Start, End: run.End, Deadline: -1}
		line.Running = !read.Before(run.Start) && !read.After(run.End)
		if run.HasRegistration() {
			if n := read.DaysUntil(run.Registration); n >= 0 && n <= campaignWindow {
				line.Deadline = n
			}
		}
		if line.Running || line.Deadline >= 0 {
			out = append(out, line)
		}
	}
	return out
}

// Logged reports whether any metric was logged for the day.
func (r DailyReport) Logged() bool {
	for _, f := range r.Figures {
		if f.Metric {
			return true
		}
	}
	return false
}

// Figure finds a figure by key.
func (r DailyReport) Figure(key string) (Figure, bool) {
	for _, f := range r.Figures {
		if f.Key == key {
			return f, true
		}
	}
	return Figure{}, false
}

// threshold is a metric's anomaly threshold: its own, else the reports'.
func (b *Builder) threshold(m metric.Metric) int {
	if m.AnomalyPct > 0 {
		return m.AnomalyPct
	}
	return b.cfg.Reports.AnomalyPct
}

// Daily computes the digest of in.Period.To.
func (b *Builder) Daily(in Input) DailyReport {
	day := in.Period.To
	cur := in.Days[day.String()]
	prev := in.Days[day.AddDays(-1).String()]
	trailing := make([]metric.Day, 0, trailingDays)
	for i := trailingDays; i >= 1; i-- {
		if d, ok := in.Days[day.AddDays(-i).String()]; ok {
			trailing = append(trailing, d)
		}
	}
	r := DailyReport{Shop: in.Shop, Day: day, Partial: in.Partial, SLA: in.SLA}
	for _, m := range b.cat.All() {
		v, ok := cur[m.Key]
		if !ok {
			r.Missing = append(r.Missing, m)
			continue
		}
		f := Figure{Key: m.Key, Name: m.Name, Unit: metric.UnitOf(m.Kind), Metric: true, Value: v, OK: true, Threshold: b.threshold(m)}
		f.Prev, f.PrevOK = prev[m.Key]
		for _, t := range trailing {
			if tv, ok := t[m.Key]; ok {
				f.AvgSum += tv
				f.AvgDays++
			}
		}
		r.Figures = append(r.Figures, f)
	}
	prevKPIs := metric.DeriveAll(prev)
	trailKPIs := make([][]metric.Derived, len(trailing))
	for i, t := range trailing {
		trailKPIs[i] = metric.DeriveAll(t)
	}
	for i, d := range metric.DeriveAll(cur) {
		f := Figure{Key: d.Key, Name: d.Name, Unit: d.Unit, Decimals: d.Decimals, Value: d.Value, OK: d.OK, Grade: d.Grade,
			Prev: prevKPIs[i].Value, PrevOK: prevKPIs[i].OK, Threshold: b.cfg.Reports.AnomalyPct}
		// A KPI's trailing average is the mean of its daily values.
		for _, t := range trailKPIs {
			if t[i].OK {
				f.AvgSum += t[i].Value
				f.AvgDays++
			}
		}
		r.Figures = append(r.Figures, f)
	}
	for _, f := range r.Figures {
		if f.Anomalous() {
			r.Anomalies = append(r.Anomalies, f)
		}
	}
	r.OutOfLimits = b.outOfLimits(r.Figures)
	r.Targets = b.dayTargets(in, day, cur)
	r.Checklist = b.tally(in.Runs)
	r.Chart = chartDays(in.Days, in.Targets, Period{day.AddDays(-(ChartDays - 1)), day})
	r.Campaigns = b.campaigns(day.AddDays(1))
	return r
}

// dayTargets sets the day and the month to date against the month's
// targets, in catalog order.
func (b *Builder) dayTargets(in Input, day civil.Date, cur metric.Day) []TargetLine {
	month := day.MonthString()
	targets := in.Targets[month]
	var out []TargetLine
	for _, m := range b.cat.All() {
		t, ok := targets[m.Key]
		if !ok {
			continue
		}
		line := TargetLine{Key: m.Key, Name: m.Name, Unit: metric.UnitOf(m.Kind), Month: month, Monthly: t,
			DailyTarget: metric.DailyTarget(t, day.DaysInMonth())}
		line.Day, line.DayOK = cur[m.Key]
		for d := day.FirstOfMonth(); !d.After(day); d = d.AddDays(1) {
			line.MTD += in.Days[d.String()][m.Key]
		}
		line.Elapsed, _ = metric.Progress(int64(day.Day), int64(day.DaysInMonth()))
		out = append(out, line)
	}
	return out
}

// chartDays takes the chart's series from the logged days: a figure not
// logged is a gap.
func chartDays(days map[string]metric.Day, targets map[string]map[string]int64, p Period) []chart.Day {
	out := make([]chart.Day, 0, p.Days())
	for _, d := range p.Dates() {
		v := days[d.String()]
		c := chart.Day{Date: d}
		c.Sales, c.HasSales = v["sales"]
		c.UV, c.HasUV = v["uv"]
		if t, ok := targets[d.MonthString()]["sales"]; ok && t > 0 {
			c.SalesTarget, c.HasTarget = metric.DailyTarget(t, d.DaysInMonth()), true
		}
		for _, k := range metric.DeriveAll(v) {
			if k.Key == metric.KeyConversionRate {
				c.Conv, c.HasConv = k.Value, k.OK
			}
		}
		out = append(out, c)
	}
	return out
}

// hasChartData reports whether a chart would show anything at all.
func hasChartData(days []chart.Day) bool {
	for _, d := range days {
		if d.HasSales || d.HasUV || d.HasConv {
			return true
		}
	}
	return false
}
