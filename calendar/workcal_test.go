package calendar

import (
	"slices"
	"strings"
	"testing"
	"time"

	"opsbot/civil"
	"opsbot/config"
	"opsbot/i18n"
)

func date(t *testing.T, s string) civil.Date {
	t.Helper()
	d, err := civil.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustNew(t *testing.T, cfg config.CalendarConfig, tz string) *Calendar {
	t.Helper()
	c, err := New(cfg, tz)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

type want struct {
	date    string
	working bool
	kind    Kind
	nameEn  string
	nameZh  string // checked when set
	source  string
}

func check(t *testing.T, c *Calendar, tests []want) {
	t.Helper()
	for _, w := range tests {
		d := date(t, w.date)
		got := c.Day(d)
		if got.Date != d || got.Working != w.working || got.Kind != w.kind || got.Name.En != w.nameEn ||
			(w.nameZh != "" && got.Name.Zh != w.nameZh) || got.Source != w.source {
			t.Errorf("Day(%s, %s) = working %v %v %+v %s; want working %v %v %q %q %s",
				w.date, d.Weekday(), got.Working, got.Kind, got.Name, got.Source, w.working, w.kind, w.nameEn, w.nameZh, w.source)
		}
		if c.IsWorkday(d) != w.working {
			t.Errorf("IsWorkday(%s) = %v, want %v", w.date, !w.working, w.working)
		}
	}
}

// The library's data for 2026 against the State Council's schedule.
func TestLibrary2026(t *testing.T) {
	c := mustNew(t, config.CalendarConfig{}, "Asia/Shanghai")
	check(t, c, []want{
		{"2026-10-01", false, Holiday, "National Day", "国庆节", sourceLibrary},        // Thursday
		{"2026-10-03", false, Holiday, "National Day", "", sourceLibrary},           // a Saturday inside the holiday
		{"2026-10-07", false, Holiday, "National Day", "", sourceLibrary},           // Wednesday, last day
		{"2026-10-08", true, Workday, "", "", sourceLibrary},                        // Thursday after the holiday
		{"2026-10-10", true, Makeup, "National Day", "国庆节", sourceLibrary},          // Saturday
		{"2026-09-20", true, Makeup, "National Day", "", sourceLibrary},             // Sunday
		{"2026-09-25", false, Holiday, "Mid-Autumn Festival", "中秋节", sourceLibrary}, // Friday
		{"2026-01-01", false, Holiday, "New Year's Day", "元旦节", sourceLibrary},
		{"2026-01-04", true, Makeup, "New Year's Day", "", sourceLibrary}, // Sunday
		{"2026-02-17", false, Holiday, "Spring Festival", "春节", sourceLibrary},
		{"2026-02-14", true, Makeup, "Spring Festival", "", sourceLibrary}, // Saturday
		{"2026-02-28", true, Makeup, "Spring Festival", "", sourceLibrary}, // Saturday
		{"2026-04-06", false, Holiday, "Qingming Festival", "清明节", sourceLibrary},
		{"2026-05-01", false, Holiday, "Labour Day", "劳动节", sourceLibrary},
		{"2026-05-09", true, Makeup, "Labour Day", "", sourceLibrary}, // Saturday
		{"2026-06-19", false, Holiday, "Dragon Boat Festival", "端午节", sourceLibrary},
		{"2026-10-12", true, Workday, "", "", sourceLibrary},  // Monday
		{"2026-03-14", false, Weekend, "", "", sourceLibrary}, // a plain Saturday
		{"2026-03-15", false, Weekend, "", "", sourceLibrary}, // a plain Sunday
		// Earlier years, with the combined and the one-off names.
		{"2025-10-08", false, Holiday, "National Day and Mid-Autumn Festival", "国庆中秋", sourceLibrary},
		{"2015-09-03", false, Holiday, "Victory Day", "抗战胜利日", sourceLibrary},
	})
}

func TestLibraryYears(t *testing.T) {
	years := LibraryYears()
	if len(years) == 0 || years[0] != 2002 || years[len(years)-1] != 2026 || len(years) != 2026-2002+1 {
		t.Errorf("LibraryYears = %v, want 2002..2026 (lunar-go v1.4.6)", years)
	}
	c := mustNew(t, config.CalendarConfig{}, "Asia/Shanghai")
	for y, has := range map[int]bool{2001: false, 2002: true, 2020: true, 2026: true, 2027: false, 2031: false} {
		if c.HasData(y) != has {
			t.Errorf("HasData(%d) = %v, want %v", y, !has, has)
		}
	}
	// 2001-12-29 is in the table although 2001 is not covered: it is the
	// makeup day of New Year 2002.
	check(t, c, []want{{"2001-12-29", true, Makeup, "New Year's Day", "", sourceLibrary}})
}

func TestConfigOverrides(t *testing.T) {
	cfg := config.CalendarConfig{
		DaysOff: []config.CalendarDay{
			{Date: "2026-10-12", Name: i18n.Text{En: "Company outing", Zh: "团建"}}, // a Monday
			{Date: "2026-10-10"}, // the makeup Saturday, unnamed
		},
		ExtraWorkdays: []config.CalendarDay{
			{Date: "2026-03-14", Name: i18n.Text{En: "Stocktaking", Zh: "盘点"}}, // a plain Saturday
			{Date: "2026-10-05", Name: i18n.Text{En: "Golden week duty"}},      // inside National Day
		},
	}
	c := mustNew(t, cfg, "Asia/Shanghai")
	check(t, c, []want{
		{"2026-10-12", false, Holiday, "Company outing", "团建", sourceConfig},
		{"2026-10-10", false, Holiday, "Company day off", "公司休息日", sourceConfig},
		{"2026-03-14", true, Makeup, "Stocktaking", "盘点", sourceConfig},
		{"2026-10-05", true, Makeup, "Golden week duty", "", sourceConfig},
		// Untouched days keep the library's answer.
		{"2026-10-01", false, Holiday, "National Day", "", sourceLibrary},
		{"2026-10-13", true, Workday, "", "", sourceLibrary},
	})
}

func TestOfficialReplacesLibraryYear(t *testing.T) {
	cfg := config.CalendarConfig{
		DaysOff: []config.CalendarDay{{Date: "2026-10-09"}},
		Official: map[int]config.OfficialYear{
			2026: {
				Holidays: []config.CalendarDay{
					{Date: "2026-10-01", Name: i18n.Text{Zh: "国庆节"}},
					{Date: "2026-10-09", Name: i18n.Text{Zh: "国庆节"}},
				},
				Workdays: []config.CalendarDay{
					{Date: "2026-10-11", Name: i18n.Text{En: "National Day", Zh: "国庆节"}},
					{Date: "2026-10-17"},
				},
			},
			2002: {}, // an empty schedule: the table's 2001-12-29 entry (for New Year 2002) goes too
		},
	}
	c := mustNew(t, cfg, "Asia/Shanghai")
	check(t, c, []want{
		{"2026-10-01", false, Holiday, "National Day", "国庆节", sourceConfig},                       // English filled in
		{"2026-10-02", true, Workday, "", "", sourceConfig},                                       // a library holiday, gone
		{"2026-10-10", false, Weekend, "", "", sourceConfig},                                      // a library makeup day, gone
		{"2026-10-11", true, Makeup, "National Day", "", sourceConfig},                            // Sunday
		{"2026-10-17", true, Makeup, "Makeup workday", "调休上班", sourceConfig},                      // unnamed
		{"2026-10-09", false, Holiday, "Company day off", "", sourceConfig},                       // days_off wins over official
		{"2026-01-04", false, Weekend, "", "", sourceConfig},                                      // the year is replaced entirely
		{"2025-10-08", false, Holiday, "National Day and Mid-Autumn Festival", "", sourceLibrary}, // other years keep the library
		{"2001-12-29", false, Weekend, "", "", sourceWeekday},
		{"2002-01-01", true, Workday, "", "", sourceConfig},
	})
	if !c.HasData(2026) || !c.HasData(2002) {
		t.Error("HasData is false for a year of calendar.official")
	}
}

func TestMissingYears(t *testing.T) {
	lib := mustNew(t, config.CalendarConfig{}, "Asia/Shanghai")
	// The library (lunar-go v1.4.6) ends with 2026.
	tests := []struct {
		from string
		days int
		want []int
	}{
		{"2026-06-01", 30, nil},
		{"2026-12-02", 30, nil}, // up to 2026-12-31
		{"2026-12-03", 30, []int{2027}},
		{"2026-12-31", 1, nil},
		{"2027-01-01", 1, []int{2027}},
		{"2027-06-01", 500, []int{2027, 2028}},
		{"2025-12-20", 30, nil},
		{"2026-12-20", 0, nil},
		{"2026-12-20", -5, nil},
	}
	for _, tt := range tests {
		if got := lib.MissingYears(date(t, tt.from), tt.days); !slices.Equal(got, tt.want) {
			t.Errorf("MissingYears(%s, %d) = %v, want %v", tt.from, tt.days, got, tt.want)
		}
	}
	// A day of a year with no data falls back to plain weekdays, though
	// New Year's Day is a public holiday every year.
	check(t, lib, []want{{"2027-01-01", true, Workday, "", "", sourceWeekday}})

	withOfficial := mustNew(t, config.CalendarConfig{Official: map[int]config.OfficialYear{
		2027: {Holidays: []config.CalendarDay{{Date: "2027-01-01", Name: i18n.Text{En: "New Year's Day", Zh: "元旦"}}}},
	}}, "Asia/Shanghai")
	if got := withOfficial.MissingYears(date(t, "2026-12-03"), 30); got != nil {
		t.Errorf("MissingYears with official 2027 = %v, want none", got)
	}
	if got := withOfficial.MissingYears(date(t, "2027-06-01"), 500); !slices.Equal(got, []int{2028}) {
		t.Errorf("MissingYears with official 2027 = %v, want [2028]", got)
	}
	check(t, withOfficial, []want{
		{"2027-01-01", false, Holiday, "New Year's Day", "元旦", sourceConfig},
		{"2027-01-04", true, Workday, "", "", sourceConfig},
	})
}

func TestKindNone(t *testing.T) {
	cfg := config.CalendarConfig{
		Kind:          "none",
		DaysOff:       []config.CalendarDay{{Date: "2026-12-24", Name: i18n.Text{En: "Christmas Eve"}}},
		ExtraWorkdays: []config.CalendarDay{{Date: "2026-12-19"}},
		Official:      map[int]config.OfficialYear{2026: {Holidays: []config.CalendarDay{{Date: "2026-12-25"}}}},
	}
	c := mustNew(t, cfg, "Asia/Shanghai")
	check(t, c, []want{
		{"2026-10-01", true, Workday, "", "", sourceWeekday},  // no public holidays
		{"2026-10-10", false, Weekend, "", "", sourceWeekday}, // no makeup days
		{"2026-12-25", true, Workday, "", "", sourceWeekday},  // official is for kind cn only
		{"2026-12-24", false, Holiday, "Christmas Eve", "", sourceConfig},
		{"2026-12-19", true, Makeup, "Company workday", "", sourceConfig},
	})
	for _, y := range []int{1990, 2026, 2027, 2099} {
		if !c.HasData(y) {
			t.Errorf("kind none: HasData(%d) = false", y)
		}
	}
	if got := c.MissingYears(date(t, "2026-12-20"), 400); got != nil {
		t.Errorf("kind none: MissingYears = %v, want none", got)
	}
}

func TestKindFromTimezone(t *testing.T) {
	holiday := date(t, "2026-10-01")
	tests := []struct {
		kind, tz string
		cn       bool
	}{
		{"", "Asia/Shanghai", true},
		{"", "Asia/Chongqing", true},
		{"", "Asia/Harbin", true},
		{"", "Europe/Berlin", false},
		{"", "Asia/Hong_Kong", false},
		{"", "", false},
		{"cn", "UTC", true},
		{"none", "Asia/Shanghai", false},
	}
	for _, tt := range tests {
		c := mustNew(t, config.CalendarConfig{Kind: tt.kind}, tt.tz)
		if got := !c.IsWorkday(holiday); got != tt.cn {
			t.Errorf("kind %q zone %q: National Day off = %v, want %v", tt.kind, tt.tz, got, tt.cn)
		}
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  config.CalendarConfig
		msg  string
	}{
		{"kind", config.CalendarConfig{Kind: "us"}, `calendar.kind: "us" is not a calendar kind`},
		{"date", config.CalendarConfig{DaysOff: []config.CalendarDay{{Date: "2026-13-01"}}}, "calendar.days_off[0]: date \"2026-13-01\" is not YYYY-MM-DD"},
		{"off and extra", config.CalendarConfig{
			DaysOff:       []config.CalendarDay{{Date: "2026-10-12"}},
			ExtraWorkdays: []config.CalendarDay{{Date: "2026-10-12"}},
		}, "calendar.extra_workdays[0]: 2026-10-12 is listed both as a day off and as a working day"},
		{"official twice", config.CalendarConfig{Official: map[int]config.OfficialYear{2027: {
			Holidays: []config.CalendarDay{{Date: "2027-01-01"}},
			Workdays: []config.CalendarDay{{Date: "2027-01-01"}},
		}}}, "calendar.official.2027.workdays[0]: 2027-01-01 is listed both"},
		{"official date", config.CalendarConfig{Official: map[int]config.OfficialYear{2027: {
			Holidays: []config.CalendarDay{{Date: "soon"}},
		}}}, "calendar.official.2027.holidays[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, "Asia/Shanghai")
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("New error = %v, want …%s…", err, tt.msg)
			}
		})
	}
}

