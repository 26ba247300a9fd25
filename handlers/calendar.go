package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/workcal"
)

// calendarMonth answers /ops calendar [YYYY-MM]: the month's working days,
// holidays with their names, makeup days, and campaign dates.
func (r *Router) calendarMonth(_ context.Context, cmd chat.Command, args []string) chat.Reply {
	month := r.today(cmd).FirstOfMonth()
	if len(args) > 1 {
		return chat.Error(r.tr.T("err.calendar_usage"))
	}
	if len(args) == 1 {
		m, err := civil.ParseLooseMonth(args[0])
		if err != nil {
			return chat.Error(r.tr.T("err.calendar_month", chat.Escape(args[0])))
		}
		if m.Year < 2000 || m.Year > 2100 {
			return chat.Error(r.tr.T("err.calendar_range", chat.Escape(args[0])))
		}
		month = m
	}
	days := r.cal.Month(month.Year, month.Month)
	marks := map[civil.Date]string{}
	for _, cp := range r.cfg.Campaigns {
		if run, ok := cp.RunIn(month.Year); ok {
			for d := run.Start; !d.After(run.End); d = d.AddDays(1) {
				marks[d] = "*"
			}
		}
	}
	// A grid, Monday first: 5 holiday, 10+ makeup workday, 6 weekend.
	var grid strings.Builder
	grid.WriteString(r.tr.T("calendar.grid_head") + "\n")
	lead := (int(days[0].Date.Weekday()) + 6) % 7
	grid.WriteString(strings.Repeat("     ", lead))
	working := 0
	for _, d := range days {
		mark := " "
		switch d.Kind {
		case workcal.Holiday:
			mark = "H"
		case workcal.Makeup:
			mark = "+"
		case workcal.Weekend:
			mark = "·"
		}
		if d.Working {
			working++
		}
		grid.WriteString(fmt.Sprintf("%3d%s%s", d.Date.Day, mark, orSpace(marks[d.Date])))
		if d.Date.Weekday() == time.Sunday {
			grid.WriteString("\n")
		}
	}
	var lines []string
	for i := 0; i < len(days); i++ {
		d := days[i]
		switch d.Kind {
		case workcal.Holiday:
			// A run of days off for one holiday is one line.
			j := i
			for j+1 < len(days) && days[j+1].Kind == workcal.Holiday && days[j+1].Name == d.Name {
				j++
			}
			span := r.tr.Day(d.Date)
			if j > i {
				span += " – " + r.tr.Day(days[j].Date)
			}
			lines = append(lines, r.tr.T("calendar.holiday_line", span, chat.Escape(r.tr.Text(d.Name))))
			i = j
		case workcal.Makeup:
			lines = append(lines, r.tr.T("calendar.makeup_line", r.tr.Day(d.Date), chat.Escape(r.tr.Text(d.Name))))
		}
	}
	lines = append(lines, r.campaignLines(month, month.AddDays(month.DaysInMonth()-1))...)
	if !r.cal.HasData(month.Year) {
		lines = append(lines, ":warning: "+r.tr.T("calendar.no_data", month.Year))
	}
	header := r.tr.T("calendar.title", month.MonthString(), working)
	blocks := []slack.Block{chat.Header(header), chat.Section("```\n" + chat.Escape(strings.TrimRight(grid.String(), "\n")) + "\n```")}
	if len(lines) > 0 {
		blocks = append(blocks, chat.Section(chat.Truncate(strings.Join(lines, "\n"), 2900)))
	}
	blocks = append(blocks, chat.Context(r.tr.T("calendar.legend")))
	return chat.Reply{Ephemeral: true, Text: header, Blocks: blocks}
}

func orSpace(s string) string {
	if s == "" {
		return " "
	}
	return s
}

// campaignLines names the campaign dates that fall between two days.
func (r *Router) campaignLines(from, to civil.Date) []string {
	var lines []string
	for _, cp := range r.cfg.Campaigns {
		for y := from.Year - 1; y <= to.Year+1; y++ {
			run, ok := cp.RunIn(y)
			if !ok {
				continue
			}
			name := chat.Escape(r.tr.Text(cp.Name))
			if run.HasRegistration() && !run.Registration.Before(from) && !run.Registration.After(to) {
				lines = append(lines, r.tr.T("calendar.registration_line", r.tr.Day(run.Registration), name))
			}
			if !run.End.Before(from) && !run.Start.After(to) {
				lines = append(lines, r.tr.T("calendar.campaign_line", run.Start.String(), run.End.String(), name))
			}
		}
	}
	return lines
}

// campaigns answers /ops campaigns: what is coming, with days left.
func (r *Router) campaigns(_ context.Context, cmd chat.Command) chat.Reply {
	today := r.today(cmd)
	type item struct {
		start civil.Date
		line  string
	}
	var items []item
	for _, cp := range r.cfg.Campaigns {
		for y := today.Year; y <= today.Year+1; y++ {
			run, ok := cp.RunIn(y)
			if !ok || run.End.Before(today) || today.DaysUntil(run.Start) > 366 {
				continue
			}
			line := r.tr.T("campaigns.line", chat.Escape(r.tr.Text(cp.Name)), run.Start.String(), run.End.String(), r.daysLeft(today, run.Start))
			switch {
			case !run.HasRegistration():
				line += " · " + r.tr.T("campaigns.no_deadline", chat.Escape(cp.ID))
			case run.Registration.Before(today):
				line += " · " + r.tr.T("campaigns.closed", run.Registration.String())
			default:
				line += " · " + r.tr.T("campaigns.deadline", r.tr.Day(run.Registration), today.DaysUntil(run.Registration))
			}
			items = append(items, item{run.Start, "• " + line})
			break
		}
	}
	slices.SortFunc(items, func(a, b item) int { return a.start.Compare(b.start) })
	header := r.tr.T("campaigns.title")
	if len(items) == 0 {
		return chat.Reply{Ephemeral: true, Text: header, Blocks: []slack.Block{chat.Header(header), chat.Section(r.tr.T("campaigns.none"))}}
	}
	var lines []string
	for _, it := range items {
		lines = append(lines, it.line)
	}
	return chat.Reply{Ephemeral: true, Text: header, Blocks: []slack.Block{chat.Header(header), chat.Section(chat.Truncate(strings.Join(lines, "\n"), 2900))}}
}

func (r *Router) daysLeft(today, d civil.Date) string {
	n := today.DaysUntil(d)
	if n <= 0 {
		return r.tr.T("campaigns.running")
	}
	return r.tr.T("campaigns.in_days", n)
}
