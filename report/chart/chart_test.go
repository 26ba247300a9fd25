package chart

import (
	"bytes"
	"image/png"
	"testing"

	"opsbot/civil"
	"opsbot/exact"
)

// dates are n days from 2026-11-09.
func dates(n int) []civil.Date {
	start := civil.Date{Year: 2026, Month: 11, Day: 9}
	out := make([]civil.Date, n)
	for i := range out {
		out[i] = start.AddDays(i)
	}
	return out
}

// values are n values; fill gives each one (ok false is a gap).
func values(n int, fill func(i int) (int64, bool)) []exact.Num {
	out := make([]exact.Num, n)
	for i := range out {
		if fill != nil {
			out[i] = exact.Of(fill(i))
		}
	}
	return out
}

// trio is the reports' usual chart: sales, UV and conversion rate.
func trio(n int, sales, uv func(i int) (int64, bool), conv func(i int) exact.Num) Chart {
	c := Chart{Dates: dates(n), Labels: Labels{Title: "main: last 14 days", Axes: []string{"Sales (CNY)", "Unique visitors", "Conversion rate (%)"}, Target: "daily target"}}
	cv := make([]exact.Num, n)
	for i := range cv {
		if conv != nil {
			cv[i] = conv(i)
		}
	}
	c.Series = []Series{{Unit: exact.Money, Values: values(n, sales)}, {Unit: exact.Count, Values: values(n, uv)}, {Unit: exact.Percent, Values: cv}}
	c.Fallback = c.Labels
	return c
}

func checkPNG(t *testing.T, b []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if got := img.Bounds().Size(); got.X != Width || got.Y != Height {
		t.Errorf("size %v, want %dx%d", got, Width, Height)
	}
}

// noCJK is a drawer that finds no CJK font.
func noCJK(t *testing.T) *Drawer {
	t.Helper()
	return New(Options{Search: []string{t.TempDir()}})
}

// TestPNG checks that every shape of data gives a valid PNG of the
// documented size: full data, gaps, a lone day, all zeros, nothing logged,
// and a month of days.
func TestPNG(t *testing.T) {
	tests := []struct {
		name  string
		chart Chart
	}{
		{"full", trio(14, func(i int) (int64, bool) { return int64(3_000_000 + i*150_000), true },
			func(i int) (int64, bool) { return int64(12_000 + i*300), true },
			func(i int) exact.Num { return exact.Frac(int64(20_000+i*500), 1_000_000) })},
		{"gaps", trio(14, func(i int) (int64, bool) { return 4_560_050, i%4 != 1 },
			func(i int) (int64, bool) { return 12_000, i%4 != 1 && i != 6 },
			func(i int) exact.Num {
				if i%4 == 1 || i == 6 {
					return exact.Missing
				}
				return exact.Frac(21_000, 1_000_000)
			})},
		{"one day", trio(14, func(i int) (int64, bool) { return 100, i == 13 }, nil, nil)},
		{"zeros", trio(14, func(int) (int64, bool) { return 0, true }, func(int) (int64, bool) { return 0, true }, func(int) exact.Num { return exact.Int(0) })},
		{"nothing logged", trio(14, nil, nil, nil)},
		{"a month", trio(31, func(i int) (int64, bool) { return int64(i * 1_000_000), true }, nil, nil)},
		{"a quarter", trio(92, func(i int) (int64, bool) { return int64(i * 1_000_000), true }, nil, nil)},
	}
	d := noCJK(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := d.PNG(tt.chart)
			if err != nil {
				t.Fatal(err)
			}
			checkPNG(t, b)
		})
	}
}

func TestPNGIsDeterministic(t *testing.T) {
	in := trio(14, nil, func(i int) (int64, bool) { return int64(i * 100), true }, nil)
	d := noCJK(t)
	a, err := d.PNG(in)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := d.PNG(in)
	if !bytes.Equal(a, b) {
		t.Error("the same data drew two different PNGs")
	}
}

func TestNoDays(t *testing.T) {
	d := noCJK(t)
	if _, err := d.PNG(Chart{Series: []Series{{Unit: exact.Count}}}); err == nil {
		t.Error("no error for no days")
	}
	if _, err := d.PNG(Chart{Dates: dates(2)}); err == nil {
		t.Error("no error for no series")
	}
	if _, err := d.PNG(Chart{Dates: dates(2), Series: []Series{{Unit: exact.Count, Values: values(3, nil)}}}); err == nil {
		t.Error("no error for a series longer than the days")
	}
}

