package tracked_test

import (
	"strings"
	"testing"
	"time"

	"opsbot/calendar"
	"opsbot/config"
	"opsbot/tracked"
)

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a wall-clock time in Shanghai: "2026-11-27 16:00".
func at(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// officeHours is 09:00-18:00 on the mainland China working days.
func officeHours(t *testing.T) tracked.Clock {
	t.Helper()
	cal, err := calendar.New(config.CalendarConfig{Kind: config.CalendarCN}, "Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	c, err := tracked.BusinessClock(shanghai, 9*time.Hour, 18*time.Hour, cal)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBusinessHoursAdd(t *testing.T) {
	c := officeHours(t)
	tests := []struct {
		name, from string
		d          time.Duration
		want       string
	}{
		{"within a day", "2026-11-23 09:00", 4 * time.Hour, "2026-11-23 13:00"},
		{"a whole day ends at its close, not the next opening", "2026-11-23 09:00", 9 * time.Hour, "2026-11-23 18:00"},
		{"over a night", "2026-11-23 16:00", 4 * time.Hour, "2026-11-24 11:00"},
		{"over a weekend", "2026-11-27 16:00", 9 * time.Hour, "2026-11-30 16:00"},
		{"24 working hours over a weekend", "2026-11-27 16:00", 24 * time.Hour, "2026-12-02 13:00"},
		{"flagged on a Saturday counts from Monday", "2026-11-28 10:00", 4 * time.Hour, "2026-11-30 13:00"},
		{"flagged in the evening counts from the morning", "2026-11-23 20:00", 30 * time.Minute, "2026-11-24 09:30"},
		{"flagged before opening", "2026-11-23 07:00", time.Hour, "2026-11-23 10:00"},
		{"over Qingming (Sat-Mon holiday)", "2026-04-03 17:00", 9 * time.Hour, "2026-04-07 17:00"},
		{"over Labour Day (five days off)", "2026-04-30 10:00", 24 * time.Hour, "2026-05-07 16:00"},
		{"onto a makeup Saturday (调休)", "2026-05-08 17:00", 9 * time.Hour, "2026-05-09 17:00"},
		{"zero", "2026-11-28 10:00", 0, "2026-11-28 10:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Add(at(t, tt.from), tt.d)
			if want := at(t, tt.want); !got.Equal(want) {
				t.Errorf("Add(%s, %v) = %s, want %s", tt.from, tt.d, got.In(shanghai).Format("2006-01-02 15:04 Mon"), tt.want)
			}
		})
	}
}

func TestBusinessHoursSubAndBetween(t *testing.T) {
	c := officeHours(t)
	tests := []struct {
		name, to string
		d        time.Duration
		want     string
	}{
		{"within a day", "2026-12-02 13:00", 4 * time.Hour, "2026-12-02 09:00"},
		{"back over a night", "2026-12-02 13:00", 5 * time.Hour, "2026-12-01 17:00"},
		{"back over a weekend", "2026-11-30 10:00", 4 * time.Hour, "2026-11-27 15:00"},
		{"back over Labour Day", "2026-05-06 10:00", 2 * time.Hour, "2026-04-30 17:00"},
		{"from a closed hour", "2026-11-28 12:00", time.Hour, "2026-11-27 17:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to := at(t, tt.to)
			got := c.Sub(to, tt.d)
			if want := at(t, tt.want); !got.Equal(want) {
				t.Errorf("Sub(%s, %v) = %s, want %s", tt.to, tt.d, got.In(shanghai).Format("2006-01-02 15:04 Mon"), tt.want)
			}
			if b := c.Between(got, to); tt.name != "from a closed hour" && b != tt.d {
				t.Errorf("Between(%s, %s) = %v, want %v", tt.want, tt.to, b, tt.d)
			}
		})
	}
	if b := c.Between(at(t, "2026-11-27 16:00"), at(t, "2026-12-02 13:00")); b != 24*time.Hour {
		t.Errorf("working time Fri 16:00 to Wed 13:00 = %v, want 24h", b)
	}
	if b := c.Between(at(t, "2026-12-02 13:00"), at(t, "2026-11-27 16:00")); b != -24*time.Hour {
		t.Errorf("backwards = %v, want -24h", b)
	}
	cal := tracked.CalendarClock()
	if b := cal.Between(at(t, "2026-11-27 16:00"), at(t, "2026-11-28 16:00")); b != 24*time.Hour {
		t.Errorf("calendar Between = %v", b)
	}
}

