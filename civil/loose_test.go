package civil

import "testing"

func TestParseSpoken(t *testing.T) {
	today := Date{2026, 11, 20}
	for _, tc := range []struct {
		in   string
		want Date
	}{
		{"today", today}, {"今天", today}, {"Yesterday", Date{2026, 11, 19}}, {"昨天", Date{2026, 11, 19}},
		{"前天", Date{2026, 11, 18}}, {"tomorrow", Date{2026, 11, 21}}, {"明天", Date{2026, 11, 21}},
		{"2026-11-02", Date{2026, 11, 2}}, {"11/3", Date{2026, 11, 3}}, {"11月4日", Date{2026, 11, 4}},
	} {
		got, err := ParseSpoken(tc.in, today)
		if err != nil || got != tc.want {
			t.Errorf("ParseSpoken(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	if _, err := ParseSpoken("someday", today); err == nil {
		t.Error("ParseSpoken(someday) gave a day")
	}
}
