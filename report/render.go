package report

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/exact"
	"opsbot/i18n"
	"opsbot/metric"
	"opsbot/tracked"
)

// headline are the figures a manager reads first.
func headline() []string {
	return []string{"sales", "uv", metric.KeyConversionRate, metric.KeyROI}
}

// RenderDaily lays a daily report out as Block Kit messages.
func (b *Builder) RenderDaily(r DailyReport) Rendered {
	tr := b.tr
	title := tr.T("report.daily_title", r.Shop.Name, b.dayLabel(r.Day))
	if r.Partial {
		title += " " + tr.T("report.so_far")
	}
	var blocks []slack.Block
	if len(r.Campaigns) > 0 {
		var lines []string
		for _, c := range r.Campaigns {
			name := chat.Escape(tr.Text(c.Name))
			if c.Running {
				lines = append(lines, tr.T("report.campaign_running", name, c.End.String()))
			}
			if c.Deadline >= 0 {
				lines = append(lines, tr.T("report.campaign_deadline", name, c.Deadline))
			}
		}
		blocks = append(blocks, textSections(lines)...)
	}
	if !r.Logged() {
		blocks = append(blocks, chat.Section(tr.T("report.nothing_logged", r.Day.String(), chat.Escape(r.Shop.ID))))
	} else {
		var lines []string
		for _, key := range headline() {
			if f, ok := r.Figure(key); ok && f.OK {
				lines = append(lines, b.headlineLine(f))
			}
		}
		blocks = append(blocks, textSections(lines)...)
		blocks = append(blocks, b.limitBlocks(r)...)
		blocks = append(blocks, b.anomalyBlocks(r)...)
		blocks = append(blocks, b.dayTargetBlocks(r.Targets)...)
		blocks = append(blocks, b.dayTable(r)...)
	}
	if len(r.Missing) > 0 && r.Logged() {
		names := make([]string, len(r.Missing))
		for i, m := range r.Missing {
			names[i] = chat.Escape(tr.Text(m.Name))
		}
		blocks = append(blocks, chat.Context(chat.Truncate(tr.T("report.missing", strings.Join(names, ", ")), maxSectionText)))
	}
	short := fmt.Sprintf("%02d-%02d", int(r.Day.Month), r.Day.Day)
	blocks = append(blocks, b.slaBlocks(r.SLA, tr.T("report.sla_day", short))...)
	blocks = append(blocks, b.checklistBlocks(r.Checklist, tr.T("report.checklists_day", short))...)
	if r.Stock != nil && len(r.Stock.Lines) > 0 {
		blocks = append(blocks, textSections(append([]string{tr.T("report.stock_title")}, r.Stock.Lines...))...)
	}
	if b.hasChartData(r.Chart) {
		blocks = append(blocks, chat.Context(b.chartNote(len(r.Chart))))
	}
	return Rendered{Title: title, Messages: paginate(title, title, blocks, b.continued(title))}
}

func (b *Builder) continued(title string) func(i, n int) string {
	return func(i, n int) string {
		// Cut the title, not the part number, to fit the header.
		room := maxHeaderText - runes(b.tr.T("report.continued", "", i, n))
		return b.tr.T("report.continued", chat.Truncate(title, room), i, n)
	}
}

// dayLabel is how a date is named: 2026-11-22 (Sun).
func (b *Builder) dayLabel(d civil.Date) string {
	return d.String() + " (" + b.tr.Weekday(d.Weekday()) + ")"
}

// headlineLine shows a key figure with how it moved: for counts and money
// the change in percent, for rates and ratios the earlier values (a
// percent of a percent confuses).
func (b *Builder) headlineLine(f Figure) string {
	tr := b.tr
	var parts []string
	switch f.Unit {
	case metric.UnitCount, metric.UnitMoney:
		if p := f.VsPrev(); p.OK() {
			parts = append(parts, tr.T("report.vs_prev", exact.SignedPercent(p, 1)))
		}
		if p := f.VsAvg(); p.OK() {
			parts = append(parts, tr.T("report.vs_avg", exact.SignedPercent(p, 1), f.AvgDays))
		}
	default:
		if f.Prev.OK() {
			parts = append(parts, tr.T("report.prev_was", exact.Format(f.Unit, f.Decimals, f.Prev)))
		}
		if f.Avg.OK() {
			parts = append(parts, tr.T("report.avg_was", exact.Format(f.Unit, f.Decimals, f.Avg), f.AvgDays))
		}
	}
	line := "*" + chat.Escape(tr.Text(f.Name)) + "* " + exact.Format(f.Unit, f.Decimals, f.Value) + b.grade(f.Grade, f.JustUnder)
	if len(parts) > 0 {
		line += " · " + strings.Join(parts, " · ")
	}
	return line
}

