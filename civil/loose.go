package civil

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The forms of a day people type besides YYYY-MM-DD: 2026.11.20,
// 2026年11月20日, and without the year 11-20, 11/20, 11.20, 11月20日.
var (
	fullDate  = regexp.MustCompile(`^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*[日号]?$`)
	monthDay  = regexp.MustCompile(`^(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*[日号]?$`)
	yearMonth = regexp.MustCompile(`^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$`)
)

// ParseLoose reads a day in any form of ParseLoose's list. A day without
// its year is in this year, the year of today in the team's zone.
// Full-width digits read as ASCII.
func ParseLoose(s string, today Date) (Date, error) {
	s = foldDigits(strings.TrimSpace(s))
	if m := fullDate.FindStringSubmatch(s); m != nil {
		return build(atoi(m[1]), atoi(m[2]), atoi(m[3]), s)
	}
	if m := monthDay.FindStringSubmatch(s); m != nil {
		return build(today.Year, atoi(m[1]), atoi(m[2]), s)
	}
	return Date{}, fmt.Errorf("date %q is not a day", s)
}

// ParseSpoken reads a day as people type it in a command: a word for a
// day near today (today, yesterday, tomorrow; 今天, 昨天, 前天, 明天) or
// any form ParseLoose reads. Whether a future day is allowed is the
// caller's rule.
func ParseSpoken(s string, today Date) (Date, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "today", "今天", "今日":
		return today, nil
	case "yesterday", "昨天", "昨日":
		return today.AddDays(-1), nil
	case "前天":
		return today.AddDays(-2), nil
	case "tomorrow", "明天":
		return today.AddDays(1), nil
	}
	return ParseLoose(s, today)
}

// ParseLooseMonth reads YYYY-MM, 2026.11, 2026/11 or 2026年11月, and checks
// the month exists.
func ParseLooseMonth(s string) (Date, error) {
	s = foldDigits(strings.TrimSpace(s))
	if m := yearMonth.FindStringSubmatch(s); m != nil {
		if mo := atoi(m[2]); mo >= 1 && mo <= 12 {
			return Date{atoi(m[1]), time.Month(mo), 1}, nil
		}
	}
	return Date{}, fmt.Errorf("month %q is not YYYY-MM", s)
}

// LooksLikeMonth reports whether s has a year and a month but no day.
func LooksLikeMonth(s string) bool {
	return yearMonth.MatchString(foldDigits(strings.TrimSpace(s)))
}

func build(y, mo, d int, s string) (Date, error) {
	if mo < 1 || mo > 12 || d < 1 || d > (Date{y, time.Month(mo), 1}).DaysInMonth() {
		return Date{}, fmt.Errorf("date %q does not exist", s)
	}
	return Date{y, time.Month(mo), d}, nil
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func foldDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}
