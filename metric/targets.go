package metric

import (
	"strings"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/exact"
	"opsbot/i18n"
)

// TargetLine is how a day stands against its month's target for one
type TargetLine struct {
	Key     string
	Name    i18n.Text
	Unit    Unit
	Month   string
	Monthly int64
	// The day's value (Missing when not logged) against its exact share of
	// the monthly target.
	Day         exact.Num
	DailyTarget exact.Num
	// The month to date: the total of the days logged from the 1st to the
	// day (Missing when none was), logged on MTDDays of Elapsed days.
	MTD         exact.Num
	MTDDays     int
	ElapsedDays int
	// Elapsed is the part of the month passed by the end of the day.
	Elapsed exact.Num
}

// BelowHalf applies the team's rule: at least half of the daily target.
func (t TargetLine) BelowHalf() bool { return BelowHalf(t.Day, t.DailyTarget) }

// DayTarget sets a day and its month to date against the month's target
// for one metric: days holds the logged figures of at least the 1st of
// the month to the day, by YYYY-MM-DD.
func DayTarget(m Metric, monthly int64, day civil.Date, days map[string]Day) TargetLine {
	line := TargetLine{Key: m.Key, Name: m.Name, Unit: UnitOf(m.Kind), Month: day.MonthString(), Monthly: monthly,
		DailyTarget: DailyTarget(monthly, day.DaysInMonth()), ElapsedDays: day.Day}
	v, ok := days[day.String()][m.Key]
	line.Day = exact.Of(v, ok)
	var vals []exact.Num
	for d := day.FirstOfMonth(); !d.After(day); d = d.AddDays(1) {
		x, ok := days[d.String()][m.Key]
		vals = append(vals, exact.Of(x, ok))
	}
	line.MTD, line.MTDDays = exact.Sum(vals...)
	line.Elapsed = exact.Frac(int64(day.Day), int64(day.DaysInMonth()))
	return line
}

// DayTargetLines are a day's and its month to date's lines against the
// month's target: "• Sales: ¥24,000.00 of the daily target ¥60,000.00 —
// 40.0%". A target whose daily share rounds to nothing shows "—"; a month
// with nothing logged says so rather than ¥0.00.
func DayTargetLines(tr i18n.Printer, t TargetLine) []string {
	name := chat.Escape(tr.Text(t.Name))
	var lines []string
	daily := t.DailyTarget
	if exact.RoundInt(daily).Sign() == 0 {
		daily = exact.Missing // a share too small to show is no target for a day
	}
	switch {
	case t.Day.OK() && !daily.OK():
		lines = append(lines, "• "+tr.T("figures.target_day_small", name, exact.Format(t.Unit, 0, t.Day), exact.Format(t.Unit, 0, exact.Int(t.Monthly))))
	case t.Day.OK():
		line := "• " + tr.T("report.target_day", name, exact.Format(t.Unit, 0, t.Day), exact.Format(t.Unit, 0, daily),
			exact.Format(exact.Percent, 1, Progress(t.Day, daily)))
		if BelowHalf(t.Day, daily) {
			line = "• :warning: " + strings.TrimPrefix(line, "• ") + " " + tr.T("report.below_half")
		}
		lines = append(lines, line)
	}
	monthly := exact.Int(t.Monthly)
	elapsed := exact.Format(exact.Percent, 1, t.Elapsed)
	if !t.MTD.OK() {
		return append(lines, "• "+tr.T("figures.target_mtd_none", name, t.Month, exact.Format(t.Unit, 0, monthly), elapsed))
	}
	line := "• " + tr.T("report.target_mtd", name, t.Month, exact.Format(t.Unit, 0, t.MTD), exact.Format(t.Unit, 0, monthly),
		exact.Format(exact.Percent, 1, Progress(t.MTD, monthly)), elapsed)
	if t.MTDDays < t.ElapsedDays {
		line += " " + tr.T("figures.days_logged", t.MTDDays, t.ElapsedDays)
	}
	return append(lines, line)
}

// GradeText writes an ROI's grade for a reply or a report: " (pass)", or
// " (fail: just under 1:3)" when the ratio shows as 1:3.00 but the exact
// ratio is below 1:3, which is what the grade compares.
func GradeText(tr i18n.Printer, g Grade, justUnder int) string {
	if g == GradeNone {
		return ""
	}
	if justUnder > 0 {
		return " (" + tr.T("grade.just_under", tr.T("grade."+string(g)), justUnder) + ")"
	}
	return " (" + tr.T("grade."+string(g)) + ")"
}

// GapLines says, for the KPIs that could not be computed, which inputs
// were not logged: an input not logged is never taken as zero. It is one
// line, or none when every KPI was computed.
func GapLines(tr i18n.Printer, cat *Catalog, gaps []Gap) []string {
	if len(gaps) == 0 {
		return nil
	}
	items := make([]string, len(gaps))
	for i, g := range gaps {
		kpis := make([]string, len(g.KPIs))
		for j, k := range g.KPIs {
			kpis[j] = tr.Text(k)
		}
		inputs := make([]string, len(g.Inputs))
		for j, key := range g.Inputs {
			inputs[j] = key
			if m, ok := cat.Lookup(key); ok {
				inputs[j] = tr.Text(m.Name)
			}
		}
		key := "figures.gap"
		if g.Apart {
			key = "figures.gap_apart"
		}
		items[i] = tr.T(key, strings.Join(kpis, ", "), strings.Join(inputs, ", "))
	}
	return []string{chat.Escape(tr.T("figures.gaps", strings.Join(items, "; ")))}
}
