package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/exact"
	"opsbot/metric"
	"opsbot/money"
)

// The longer horizons: a quarter and a year, on demand.
const (
	Quarterly Kind = "quarterly"
	Yearly    Kind = "yearly"
)

// long tells the quarterly and yearly reviews, which also compare with the
// same period a year before and name the best and worst months.
func long(k Kind) bool { return k == Quarterly || k == Yearly }

// QuarterOf is the calendar quarter that contains d.
func QuarterOf(d civil.Date) Period {
	first := civil.Date{Year: d.Year, Month: time.Month((int(d.Month)-1)/3*3 + 1), Day: 1}
	last := civil.Date{Year: d.Year, Month: first.Month + 2, Day: 1}
	return Period{first, civil.Date{Year: d.Year, Month: last.Month, Day: last.DaysInMonth()}}
}

// YearOf is the calendar year that contains d.
func YearOf(d civil.Date) Period {
	return Period{civil.Date{Year: d.Year, Month: time.January, Day: 1}, civil.Date{Year: d.Year, Month: time.December, Day: 31}}
}

// YearBefore is the same dates a year earlier (29 February falls on the
// 28th).
func YearBefore(p Period) Period {
	back := func(d civil.Date) civil.Date {
		o := civil.Date{Year: d.Year - 1, Month: d.Month, Day: 1}
		return civil.Date{Year: o.Year, Month: o.Month, Day: min(d.Day, o.DaysInMonth())}
	}
	return Period{back(p.From), back(p.To)}
}

// previousLong is the quarter or year before, as many days of it as the
// period has when the period is not over.
func previousLong(k Kind, p Period) Period {
	whole := covering(k, p.From)
	var prev Period
	if k == Quarterly {
		prev = QuarterOf(whole.From.AddDays(-1))
	} else {
		prev = YearOf(whole.From.AddDays(-1))
	}
	if p == whole {
		return prev
	}
	to := prev.From.AddDays(p.Days() - 1)
	if to.After(prev.To) {
		to = prev.To
	}
	return Period{prev.From, to}
}

// ParseQuarter reads 2026-Q3, 2026Q3 or 2026-3Q as the quarter's first day.
func ParseQuarter(s string) (civil.Date, bool) {
	u := strings.ToUpper(strings.TrimSpace(s))
	u = strings.NewReplacer("-", "", " ", "", "年", "", "第", "", "季度", "Q").Replace(u)
	if len(u) != 6 || u[4] != 'Q' && u[5] != 'Q' {
		return civil.Date{}, false
	}
	y, err := strconv.Atoi(u[:4])
	if err != nil {
		return civil.Date{}, false
	}
	qs := strings.Trim(u[4:], "Q")
	q, err := strconv.Atoi(qs)
	if err != nil || q < 1 || q > 4 {
		return civil.Date{}, false
	}
	return civil.Date{Year: y, Month: time.Month((q-1)*3 + 1), Day: 1}, true
}

// ParseYear reads 2026 as the year's first day.
func ParseYear(s string) (civil.Date, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "年")
	if len(s) != 4 {
		return civil.Date{}, false
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 2000 {
		return civil.Date{}, false
	}
	return civil.Date{Year: y, Month: time.January, Day: 1}, true
}

// QuarterName is 2026-Q3.
func QuarterName(d civil.Date) string { return fmt.Sprintf("%d-Q%d", d.Year, (int(d.Month)-1)/3+1) }

// MonthValue is one month of a long review: its sales and sales target.
type MonthValue struct {
	Month        string
	Sales        int64
	OK           bool
	Target       int64
	HasTarget    bool
	LoggedDays   int
	DaysInPeriod int
}