func TestLabels(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{compact(1_234_567), "1.23M"},
		{compact(45_600), "45.6k"},
		{compact(3_000), "3k"},
		{compact(0), "0"},
		{compact(12.5), "12.5"},
		{percent(2.5), "2.5%"},
		{percent(0), "0%"},
		{builtinOnly("店 main"), "? main"},
		{builtinOnly("Café – 11-22"), "Café – 11-22"}, // Liberation draws Latin-1 and the en dash
		{basisPoints(31.71), "31.71%"},
		{basisPoints(25), "25%"},
		{basisPoints(12.5), "12.5%"},
		{clock(95), "1:35"},
		{clock(0), "0:00"},
		{clock(3725), "1:02:05"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if niceMax(0) != 1 || niceMax(90) != 100 || niceMax(1000) != 2000 || niceMax(2200) != 2500 {
		t.Errorf("niceMax: %v %v %v %v", niceMax(0), niceMax(90), niceMax(1000), niceMax(2200))
	}
}

// TestAxes: each unit's axis has round ticks in its own terms: whole
// counts, percentages from basis points, lengths of time in m:ss, yuan
// with cents for a UV value, ROI as 1:x.
func TestAxes(t *testing.T) {
	tests := []struct {
		name string
		unit exact.Unit
		max  exact.Num // the highest value of the series
		want []string
	}{
		{"bad reviews", exact.Count, exact.Int(3), []string{"0", "1", "2", "3", "4"}},
		{"visitors", exact.Count, exact.Int(12_400), []string{"0", "5k", "10k", "15k", "20k"}},
		{"bounce rate 60.50%", exact.BasisPoints, exact.Int(6050), []string{"0%", "25%", "50%", "75%", "100%"}},
		{"bounce rate 3.17%", exact.BasisPoints, exact.Int(317), []string{"0%", "1.25%", "2.5%", "3.75%", "5%"}},
		{"visit length 1:35", exact.Seconds, exact.Int(95), []string{"0:00", "0:30", "1:00", "1:30", "2:00"}},
		{"visit length 3:00", exact.Seconds, exact.Int(180), []string{"0:00", "1:00", "2:00", "3:00", "4:00"}},
		{"visit length 1:02:05", exact.Seconds, exact.Int(3725), []string{"0:00", "20:00", "40:00", "1:00:00", "1:20:00"}},
		{"UV value ¥2.88", exact.Money, exact.Int(288), []string{"0", "1.25", "2.5", "3.75", "5"}},
		{"UV value ¥0.42", exact.Money, exact.Int(42), []string{"0", "0.12", "0.25", "0.38", "0.5"}},
		{"sales", exact.Money, exact.Int(4_560_050), []string{"0", "25k", "50k", "75k", "100k"}},
		{"conversion 2%", exact.Percent, exact.Frac(2, 100), []string{"0%", "0.62%", "1.25%", "1.88%", "2.5%"}},
		{"ROI 1:4.56", exact.Ratio, exact.Frac(456, 100), []string{"1:0", "1:2.5", "1:5", "1:7.5", "1:10"}},
	}
	for _, tt := range tests {
		ax := axisFor(tt.unit)
		top := ax.top(ax.pos(tt.max))
		var got []string
		for _, tk := range (yTicks{format: ax.label}).Ticks(0, top) {
			got = append(got, tk.Label)
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: ticks %q, want %q", tt.name, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: ticks %q, want %q", tt.name, got, tt.want)
				break
			}
		}
	}
}

// TestChartAfterReleaseFonts draws the same chart before and after the
// fonts' pages are dropped: the pages come back as they were.
func TestChartAfterReleaseFonts(t *testing.T) {
	in := trio(14, nil, func(i int) (int64, bool) { return int64(i * 100), true }, nil)
	d := noCJK(t)
	a, err := d.PNG(in)
	if err != nil {
		t.Fatal(err)
	}
	ReleaseFonts()
	b, err := d.PNG(in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("the chart changed after the fonts were released")
	}
}