// grade is an ROI's verdict, and when its two decimals round up to the
// next grade's boundary, why it is not that grade.
func (b *Builder) grade(g metric.Grade, justUnder int) string {
	return metric.GradeText(b.tr, g, justUnder)
}

// anomalyBlocks names each flagged figure in words: "UV −38% vs the
// 7-day average (12,000 vs 19,355)".
func (b *Builder) anomalyBlocks(r DailyReport) []slack.Block {
	tr := b.tr
	if len(r.Anomalies) == 0 {
		if b.cfg.Reports.AnomalyPct > 0 && anyAvg(r.Figures) {
			return []slack.Block{chat.Context(tr.T("report.no_anomalies", b.cfg.Reports.AnomalyPct))}
		}
		return nil
	}
	lines := []string{tr.T("report.anomalies", b.cfg.Reports.AnomalyPct)}
	for _, f := range r.Anomalies {
		lines = append(lines, "• "+tr.T("report.anomaly", chat.Escape(tr.Text(f.Name)), exact.SignedPercent(f.VsAvg(), 0), f.AvgDays,
			exact.Format(f.Unit, f.Decimals, f.Value), exact.Format(f.Unit, f.Decimals, f.Avg)))
	}
	return textSections(lines)
}

func anyAvg(fs []Figure) bool {
	for _, f := range fs {
		if f.OK && f.Avg.OK() {
			return true
		}
	}
	return false
}

// dayTargetBlocks sets the day and the month to date against targets.
func (b *Builder) dayTargetBlocks(ts []TargetLine) []slack.Block {
	var lines []string
	for _, t := range ts {
		lines = append(lines, metric.DayTargetLines(b.tr, t)...)
	}
	return b.targetSection(lines)
}

// targetSection is the targets' heading and lines; nothing without lines.
func (b *Builder) targetSection(lines []string) []slack.Block {
	if len(lines) == 0 {
		return nil
	}
	return textSections(append([]string{b.tr.T("report.targets")}, lines...))
}

// dayTable is every figure of the day against the day before and the
// trailing average.
func (b *Builder) dayTable(r DailyReport) []slack.Block {
	tr := b.tr
	prev := r.Day.AddDays(-1)
	// The average column says how many days it covers (the days logged
	// among the 7 before): the header the most common count, a cell
	// whose average covers another count says so.
	avgDays := map[int]int{}
	for _, f := range r.Figures {
		if f.OK && f.Avg.OK() {
			avgDays[f.AvgDays]++
		}
	}
	common := trailingDays
	for n, c := range avgDays {
		if c > avgDays[common] || (c == avgDays[common] && n > common) {
			common = n
		}
	}
	avgHead := tr.T("report.col_vs_avg", common)
	if len(avgDays) == 0 {
		avgHead = tr.T("report.col_vs_avg_none") // no day before was logged
	}
	rows := [][]string{{tr.T("report.col_metric"), tr.T("report.col_value"),
		tr.T("report.col_delta", fmt.Sprintf("%02d-%02d", int(prev.Month), prev.Day)), "Δ%", avgHead}}
	for _, f := range r.Figures {
		row := []string{tr.Text(f.Name), metric.Dash, "", "", ""}
		if f.OK {
			row[1] = exact.Format(f.Unit, f.Decimals, f.Value) + b.grade(f.Grade, f.JustUnder)
			row[2] = exact.Signed(f.Unit, f.Decimals, f.Value.Sub(f.Prev))
			if f.Unit == metric.UnitCount || f.Unit == metric.UnitMoney {
				row[3] = exact.SignedPercent(f.VsPrev(), 1)
			}
			row[4] = exact.SignedPercent(f.VsAvg(), 1)
			if f.Avg.OK() && f.AvgDays != common {
				row[4] += " " + tr.T("report.cell_avg_days", f.AvgDays)
			}
		}
		rows = append(rows, row)
	}
	blocks := tableSections("", rows, []bool{false, true, true, true, true})
	if gaps := metric.GapLines(tr, b.cat, metric.Gaps(r.KPIs())); len(gaps) > 0 {
		blocks = append(blocks, chat.Context(chat.Truncate(strings.Join(gaps, "\n"), maxSectionText)))
	}
	return blocks
}

