package calendar

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/handlers/command"
)

// Month answers /ops calendar [YYYY-MM]: the month's working days,
// holidays with their names, makeup days, and campaign dates.
func (r *Commands) Month(_ context.Context, cmd chat.Command, args []string) chat.Reply {
	month, refusal := r.parseMonth(cmd, args)
	if refusal != "" {
		return chat.Error(refusal)
	}
	days := r.cal.Month(month.Year, month.Month)
	grid, working := r.monthGrid(days, r.campaignDays(month.Year))
	lines := append(r.dayLines(days), r.campaignLines(month, month.AddDays(month.DaysInMonth()-1))...)
	if !r.cal.HasData(month.Year) {
		lines = append(lines, ":warning: "+r.Tr.T("calendar.no_data", month.Year))
	}
	header := r.Tr.T("calendar.title", month.MonthString(), working)
	blocks := []slack.Block{chat.Header(header), chat.Section("```\n" + chat.Escape(grid) + "\n```")}
	if len(lines) > 0 {
		blocks = append(blocks, chat.Section(chat.Truncate(strings.Join(lines, "\n"), 2900)))
	}
	blocks = append(blocks, chat.Context(r.Tr.T("calendar.legend")))
	return chat.Reply{Ephemeral: true, Text: header, Blocks: blocks}
}

// parseMonth reads [YYYY-MM]; this month when it is left out.
func (r *Commands) parseMonth(cmd chat.Command, args []string) (civil.Date, string) {
	switch len(args) {
	case 0:
		return r.Today(cmd).FirstOfMonth(), ""
	case 1:
		m, err := civil.ParseLooseMonth(args[0])
		if err != nil {
			return civil.Date{}, r.Tr.T("err.calendar_month", chat.Escape(args[0]))
		}
		if m.Year < 2000 || m.Year > 2100 {
			return civil.Date{}, r.Tr.T("err.calendar_range", chat.Escape(args[0]))
		}
		return m, ""
	}
	return civil.Date{}, r.Tr.T("err.calendar_usage")
}

// campaignDays marks the days of a year's campaigns.
func (r *Commands) campaignDays(year int) map[civil.Date]string {
	marks := map[civil.Date]string{}
	for _, cp := range r.Cfg.Campaigns {
		if run, ok := cp.RunIn(year); ok {
			for d := run.Start; !d.After(run.End); d = d.AddDays(1) {
				marks[d] = "*"
			}
		}
	}
	return marks
}

// monthGrid draws the month Monday first (5H holiday, 10+ makeup workday,
// 6· weekend, * a campaign day) and counts its working days.
func (r *Commands) monthGrid(days []Day, marks map[civil.Date]string) (string, int) {
	var grid strings.Builder
	grid.WriteString(r.Tr.T("calendar.grid_head") + "\n")
	lead := (int(days[0].Date.Weekday()) + 6) % 7
	grid.WriteString(strings.Repeat("     ", lead))
	working := 0
	for _, d := range days {
		mark := " "
		switch d.Kind {
		case Holiday:
			mark = "H"
		case Makeup:
			mark = "+"
		case Weekend:
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
	return strings.TrimRight(grid.String(), "\n"), working
}

// dayLines names the month's holidays (a run of days off for one holiday
// is one line) and makeup workdays.
func (r *Commands) dayLines(days []Day) []string {
	var lines []string
	for i := 0; i < len(days); i++ {
		d := days[i]
		switch d.Kind {
		case Holiday:
			j := i
			for j+1 < len(days) && days[j+1].Kind == Holiday && days[j+1].Name == d.Name {
				j++
			}
			span := r.Tr.Day(d.Date)
			if j > i {
				span += " – " + r.Tr.Day(days[j].Date)
			}
			lines = append(lines, r.Tr.T("calendar.holiday_line", span, chat.Escape(r.Tr.Text(d.Name))))
			i = j
		case Makeup:
			lines = append(lines, r.Tr.T("calendar.makeup_line", r.Tr.Day(d.Date), chat.Escape(r.Tr.Text(d.Name))))
		}
	}
	return lines
}

func orSpace(s string) string {
	if s == "" {
		return " "
	}
	return s
}

// campaignLines names the campaign dates that fall between two days.
func (r *Commands) campaignLines(from, to civil.Date) []string {
	var lines []string
	for _, o := range r.Cfg.CampaignRuns(from.Year, to.Year) {
		cp, run := o.Campaign, o.Run
		name := chat.Escape(r.Tr.Text(cp.Name))
		if run.HasRegistration() && !run.Registration.Before(from) && !run.Registration.After(to) {
			lines = append(lines, r.Tr.T("calendar.registration_line", r.Tr.Day(run.Registration), name))
		}
		if !run.End.Before(from) && !run.Start.After(to) {
			lines = append(lines, r.Tr.T("calendar.campaign_line", run.Start.String(), run.End.String(), name))
		}
	}
	return lines
}

// Campaigns answers /ops campaigns: what is coming, with days left.
func (r *Commands) Campaigns(_ context.Context, cmd chat.Command) chat.Reply {
	today := r.Today(cmd)
	type item struct {
		start civil.Date
		line  string
	}
	var items []item
	for _, cp := range r.Cfg.Campaigns {
		for y := today.Year; y <= today.Year+1; y++ {
			run, ok := cp.RunIn(y)
			if !ok || run.End.Before(today) || today.DaysUntil(run.Start) > 366 {
				continue
			}
			line := r.Tr.T("campaigns.line", chat.Escape(r.Tr.Text(cp.Name)), run.Start.String(), run.End.String(), r.daysLeft(today, run.Start))
			switch {
			case !run.HasRegistration():
				line += " · " + r.Tr.T("campaigns.no_deadline", chat.Escape(cp.ID))
			case run.Registration.Before(today):
				line += " · " + r.Tr.T("campaigns.closed", run.Registration.String())
			default:
				line += " · " + r.Tr.T("campaigns.deadline", r.Tr.Day(run.Registration), today.DaysUntil(run.Registration))
			}
			items = append(items, item{run.Start, "• " + line})
			break
		}
	}
	slices.SortFunc(items, func(a, b item) int { return a.start.Compare(b.start) })
	header := r.Tr.T("campaigns.title")
	if len(items) == 0 {
		return chat.Reply{Ephemeral: true, Text: header, Blocks: []slack.Block{chat.Header(header), chat.Section(r.Tr.T("campaigns.none"))}}
	}
	var lines []string
	for _, it := range items {
		lines = append(lines, it.line)
	}
	return chat.Reply{Ephemeral: true, Text: header, Blocks: []slack.Block{chat.Header(header), chat.Section(chat.Truncate(strings.Join(lines, "\n"), 2900))}}
}

func (r *Commands) daysLeft(today, d civil.Date) string {
	n := today.DaysUntil(d)
	if n <= 0 {
		return r.Tr.T("campaigns.running")
	}
	return r.Tr.T("campaigns.in_days", n)
}

// Commands answers /ops calendar and /ops campaigns.
type Commands struct {
	*command.Env
	cal *Calendar
}

// NewCommands builds the calendar commands on the team's working calendar.
func NewCommands(env *command.Env, cal *Calendar) *Commands {
	return &Commands{Env: env, cal: cal}
}
