package report

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/i18n"
	"opsbot/metric"
	"opsbot/money"
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
	if hasChartData(r.Chart) {
		blocks = append(blocks, chat.Context(tr.T("report.chart_note", len(r.Chart))))
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
		if p, ok := f.VsPrev(); ok {
			parts = append(parts, tr.T("report.vs_prev", pctWords(p, 1)))
		}
		if p, ok := f.VsAvg(); ok {
			parts = append(parts, tr.T("report.vs_avg", pctWords(p, 1), f.AvgDays))
		}
	default:
		if f.PrevOK {
			parts = append(parts, tr.T("report.prev_was", metric.Format(f.Unit, f.Decimals, f.Prev)))
		}
		if avg, ok := f.Avg(); ok {
			parts = append(parts, tr.T("report.avg_was", metric.Format(f.Unit, f.Decimals, avg), f.AvgDays))
		}
	}
	line := "*" + chat.Escape(tr.Text(f.Name)) + "* " + metric.Format(f.Unit, f.Decimals, f.Value) + b.grade(f.Grade)
	if len(parts) > 0 {
		line += " · " + strings.Join(parts, " · ")
	}
	return line
}

func (b *Builder) grade(g metric.Grade) string {
	if g == metric.GradeNone {
		return ""
	}
	return " (" + b.tr.T("grade."+string(g)) + ")"
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
		p, _ := f.VsAvg()
		avg, _ := f.Avg()
		lines = append(lines, "• "+tr.T("report.anomaly", chat.Escape(tr.Text(f.Name)), pctWords(p, 0), f.AvgDays,
			metric.Format(f.Unit, f.Decimals, f.Value), metric.Format(f.Unit, f.Decimals, avg)))
	}
	return textSections(lines)
}

func anyAvg(fs []Figure) bool {
	for _, f := range fs {
		if f.OK && f.AvgDays > 0 {
			return true
		}
	}
	return false
}

// dayTargetBlocks sets the day and the month to date against targets.
func (b *Builder) dayTargetBlocks(ts []TargetLine) []slack.Block {
	if len(ts) == 0 {
		return nil
	}
	tr := b.tr
	lines := []string{tr.T("report.targets")}
	for _, t := range ts {
		name := chat.Escape(tr.Text(t.Name))
		if t.DayOK {
			p, _ := metric.Progress(t.Day, t.DailyTarget)
			line := "• " + tr.T("report.target_day", name, metric.Format(t.Unit, 0, t.Day), metric.Format(t.Unit, 0, t.DailyTarget), metric.FormatRate(p, 1))
			if t.BelowHalf() {
				line = "• :warning: " + strings.TrimPrefix(line, "• ") + " " + tr.T("report.below_half")
			}
			lines = append(lines, line)
		}
		p, _ := metric.Progress(t.MTD, t.Monthly)
		lines = append(lines, "• "+tr.T("report.target_mtd", name, t.Month, metric.Format(t.Unit, 0, t.MTD), metric.Format(t.Unit, 0, t.Monthly),
			metric.FormatRate(p, 1), metric.FormatRate(t.Elapsed, 1)))
	}
	return textSections(lines)
}

// dayTable is every figure of the day against the day before and the
// trailing average.
func (b *Builder) dayTable(r DailyReport) []slack.Block {
	tr := b.tr
	prev := r.Day.AddDays(-1)
	rows := [][]string{{tr.T("report.col_metric"), tr.T("report.col_value"),
		tr.T("report.col_delta", fmt.Sprintf("%02d-%02d", int(prev.Month), prev.Day)), "Δ%", tr.T("report.col_vs_avg", trailingDays)}}
	for _, f := range r.Figures {
		row := []string{tr.Text(f.Name), metric.Dash, "", "", ""}
		if f.OK {
			row[1] = metric.Format(f.Unit, f.Decimals, f.Value) + b.grade(f.Grade)
			row[2] = metric.Dash
			if f.PrevOK {
				row[2] = metric.FormatDelta(f.Unit, f.Decimals, f.Value-f.Prev)
			}
			if f.Unit == metric.UnitCount || f.Unit == metric.UnitMoney {
				row[3] = pctCell(f.VsPrev())
			}
			row[4] = pctCell(f.VsAvg())
		}
		rows = append(rows, row)
	}
	return tableSections("", rows, []bool{false, true, true, true, true})
}

// slaBlocks is the 24-hour rule's record, or a plain statement that items
// are not tracked (never zeros that look like a clean record).
func (b *Builder) slaBlocks(s *SLAStats, title string) []slack.Block {
	tr := b.tr
	if s == nil {
		return []slack.Block{chat.Section(title + " " + tr.T("report.sla_untracked"))}
	}
	median, p90 := metric.Dash, metric.Dash
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

func completion(l ChecklistLine) string {
	p, ok := l.Completion()
	if !ok {
		return metric.Dash
	}
	return metric.FormatRate(p, 0)
}

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
			line := "*" + chat.Escape(tr.Text(t.Name)) + "* " + metric.Format(t.Unit, t.Decimals, t.Value) + b.grade(t.Grade)
			if c, ok := t.Change(); ok {
				line += " · " + tr.T(vsPrev, changeWords(t.Unit, t.Decimals, c))
			}
			if avg, ok := t.DailyAvg(); ok && t.Metric && !t.Level {
				line += " · " + tr.T("report.daily_avg", metric.Format(t.Unit, 0, avg))
			}
			lines = append(lines, line)
		}
		if r.Best != nil && r.Worst != nil {
			lines = append(lines, tr.T("report.best_worst", b.dayLabel(r.Best.Date), money.Fen(r.Best.Value).String(),
				b.dayLabel(r.Worst.Date), money.Fen(r.Worst.Value).String()))
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
	if hasChartData(r.Chart) {
		blocks = append(blocks, chat.Context(tr.T("report.chart_note_period", r.Chart[0].Date.String(), r.Chart[len(r.Chart)-1].Date.String())))
	}
	return Rendered{Title: title, Messages: paginate(title, title, blocks, b.continued(title))}
}

