package report

import (
	"fmt"
	"strings"
	"time"

	"opsbot/civil"
)

// Kind is which report: the daily digest, or the weekly or monthly review.
type Kind string

// Kinds of report.
const (
	Daily   Kind = "daily"
	Weekly  Kind = "weekly"
	Monthly Kind = "monthly"
)

// parseKind reads a kind as people type it, in English or Chinese.
func parseKind(s string) (Kind, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "daily", "day", "digest", "日报", "日":
		return Daily, true
	case "weekly", "week", "周报", "周":
		return Weekly, true
	case "monthly", "month", "月报", "月":
		return Monthly, true
	case "quarterly", "quarter", "季报", "季度", "季":
		return Quarterly, true
	case "yearly", "year", "annual", "年报", "年度", "年":
		return Yearly, true
	}
	return "", false
}

// Period is a run of dates of the team's calendar, both ends included.
// Dates are civil dates in the team's zone, so a week or a month starts at
// the team's midnight whatever the server's zone.
type Period struct {
	From, To civil.Date
}

// Days counts the dates of the period.
func (p Period) Days() int { return p.From.DaysUntil(p.To) + 1 }

// Contains reports whether d is in the period.
func (p Period) Contains(d civil.Date) bool { return !d.Before(p.From) && !d.After(p.To) }

// Dates lists the period's dates in order.
func (p Period) Dates() []civil.Date {
	out := make([]civil.Date, 0, max(p.Days(), 0))
	for d := p.From; !d.After(p.To); d = d.AddDays(1) {
		out = append(out, d)
	}
	return out
}

func (p Period) String() string {
	if p.From == p.To {
		return p.From.String()
	}
	return p.From.String() + " – " + p.To.String()
}

// Start and End are the instants the period begins and ends in a zone:
// the team's midnights.
func (p Period) Start(loc *time.Location) time.Time { return p.From.At(loc, 0, 0) }

// End is the midnight after the period's last day.
func (p Period) End(loc *time.Location) time.Time { return p.To.AddDays(1).At(loc, 0, 0) }

// dayOf is the period of one date.
func dayOf(d civil.Date) Period { return Period{d, d} }

// weekOf is the Monday-to-Sunday week that contains d, as Chinese teams
// count weeks.
func weekOf(d civil.Date) Period {
	back := (int(d.Weekday()) + 6) % 7 // days since Monday
	mon := d.AddDays(-back)
	return Period{mon, mon.AddDays(6)}
}

// monthOf is the calendar month that contains d.
func monthOf(d civil.Date) Period {
	first := d.FirstOfMonth()
	return Period{first, civil.Date{Year: d.Year, Month: d.Month, Day: d.DaysInMonth()}}
}

// covering is the period of a kind that contains d.
func covering(k Kind, d civil.Date) Period {
	switch k {
	case Weekly:
		return weekOf(d)
	case Monthly:
		return monthOf(d)
	case Quarterly:
		return QuarterOf(d)
	case Yearly:
		return YearOf(d)
	}
	return dayOf(d)
}

// Scheduled is the period a report posted on date `on` covers: the daily
// digest is about yesterday, the weekly about last week and the monthly
// about last month, whatever day and time they are configured to post.
func Scheduled(k Kind, on civil.Date) Period {
	switch k {
	case Weekly:
		return weekOf(weekOf(on).From.AddDays(-1))
	case Monthly:
		return monthOf(on.FirstOfMonth().AddDays(-1))
	case Quarterly:
		return QuarterOf(QuarterOf(on).From.AddDays(-1))
	case Yearly:
		return YearOf(YearOf(on).From.AddDays(-1))
	}
	return dayOf(on.AddDays(-1))
}

// Previous is what a period is compared with: the day before, the week
// before, or the month before. A partial period (a week or month not
// over) is compared with as many days of the one before, so a Wednesday
// is not measured against a whole week; a whole month with the whole
// month before, whatever their lengths.
func Previous(k Kind, p Period) Period {
	switch k {
	case Weekly:
		return Period{p.From.AddDays(-7), p.To.AddDays(-7)}
	case Monthly:
		prev := monthOf(p.From.FirstOfMonth().AddDays(-1))
		if p == monthOf(p.From) {
			return prev
		}
		to := prev.From.AddDays(p.Days() - 1)
		if to.After(prev.To) {
			to = prev.To
		}
		return Period{prev.From, to}
	case Quarterly, Yearly:
		return previousLong(k, p)
	}
	return dayOf(p.From.AddDays(-1))
}

// Window is every date a report reads: what it shows and what it compares
// with. The daily digest reads the 14 days of its chart (which hold the day
// before and the 7-day average) or, early in a month, from the 1st for the
// month to date; weekly and monthly reports read their period and the one
// before. Nothing outside the window is read.
func Window(k Kind, p Period) Period {
	if k == Daily {
		from := p.To.AddDays(-(ChartDays - 1))
		if first := p.To.FirstOfMonth(); first.Before(from) {
			from = first
		}
		return Period{from, p.To}
	}
	if long(k) {
		// Back to the same dates a year before, for the year-on-year
		// comparison (a year's period before is that year).
		return Period{YearBefore(p).From, p.To}
	}
	return Period{Previous(k, p).From, p.To}
}

// ChartDays is how many days the daily digest's chart shows.
const ChartDays = 14

// trailingDays is how many days before a day its average is taken over.
const trailingDays = 7

// Key names one report of one shop for one period: the database records
// it when the report is posted, so it is posted once across restarts and
// replicas.
func Key(k Kind, shop string, p Period) string {
	return fmt.Sprintf("report:%s:%s:%s", k, shop, p.From)
}
