package tracked_test

import (
	"testing"
	"time"

	"opsbot/config"
	"opsbot/i18n"
	"opsbot/tracked"
	"opsbot/tracked/items"
)

func TestDuration(t *testing.T) {
	en, zh := i18n.New("en"), i18n.New("zh")
	tests := []struct {
		d      time.Duration
		en, zh string
	}{
		{0, "0m", "0分钟"},
		{45 * time.Minute, "45m", "45分钟"},
		{4*time.Hour + 29*time.Second, "4h 0m", "4小时0分"},
		{-(2*time.Hour + 5*time.Minute), "2h 5m", "2小时5分"},
		{26 * time.Hour, "1d 2h", "1天2小时"},
	}
	for _, tt := range tests {
		if got := tracked.Duration(en, tt.d); got != tt.en {
			t.Errorf("en %v = %q, want %q", tt.d, got, tt.en)
		}
		if got := tracked.Duration(zh, tt.d); got != tt.zh {
			t.Errorf("zh %v = %q, want %q", tt.d, got, tt.zh)
		}
	}
}

func TestParseID(t *testing.T) {
	for in, want := range map[string]uint64{"42": 42, "#42": 42, " 7 ": 7, "0": 0, "x": 0, "-1": 0, "": 0} {
		got, ok := tracked.ParseID(in)
		if got != want || ok != (want > 0) {
			t.Errorf("ParseID(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
}

// TestCountdownAtTheDeadline: at the deadline an item's message says so,
// not "overdue by 0m"; a minute later it is overdue by 1m.
func TestCountdownAtTheDeadline(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2026, 11, 7, 2, 0, 0, 0, time.UTC) // Sat 10:00 in Shanghai
	it := items.Item{Deadline: due}
	for _, tt := range []struct {
		at     time.Duration
		en, zh string
	}{
		{-time.Hour, "⏳ 1h 0m left (due Sat 11-07 10:00)", "⏳ 剩余 1小时0分(截止 周六 11-07 10:00)"},
		{0, "🔥 deadline reached (due Sat 11-07 10:00)", "🔥 已到截止时间(周六 11-07 10:00)"},
		{59 * time.Second, "🔥 deadline reached (due Sat 11-07 10:00)", "🔥 已到截止时间(周六 11-07 10:00)"},
		{time.Minute, "🔥 overdue by 1m (was due Sat 11-07 10:00)", "🔥 已超时 1分钟(截止 周六 11-07 10:00)"},
	} {
		if got := tracked.Countdown(cfg, i18n.New("en"), it, due.Add(tt.at)); got != tt.en {
			t.Errorf("en at %v: %q, want %q", tt.at, got, tt.en)
		}
		if got := tracked.Countdown(cfg, i18n.New("zh"), it, due.Add(tt.at)); got != tt.zh {
			t.Errorf("zh at %v: %q, want %q", tt.at, got, tt.zh)
		}
	}
}