func (b *Builder) periodTargetBlocks(ts []periodTarget) []slack.Block {
	if len(ts) == 0 {
		return nil
	}
	tr := b.tr
	lines := []string{tr.T("report.targets")}
	for _, t := range ts {
		p, _ := metric.Progress(t.Actual, t.Target)
		mark := ":x: " + tr.T("report.not_met")
		if t.Met() {
			mark = ":white_check_mark: " + tr.T("report.met")
		}
		line := "• " + tr.T("report.target_period", chat.Escape(tr.Text(t.Name)), metric.Format(t.Unit, 0, t.Actual), metric.Format(t.Unit, 0, t.Target),
			metric.FormatRate(p, 1)) + " " + mark
		if t.Days < t.Of {
			line += " " + tr.T("report.target_days", t.Days, t.Of)
		}
		lines = append(lines, line)
	}
	return textSections(lines)
}

// periodTable is every metric's total and daily average, and every KPI,
// against the period before.
func (b *Builder) periodTable(r PeriodicReport, prevName string) []slack.Block {
	tr := b.tr
	rows := [][]string{{tr.T("report.col_metric"), tr.T("report.col_total"), tr.T("report.col_avg"), prevName, tr.T("report.col_change")}}
	var levels []string
	for _, t := range r.Totals {
		row := []string{tr.Text(t.Name), metric.Dash, "", metric.Dash, ""}
		if t.OK {
			row[1] = metric.Format(t.Unit, t.Decimals, t.Value) + b.grade(t.Grade)
		}
		if avg, ok := t.DailyAvg(); ok && t.Metric {
			row[2] = metric.Format(t.Unit, 0, avg)
		}
		if t.PrevOK {
			row[3] = metric.Format(t.Unit, t.Decimals, t.Prev)
		}
		if c, ok := t.Change(); ok {
			if t.Unit == metric.UnitCount || t.Unit == metric.UnitMoney {
				row[4] = pctCell(c, true)
			} else {
				row[4] = metric.FormatDelta(t.Unit, t.Decimals, c)
			}
		}
		if t.Level && t.OK {
			levels = append(levels, chat.Escape(tr.Text(t.Name)))
		}
		if !t.OK && !t.PrevOK {
			continue // nothing in either period: the table stays short
		}
		rows = append(rows, row)
	}
	blocks := tableSections("", rows, []bool{false, true, true, true, true})
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
	sales, orders := r.Commissions[0].Sales, r.Commissions[0].Orders
	head := tr.T("report.commissions", money.Fen(sales).String(), money.Group(orders))
	if r.Partial {
		head += " " + tr.T("report.commissions_so_far")
	}
	rows := [][]string{{tr.T("report.col_role"), tr.T("report.col_rule"), tr.T("report.col_pool"), tr.T("report.col_person"), tr.T("report.col_amount")}}
	var notes []string
	var total int64
	for _, c := range r.Commissions {
		role := b.roleName(c.Role)
		rule := b.ruleText(c)
		if c.Unpaid != "" {
			rows = append(rows, []string{role, rule, money.Fen(c.Pool).String(), metric.Dash, money.Fen(0).String()})
			notes = append(notes, "• "+tr.T("report.unpaid_"+c.Unpaid, role, c.Role))
			continue
		}
		for i, s := range c.Shares {
			row := []string{"", "", "", s.Who, money.Fen(s.Amount).String()}
			if i == 0 {
				row[0], row[1], row[2] = role, rule, money.Fen(c.Pool).String()
			}
			rows = append(rows, row)
			total += s.Amount
		}
	}
	rows = append(rows, []string{tr.T("report.total"), "", "", "", money.Fen(total).String()})
	blocks := tableSections(head, rows, []bool{false, false, true, false, true})
	if len(notes) > 0 {
		blocks = append(blocks, textSections(notes)...)
	}
	blocks = append(blocks, chat.Context(tr.T("report.commission_rule")))
	return blocks
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
		parts = append(parts, b.tr.T("report.rule_rate", metric.FormatRate(c.RateBP*100, 2)))
	}
	if c.HasPerOrder {
		parts = append(parts, b.tr.T("report.rule_per_order", money.Fen(c.PerOrder).String()))
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

// pctWords writes a change in parts per million for prose, with a real
// minus sign: +5.0%, −38%.
func pctWords(ppm int64, decimals int) string {
	switch {
	case ppm < 0:
		return "−" + metric.FormatRate(-ppm, decimals)
	case ppm > 0:
		return "+" + metric.FormatRate(ppm, decimals)
	}
	return metric.FormatRate(0, decimals)
}

// changeWords writes a change against an earlier period: percent for
// counts and money, points for rates, the difference for ratios.
func changeWords(unit metric.Unit, decimals int, c int64) string {
	if unit == metric.UnitCount || unit == metric.UnitMoney {
		return pctWords(c, 1)
	}
	return metric.FormatDelta(unit, decimals, c)
}

// pctCell writes a change in ppm for a table cell, or "—".
func pctCell(ppm int64, ok bool) string {
	if !ok {
		return metric.Dash
	}
	return metric.Signed(metric.FormatRate(ppm, 1), ppm)
}
