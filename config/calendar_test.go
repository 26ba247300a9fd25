package config

import (
	"slices"
	"strings"
	"testing"
	"time"

	"opsbot/civil"
	"opsbot/i18n"
)

func TestDefaultCalendarAndCampaigns(t *testing.T) {
	c := mustDefault(t)
	if c.Calendar.Kind != "" || len(c.Calendar.DaysOff) != 0 || len(c.Calendar.ExtraWorkdays) != 0 || len(c.Calendar.Official) != 0 {
		t.Errorf("calendar = %+v, want the empty default", c.Calendar)
	}
	if k := c.Calendar.EffectiveKind(c.Timezone); k != CalendarCN {
		t.Errorf("default calendar kind in %s = %q, want cn", c.Timezone, k)
	}
	want := []struct {
		id, start, end, en, zh string
	}{
		{"618", "06-01", "06-18", "618 mid-year sale", "618 年中大促"},
		{"double-11", "11-01", "11-11", "Double 11 (Singles' Day)", "双11"},
		{"double-12", "12-01", "12-12", "Double 12", "双12"},
	}
	if len(c.Campaigns) != len(want) {
		t.Fatalf("got %d campaigns, want %d: %+v", len(c.Campaigns), len(want), c.Campaigns)
	}
	for i, w := range want {
		cp := c.Campaigns[i]
		if cp.ID != w.id || cp.Start != w.start || cp.End != w.end || cp.Name != (i18n.Text{En: w.en, Zh: w.zh}) ||
			!cp.Recurring || cp.Registration != "" || cp.Owner != "marketing" || cp.ChannelRef() != "team" {
			t.Errorf("campaigns[%d] = %+v, want %+v recurring, no registration, owner marketing", i, cp, w)
		}
		if !slices.Equal(cp.RemindDays(), []int{7, 3, 1}) {
			t.Errorf("campaign %s remind days = %v, want the default 7, 3, 1", cp.ID, cp.RemindDays())
		}
		run, ok := cp.RunIn(2026)
		if !ok || run.Start.String() != "2026-"+w.start || run.End.String() != "2026-"+w.end || run.HasRegistration() {
			t.Errorf("campaign %s RunIn(2026) = %+v %v", cp.ID, run, ok)
		}
	}
	// A file without the sections keeps them.
	c = mustParse(t, "locale: zh\n")
	if len(c.Campaigns) != 3 || c.Calendar.Kind != "" {
		t.Errorf("absent sections: campaigns %d, calendar %+v; want the defaults", len(c.Campaigns), c.Calendar)
	}
}

func TestEffectiveKind(t *testing.T) {
	tests := []struct{ kind, tz, want string }{
		{"", "Asia/Shanghai", "cn"},
		{"", "Asia/Chongqing", "cn"},
		{"", "Asia/Harbin", "cn"},
		{"", "Asia/Urumqi", "none"},
		{"", "Asia/Taipei", "none"},
		{"", "UTC", "none"},
		{"", "", "none"},
		{"cn", "Europe/London", "cn"},
		{"none", "Asia/Shanghai", "none"},
	}
	for _, tt := range tests {
		if got := (CalendarConfig{Kind: tt.kind}).EffectiveKind(tt.tz); got != tt.want {
			t.Errorf("EffectiveKind(kind %q, %q) = %q, want %q", tt.kind, tt.tz, got, tt.want)
		}
	}
}