// slaBlocks is the 24-hour rule's record, or a plain statement that items
// are not tracked (never zeros that look like a clean record).
func (b *Builder) slaBlocks(s *tracked.Stats, title string) []slack.Block {
	tr := b.tr
	if s == nil {
		return []slack.Block{chat.Section(title + " " + tr.T("report.sla_untracked"))}
	}
	median, p90 := exact.Dash, exact.Dash
	if s.Resolved > 0 {
		median, p90 = b.duration(s.Median), b.duration(s.P90)
	}
	line := title + " " + tr.T("report.sla", s.Opened, s.Resolved, s.Open, s.Breached, median, p90)
	if s.Breached > 0 {
		line = ":rotating_light: " + line
	}
	return []slack.Block{chat.Section(line)}
}

// duration shows a resolution time briefly: 45m, 3h20m, 2d4h.
func (b *Builder) duration(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d < time.Minute:
		return "<1m"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		h, m := int(d.Hours()), int(d.Minutes())%60
		if m == 0 {
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh%02dm", h, m)
	default:
		days, h := int(d.Hours())/24, int(d.Hours())%24
		if h == 0 {
			return fmt.Sprintf("%dd", days)
		}
		return fmt.Sprintf("%dd%dh", days, h)
	}
}

// checklistBlocks is the routine's completion per checklist and per
// person, with late and missed runs.
func (b *Builder) checklistBlocks(c Checklists, title string) []slack.Block {
	tr := b.tr
	t := c.Total
	if t.Runs == 0 {
		return []slack.Block{chat.Section(title + " " + tr.T("report.no_runs"))}
	}
	summary := title + " " + tr.T("report.checklist_total", t.Runs, t.Done, t.Items, completion(t), t.Late, t.Missed)
	if t.Missed > 0 || t.Late > 0 {
		summary = ":warning: " + summary
	}
	rows := [][]string{{tr.T("report.col_checklist"), tr.T("report.col_runs"), tr.T("report.col_done"), "%",
		tr.T("report.col_done_late"), tr.T("report.col_late_runs"), tr.T("report.col_missed")}}
	for _, l := range c.Lines {
		rows = append(rows, []string{tr.Text(l.Title), fmt.Sprint(l.Runs), fmt.Sprintf("%d/%d", l.Done, l.Items), completion(l),
			fmt.Sprint(l.DoneLate), fmt.Sprint(l.Late), fmt.Sprint(l.Missed)})
	}
	blocks := tableSections(summary, rows, []bool{false, true, true, true, true, true, true})
	if len(c.People) > 0 {
		lines := []string{tr.T("report.by_person")}
		for _, p := range c.People {
			lines = append(lines, "• "+tr.T("report.person", who(p.User), p.Done, p.OnTime))
		}
		blocks = append(blocks, textSections(lines)...)
	}
	return blocks
}

func completion(l ChecklistLine) string { return exact.Format(exact.Percent, 0, l.Completion()) }

// who shows a person: a Slack user ID as a mention (Slack shows the
// name), anything else (a console user) as text.
func who(user string) string {
	if slackUser.MatchString(user) {
		return chat.Mention(user)
	}
	return chat.Escape(user)
}

// slackUser matches Slack user IDs. A package-level pattern: it is
// constant, and compiling it per person would be waste.
var slackUser = regexp.MustCompile(`^[UW][A-Z0-9]{6,}$`)

