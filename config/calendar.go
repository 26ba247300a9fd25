package config

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"opsbot/civil"
)

// Calendar kinds.
const (
	CalendarCN   = "cn"   // mainland China: public holidays and makeup workdays
	CalendarNone = "none" // Monday to Friday
)

// chinaZones are the time zones whose teams follow the mainland calendar
// unless calendar.kind says otherwise.
var chinaZones = []string{"Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin"}

// EffectiveKind is the calendar kind in force: Kind when set, else cn for
// a team in a mainland China time zone and none elsewhere.
func (c CalendarConfig) EffectiveKind(timezone string) string {
	if c.Kind != "" {
		return c.Kind
	}
	if slices.Contains(chinaZones, timezone) {
		return CalendarCN
	}
	return CalendarNone
}

// DefaultRemind is the reminder schedule of a campaign that does not set
// remind: days before the registration deadline.
var DefaultRemind = []int{7, 3, 1}

// RemindDays are the days before the registration deadline on which the
// team is reminded, largest first: the campaign's own list, or
// DefaultRemind when it has none (an empty list written in the file means
// no reminders).
func (c Campaign) RemindDays() []int {
	if c.Remind == nil {
		return slices.Clone(DefaultRemind)
	}
	days := slices.Clone(c.Remind)
	slices.Sort(days)
	slices.Reverse(days)
	return slices.Compact(days)
}

// ChannelRef is the campaign's channel reference, team when left out;
// resolve it with Config.ChannelFor.
func (c Campaign) ChannelRef() string {
	if strings.TrimSpace(c.Channel) == "" {
		return "team"
	}
	return c.Channel
}

// CampaignRun is one run of a campaign, with full dates.
type CampaignRun struct {
	Start, End   civil.Date
	Registration civil.Date // zero when the campaign has no deadline
}

// HasRegistration reports whether the run has a registration deadline.
func (r CampaignRun) HasRegistration() bool { return r.Registration != (civil.Date{}) }

// RunIn returns the campaign's run that starts in year: a one-off campaign
// has a run in its own year only, a recurring one every year. A recurring
// campaign's deadline that falls later in the year than its end is taken to
// be in the year before (registering in December for a January campaign).
// The second result is false when there is no run that year or the dates
// do not parse (a validated configuration always parses).
func (c Campaign) RunIn(year int) (CampaignRun, bool) {
	if !c.Recurring {
		start, err1 := parseDate(c.Start)
		end, err2 := parseDate(c.End)
		if err1 != nil || err2 != nil || start.Year != year {
			return CampaignRun{}, false
		}
		run := CampaignRun{Start: start, End: end}
		if c.Registration != "" {
			reg, err := parseDate(c.Registration)
			if err != nil {
				return CampaignRun{}, false
			}
			run.Registration = reg
		}
		return run, true
	}
	sm, sd, err1 := parseMonthDay(c.Start)
	em, ed, err2 := parseMonthDay(c.End)
	if err1 != nil || err2 != nil {
		return CampaignRun{}, false
	}
	run := CampaignRun{Start: civil.Date{Year: year, Month: sm, Day: sd}, End: civil.Date{Year: year, Month: em, Day: ed}}
	if c.Registration != "" {
		rm, rd, err := parseMonthDay(c.Registration)
		if err != nil {
			return CampaignRun{}, false
		}
		run.Registration = civil.Date{Year: year, Month: rm, Day: rd}
		if run.Registration.After(run.End) {
			run.Registration.Year--
		}
	}
	return run, true
}

// parseDate reads a strict YYYY-MM-DD.
func parseDate(s string) (civil.Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return civil.Date{}, err
	}
	return civil.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, nil
}

// parseMonthDay reads a strict MM-DD that exists every year (not 02-29).
func parseMonthDay(s string) (time.Month, int, error) {
	t, err := time.Parse("01-02", s)
	if err != nil {
		return 0, 0, err
	}
	if t.Month() == time.February && t.Day() == 29 {
		return 0, 0, fmt.Errorf("02-29 is not in every year")
	}
	return t.Month(), t.Day(), nil
}

func (r *report) checkCalendar(cal CalendarConfig) {
	if cal.Kind != "" && cal.Kind != CalendarCN && cal.Kind != CalendarNone {
		r.add("calendar.kind", "%q is not a calendar kind; use cn (mainland China public holidays and makeup workdays), none (Monday to Friday), or leave it out (cn in a China time zone, else none)", cal.Kind)
	}
	days := func(list string, entries []CalendarDay, off map[civil.Date]string) map[civil.Date]string {
		seen := map[civil.Date]string{}
		for i, e := range entries {
			p := fmt.Sprintf("calendar.%s[%d].date", list, i)
			d, ok := r.calendarDate(p, e.Date)
			if !ok {
				continue
			}
			if first, dup := seen[d]; dup {
				r.add(p, "%s is already listed at %s; list each day once", e.Date, first)
				continue
			}
			if other, both := off[d]; both {
				r.add(p, "%s is also a day off (%s); a day is either off or a working day, keep one", e.Date, other)
				continue
			}
			seen[d] = p
		}
		return seen
	}
	off := days("days_off", cal.DaysOff, nil)
	days("extra_workdays", cal.ExtraWorkdays, off)

	years := make([]int, 0, len(cal.Official))
	for y := range cal.Official {
		years = append(years, y)
	}
	slices.Sort(years)
	seen := map[civil.Date]string{}
	for _, y := range years {
		yp := fmt.Sprintf("calendar.official.%d", y)
		if y < 2000 || y > 2100 {
			r.add(yp, "%d is not a year from 2000 to 2100; give the year of the schedule, e.g. 2027", y)
			continue
		}
		check := func(list string, entries []CalendarDay) {
			for i, e := range entries {
				p := fmt.Sprintf("%s.%s[%d].date", yp, list, i)
				d, ok := r.calendarDate(p, e.Date)
				if !ok {
					continue
				}
				if !inScheduleYear(d, y) {
					r.add(p, "%s is not in %d; list the days of %d here (the last days of the December before and the first of the January after are allowed)", e.Date, y, y)
					continue
				}
				if first, dup := seen[d]; dup {
					r.add(p, "%s is already listed at %s; list each day once, as a holiday or as a workday", e.Date, first)
					continue
				}
				seen[d] = p
			}
		}
		o := cal.Official[y]
		check("holidays", o.Holidays)
		check("workdays", o.Workdays)
	}
}