func TestCalendarAndCampaignsParse(t *testing.T) {
	c := mustParse(t, `calendar:
  kind: cn
  days_off:
    - {date: 2026-10-08, name: {en: Company outing, zh: 团建}}
  extra_workdays:
    - {date: 2026-11-14, name: {en: Double 11 wrap-up, zh: 双11收尾}}
  official:
    2027:
      holidays:
        - {date: 2027-01-01, name: {en: "New Year's Day", zh: 元旦}}
      workdays:
        - {date: 2026-12-26, name: {zh: 元旦}}
campaigns:
  - id: new-year-goods
    name: {en: New Year goods festival, zh: 年货节}
    start: "01-05"
    end: "01-20"
    registration: "12-10"
    recurring: true
    remind: []
  - id: juhuasuan-2026-09
    name: {en: Juhuasuan, zh: 聚划算}
    start: 2026-09-15
    end: 2026-09-17
    registration: 2026-09-01
    channel: managers
    owner: "@marketing"
    remind: [1, 7, 3, 7, 0]
`)
	cal := c.Calendar
	if cal.Kind != "cn" || len(cal.DaysOff) != 1 || cal.DaysOff[0] != (CalendarDay{Date: "2026-10-08", Name: i18n.Text{En: "Company outing", Zh: "团建"}}) ||
		len(cal.ExtraWorkdays) != 1 || cal.ExtraWorkdays[0].Date != "2026-11-14" {
		t.Errorf("calendar = %+v", cal)
	}
	o, ok := cal.Official[2027]
	if !ok || len(cal.Official) != 1 || len(o.Holidays) != 1 || o.Holidays[0].Date != "2027-01-01" || len(o.Workdays) != 1 || o.Workdays[0].Name.Zh != "元旦" {
		t.Errorf("official = %+v", cal.Official)
	}

	if len(c.Campaigns) != 2 {
		t.Fatalf("campaigns = %+v, want the file's two only", c.Campaigns)
	}
	ny, jhs := c.Campaigns[0], c.Campaigns[1]
	if days := ny.RemindDays(); len(days) != 0 {
		t.Errorf("remind: [] gave reminder days %v, want none", days)
	}
	if days := jhs.RemindDays(); !slices.Equal(days, []int{7, 3, 1, 0}) {
		t.Errorf("remind days = %v, want 7 3 1 0", days)
	}
	if jhs.ChannelRef() != "managers" || c.ChannelFor(jhs.ChannelRef()) != "#shop-managers" || jhs.Owner != "@marketing" {
		t.Errorf("juhuasuan channel %q owner %q", jhs.ChannelRef(), jhs.Owner)
	}

	d := func(s string) civil.Date {
		v, err := civil.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// A recurring deadline later in the year than the end is the year before.
	if run, ok := ny.RunIn(2027); !ok || run != (CampaignRun{Start: d("2027-01-05"), End: d("2027-01-20"), Registration: d("2026-12-10")}) || !run.HasRegistration() {
		t.Errorf("new-year-goods RunIn(2027) = %+v %v", run, ok)
	}
	if run, ok := jhs.RunIn(2026); !ok || run != (CampaignRun{Start: d("2026-09-15"), End: d("2026-09-17"), Registration: d("2026-09-01")}) {
		t.Errorf("juhuasuan RunIn(2026) = %+v %v", run, ok)
	}
	if _, ok := jhs.RunIn(2027); ok {
		t.Error("a one-off campaign has a run in another year")
	}
	same := Campaign{Start: "06-01", End: "06-18", Registration: "06-18", Recurring: true}
	if run, _ := same.RunIn(2026); run.Registration != d("2026-06-18") {
		t.Errorf("deadline on the last day = %s, want the same year", run.Registration)
	}

	if c := mustParse(t, "campaigns: []\n"); len(c.Campaigns) != 0 {
		t.Errorf("campaigns: [] gave %d campaigns, want none", len(c.Campaigns))
	}
}

func TestCalendarProblemsWithTheirLines(t *testing.T) {
	src := `calendar:                          # 1
  kind: china                      # 2
  days_off:                        # 3
    - {date: 2026-10-08}           # 4
    - {date: 2026-10-32}           # 5
    - {date: 2026-10-08}           # 6
  extra_workdays:                  # 7
    - {date: 2026-10-08}           # 8
    - {date: ""}                   # 9
    - {name: {en: Duty}}           # 10
  official:                        # 11
    1999:                          # 12
      holidays: [{date: 1999-10-01}] # 13
    2027:                          # 14
      holidays:                    # 15
        - {date: 2027-01-01}       # 16
        - {date: 2028-03-01}       # 17
      workdays:                    # 18
        - {date: 2027-01-01}       # 19
        - {date: 2026-12-26}       # 20
        - {date: 2027/02/06}       # 21
campaigns:                         # 22
  - id: Double11                   # 23
    name: {zh: 双11}               # 24
    start: 2026-11-01              # 25
    end: "11-11"                   # 26
    recurring: true                # 27
    remind: [7, 61, -1]            # 28
  - id: juhuasuan                  # 29
    name: {en: Juhuasuan}          # 30
    start: "09-15"                 # 31
    end: 2026-09-20                # 32
    registration: 2026-09-01       # 33
  - id: juhuasuan                  # 34
    name: {en: Juhuasuan 2}        # 35
    start: 2026-09-15              # 36
    end: 2026-09-10                # 37
    registration: 2026-09-20       # 38
  - id: leap                       # 39
    name: {en: Leap day}           # 40
    start: "02-29"                 # 41
    end: "13-01"                   # 42
    registration: "2-1"            # 43
    recurring: true                # 44
  - id: no-dates                   # 45
    name: {en: No dates}           # 46
`
	want := []struct {
		line int
		path string
		msg  string
	}{
		{2, "calendar.kind", `"china" is not a calendar kind; use cn`},
		{5, "calendar.days_off[1].date", `"2026-10-32" is not a date; use YYYY-MM-DD`},
		{6, "calendar.days_off[2].date", "2026-10-08 is already listed at calendar.days_off[0].date"},
		{8, "calendar.extra_workdays[0].date", "2026-10-08 is also a day off (calendar.days_off[0].date); a day is either off or a working day"},
		{9, "calendar.extra_workdays[1].date", "is empty; use YYYY-MM-DD"},
		{10, "calendar.extra_workdays[2].date", "is empty; use YYYY-MM-DD"},
		{12, "calendar.official.1999", "1999 is not a year from 2000 to 2100"},
		{17, "calendar.official.2027.holidays[1].date", "2028-03-01 is not in 2027"},
		{19, "calendar.official.2027.workdays[0].date", "2027-01-01 is already listed at calendar.official.2027.holidays[0].date"},
		{21, "calendar.official.2027.workdays[2].date", `"2027/02/06" is not a date; use YYYY-MM-DD`},
		{23, "campaigns[0].id", `"Double11" is not a valid campaign id; use kebab-case`},
		{24, "campaigns[0].name.en", "is empty; give the campaign an English name"},
		{25, "campaigns[0].start", `"2026-11-01" is a full date, but the campaign is recurring; use MM-DD`},
		{28, "campaigns[0].remind[1]", "61 is out of range; use days before the registration deadline from 0"},
		{28, "campaigns[0].remind[2]", "-1 is out of range"},
		{31, "campaigns[1].start", `"09-15" is not a date; use YYYY-MM-DD, e.g. 2026-06-18 (or MM-DD with recurring: true`},
		{34, "campaigns[2].id", `"juhuasuan" is already the id of campaigns[1]; campaign ids must be unique`},
		{37, "campaigns[2].end", "2026-09-10 is before start (2026-09-15)"},
		{38, "campaigns[2].registration", "2026-09-20 is after the campaign ends (2026-09-10)"},
		{41, "campaigns[3].start", "02-29 is not in every year"},
		{42, "campaigns[3].end", `"13-01" is not a month and day; a recurring campaign uses MM-DD`},
		{43, "campaigns[3].registration", `"2-1" is not a month and day`},
		{45, "campaigns[4].start", "is empty; use YYYY-MM-DD"},
		{45, "campaigns[4].end", "is empty; use YYYY-MM-DD"},
	}
	got := parseProblems(t, src)
	for i, w := range want {
		if i >= len(got) {
			t.Errorf("missing problem %d: %d %s %s", i, w.line, w.path, w.msg)
			continue
		}
		g := got[i]
		if g.Line != w.line || g.Path != w.path || !strings.Contains(g.Msg, w.msg) {
			t.Errorf("problem %d = %d %s: %s\nwant   %d %s: …%s…", i, g.Line, g.Path, g.Msg, w.line, w.path, w.msg)
		}
	}
	for _, g := range got[min(len(got), len(want)):] {
		t.Errorf("unexpected problem: %d %s: %s", g.Line, g.Path, g.Msg)
	}
}

func TestCalendarShapeProblems(t *testing.T) {
	campaign := "campaigns:\n  - id: x\n    name: {en: X}\n    start: \"06-01\"\n    end: \"06-18\"\n    recurring: true\n"
	tests := []struct {
		name, src string
		line      int
		path, msg string
	}{
		{"unknown calendar key", "calendar:\n  holidays: []\n", 2, "calendar.holidays",
			`unknown key "holidays"; allowed here: kind, days_off, extra_workdays, official`},
		{"unknown official key", "calendar:\n  official:\n    2027:\n      days_off: []\n", 4, "calendar.official.2027.days_off",
			`unknown key "days_off"; allowed here: holidays, workdays`},
		{"official not a year", "calendar:\n  official:\n    next:\n      holidays: []\n", 3, "calendar.official.next", "next"},
		{"days off not a list", "calendar:\n  days_off: 2026-10-08\n", 2, "calendar.days_off", `"2026-10-08" is not allowed here; use a list`},
		{"unknown campaign key", campaign + "    deadline: \"05-20\"\n", 7, "campaigns[0].deadline",
			`unknown key "deadline"; allowed here: id, name, start, end, registration, recurring, channel, owner, remind`},
		{"remind not a number", campaign + "    remind: [a week]\n", 7, "campaigns[0].remind[0]", `"a week" is not allowed here; use a whole number`},
		{"recurring not a bool", "campaigns:\n  - id: x\n    name: {en: X}\n    start: 2026-06-01\n    end: 2026-06-18\n    recurring: yearly\n", 6, "campaigns[0].recurring", "use true or false"},
		{"channel refers to an empty channel", "channels:\n  team: \"#ops\"\n  managers: \"#mgr\"\n  cs: \"\"\n" + campaign + "    channel: cs\n",
			11, "campaigns[0].channel", "refers to channels.cs, which is empty"},
		{"no name", "campaigns:\n  - id: x\n    start: 2026-06-01\n    end: 2026-06-18\n", 2, "campaigns[0].name.en", "is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseProblems(t, tt.src)
			if len(got) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(got), (&Problems{File: "test.yaml", List: got}).Error())
			}
			g := got[0]
			if g.Line != tt.line || g.Path != tt.path || !strings.Contains(g.Msg, tt.msg) {
				t.Errorf("got %d %q: %s\nwant %d %q: …%s…", g.Line, g.Path, g.Msg, tt.line, tt.path, tt.msg)
			}
		})
	}
}

// The built-in campaigns still validate on their own dates: a leap year's
// runs, and every year the scheduler may ask for.
func TestBuiltinCampaignRuns(t *testing.T) {
	c := mustDefault(t)
	for _, cp := range c.Campaigns {
		for y := 2024; y <= 2030; y++ {
			run, ok := cp.RunIn(y)
			if !ok || run.Start.Year != y || run.End.Before(run.Start) || run.Start.Month != run.End.Month {
				t.Errorf("%s RunIn(%d) = %+v %v", cp.ID, y, run, ok)
			}
			if run.End.Month < time.June {
				t.Errorf("%s ends in %s", cp.ID, run.End.Month)
			}
		}
	}
}