// RenderPeriodic lays a weekly or monthly report out as Block Kit
// messages.
func (b *Builder) RenderPeriodic(r PeriodicReport) Rendered {
	tr := b.tr
	var title, prevName, vsPrev string
	if r.Kind == Weekly {
		_, week := time.Date(r.Period.From.Year, r.Period.From.Month, r.Period.From.Day, 12, 0, 0, 0, time.UTC).ISOWeek()
		title = tr.T("report.weekly_title", r.Shop.Name, r.Period.From.String(), r.Period.To.String(), week)
		prevName, vsPrev = tr.T("report.last_week"), "report.vs_last_week"
	} else if long(r.Kind) {
		title, prevName, vsPrev = b.longTitle(r)
	} else {
		title = tr.T("report.monthly_title", r.Shop.Name, r.Period.From.MonthString())
		prevName, vsPrev = tr.T("report.last_month"), "report.vs_last_month"
	}
	switch {
	case r.Partial && r.Kind == Weekly:
		title += " " + tr.T("report.so_far") // the title has the last day
	case r.Partial:
		title += " " + tr.T("report.to_date", r.Period.To.String())
	}
	var blocks []slack.Block
	logged := r.Period.Days() - len(r.NoData)
	lines := []string{tr.T("report.coverage", logged, r.Period.Days())}
	if len(r.NoData) > 0 {
		lines[0] = tr.T("report.coverage_gaps", logged, r.Period.Days(), shortDates(r.NoData))
	}
	if logged > 0 {
		for _, key := range headline() {
			t, ok := r.Total(key)
			if !ok || !t.OK {
				continue
			}
			line := "*" + chat.Escape(tr.Text(t.Name)) + "* " + exact.Format(t.Unit, t.Decimals, t.Value) + b.grade(t.Grade, t.JustUnder)
			switch {
			case t.Days < logged && t.Metric:
				line += " " + tr.T("figures.days_logged", t.Days, logged)
			case t.Days < logged:
				// A KPI of the days that logged all its inputs.
				line += " " + tr.T("figures.days_over", t.Days, logged)
			}
			if c := t.Change(); c.OK() {
				words := changeWords(t.Unit, t.Decimals, c)
				if t.PerDay() {
					words = tr.T("report.per_day_change", words)
				}
				line += " · " + tr.T(vsPrev, words)
				if t.PerDay() {
					line += " " + tr.T("report.per_day_days", t.Days, t.PrevDays)
				}
			}
			if avg := t.DailyAvg(); avg.OK() {
				line += " · " + tr.T("report.daily_avg", exact.Format(t.Unit, 0, avg))
			}
			lines = append(lines, line)
		}
		if r.Best != nil && r.Worst != nil {
			lines = append(lines, tr.T("report.best_worst", b.dayLabel(r.Best.Date), metric.Format(metric.UnitMoney, 0, r.Best.Value),
				b.dayLabel(r.Worst.Date), metric.Format(metric.UnitMoney, 0, r.Worst.Value)))
		}
		lines = append(lines, b.longLines(r)...)
	}
	blocks = append(blocks, textSections(lines)...)
	blocks = append(blocks, b.periodTargetBlocks(r.Targets)...)
	blocks = append(blocks, b.monthTable(r)...)
	if logged > 0 {
		blocks = append(blocks, b.periodTable(r, prevName)...)
	}
	blocks = append(blocks, b.slaBlocks(r.SLA, tr.T("report.sla_period"))...)
	blocks = append(blocks, b.checklistBlocks(r.Checklist, tr.T("report.checklists_period"))...)
	if r.Kind == Monthly {
		blocks = append(blocks, b.commissionBlocks(r)...)
	}
	if b.hasChartData(r.Chart) {
		blocks = append(blocks, chat.Context(b.chartNotePeriod(r.Chart[0].Date, r.Chart[len(r.Chart)-1].Date)))
	}
	return Rendered{Title: title, Messages: paginate(title, title, blocks, b.continued(title))}
}

func (b *Builder) periodTargetBlocks(ts []periodTarget) []slack.Block {
	tr := b.tr
	var lines []string
	for _, t := range ts {
		name := chat.Escape(tr.Text(t.Name))
		target := exact.Format(t.Unit, 0, t.Target)
		var line string
		switch {
		case !t.Actual.OK():
			line = "• " + tr.T("figures.target_period_none", name, t.Days, target)
		case exact.RoundInt(t.Target).Sign() == 0:
			line = "• " + tr.T("figures.target_period_small", name, exact.Format(t.Unit, 0, t.Actual))
		default:
			mark := ":x: " + tr.T("report.not_met")
			if t.Met() {
				mark = ":white_check_mark: " + tr.T("report.met")
			}
			line = "• " + tr.T("report.target_period", name, exact.Format(t.Unit, 0, t.Actual), target,
				exact.Format(exact.Percent, 1, metric.Progress(t.Actual, t.Target))) + " " + mark
			if t.Logged < t.Days {
				line += " " + tr.T("figures.days_logged", t.Logged, t.Days)
			}
		}
		if t.Days < t.Of {
			line += " " + tr.T("report.target_days", t.Days, t.Of)
		}
		lines = append(lines, line)
	}
	return b.targetSection(lines)
}