// Add and Sub walk the same working hours in opposite directions: from
// any moment inside working hours, going forward d and back d returns to
// it, across nights, weekends, Labour Day and a makeup Saturday.
func TestBusinessHoursSubUndoesAdd(t *testing.T) {
	c := officeHours(t)
	durations := []time.Duration{time.Minute, 90 * time.Minute, 9 * time.Hour, 24 * time.Hour, 100 * time.Hour}
	start := at(t, "2026-04-27 00:00")
	for h := 0; h < 24*16; h++ {
		from := start.Add(time.Duration(h)*time.Hour + 15*time.Minute)
		if c.Between(from, from.Add(time.Minute)) != time.Minute {
			continue // outside working hours: Add starts at the next opening
		}
		for _, d := range durations {
			to := c.Add(from, d)
			if back := c.Sub(to, d); !back.Equal(from) {
				t.Fatalf("Sub(Add(%s, %v), %v) = %s", from.In(shanghai).Format("2006-01-02 15:04 Mon"), d, d, back.In(shanghai).Format("2006-01-02 15:04 Mon"))
			}
			if b := c.Between(from, to); b != d {
				t.Fatalf("Between(%s, Add(…, %v)) = %v", from.In(shanghai).Format("2006-01-02 15:04 Mon"), d, b)
			}
		}
	}
}

func TestBusinessClockRejectsBadHours(t *testing.T) {
	cal, _ := calendar.New(config.CalendarConfig{Kind: config.CalendarNone}, "UTC")
	if _, err := tracked.BusinessClock(shanghai, 18*time.Hour, 9*time.Hour, cal); err == nil {
		t.Error("18:00-09:00 accepted")
	}
	if _, err := tracked.BusinessClock(shanghai, 9*time.Hour, 18*time.Hour, nil); err == nil {
		t.Error("no calendar accepted")
	}
}

