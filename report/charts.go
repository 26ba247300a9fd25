package report

import (
	"strings"

	"opsbot/civil"
	"opsbot/config"
	"opsbot/exact"
	"opsbot/i18n"
	"opsbot/metric"
	"opsbot/report/chart"
)

// ChartDay is one day of a chart: the figures logged that day and the
// targets of its month. A figure not logged is a gap, never a zero.
type ChartDay struct {
	Date    civil.Date
	Values  metric.Day
	Targets map[string]int64 // the month's targets by key
}

// Has reports whether a metric was logged that day.
func (d ChartDay) Has(key string) bool { _, ok := d.Values[key]; return ok }

// chartDays takes the chart's days of a period from the logged days.
func chartDays(days map[string]metric.Day, targets map[string]map[string]int64, p Period) []ChartDay {
	out := make([]ChartDay, 0, p.Days())
	for _, d := range p.Dates() {
		out = append(out, ChartDay{Date: d, Values: days[d.String()], Targets: targets[d.MonthString()]})
	}
	return out
}

// DefaultChart is what the reports' chart draws when reports.chart names
// nothing.
var DefaultChart = []string{"sales", "uv", metric.KeyConversionRate}

// Figure kinds a chart can draw: a logged metric or a derived KPI.
type chartFigure struct {
	Key    string
	Name   i18n.Text
	Unit   exact.Unit
	Logged bool // a metric of the catalog (else a KPI derived each day)
}

// lookupFigure finds a figure to chart by key, alias or name.
func lookupFigure(cat *metric.Catalog, name string) (chartFigure, bool) {
	if m, ok := cat.Lookup(name); ok {
		return chartFigure{Key: m.Key, Name: m.Name, Unit: metric.UnitOf(m.Kind), Logged: true}, true
	}
	if k, ok := metric.LookupKPI(name); ok {
		return chartFigure{Key: k.Key, Name: k.Name, Unit: k.Unit}, true
	}
	return chartFigure{}, false
}

// chartFigures are the figures the reports' chart draws.
func (b *Builder) chartFigures() []chartFigure {
	keys := b.cfg.Reports.Chart
	if len(keys) == 0 {
		keys = DefaultChart
	}
	var out []chartFigure
	for _, k := range keys {
		if f, ok := lookupFigure(b.cat, k); ok && len(out) < chart.MaxSeries {
			out = append(out, f)
		}
	}
	return out
}

// defaultFigures reports whether the reports' chart draws the default
// figures (its note then says so in words).
func (b *Builder) defaultFigures() bool {
	fs := b.chartFigures()
	if len(fs) != len(DefaultChart) {
		return false
	}
	for i, f := range fs {
		if f.Key != DefaultChart[i] {
			return false
		}
	}
	return true
}

// series is a figure over the days: the logged value, or the KPI of each
// day; with the day's share of the month's target for a logged figure
// that has one.
func series(f chartFigure, days []ChartDay) chart.Series {
	s := chart.Series{Unit: f.Unit, Values: make([]exact.Num, len(days))}
	hasTarget := false
	target := make([]exact.Num, len(days))
	for i, d := range days {
		if f.Logged {
			v, ok := d.Values[f.Key]
			s.Values[i] = exact.Of(v, ok)
			if t, ok := d.Targets[f.Key]; ok && t > 0 {
				target[i], hasTarget = metric.DailyTarget(t, d.Date.DaysInMonth()), true
			}
			continue
		}
		s.Values[i] = exact.Missing
		for _, k := range metric.DeriveAll(d.Values) {
			if k.Key == f.Key && k.OK {
				s.Values[i] = k.Value
			}
		}
	}
	if hasTarget {
		s.Target = target
	}
	return s
}

// drawable reports whether a chart of the figures would show anything.
func drawable(fs []chartFigure, days []ChartDay) bool {
	for _, f := range fs {
		for _, v := range series(f, days).Values {
			if v.OK() {
				return true
			}
		}
	}
	return false
}

// hasChartData reports whether the reports' chart would show anything.
func (b *Builder) hasChartData(days []ChartDay) bool { return drawable(b.chartFigures(), days) }

// axisName names a figure's axis with its unit: "Sales (CNY)",
// "跳失率 (%)", "Average visit length (m:ss)".
func axisName(tr i18n.Printer, f chartFigure) string {
	name := tr.Text(f.Name)
	switch f.Unit {
	case exact.Money:
		return name + " " + tr.T("chart.unit_money")
	case exact.Percent, exact.BasisPoints:
		return name + " (%)"
	case exact.Seconds:
		return name + " " + tr.T("chart.unit_duration")
	}
	return name
}

// chartOf is the chart of figures over days. title makes the title in a
// language from the shop's name as that language's chart shows it; the
// fallback, drawn when no font on the system draws the team's language,
// is in English with a name the built-in fonts draw.
func chartOf(tr i18n.Printer, shop config.Shop, fs []chartFigure, days []ChartDay, title func(tr i18n.Printer, shop string) string) chart.Chart {
	c := chart.Chart{}
	for _, d := range days {
		c.Dates = append(c.Dates, d.Date)
	}
	for _, f := range fs {
		c.Series = append(c.Series, series(f, days))
	}
	labels := func(tr i18n.Printer, name string) chart.Labels {
		l := chart.Labels{Title: title(tr, name), Target: tr.T("chart.target")}
		for _, f := range fs {
			l.Axes = append(l.Axes, axisName(tr, f))
		}
		return l
	}
	name := strings.TrimSpace(shop.Name)
	if name == "" {
		name = shop.ID
	}
	c.Labels = labels(tr, name)
	c.Fallback = labels(i18n.New(i18n.EN), chartName(shop))
	return c
}

// figureNames lists figures' names for a sentence: "Bounce rate, UV value".
func figureNames(tr i18n.Printer, fs []chartFigure) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = tr.Text(f.Name)
	}
	return strings.Join(names, tr.T("chart.sep"))
}

// chartNote says what the daily digest's chart shows.
func (b *Builder) chartNote(days int) string {
	if b.defaultFigures() {
		return b.tr.T("report.chart_note", days)
	}
	return b.tr.T("report.chart_note_figures", figureNames(b.tr, b.chartFigures()), days)
}

// chartNotePeriod says what a review's chart shows.
func (b *Builder) chartNotePeriod(from, to civil.Date) string {
	if b.defaultFigures() {
		return b.tr.T("report.chart_note_period", from.String(), to.String())
	}
	return b.tr.T("report.chart_note_figures_period", figureNames(b.tr, b.chartFigures()), from.String(), to.String())
}