// periodTable is every metric's total and daily average, and every KPI,
// against the period before.
func (b *Builder) periodTable(r PeriodicReport, prevName string) []slack.Block {
	tr := b.tr
	rows := [][]string{{tr.T("report.col_metric"), tr.T("report.col_total"), tr.T("report.col_avg"), prevName, tr.T("report.col_change")}}
	var levels []string
	perDay := false
	for _, t := range r.Totals {
		row := []string{tr.Text(t.Name), metric.Dash, "", metric.Dash, ""}
		if t.OK {
			row[1] = exact.Format(t.Unit, t.Decimals, t.Value) + b.grade(t.Grade, t.JustUnder)
		}
		if avg := t.DailyAvg(); avg.OK() {
			row[2] = exact.Format(t.Unit, 0, avg)
		}
		if t.Prev.OK() {
			row[3] = exact.Format(t.Unit, t.Decimals, t.Prev)
		}
		if c := t.Change(); c.OK() {
			if t.Unit == metric.UnitCount || t.Unit == metric.UnitMoney {
				row[4] = exact.SignedPercent(c, 1)
			} else {
				row[4] = exact.Signed(t.Unit, t.Decimals, c)
			}
			if t.PerDay() {
				row[4] += tr.T("report.per_day_cell")
				perDay = perDay || t.OK || t.Prev.OK()
			}
		}
		if t.Level && t.OK {
			levels = append(levels, chat.Escape(tr.Text(t.Name)))
		}
		if !t.OK && !t.Prev.OK() {
			continue // nothing in either period: the table stays short
		}
		rows = append(rows, row)
	}
	blocks := tableSections("", rows, []bool{false, true, true, true, true})
	if perDay {
		blocks = append(blocks, chat.Context(tr.T("report.per_day_note")))
	}
	if gaps := metric.GapLines(tr, b.cat, metric.Gaps(r.KPIs())); len(gaps) > 0 {
		blocks = append(blocks, chat.Context(chat.Truncate(strings.Join(gaps, "\n"), maxSectionText)))
	}
	if len(levels) > 0 {
		blocks = append(blocks, chat.Context(chat.Truncate(tr.T("report.levels", strings.Join(levels, ", ")), maxSectionText)))
	}
	return blocks
}

// commissionBlocks is the month's commission table, in yuan exact to the
// fen, with why any role is not paid.
func (b *Builder) commissionBlocks(r PeriodicReport) []slack.Block {
	tr := b.tr
	if len(r.Commissions) == 0 {
		return nil
	}
	basis := r.Basis
	month := r.Period.From.MonthString()
	if !basis.Sales.OK() && !basis.Paid.OK() {
		return []slack.Block{chat.Section(tr.T("figures.commissions_nothing", month))}
	}
	var head string
	if !basis.Sales.OK() || !basis.Paid.OK() {
		head = tr.T("figures.commissions_partly", loggedFigure(tr, metric.UnitMoney, basis.Sales, basis.SalesDays, basis.Days),
			loggedFigure(tr, metric.UnitCount, basis.Paid, basis.PaidDays, basis.Days))
	} else {
		// Each figure's own coverage follows it: "1,730 paid orders
		// (logged on 8 of 30 days)", never "1,730 (logged …) paid orders".
		head = tr.T("report.commissions", loggedFigure(tr, metric.UnitMoney, basis.Sales, basis.SalesDays, basis.Days),
			exact.Format(metric.UnitCount, 0, basis.Paid), daysNote(tr, basis.PaidDays, basis.Days))
	}
	if r.Partial {
		head += " " + tr.T("report.commissions_so_far")
	}
	rows := [][]string{{tr.T("report.col_role"), tr.T("report.col_rule"), tr.T("report.col_pool"), tr.T("report.col_person"), tr.T("report.col_amount")}}
	var notes []string
	total := exact.Int(0)
	settled := false // some amount was computed, even a zero
	for _, c := range r.Commissions {
		role := b.roleName(c.Role)
		rule := b.ruleText(c)
		pool := exact.Format(exact.Money, 0, c.Pool)
		if c.Unpaid != "" {
			// A target that was not met pays a real zero; a pool with
			// nobody to pay, no target or figures not logged pays an
			// amount nobody knows yet, never a zero that looks settled.
			amount := metric.Dash
			if c.Unpaid == UnpaidTarget {
				amount, settled = exact.Format(exact.Money, 0, exact.Int(0)), true
			}
			rows = append(rows, []string{role, rule, pool, metric.Dash, amount})
			notes = append(notes, "• "+tr.T("report.unpaid_"+c.Unpaid, role, c.Role, b.metricNames(c.NotLogged)))
			continue
		}
		for i, s := range c.Shares {
			row := []string{"", "", "", s.Who, exact.Format(exact.Money, 0, exact.BigInt(s.Amount))}
			if i == 0 {
				row[0], row[1], row[2] = role, rule, pool
			}
			rows = append(rows, row)
			total = total.Add(exact.BigInt(s.Amount))
			settled = true
		}
	}
	totalText := metric.Dash
	if settled {
		totalText = exact.Format(exact.Money, 0, total)
	}
	rows = append(rows, []string{tr.T("report.total"), "", "", "", totalText})
	blocks := tableSections(head, rows, []bool{false, false, true, false, true})
	if len(notes) > 0 {
		blocks = append(blocks, textSections(notes)...)
	}
	blocks = append(blocks, chat.Context(tr.T("report.commission_rule")))
	return blocks
}

