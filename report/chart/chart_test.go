package chart

import (
	"bytes"
	"image/png"
	"testing"

	"opsbot/civil"
	"opsbot/exact"
)

func days(n int, fill func(i int, d *Day)) []Day {
	start := civil.Date{Year: 2026, Month: 11, Day: 9}
	out := make([]Day, n)
	for i := range out {
		out[i].Date = start.AddDays(i)
		if fill != nil {
			fill(i, &out[i])
		}
	}
	return out
}

// TestPNG checks that every shape of data gives a valid PNG of the
// documented size: full data, gaps, a lone day, all zeros, nothing logged,
// and a month of days.
func TestPNG(t *testing.T) {
	tests := []struct {
		name string
		days []Day
	}{
		{"full", days(14, func(i int, d *Day) {
			d.Sales, d.HasSales = int64(3_000_000+i*150_000), true
			d.UV, d.HasUV = int64(12_000+i*300), true
			d.Conv = exact.Frac(int64(20_000+i*500), 1_000_000)
		})},
		{"gaps", days(14, func(i int, d *Day) {
			if i%4 == 1 {
				return
			}
			d.Sales, d.HasSales = int64(4_560_050), true
			d.UV, d.HasUV = 12_000, i != 6
			if i != 6 {
				d.Conv = exact.Frac(21_000, 1_000_000)
			}
		})},
		{"one day", days(14, func(i int, d *Day) {
			if i == 13 {
				d.Sales, d.HasSales = 100, true
			}
		})},
		{"zeros", days(14, func(_ int, d *Day) { d.HasSales, d.HasUV, d.Conv = true, true, exact.Int(0) })},
		{"nothing logged", days(14, nil)},
		{"a month", days(31, func(i int, d *Day) { d.Sales, d.HasSales = int64(i*1_000_000), true })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := PNG("main: last 14 days", tt.days)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if got := img.Bounds().Size(); got.X != Width || got.Y != Height {
				t.Errorf("size %v, want %dx%d", got, Width, Height)
			}
		})
	}
}

func TestPNGIsDeterministic(t *testing.T) {
	in := days(14, func(i int, d *Day) { d.UV, d.HasUV = int64(i*100), true })
	a, err := PNG("x", in)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := PNG("x", in)
	if !bytes.Equal(a, b) {
		t.Error("the same data drew two different PNGs")
	}
}

func TestNoDays(t *testing.T) {
	if _, err := PNG("x", nil); err == nil {
		t.Error("no error for no days")
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
		{ascii("店 main"), "? main"},
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

// TestChartAfterReleaseFonts draws the same chart before and after the
// fonts' pages are dropped: the pages come back as they were.
func TestChartAfterReleaseFonts(t *testing.T) {
	in := days(14, func(i int, d *Day) { d.UV, d.HasUV = int64(i*100), true })
	a, err := PNG("x", in)
	if err != nil {
		t.Fatal(err)
	}
	ReleaseFonts()
	b, err := PNG("x", in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("the chart changed after the fonts were released")
	}
}
