package checklist

import (
	"testing"
	"time"

	"opsbot/civil"
	"opsbot/config"
	"opsbot/i18n"
)

// fakeCal is a working calendar from a table; other days follow weekdays.
type fakeCal map[civil.Date]struct {
	working bool
	reason  string
}

func (f fakeCal) Working(d civil.Date) (bool, string) {
	if v, ok := f[d]; ok {
		return v.working, v.reason
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday, ""
}

func date(y int, m time.Month, d int) civil.Date { return civil.Date{Year: y, Month: m, Day: d} }

func builtinSpecs(t *testing.T) ([]Spec, *time.Location) {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	var specs []Spec
	for _, cl := range cfg.Checklists {
		if !cfg.ChecklistEnabled(cl) {
			continue
		}
		s, err := FromConfig(cl)
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, s)
	}
	return specs, cfg.Location
}

func count(slots []Slot) map[string]int {
	n := map[string]int{}
	for _, s := range slots {
		n[s.ID]++
	}
	return n
}

func TestBuiltinWeek(t *testing.T) {
	specs, loc := builtinSpecs(t)
	from := time.Date(2026, 11, 23, 0, 0, 0, 0, loc) // a Monday
	slots, skips := Between(specs, from, from.AddDate(0, 0, 7), loc, fakeCal{})
	if len(skips) != 0 {
		t.Errorf("skips in a plain week: %v", skips)
	}
	n := count(slots)
	for id, want := range map[string]int{"morning-meeting": 7, "shop-checks": 7, "evening-meeting": 5, "promo-group-buy": 1, "replenishment": 1, "monthly-review": 0} {
		if n[id] != want {
			t.Errorf("%s runs %d times in the week, want %d", id, n[id], want)
		}
	}
	first := slots[0]
	if first.ID != "morning-meeting" || !first.At.Equal(time.Date(2026, 11, 23, 8, 20, 0, 0, loc)) || !first.Due.Equal(time.Date(2026, 11, 23, 8, 30, 0, 0, loc)) {
		t.Errorf("first slot = %+v", first)
	}
	for i := 1; i < len(slots); i++ {
		if slots[i].At.Before(slots[i-1].At) {
			t.Fatalf("slots out of order at %d", i)
		}
	}
	seen := map[string]bool{}
	for _, s := range slots {
		if seen[s.Key()] {
			t.Errorf("slot %s twice", s.Key())
		}
		seen[s.Key()] = true
		if !s.Due.After(s.At) {
			t.Errorf("%s is due %v, not after it starts %v", s.Key(), s.Due, s.At)
		}
	}
	for _, s := range slots {
		if s.ID == "promo-group-buy" && s.Date.Weekday() != time.Monday {
			t.Errorf("group-buy promotion on a %v", s.Date.Weekday())
		}
		if s.ID == "replenishment" && s.Date.Weekday() != time.Thursday {
			t.Errorf("replenishment request on a %v", s.Date.Weekday())
		}
	}
}

func TestWorkingCalendar(t *testing.T) {
	specs, loc := builtinSpecs(t)
	cal := fakeCal{
		date(2026, 10, 1):  {false, "National Day"},
		date(2026, 10, 2):  {false, "National Day"},
		date(2026, 10, 10): {true, "makeup workday for National Day"},
	}
	from := time.Date(2026, 9, 28, 0, 0, 0, 0, loc)
	slots, skips := Between(specs, from, from.AddDate(0, 0, 14), loc, cal)
	on := func(id string, d civil.Date) *Slot {
		for i := range slots {
			if slots[i].ID == id && slots[i].Date == d {
				return &slots[i]
			}
		}
		return nil
	}
	if on("evening-meeting", civil.Date{Year: 2026, Month: 10, Day: 1}) != nil {
		t.Error("the evening meeting runs on National Day")
	}
	if on("replenishment", civil.Date{Year: 2026, Month: 10, Day: 1}) != nil {
		t.Error("Thursday's replenishment request runs on National Day")
	}
	if s := on("evening-meeting", civil.Date{Year: 2026, Month: 10, Day: 10}); s == nil || s.Note != "makeup workday for National Day" {
		t.Errorf("makeup Saturday: %+v", s)
	}
	if on("morning-meeting", civil.Date{Year: 2026, Month: 10, Day: 1}) == nil {
		t.Error("daily routines run every day, holidays too: the shop is open")
	}
	found := false
	for _, s := range skips {
		if s.ID == "evening-meeting" && s.Date == (civil.Date{Year: 2026, Month: 10, Day: 1}) && s.Reason == "National Day" {
			found = true
		}
	}
	if !found {
		t.Errorf("the skip is not explained: %v", skips)
	}
}

