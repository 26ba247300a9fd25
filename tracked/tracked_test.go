package tracked_test

import (
	"testing"
	"time"

	"opsbot/i18n"
	"opsbot/tracked"
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
