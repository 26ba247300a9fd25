package report

import (
	"slices"

	"opsbot/civil"
	"opsbot/config"
	"opsbot/exact"
	"opsbot/i18n"
	"opsbot/metric"
	"opsbot/tracked"
)

// Figure is one logged metric or derived KPI of a day, with what it is
// compared with. Every value is exact (package exact); it is rounded only
// when it is shown.
type Figure struct {
	Key      string
	Name     i18n.Text
	Unit     metric.Unit
	Decimals int
	Metric   bool      // logged, not derived
	Value    exact.Num // the day's value, exact
	OK       bool      // logged, or computable
	Grade    metric.Grade
	// JustUnder is the ROI grade boundary the shown value rounds up to
	// while the exact value is below it (see metric.Derived).
	JustUnder int
	// Missing names, for a KPI, the inputs that were not logged.
	Missing []string
	// Prev is the day before's value (Missing when it had none).
	Prev exact.Num
	// Avg is the trailing average over the AvgDays days before that have
	// a value: the mean of a metric's values, or a KPI over those days
	// (the ratio of their totals).
	Avg     exact.Num
	AvgDays int
	// Threshold is the anomaly threshold in percent; 0 turns flags off.
	Threshold int
}

// VsPrev is the relative change against the day before.
func (f Figure) VsPrev() exact.Num { return exact.Change(f.Value, f.Prev) }

// VsAvg is the relative change against the trailing average, exact (the
// average is never rounded before the change is taken).
func (f Figure) VsAvg() exact.Num { return exact.Change(f.Value, f.Avg) }

// minAnomalyDays is the history an average needs before a day is judged
// against it: against one or two days, every ordinary swing would read as
// an anomaly.
const minAnomalyDays = 3

// Anomalous reports whether the value differs from the trailing average by
// at least the threshold, exactly: |value − avg| × 100 ≥ threshold × avg.
// An average of zero has no percentage and is never flagged, nor is one
// over fewer than minAnomalyDays days.
func (f Figure) Anomalous() bool {
	if !f.OK || f.Avg.Sign() <= 0 || f.Threshold <= 0 || f.AvgDays < minAnomalyDays {
		return false
	}
	return f.Value.Sub(f.Avg).Abs().MulInt(100).Cmp(f.Avg.MulInt(int64(f.Threshold))) >= 0
}

// TargetLine is how a day stands against its month's target.
type TargetLine = metric.TargetLine

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
	SLA         *tracked.Stats
	Checklist   Checklists
	// Chart is the last ChartDays days.
	Chart []ChartDay
	// Campaigns are those running when the digest is read (the day after
	// the report's day) or whose registration closes within 3 days of it.
	Campaigns []CampaignLine
	Stock     *StockSection
}

// CampaignLine is a campaign a digest names.
type CampaignLine struct {
	Name     i18n.Text
	Running  bool       // running on the day the digest is read
	Start    civil.Date // when it starts
	End      civil.Date
	Deadline int // days left to register, or -1
}

// CampaignWindow is how near a registration deadline must be for the
// digest to name it.
const CampaignWindow = 3