func spec(t *testing.T, cl config.Checklist) Spec {
	t.Helper()
	cl.Items = []config.ChecklistItem{{Text: i18n.Text{En: "x"}}}
	s, err := FromConfig(cl)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDaylightSaving(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	specs := []Spec{
		spec(t, config.Checklist{ID: "in-the-gap", At: "02:30", Due: "04:00"}),     // 2026-03-08 02:30 does not exist
		spec(t, config.Checklist{ID: "in-the-overlap", At: "01:30", Due: "03:00"}), // 2026-11-01 01:30 happens twice
		spec(t, config.Checklist{ID: "morning", At: "08:00", Due: "30m"}),
	}
	for _, tt := range []struct {
		name string
		from time.Time
	}{
		{"spring forward", time.Date(2026, 3, 7, 0, 0, 0, 0, ny)},
		{"fall back", time.Date(2026, 10, 31, 0, 0, 0, 0, ny)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			slots, _ := Between(specs, tt.from, tt.from.AddDate(0, 0, 3), ny, nil)
			n := count(slots)
			for _, id := range []string{"in-the-gap", "in-the-overlap", "morning"} {
				if n[id] != 3 {
					t.Errorf("%s runs %d times over 3 days across the change, want 3", id, n[id])
				}
			}
			for _, s := range slots {
				if s.ID == "morning" && s.At.In(ny).Hour() != 8 {
					t.Errorf("morning ran at %v", s.At.In(ny))
				}
				if !s.Due.After(s.At) {
					t.Errorf("%s due %v before %v", s.Key(), s.Due, s.At)
				}
			}
		})
	}
}

func TestCronAndSkipDates(t *testing.T) {
	loc := time.UTC
	specs := []Spec{
		spec(t, config.Checklist{ID: "monthly", Cron: "0 10 1 * *", Due: "8h"}),
		spec(t, config.Checklist{ID: "hourly", Cron: "0 9-21 * * *", Due: "30m"}),
		spec(t, config.Checklist{ID: "thursdays", Cron: "0 10 * * 4"}),
		spec(t, config.Checklist{ID: "skipping", At: "09:00", SkipDates: []string{"2026-12-02"}}),
	}
	from := time.Date(2026, 11, 30, 0, 0, 0, 0, loc)
	slots, skips := Between(specs, from, from.AddDate(0, 0, 4), loc, fakeCal{date(2026, 12, 3): {false, "Company day off"}})
	n := count(slots)
	if n["monthly"] != 1 || n["hourly"] != 4*13 || n["skipping"] != 3 || n["thursdays"] != 0 {
		t.Errorf("counts = %v", n)
	}
	if len(skips) != 2 {
		t.Errorf("skips = %v, want the skip date and the Thursday day off", skips)
	}
	for _, s := range slots {
		if s.ID == "monthly" && (s.Date != civil.Date{Year: 2026, Month: 12, Day: 1} || s.Hour != 10 || !s.Due.Equal(s.At.Add(8*time.Hour))) {
			t.Errorf("monthly slot = %+v", s)
		}
	}
	// Default due: the start of the day's next slot.
	if s := slots[1]; s.ID != "skipping" || !s.Due.Equal(time.Date(2026, 11, 30, 10, 0, 0, 0, loc)) {
		t.Errorf("second slot %+v, want skipping (09:00, after hourly by name) due at the 10:00 hourly slot", s)
	}
	if k := slots[1].Key(); k != "skipping@2026-11-30T09:00" {
		t.Errorf("key = %s", k)
	}
}