// inScheduleYear reports whether d may be listed in year's official
// schedule: a New Year's holiday or its makeup day may spill over.
func inScheduleYear(d civil.Date, year int) bool {
	switch d.Year {
	case year:
		return true
	case year - 1:
		return d.Month == time.December
	case year + 1:
		return d.Month == time.January
	}
	return false
}

func (r *report) calendarDate(path, s string) (civil.Date, bool) {
	if strings.TrimSpace(s) == "" {
		r.add(path, "is empty; use YYYY-MM-DD, e.g. 2026-10-08")
		return civil.Date{}, false
	}
	return r.date(path, s, "YYYY-MM-DD, e.g. 2026-10-08")
}

// date reads a YYYY-MM-DD date at path; form completes "use …" in the
// complaint when it is not one.
func (r *report) date(path, s, form string) (civil.Date, bool) {
	d, err := parseDate(s)
	if err != nil {
		r.add(path, "%q is not a date; use %s", s, form)
		return civil.Date{}, false
	}
	return d, true
}

func (r *report) checkCampaigns(c *Config) {
	ids := map[string]int{}
	for i, cp := range c.Campaigns {
		p := r.checkID(ids, kebab(), "campaigns", "campaign", i, cp.ID, "kebab-case: lower-case letters and digits joined by -, e.g. double-11")
		r.english(p+".name.en", cp.Name.En, "the campaign an English name")
		start, startOK := r.campaignDate(p+".start", cp.Start, cp.Recurring, true)
		end, endOK := r.campaignDate(p+".end", cp.End, cp.Recurring, true)
		if startOK && endOK && end.Before(start) {
			r.add(p+".end", "%s is before start (%s); the campaign must end on or after its first day", cp.End, cp.Start)
		}
		if reg, ok := r.campaignDate(p+".registration", cp.Registration, cp.Recurring, false); ok && cp.Registration != "" && !cp.Recurring && endOK && reg.After(end) {
			r.add(p+".registration", "%s is after the campaign ends (%s); give the registration deadline (报名截止)", cp.Registration, cp.End)
		}
		if cp.Channel != "" {
			r.checkChannel(c.Channels, p+".channel", cp.Channel)
		}
		for j, d := range cp.Remind {
			if d < 0 || d > 60 {
				r.add(fmt.Sprintf("%s.remind[%d]", p, j), "%d is out of range; use days before the registration deadline from 0 (on the day) to 60", d)
			}
		}
	}
}

// campaignDate checks one of a campaign's dates: MM-DD when recurring,
// else YYYY-MM-DD. Recurring dates come back in the year 2001 so that they
// compare by month and day.
func (r *report) campaignDate(path, s string, recurring, required bool) (civil.Date, bool) {
	if s == "" {
		if required {
			if recurring {
				r.add(path, "is empty; use MM-DD for a recurring campaign, e.g. 06-18")
			} else {
				r.add(path, "is empty; use YYYY-MM-DD, e.g. 2026-06-18")
			}
			return civil.Date{}, false
		}
		return civil.Date{}, true
	}
	if recurring {
		m, d, err := parseMonthDay(s)
		switch {
		case err == nil:
			return civil.Date{Year: 2001, Month: m, Day: d}, true
		case s == "02-29":
			r.add(path, "02-29 is not in every year; a recurring campaign needs a day every year, use 02-28 or 03-01")
		case len(s) == len("2006-01-02"):
			r.add(path, "%q is a full date, but the campaign is recurring; use MM-DD (the same day every year), e.g. 06-18, or leave out recurring for a single year", s)
		default:
			r.add(path, "%q is not a month and day; a recurring campaign uses MM-DD, e.g. 06-18", s)
		}
		return civil.Date{}, false
	}
	return r.date(path, s, "YYYY-MM-DD, e.g. 2026-06-18 (or MM-DD with recurring: true for a yearly campaign)")
}

// CampaignOccurrence is one campaign in one year.
type CampaignOccurrence struct {
	Campaign Campaign
	Run      CampaignRun
}

// CampaignRuns lists every campaign's runs from the year before fromYear
// to the year after toYear (a registration deadline may fall in the year
// before its campaign), campaign by campaign, year by year.
func (c *Config) CampaignRuns(fromYear, toYear int) []CampaignOccurrence {
	var out []CampaignOccurrence
	for _, cp := range c.Campaigns {
		for y := fromYear - 1; y <= toYear+1; y++ {
			if run, ok := cp.RunIn(y); ok {
				out = append(out, CampaignOccurrence{Campaign: cp, Run: run})
			}
		}
	}
	return out
}