func TestMonth(t *testing.T) {
	c := mustNew(t, config.CalendarConfig{}, "Asia/Shanghai")
	days := c.Month(2026, time.October)
	if len(days) != 31 {
		t.Fatalf("Month(2026, 10) has %d days, want 31", len(days))
	}
	// H holiday, W workday, M makeup, E weekend; 2026-10-01 is a Thursday.
	const want = "HHHHHHH" + "WWMEWWWWWEEWWWWWEEWWWWWE"
	var got strings.Builder
	for i, d := range days {
		if d.Date != (civil.Date{Year: 2026, Month: time.October, Day: i + 1}) {
			t.Errorf("days[%d].Date = %s", i, d.Date)
		}
		got.WriteByte(map[Kind]byte{Holiday: 'H', Workday: 'W', Makeup: 'M', Weekend: 'E'}[d.Kind])
		if d.Working != (d.Kind == Workday || d.Kind == Makeup) {
			t.Errorf("%s: working %v for kind %v", d.Date, d.Working, d.Kind)
		}
	}
	if got.String() != want {
		t.Errorf("Month(2026, 10) kinds\n got %s\nwant %s", got.String(), want)
	}
	if n := len(c.Month(2026, time.February)); n != 28 {
		t.Errorf("Month(2026, 2) has %d days, want 28", n)
	}
	if n := len(c.Month(2028, time.February)); n != 29 {
		t.Errorf("Month(2028, 2) has %d days, want 29", n)
	}
	if got := c.Month(2026, 13); got != nil {
		t.Errorf("Month(2026, 13) = %d days, want nil", len(got))
	}
}

func TestKindString(t *testing.T) {
	for k, s := range map[Kind]string{Workday: "workday", Weekend: "weekend", Holiday: "holiday", Makeup: "makeup", Kind(9): "Kind(9)"} {
		if k.String() != s {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), k.String(), s)
		}
	}
}
