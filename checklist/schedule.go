// The schedule turns the playbook's checklists into slots: the dates
// and wall-clock times a run is due, in the team's zone and working
// calendar. It is pure, so the scheduler, the restart catch-up and
// `opsbot simulate` all agree on what is due when.
//
// Slots are enumerated on the wall clock (a date and an HH:MM), never by
// adding durations to instants, so a daylight-saving change can neither skip
// nor double a run: each date has each slot once, and its key names the
// date and the clock time, not the instant.

package checklist

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"opsbot/civil"
	"opsbot/config"
)

// Calendar says whether a date is a working day, and why when that is
// not what its weekday suggests (a holiday, a makeup workday).
type Calendar interface {
	Working(d civil.Date) (working bool, reason string)
}

// Spec is one checklist's
type Spec struct {
	ID          string
	times       [][2]int // hour, minute of each run on a matching date
	days        uint8    // weekday bits (At/Days), or the cron's
	dayRule     string   // daily, workdays, weekends, list, cron
	cron        *cron.SpecSchedule
	useCalendar bool
	dueClock    *[2]int
	dueAfter    time.Duration
	skip        map[civil.Date]bool
}

// FromConfig reads a checklist's
func FromConfig(cl config.Checklist) (Spec, error) {
	s := Spec{ID: cl.ID, useCalendar: cl.Calendar != "ignore", skip: map[civil.Date]bool{}}
	for _, d := range cl.SkipDates {
		date, err := civil.Parse(d)
		if err != nil {
			return Spec{}, fmt.Errorf("checklist %s: skip date: %w", cl.ID, err)
		}
		s.skip[date] = true
	}
	if cl.Cron != "" {
		sched, err := config.ParseCron(cl.Cron)
		if err != nil {
			return Spec{}, fmt.Errorf("checklist %s: %w", cl.ID, err)
		}
		spec, ok := sched.(*cron.SpecSchedule)
		if !ok {
			return Spec{}, fmt.Errorf("checklist %s: cron %q is not a field schedule", cl.ID, cl.Cron)
		}
		s.cron, s.dayRule = spec, "cron"
		for h := 0; h < 24; h++ {
			if spec.Hour&(1<<uint(h)) == 0 {
				continue
			}
			for m := 0; m < 60; m++ {
				if spec.Minute&(1<<uint(m)) != 0 {
					s.times = append(s.times, [2]int{h, m})
				}
			}
		}
	} else {
		h, m, err := config.ParseClock(cl.At)
		if err != nil {
			return Spec{}, fmt.Errorf("checklist %s: %w", cl.ID, err)
		}
		s.times = [][2]int{{h, m}}
		days, err := config.ParseDays(cl.Days)
		if err != nil {
			return Spec{}, fmt.Errorf("checklist %s: %w", cl.ID, err)
		}
		for _, d := range days {
			s.days |= 1 << uint(d)
		}
		switch strings.ToLower(strings.TrimSpace(cl.Days)) {
		case "", "daily":
			s.dayRule = "daily"
		case "workdays":
			s.dayRule = "workdays"
		case "weekends":
			s.dayRule = "weekends"
		default:
			s.dayRule = "list"
		}
	}
	if cl.Due != "" {
		if h, m, err := config.ParseClock(cl.Due); err == nil {
			s.dueClock = &[2]int{h, m}
		} else if d, err := time.ParseDuration(cl.Due); err == nil && d > 0 {
			s.dueAfter = d
		} else {
			return Spec{}, fmt.Errorf("checklist %s: due %q is neither HH:MM nor a duration", cl.ID, cl.Due)
		}
	}
	return s, nil
}

// Slot is one run of a checklist: its date and clock time, the instant
// they name in the team's zone, and when it is due.
type Slot struct {
	ID     string
	Date   civil.Date
	Hour   int
	Minute int
	At     time.Time
	Due    time.Time
	Note   string // why it runs on an unusual day (a makeup workday)
}

// Key names the slot for the database: the checklist, the date and the
// wall-clock time, so it is the same however the zone's offset changes.
func (s Slot) Key() string {
	return fmt.Sprintf("%s@%sT%02d:%02d", s.ID, s.Date, s.Hour, s.Minute)
}

// Skip is a date on which a checklist that would run by its weekday does
// not, with the reason.
type Skip struct {
	ID     string
	Date   civil.Date
	Reason string
}

