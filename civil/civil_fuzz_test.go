package civil

import (
	"testing"
	"time"
)

// FuzzParse feeds the date and month parsers anything. What they accept
// must be a real day that prints and parses back to itself, and AddDays
// must agree with the standard library.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"2026-11-22", "2026/11/22", "2026/1/2", "2026-02-29", "2024-02-29", "0000-01-01", "9999-12-31", "2026-11", "2026/1", "2026-13-01", "2026-11-22T00:00", " 2026-11-22", "２０２６-11-22", ""} {
		f.Add(s, int16(1))
	}
	f.Fuzz(func(t *testing.T, s string, n int16) {
		if d, err := Parse(s); err == nil {
			check(t, s, d)
			back, err := Parse(d.String())
			if err != nil || back != d {
				t.Fatalf("Parse(%q) = %v, which parses back as %v, %v", s, d, back, err)
			}
			want := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).AddDate(0, 0, int(n))
			if got := d.AddDays(int(n)); got != Of(want, time.UTC) {
				t.Fatalf("%v.AddDays(%d) = %v, want %v", d, n, got, Of(want, time.UTC))
			}
		}
		if m, err := ParseMonth(s); err == nil {
			check(t, s, m)
			if m.Day != 1 || m.DaysInMonth() < 28 || m.DaysInMonth() > 31 {
				t.Fatalf("ParseMonth(%q) = %v, %d days", s, m, m.DaysInMonth())
			}
			if back, err := ParseMonth(m.MonthString()); err != nil || back != m {
				t.Fatalf("ParseMonth(%q) = %v, which parses back as %v, %v", s, m, back, err)
			}
		}
	})
}

// check fails when d is not a day of the calendar.
func check(t *testing.T, s string, d Date) {
	t.Helper()
	if d.Month < time.January || d.Month > time.December || d.Day < 1 || d.Day > d.DaysInMonth() {
		t.Fatalf("%q parsed as %+v, not a day", s, d)
	}
}
