package metric

import "testing"

func TestParsePercentAndDuration(t *testing.T) {
	cases := []struct {
		in   string
		kind Kind
		want int64
		code string
	}{
		{"31.71%", Percent, 3171, ""},
		{"31.71", Percent, 3171, ""},
		{"5%", Percent, 500, ""},
		{"0.5％", Percent, 50, ""},
		{"100.00%", Percent, 10000, ""},
		{"31.715%", Percent, 0, "percent_decimals"},
		{"-3%", Percent, 0, "negative"},
		{"abc", Percent, 0, "not_number"},
		{"", Percent, 0, "empty"},
		{"00:01:35", Duration, 95, ""},
		{"1:35", Duration, 95, ""},
		{"1:00:00", Duration, 3600, ""},
		{"95", Duration, 95, ""},
		{"95秒", Duration, 95, ""},
		{"95s", Duration, 95, ""},
		{"1分35秒", Duration, 95, ""},
		{"1m35s", Duration, 95, ""},
		{"2小时", Duration, 7200, ""},
		{"12.35", Duration, 12, ""},
		{"12.5秒", Duration, 13, ""},
		{"00:01:75", Duration, 0, "not_duration"},
		{"1:60:00", Duration, 0, "not_duration"},
		{"soon", Duration, 0, "not_duration"},
		{"-5", Duration, 0, "negative"},
	}
	for _, c := range cases {
		got, err := parseValue(c.in, c.kind)
		code := ""
		if ve, ok := err.(*ValueError); ok {
			code = ve.Code
		} else if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		if got != c.want || code != c.code {
			t.Errorf("parseValue(%q, %v) = %d %q, want %d %q", c.in, c.kind, got, code, c.want, c.code)
		}
	}
	for v, want := range map[int64]string{3171: "31.71%", 5: "0.05%", 0: "0.00%"} {
		if got := Format(UnitPercent, 0, v); got != want {
			t.Errorf("percent %d = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[int64]string{95: "1:35", 3600: "1:00:00", 5: "0:05"} {
		if got := Format(UnitDuration, 0, v); got != want {
			t.Errorf("duration %d = %q, want %q", v, got, want)
		}
	}
}

func TestParseFileDate(t *testing.T) {
	for _, s := range []string{"2026-11-01", "2026/11/01", "2026/11/1", "20261101", "2026年11月1日", "2026-11-01 00:00:00", "2026-11-01T00:00:00"} {
		d, err := ParseFileDate(s)
		if err != nil || d.String() != "2026-11-01" {
			t.Errorf("%q = %v %v", s, d, err)
		}
	}
	for _, s := range []string{"11/01/2026", "2026-11-31", "yesterday", ""} {
		if _, err := ParseFileDate(s); err == nil {
			t.Errorf("%q was read as a date", s)
		}
	}
}

func TestUVValue(t *testing.T) {
	for _, d := range DeriveAll(Day{"sales": 345678, "uv": 1200}) {
		if d.Key == KeyUVValue && (!d.OK || d.String() != "¥2.88") {
			t.Errorf("UV value = %+v %s, want ¥2.88 (3456.78 ÷ 1200 = 2.8807)", d, d.String())
		}
	}
}

func TestSplitAddsUpToTheFen(t *testing.T) {
	cases := []struct {
		total   int64
		weights []int64
		want    []int64
	}{
		{100, []int64{1, 1, 1}, []int64{33, 33, 34}},
		{1_000_000_00, []int64{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}, nil},
		{7, []int64{0, 0}, []int64{3, 4}},
		{10, []int64{1, 0, 1}, []int64{5, 0, 5}},
	}
	for _, c := range cases {
		got := Split(c.total, c.weights)
		var sum int64
		for _, p := range got {
			if p < 0 {
				t.Errorf("Split(%d) has a negative part: %v", c.total, got)
			}
			sum += p
		}
		if sum != c.total {
			t.Errorf("Split(%d, %v) = %v adds up to %d", c.total, c.weights, got, sum)
		}
		if c.want != nil && !equal(got, c.want) {
			t.Errorf("Split(%d, %v) = %v, want %v", c.total, c.weights, got, c.want)
		}
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