// loggedFigure is a period's total as a sentence names it: "¥1,300.00",
// "¥1,300.00 (logged on 2 of 31 days)", or "not logged".
func loggedFigure(tr i18n.Printer, u metric.Unit, v exact.Num, days, of int) string {
	if !v.OK() {
		return tr.T("figures.not_logged")
	}
	return exact.Format(u, 0, v) + daysNote(tr, days, of)
}

// daysNote is " (logged on 8 of 30 days)" when a figure was not logged
// on every day of the period, else "".
func daysNote(tr i18n.Printer, days, of int) string {
	if days >= of {
		return ""
	}
	return " " + tr.T("figures.days_logged", days, of)
}

// metricNames names metrics by key, in the report's language.
func (b *Builder) metricNames(keys []string) string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k
		if m, ok := b.cat.Lookup(k); ok {
			names[i] = b.tr.Text(m.Name)
		}
	}
	return chat.Escape(strings.Join(names, ", "))
}

func (b *Builder) roleName(role string) string {
	if key := "report.role_" + role; i18n.Has(key) {
		return b.tr.T(key)
	}
	return role
}

func (b *Builder) ruleText(c Commission) string {
	var parts []string
	if c.HasRate {
		parts = append(parts, b.tr.T("report.rule_rate", metric.FormatRate(c.RateBP, 10_000, 2)))
	}
	if c.HasPerOrder {
		parts = append(parts, b.tr.T("report.rule_per_order", metric.Format(metric.UnitMoney, 0, c.PerOrder)))
	}
	s := strings.Join(parts, " + ")
	if c.OnTarget {
		s += " " + b.tr.T("report.rule_on_target")
	}
	return s
}

// shortDates lists sorted dates as MM-DD, runs of consecutive days as
// one range: 02-01–02-26, 02-28.
func shortDates(ds []civil.Date) string {
	short := func(d civil.Date) string { return fmt.Sprintf("%02d-%02d", int(d.Month), d.Day) }
	var out []string
	for i := 0; i < len(ds); {
		j := i
		for j+1 < len(ds) && ds[j+1] == ds[j].AddDays(1) {
			j++
		}
		switch {
		case j == i:
			out = append(out, short(ds[i]))
		case j == i+1:
			out = append(out, short(ds[i]), short(ds[j]))
		default:
			out = append(out, short(ds[i])+"–"+short(ds[j]))
		}
		i = j + 1
	}
	return strings.Join(out, ", ")
}

// changeWords writes a change against an earlier period: percent for
// counts and money, points for rates, the difference for ratios.
func changeWords(unit metric.Unit, decimals int, c exact.Num) string {
	if unit == metric.UnitCount || unit == metric.UnitMoney {
		return exact.SignedPercent(c, 1)
	}
	return exact.Signed(unit, decimals, c)
}