// runsOn decides whether the spec runs on a date: ok, and a note (why it
// runs on an unusual day) or a skip reason.
func (s Spec) runsOn(d civil.Date, cal Calendar) (ok bool, note, skip string) {
	wd := d.Weekday()
	byWeekday := s.days&(1<<uint(wd)) != 0
	if s.dayRule == "cron" {
		byWeekday = s.cronDate(d)
	}
	if s.skip[d] {
		if byWeekday {
			return false, "", "skip date"
		}
		return false, "", ""
	}
	if cal == nil || !s.useCalendar {
		return byWeekday, "", ""
	}
	working, reason := cal.Working(d)
	switch s.dayRule {
	case "daily":
		return true, "", ""
	case "workdays":
		switch {
		case working && !byWeekday:
			return true, reason, ""
		case !working && byWeekday:
			return false, "", reason
		}
		return working, "", ""
	case "cron":
		// A cron that names weekdays means working days of those weekdays;
		// one that runs every day (hourly watches, the 1st of the month)
		// runs whatever the calendar says.
		if s.cron.Dow&(1<<63) != 0 || !byWeekday {
			return byWeekday, "", ""
		}
		if !working {
			return false, "", reason
		}
		return true, "", ""
	case "list":
		if byWeekday && !working {
			return false, "", reason
		}
		return byWeekday, "", ""
	default: // weekends: the shop's own weekend routine, by weekday
		return byWeekday, "", ""
	}
}

// cronDate applies cron's day rules to a date: month, and day of month and
// weekday (either matches when both are restricted, as cron does).
func (s Spec) cronDate(d civil.Date) bool {
	c := s.cron
	if c.Month&(1<<uint(d.Month)) == 0 {
		return false
	}
	domStar, dowStar := c.Dom&(1<<63) != 0, c.Dow&(1<<63) != 0
	dom := c.Dom&(1<<uint(d.Day)) != 0
	dow := c.Dow&(1<<uint(d.Weekday())) != 0
	if domStar || dowStar {
		return dom && dow
	}
	return dom || dow
}

// Between lists the slots of every spec whose start lies in [from, to),
// sorted by time then checklist, and the days skipped in that range.
func Between(specs []Spec, from, to time.Time, loc *time.Location, cal Calendar) ([]Slot, []Skip) {
	var slots []Slot
	var skips []Skip
	first, last := civil.Of(from, loc).AddDays(-1), civil.Of(to, loc)
	for d := first; !d.After(last); d = d.AddDays(1) {
		day := daySlots(specs, d, loc, cal, &skips, from, to)
		slots = append(slots, day...)
	}
	slices.SortStableFunc(slots, func(a, b Slot) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return slots, skips
}

func daySlots(specs []Spec, d civil.Date, loc *time.Location, cal Calendar, skips *[]Skip, from, to time.Time) []Slot {
	var all []Slot
	for _, s := range specs {
		ok, note, skip := s.runsOn(d, cal)
		if !ok {
			if skip != "" {
				at := d.At(loc, s.times[0][0], s.times[0][1])
				if !at.Before(from) && at.Before(to) {
					*skips = append(*skips, Skip{ID: s.ID, Date: d, Reason: skip})
				}
			}
			continue
		}
		for _, t := range s.times {
			all = append(all, Slot{ID: s.ID, Date: d, Hour: t[0], Minute: t[1], At: d.At(loc, t[0], t[1]), Note: note})
		}
	}
	// Due times: explicit, or the start of the next slot of the day.
	starts := make([]time.Time, 0, len(all))
	for _, sl := range all {
		starts = append(starts, sl.At)
	}
	slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
	byID := map[string]Spec{}
	for _, s := range specs {
		byID[s.ID] = s
	}
	var out []Slot
	for _, sl := range all {
		s := byID[sl.ID]
		switch {
		case s.dueClock != nil:
			due := sl.Date.At(loc, s.dueClock[0], s.dueClock[1])
			if !due.After(sl.At) {
				due = sl.Date.AddDays(1).At(loc, s.dueClock[0], s.dueClock[1])
			}
			sl.Due = due
		case s.dueAfter > 0:
			sl.Due = sl.At.Add(s.dueAfter)
		default:
			sl.Due = sl.Date.AddDays(1).At(loc, 0, 0)
			for _, st := range starts {
				if st.After(sl.At) {
					sl.Due = st
					break
				}
			}
		}
		if !sl.At.Before(from) && sl.At.Before(to) {
			out = append(out, sl)
		}
	}
	return out
}
