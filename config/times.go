package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// ParseClock parses a time of day written HH:MM (24-hour, 00:00-23:59).
func ParseClock(s string) (hour, minute int, err error) {
	digit := func(i int) bool { return s[i] >= '0' && s[i] <= '9' }
	if len(s) == 5 && s[2] == ':' && digit(0) && digit(1) && digit(3) && digit(4) {
		hour, _ = strconv.Atoi(s[:2])
		minute, _ = strconv.Atoi(s[3:])
		if hour < 24 && minute < 60 {
			return hour, minute, nil
		}
	}
	return 0, 0, fmt.Errorf("%q is not a time of day; use HH:MM (24-hour), e.g. 08:30", s)
}

// ClockOffset reads a time of day written HH:MM as the time since midnight.
func ClockOffset(s string) (time.Duration, error) {
	h, m, err := ParseClock(s)
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, err
}

// Window reads the hours as times since midnight; the error names the
// field that is not a time of day.
func (h BusinessHours) Window() (start, end time.Duration, err error) {
	if start, err = ClockOffset(h.Start); err != nil {
		return 0, 0, fmt.Errorf("start: %w", err)
	}
	if end, err = ClockOffset(h.End); err != nil {
		return 0, 0, fmt.Errorf("end: %w", err)
	}
	return start, end, nil
}

// weekday parses the three-letter lower-case day names used in the file.
func weekday(s string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.ToLower(d.String()[:3]) == s {
			return d, true
		}
	}
	return 0, false
}

// ParseDays parses a checklist's days: daily (or empty), workdays (Mon-Fri),
// weekends, or a comma list such as mon,wed,fri. The result is sorted from
// Sunday and has no repeats.
func ParseDays(s string) ([]time.Weekday, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "", "daily":
		return []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}, nil
	case "workdays":
		return []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}, nil
	case "weekends":
		return []time.Weekday{time.Sunday, time.Saturday}, nil
	default:
		var days []time.Weekday
		for _, part := range strings.Split(v, ",") {
			d, ok := weekday(strings.TrimSpace(part))
			if !ok {
				return nil, fmt.Errorf("%q is not a list of days; use daily, workdays, weekends or days such as mon,wed,fri (mon tue wed thu fri sat sun)", s)
			}
			days = append(days, d)
		}
		slices.Sort(days)
		return slices.Compact(days), nil
	}
}

// ParseWeekly parses a weekly time such as "mon 09:30".
func ParseWeekly(s string) (day time.Weekday, hour, minute int, err error) {
	bad := fmt.Errorf("%q is not a weekly time; use \"<weekday> HH:MM\" with a weekday mon..sun, e.g. \"mon 09:30\"", s)
	f := strings.Fields(strings.ToLower(s))
	if len(f) != 2 {
		return 0, 0, 0, bad
	}
	day, ok := weekday(f[0])
	if !ok {
		return 0, 0, 0, bad
	}
	if hour, minute, err = ParseClock(f[1]); err != nil {
		return 0, 0, 0, bad
	}
	return day, hour, minute, nil
}

// ParseMonthly parses a monthly time such as "1 09:30": a day of the month
// from 1 to 28, so that it exists in every month, and a time of day.
func ParseMonthly(s string) (day, hour, minute int, err error) {
	bad := fmt.Errorf("%q is not a monthly time; use \"<day 1-28> HH:MM\", e.g. \"1 09:30\"", s)
	f := strings.Fields(s)
	if len(f) != 2 {
		return 0, 0, 0, bad
	}
	day, err = strconv.Atoi(f[0])
	if err != nil || day < 1 || day > 28 {
		return 0, 0, 0, bad
	}
	if hour, minute, err = ParseClock(f[1]); err != nil {
		return 0, 0, 0, bad
	}
	return day, hour, minute, nil
}

// ParseCron parses a standard 5-field cron expression
// (minute hour day-of-month month weekday), as checklists use it.
func ParseCron(s string) (cron.Schedule, error) {
	const use = `use 5 fields: minute hour day-of-month month weekday, e.g. "0 9-21 * * *"`
	if n := len(strings.Fields(s)); n != 5 {
		return nil, fmt.Errorf("%q has %d fields; %s", s, n, use)
	}
	sched, err := cron.ParseStandard(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a valid cron schedule (%v); %s", s, err, use)
	}
	return sched, nil
}

// checkDue accepts an empty due, a time of day, or a positive duration of
// at most a day.
func checkDue(s string) error {
	if s == "" {
		return nil
	}
	if _, _, err := ParseClock(s); err == nil {
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 || d > 24*time.Hour {
		return fmt.Errorf("%q is not a due time; use HH:MM (e.g. 10:30) or a duration up to 24h (e.g. 30m, 2h)", s)
	}
	return nil
}
