package tracked_test

import (
	"testing"
	"time"

	"opsbot/config"
	"opsbot/tracked"
)

// Issue 16, item 9: warnings and reminders due in quiet hours wait until
// they end and are sent once; the deadline does not move; breaches follow
// their own setting.
func TestQuietHoursHoldBackAlerts(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	at := func(day, hh, mm int) time.Time { return time.Date(2026, 11, day, hh, mm, 0, 0, loc) }
	s := config.SLA{QuietHours: &config.BusinessHours{Start: "22:00", End: "08:00"}}
	rules, err := tracked.FromConfig(s, loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	flagged := at(23, 21, 0)
	deadline := rules.Deadline(config.ItemRefund, flagged)
	if !deadline.Equal(at(24, 21, 0)) {
		t.Fatalf("deadline %v, want 24h later in calendar hours", deadline)
	}
	sched := rules.Schedule(config.ItemRefund, deadline)
	// Warning at 17:00, breach at 21:00, reminders 01:00 and 05:00 wait
	// for 08:00, then 09:00.
	want := []struct {
		kind tracked.AlertKind
		at   time.Time
	}{{tracked.Warn, at(24, 17, 0)}, {tracked.Breach, at(24, 21, 0)}, {tracked.Remind, at(25, 8, 0)}, {tracked.Remind, at(25, 8, 0)}, {tracked.Remind, at(25, 9, 0)}}
	for n, w := range want {
		k, got, ok := sched.At(n)
		if !ok || k != w.kind || !got.Equal(w.at) {
			t.Errorf("alert %d = %v %v %v, want %v %v", n, k, got.In(loc), ok, w.kind, w.at)
		}
	}
	// Ticking through the night sends nothing; at 08:00 one reminder.
	seq := 2
	for now := at(24, 21, 1); now.Before(at(25, 8, 0)); now = now.Add(time.Minute) {
		if step, due := sched.Due(seq, now); due {
			t.Fatalf("alert %d (%v) sent at %v, inside quiet hours", step.Send, step.Kind, now.In(loc))
		}
	}
	step, due := sched.Due(seq, at(25, 8, 0))
	if !due || step.Kind != tracked.Remind || step.Next != 4 || !step.NextAt.Equal(at(25, 9, 0)) {
		t.Errorf("at 08:00: %+v %v, want one reminder, next at 09:00", step, due)
	}
	// A warning that quiet hours would push past the deadline is dropped.
	early := rules.Schedule(config.ItemRefund, at(25, 7, 0))
	if _, _, ok := early.At(0); ok {
		t.Error("a warning held back past its deadline must not happen")
	}
	// Breaches: at the deadline by default, at night too...
	night := rules.Schedule(config.ItemRefund, at(25, 3, 0))
	if _, b, _ := night.At(1); !b.Equal(at(25, 3, 0)) {
		t.Errorf("breach at %v, want at the deadline", b.In(loc))
	}
	// ...unless manager_quiet_hours holds them.
	s.ManagerQuietHours = &config.BusinessHours{Start: "23:00", End: "07:00"}
	rules, err = tracked.FromConfig(s, loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	night = rules.Schedule(config.ItemRefund, at(25, 3, 0))
	if _, b, _ := night.At(1); !b.Equal(at(25, 7, 0)) {
		t.Errorf("breach at %v, want 07:00 with manager quiet hours", b.In(loc))
	}
	if _, r, _ := night.At(2); r.Before(at(25, 8, 0)) {
		t.Errorf("reminder at %v, inside the team's quiet hours", r.In(loc))
	}
	for _, bad := range []config.BusinessHours{{Start: "22:00", End: "22:00"}, {Start: "25:00", End: "08:00"}} {
		if _, err := tracked.FromConfig(config.SLA{QuietHours: &bad}, loc, nil); err == nil {
			t.Errorf("quiet hours %v accepted", bad)
		}
	}
}
