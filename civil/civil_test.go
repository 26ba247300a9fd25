package civil

import (
	"testing"
	"time"
)

func TestOfUsesTheTeamZone(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	// 2026-11-22 17:30 UTC is already the 23rd in Shanghai.
	at := time.Date(2026, 11, 22, 17, 30, 0, 0, time.UTC)
	if got := Of(at, sh).String(); got != "2026-11-23" {
		t.Errorf("Of = %s, want 2026-11-23", got)
	}
	if got := Of(at, time.UTC).String(); got != "2026-11-22" {
		t.Errorf("Of UTC = %s", got)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"2026-11-22", "2026-11-22", true},
		{"2026/11/22", "2026-11-22", true},
		{"2026-1-5", "2026-01-05", true},
		{"2026-02-29", "", false},
		{"2028-02-29", "2028-02-29", true},
		{"2026-13-01", "", false},
		{"22/11/2026", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		d, err := Parse(tt.in)
		if (err == nil) != tt.ok || (tt.ok && d.String() != tt.want) {
			t.Errorf("Parse(%q) = %v, %v; want %q ok=%v", tt.in, d, err, tt.want, tt.ok)
		}
	}
}

func TestArithmetic(t *testing.T) {
	d := Date{2026, 12, 31}
	if got := d.AddDays(1).String(); got != "2027-01-01" {
		t.Errorf("AddDays = %s", got)
	}
	if got := (Date{2026, 3, 1}).AddDays(-1).String(); got != "2026-02-28" {
		t.Errorf("AddDays back = %s", got)
	}
	for _, tt := range []struct {
		d    Date
		want int
	}{{Date{2026, 2, 10}, 28}, {Date{2028, 2, 1}, 29}, {Date{2026, 11, 5}, 30}, {Date{2026, 12, 5}, 31}} {
		if got := tt.d.DaysInMonth(); got != tt.want {
			t.Errorf("DaysInMonth(%s) = %d, want %d", tt.d, got, tt.want)
		}
	}
	if n := (Date{2026, 11, 1}).DaysUntil(Date{2026, 11, 22}); n != 21 {
		t.Errorf("DaysUntil = %d", n)
	}
	if !(Date{2026, 11, 1}).Before(Date{2026, 11, 2}) || (Date{2026, 11, 2}).Before(Date{2026, 11, 2}) {
		t.Error("Before is wrong")
	}
	if w := (Date{2026, 11, 23}).Weekday(); w != time.Monday {
		t.Errorf("Weekday = %v", w)
	}
	m, err := ParseMonth("2026-11")
	if err != nil || m.String() != "2026-11-01" || m.MonthString() != "2026-11" {
		t.Errorf("ParseMonth = %v, %v", m, err)
	}
}