// campaigns lists what the digest must mention on the day it is read.
func (b *Builder) campaigns(read civil.Date) []CampaignLine {
	var out []CampaignLine
	for _, cp := range b.cfg.Campaigns {
		for y := read.Year - 1; y <= read.Year+1; y++ {
			run, ok := cp.RunIn(y)
			if !ok {
				continue
			}
			line := CampaignLine{Name: cp.Name, Start: run.Start, End: run.End, Deadline: -1}
			line.Running = !read.Before(run.Start) && !read.After(run.End)
			if run.HasRegistration() {
				if n := read.DaysUntil(run.Registration); n >= 0 && n <= CampaignWindow {
					line.Deadline = n
				}
			}
			if line.Running || line.Deadline >= 0 {
				out = append(out, line)
			}
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

// KPIs are the day's derived figures, for what says which were not
// computed and why.
func (r DailyReport) KPIs() []metric.Derived { return kpis(r.Figures) }

// Figure finds a figure by key.
func (r DailyReport) Figure(key string) (Figure, bool) { return byKey(r.Figures, key) }

func (f Figure) key() string { return f.Key }

func (f Figure) derived() (metric.Derived, bool) {
	return metric.Derived{Key: f.Key, Name: f.Name, OK: f.OK, Missing: f.Missing}, !f.Metric
}

// kpis lists the KPIs among a report's figures or totals, in order.
func kpis[T interface{ derived() (metric.Derived, bool) }](xs []T) []metric.Derived {
	var out []metric.Derived
	for _, x := range xs {
		if d, ok := x.derived(); ok {
			out = append(out, d)
		}
	}
	return out
}

// byKey finds a report's figure or total by key.
func byKey[T interface{ key() string }](xs []T, key string) (T, bool) {
	i := slices.IndexFunc(xs, func(x T) bool { return x.key() == key })
	if i < 0 {
		var zero T
		return zero, false
	}
	return xs[i], true
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
	r := DailyReport{Shop: in.Shop, Day: day, Partial: in.Partial, SLA: in.SLA, Stock: in.Stock}
	for _, m := range b.cat.All() {
		v, ok := cur[m.Key]
		if !ok {
			r.Missing = append(r.Missing, m)
			continue
		}
		f := Figure{Key: m.Key, Name: m.Name, Unit: metric.UnitOf(m.Kind), Metric: true, Value: exact.Int(v), OK: true, Threshold: b.threshold(m)}
		pv, pok := prev[m.Key]
		f.Prev = exact.Of(pv, pok)
		var vals []exact.Num
		for _, t := range trailing {
			tv, ok := t[m.Key]
			vals = append(vals, exact.Of(tv, ok))
		}
		sum, n := exact.Sum(vals...)
		f.Avg, f.AvgDays = sum.Div(exact.Int(int64(n))), n
		r.Figures = append(r.Figures, f)
	}
	prevKPIs := metric.DeriveAll(prev)
	trailKPIs := metric.DeriveOver(trailing)
	for i, d := range metric.DeriveAll(WithStock(cur, in.Stock)) {
		f := Figure{Key: d.Key, Name: d.Name, Unit: d.Unit, Decimals: d.Decimals, Value: d.Value, OK: d.OK, Grade: d.Grade,
			JustUnder: d.JustUnder, Missing: d.Missing, Prev: prevKPIs[i].Value, Threshold: b.cfg.Reports.AnomalyPct}
		// A KPI's trailing average is the KPI of the trailing days' totals.
		f.Avg, f.AvgDays = trailKPIs[i].Value, trailKPIs[i].Days
		r.Figures = append(r.Figures, f)
	}
	for _, f := range r.Figures {
		if f.Anomalous() {
			r.Anomalies = append(r.Anomalies, f)
		}
	}
	r.OutOfLimits = b.outOfLimits(r.Figures)
	r.Targets = b.dayTargets(in, day)
	r.Checklist = b.tally(in.Runs)
	r.Chart = chartDays(in.Days, in.Targets, Period{day.AddDays(-(ChartDays - 1)), day})
	r.Campaigns = b.campaigns(day.AddDays(1))
	return r
}

// WithStock replaces the typed items_online and items_sold_30d with the
// counts from SKU data, when the shop keeps SKUs, for the derived KPIs.
func WithStock(day metric.Day, s *StockSection) metric.Day {
	if s == nil || s.Online == 0 {
		return day
	}
	out := make(metric.Day, len(day)+2)
	for k, v := range day {
		out[k] = v
	}
	out["items_online"], out["items_sold_30d"] = s.Online, s.Sold
	return out
}

// dayTargets sets the day and the month to date against the month's
// targets, in catalog order.
func (b *Builder) dayTargets(in Input, day civil.Date) []TargetLine {
	month := day.MonthString()
	targets := in.Targets[month]
	var out []TargetLine
	for _, m := range b.cat.All() {
		t, ok := targets[m.Key]
		if !ok {
			continue
		}
		out = append(out, metric.DayTarget(m, t, day, in.Days))
	}
	return out
}