func TestFromConfig(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	r, err := tracked.FromConfig(cfg.SLA, cfg.Location, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range config.ItemKinds {
		if p := r.Policy(typ); p != (tracked.Policy{ResolveWithin: 24 * time.Hour, WarnBefore: 4 * time.Hour, RemindEvery: 4 * time.Hour}) {
			t.Errorf("%s = %+v", typ, p)
		}
	}
	if r.Clock.Business() {
		t.Error("the default counts business hours")
	}

	// A file that sets only urgent refunds: the other types keep the 24-hour
	// rule, and the refund's warning defaults to a quarter of 4h.
	s := config.SLA{Policies: map[config.ItemKind]config.SLAPolicy{"refund": {ResolveWithin: "4h"}},
		BusinessHours: &config.BusinessHours{Start: "09:00", End: "18:00"}}
	cal, _ := calendar.New(config.CalendarConfig{}, "Asia/Shanghai")
	r, err = tracked.FromConfig(s, shanghai, cal)
	if err != nil {
		t.Fatal(err)
	}
	if p := r.Policy("refund"); p != (tracked.Policy{ResolveWithin: 4 * time.Hour, WarnBefore: time.Hour, RemindEvery: 4 * time.Hour}) {
		t.Errorf("refund = %+v", p)
	}
	if p := r.Policy("ship"); p.ResolveWithin != 24*time.Hour {
		t.Errorf("ship = %+v", p)
	}
	if !r.Clock.Business() {
		t.Error("business_hours ignored")
	}
	if got := r.Deadline("refund", at(t, "2026-11-27 16:00")); !got.Equal(at(t, "2026-11-30 11:00")) {
		t.Errorf("refund deadline = %s", got.In(shanghai))
	}

	s.Policies["refund"] = config.SLAPolicy{ResolveWithin: "4h", WarnBefore: "5h"}
	if _, err := tracked.FromConfig(s, shanghai, cal); err == nil || !strings.Contains(err.Error(), "warn_before") {
		t.Errorf("warn_before longer than resolve_within: %v", err)
	}
}

func TestScheduleOfTheTwentyFourHourRule(t *testing.T) {
	r, err := tracked.FromConfig(config.SLA{}, shanghai, nil)
	if err != nil {
		t.Fatal(err)
	}
	t0 := at(t, "2026-11-23 09:00")
	h := func(n float64) time.Time { return t0.Add(time.Duration(n * float64(time.Hour))) }
	s := r.Schedule("refund", r.Deadline("refund", t0))
	for n, want := range []struct {
		kind tracked.AlertKind
		at   time.Time
	}{{tracked.Warn, h(20)}, {tracked.Breach, h(24)}, {tracked.Remind, h(28)}, {tracked.Remind, h(32)}} {
		k, got, ok := s.At(n)
		if !ok || k != want.kind || !got.Equal(want.at) {
			t.Errorf("alert %d = %v %v %v, want %v at %v", n, k, got, ok, want.kind, want.at)
		}
	}

	tests := []struct {
		name    string
		seq     int
		now     time.Time
		due     bool
		send    int
		kind    tracked.AlertKind
		skipped int
		next    int
		nextAt  time.Time
	}{
		{"before the warning", 0, h(19.99), false, 0, 0, 0, 0, time.Time{}},
		{"the warning", 0, h(20), true, 0, tracked.Warn, 0, 1, h(24)},
		{"between warning and breach", 1, h(23), false, 0, 0, 0, 0, time.Time{}},
		{"the breach", 1, h(24), true, 1, tracked.Breach, 0, 2, h(28)},
		{"a reminder", 2, h(28.5), true, 2, tracked.Remind, 0, 3, h(32)},
		// Down from before the warning until after the first reminder: the
		// breach goes out once, the warning and the reminder are dropped.
		{"down through the deadline", 0, h(30), true, 1, tracked.Breach, 2, 3, h(32)},
		// Down through three reminders: one reminder, not three.
		{"down through reminders", 2, h(41), true, 5, tracked.Remind, 3, 6, h(44)},
		// Down between warning time and deadline: the warning, late.
		{"late warning", 0, h(22), true, 0, tracked.Warn, 0, 1, h(24)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, due := s.Due(tt.seq, tt.now)
			if due != tt.due {
				t.Fatalf("due = %v, want %v (%+v)", due, tt.due, st)
			}
			if !due {
				return
			}
			if st.Send != tt.send || st.Kind != tt.kind || st.Skipped != tt.skipped || st.Next != tt.next || !st.NextAt.Equal(tt.nextAt) || !st.HasNext {
				t.Errorf("step = %+v, want send %d %v skipped %d next %d at %v", st, tt.send, tt.kind, tt.skipped, tt.next, tt.nextAt)
			}
		})
	}
}

func TestScheduleInBusinessHours(t *testing.T) {
	cal, _ := calendar.New(config.CalendarConfig{}, "Asia/Shanghai")
	r, err := tracked.FromConfig(config.SLA{
		Policies:      map[config.ItemKind]config.SLAPolicy{"review": {ResolveWithin: "9h", WarnBefore: "2h", RemindEvery: "4h"}},
		BusinessHours: &config.BusinessHours{Start: "09:00", End: "18:00"},
	}, shanghai, cal)
	if err != nil {
		t.Fatal(err)
	}
	// A bad review on Friday afternoon before Qingming: due the Tuesday after.
	deadline := r.Deadline("review", at(t, "2026-04-03 15:00"))
	s := r.Schedule("review", deadline)
	want := []string{"2026-04-07 13:00", "2026-04-07 15:00", "2026-04-08 10:00", "2026-04-08 14:00"}
	for n, w := range want {
		if _, got, ok := s.At(n); !ok || !got.Equal(at(t, w)) {
			t.Errorf("alert %d at %s, want %s", n, got.In(shanghai).Format("2006-01-02 15:04 Mon"), w)
		}
	}
}
