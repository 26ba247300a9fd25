// Package civil is the calendar date a team talks about ("2026-11-22"),
// apart from instants: a day of the shop is a date in the team's time zone.
package civil

import (
	"fmt"
	"time"
)

// Date is a day of the calendar, with no zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Of is the date of an instant in a zone.
func Of(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// Parse reads YYYY-MM-DD (also with slashes) and checks that the day exists.
func Parse(s string) (Date, error) {
	for _, layout := range []string{"2006-01-02", "2006/01/02", "2006/1/2", "2006-1-2"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Date{t.Year(), t.Month(), t.Day()}, nil
		}
	}
	return Date{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
}

// ParseMonth reads YYYY-MM and returns the month's first day.
func ParseMonth(s string) (Date, error) {
	for _, layout := range []string{"2006-01", "2006/01", "2006-1", "2006/1"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Date{t.Year(), t.Month(), 1}, nil
		}
	}
	return Date{}, fmt.Errorf("month %q is not YYYY-MM", s)
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// MonthString is YYYY-MM.
func (d Date) MonthString() string { return fmt.Sprintf("%04d-%02d", d.Year, d.Month) }

// At is the instant the date starts (or a time of it) in a zone.
func (d Date) At(loc *time.Location, hour, min int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, min, 0, 0, loc)
}

// AddDays moves by whole days, across months and years.
func (d Date) AddDays(n int) Date {
	t := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// Weekday of the date.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// FirstOfMonth is the first day of the date's month.
func (d Date) FirstOfMonth() Date { return Date{d.Year, d.Month, 1} }

// DaysInMonth counts the days of the date's month.
func (d Date) DaysInMonth() int {
	return time.Date(d.Year, d.Month+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Compare orders dates: -1, 0 or +1.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmp(d.Year, o.Year)
	case d.Month != o.Month:
		return cmp(int(d.Month), int(o.Month))
	default:
		return cmp(d.Day, o.Day)
	}
}

// DaysUntil counts the days from d to o (negative when o is earlier).
func (d Date) DaysUntil(o Date) int {
	a := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	b := time.Date(o.Year, o.Month, o.Day, 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

func cmp(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Format is how notes name a date: Thu 2026-10-01.
func (d Date) Format() string { return d.Weekday().String()[:3] + " " + d.String() }