// longer adds what only quarters and years show: the same period a year
// before, the months with their targets, the best and worst months, and
// targets as the sum of whole months' targets.
func (b *Builder) longer(in Input, r *PeriodicReport) {
	r.LastYear = YearBefore(in.Period)
	ly, _ := b.aggregate(in.Days, r.LastYear)
	for i, t := range r.Totals {
		if !t.Metric {
			continue
		}
		r.Totals[i].LastYear = ly[t.Key]
	}
	lyKPIs := b.periodKPIs(in.Days, r.LastYear)
	for i := range r.Totals {
		for _, d := range lyKPIs {
			if d.Key == r.Totals[i].Key && !r.Totals[i].Metric {
				r.Totals[i].LastYear = d.Value
			}
		}
	}
	r.Best, r.Worst = nil, nil // days matter less than months here
	for m := in.Period.From.FirstOfMonth(); !m.After(in.Period.To); m = monthOf(m).To.AddDays(1) {
		mp := monthOf(m)
		if mp.To.After(in.Period.To) {
			mp.To = in.Period.To
		}
		mv := MonthValue{Month: m.MonthString(), DaysInPeriod: mp.Days()}
		for _, d := range mp.Dates() {
			if v, ok := in.Days[d.String()]["sales"]; ok {
				mv.Sales += v
				mv.OK = true
			}
			if len(in.Days[d.String()]) > 0 {
				mv.LoggedDays++
			}
		}
		mv.Target, mv.HasTarget = in.Targets[mv.Month]["sales"]
		r.Months = append(r.Months, mv)
		if !mv.OK {
			continue
		}
		// Ties go to the earlier month.
		if r.BestMonth == nil || mv.Sales > r.BestMonth.Sales {
			r.BestMonth = &r.Months[len(r.Months)-1]
		}
		if r.WorstMonth == nil || mv.Sales < r.WorstMonth.Sales {
			r.WorstMonth = &r.Months[len(r.Months)-1]
		}
	}
	if r.BestMonth != nil {
		best, worst := *r.BestMonth, *r.WorstMonth
		r.BestMonth, r.WorstMonth = &best, &worst
	}
	// Whole months take their monthly targets exactly; a month not over
	// takes its days' shares, as weeks do.
	r.Targets = nil
	cur, n := b.aggregate(in.Days, in.Period)
	for _, m := range b.cat.All() {
		t := periodTarget{Key: m.Key, Name: m.Name, Unit: metric.UnitOf(m.Kind), Of: in.Period.Days(), Target: exact.Int(0)}
		for _, mv := range r.Months {
			monthly, ok := in.Targets[mv.Month][m.Key]
			if !ok {
				continue
			}
			first, _ := civil.ParseMonth(mv.Month)
			// A whole month's shares add up to its target exactly.
			t.Target = t.Target.Add(exact.Share(monthly, mv.DaysInPeriod, first.DaysInMonth()))
			t.Days += mv.DaysInPeriod
		}
		if t.Days > 0 {
			t.Actual, t.Logged = cur[m.Key], min(n[m.Key], t.Days)
			out := t
			r.Targets = append(r.Targets, out)
		}
	}
	if in.Kind == Yearly {
		r.Chart = nil // a year of days is not readable as one bar chart
	}
}

// longTitle is the title of a quarterly or yearly review and the names of
// the period before.
func (b *Builder) longTitle(r PeriodicReport) (title, prevName, vsPrev string) {
	tr := b.tr
	if r.Kind == Quarterly {
		return tr.T("report.quarterly_title", r.Shop.Name, QuarterName(r.Period.From)), tr.T("report.last_quarter"), "report.vs_last_quarter"
	}
	return tr.T("report.yearly_title", r.Shop.Name, r.Period.From.Year), tr.T("report.last_year_period"), "report.vs_last_period_year"
}

// longLines are the headline comparisons with a year before and the best
// and worst months.
func (b *Builder) longLines(r PeriodicReport) []string {
	if !long(r.Kind) {
		return nil
	}
	tr := b.tr
	var lines []string
	var yoy []string
	for _, key := range headline() {
		t, ok := r.Total(key)
		if !ok || !t.OK || !t.LastYear.OK() {
			continue
		}
		c := t.YearChange()
		if !c.OK() {
			continue
		}
		yoy = append(yoy, chat.Escape(tr.Text(t.Name))+" "+changeWords(t.Unit, t.Decimals, c))
	}
	if len(yoy) > 0 {
		lines = append(lines, tr.T("report.yoy", r.LastYear.String(), strings.Join(yoy, " · ")))
	}
	if r.BestMonth != nil && r.WorstMonth != nil && r.BestMonth.Month != r.WorstMonth.Month {
		lines = append(lines, tr.T("report.best_worst_month", r.BestMonth.Month, money.Fen(r.BestMonth.Sales).String(), r.WorstMonth.Month, money.Fen(r.WorstMonth.Sales).String()))
	}
	return lines
}

// monthTable lists a long review's months: sales against the target.
func (b *Builder) monthTable(r PeriodicReport) []slack.Block {
	if !long(r.Kind) || len(r.Months) == 0 {
		return nil
	}
	tr := b.tr
	rows := [][]string{{tr.T("report.col_month"), tr.T("report.col_sales"), tr.T("report.col_target"), "%"}}
	for _, m := range r.Months {
		row := []string{m.Month, metric.Dash, "", ""}
		if m.OK {
			row[1] = money.Fen(m.Sales).String()
		}
		if m.HasTarget {
			row[2] = money.Fen(m.Target).String()
			if p := metric.Progress(exact.Int(m.Sales), exact.Int(m.Target)); p.OK() && m.OK {
				row[3] = exact.Format(exact.Percent, 1, p)
			}
		}
		rows = append(rows, row)
	}
	return tableSections("", rows, []bool{false, true, true, true})
}
