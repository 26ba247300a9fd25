// Package chart draws the reports' trend chart: sales, unique visitors and
// conversion rate over a run of days, as a PNG of a fixed size. It uses
// gonum.org/v1/plot, whose built-in fonts (Liberation) have no CJK glyphs,
// so every label it draws is ASCII; shop names stay in the message text.
package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"opsbot/civil"
	"opsbot/exact"
)

// percentOf is where a conversion rate is plotted, in percent. A float is
// only a position on the chart; figures people read are exact.
func percentOf(d Day) (float64, bool) {
	if !d.Conv.OK() {
		return 0, false
	}
	f, _ := d.Conv.Rat().Float64()
	return f * 100, true
}

// Size of the PNG in pixels: wide enough for 31 day labels, small enough
// to show inline in Slack.
const (
	Width  = 1200
	Height = 600
)

// dpi sets how vg lengths (points, 1/72 inch) map to pixels.
const dpi = 96

// Day is one day of the chart. A figure that was not logged is a gap in
// its line, never a zero.
type Day struct {
	Date     civil.Date
	Sales    int64 // fen
	HasSales bool
	UV       int64
	HasUV    bool
	Conv     exact.Num // conversion rate, exact; Missing is a gap
	// SalesTarget is the day's share of the month's sales target (fen),
	// drawn as a dashed line; HasTarget is false when none was set.
	SalesTarget int64
	HasTarget   bool
}

// series is one panel of the chart.
type series struct {
	title string
	color color.Color
	value func(Day) (float64, bool)
	tick  func(float64) string
	// target, when set, is drawn as a dashed grey line.
	target func(Day) (float64, bool)
}

// PNG draws the days as three stacked panels (sales in yuan, UV,
// conversion in percent) sharing the date axis. title must be ASCII.
func PNG(title string, days []Day) ([]byte, error) {
	if len(days) == 0 {
		return nil, fmt.Errorf("chart %q: no days", title)
	}
	panels := []series{
		{"Sales (CNY)", color.RGBA{R: 0xd9, G: 0x48, B: 0x1b, A: 0xff}, func(d Day) (float64, bool) { return float64(d.Sales) / 100, d.HasSales }, compact,
			func(d Day) (float64, bool) { return float64(d.SalesTarget) / 100, d.HasTarget }},
		{"Unique visitors", color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}, func(d Day) (float64, bool) { return float64(d.UV), d.HasUV }, compact, nil},
		{"Conversion rate (%)", color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}, percentOf, percent, nil},
	}
	rows := make([][]*plot.Plot, len(panels))
	for i, s := range panels {
		p, err := panel(s, days, i == len(panels)-1)
		if err != nil {
			return nil, fmt.Errorf("chart %q: %s: %w", title, s.title, err)
		}
		if i == 0 {
			p.Title.Text = ascii(title)
		}
		rows[i] = []*plot.Plot{p}
	}
	w := vg.Length(Width) * vg.Inch / dpi
	h := vg.Length(Height) * vg.Inch / dpi
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: len(panels), Cols: 1, PadTop: 4, PadBottom: 4, PadLeft: 4, PadRight: 12, PadY: 6}
	canvases := plot.Align(rows, tiles, dc)
	for i := range rows {
		rows[i][0].Draw(canvases[i][0])
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart %q: encode png: %w", title, err)
	}
	return buf.Bytes(), nil
}

// panel plots one series: a line through each run of consecutive logged
// days (so a missing day breaks the line), and a dot on every logged day
// (so a lone day between gaps still shows).
func panel(s series, days []Day, dates bool) (*plot.Plot, error) {
	p := plot.New()
	p.Y.Label.Text = s.title
	p.Y.Min, p.Y.Max = 0, 0
	p.X.Min, p.X.Max = -0.5, float64(len(days))-0.5
	p.Add(plotter.NewGrid())
	var run, all plotter.XYs
	flush := func() error {
		if len(run) > 1 {
			l, err := plotter.NewLine(run)
			if err != nil {
				return err
			}
			l.Color, l.Width = s.color, vg.Points(2)
			p.Add(l)
		}
		run = nil
		return nil
	}
	maxY := 0.0
	for i, d := range days {
		v, ok := s.value(d)
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		pt := plotter.XY{X: float64(i), Y: v}
		run = append(run, pt)
		all = append(all, pt)
		maxY = math.Max(maxY, v)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if s.target != nil {
		top, err := targetLine(p, s.target, days)
		if err != nil {
			return nil, err
		}
		maxY = math.Max(maxY, top)
	}
	if len(all) > 0 {
		sc, err := plotter.NewScatter(all)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle.Color, sc.GlyphStyle.Radius, sc.GlyphStyle.Shape = s.color, vg.Points(3), draw.CircleGlyph{}
		p.Add(sc)
	}
	// From zero, with headroom; all-zero or empty data still gets an axis.
	p.Y.Min, p.Y.Max = 0, niceMax(maxY)
	p.Y.Tick.Marker = yTicks{format: s.tick}
	p.X.Tick.Marker = dateTicks(days, dates)
	return p, nil
}

// niceMax rounds a maximum up to 1, 2, 2.5 or 5 times a power of ten, so
// the top tick is a round number.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	v *= 1.1
	pow := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*pow >= v {
			return m * pow
		}
	}
	return 10 * pow
}

// yTicks puts five labelled ticks from zero to the top.
type yTicks struct{ format func(float64) string }

func (t yTicks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for i := 0; i <= 4; i++ {
		v := min + (max-min)*float64(i)/4
		out = append(out, plot.Tick{Value: v, Label: t.format(v)})
	}
	return out
}

// dateTicks labels each day MM-DD (only on the bottom panel), thinning
// labels when there are many days so they do not overlap.
func dateTicks(days []Day, labels bool) plot.ConstantTicks {
	step := 1
	if len(days) > 16 {
		step = 2
	}
	var out plot.ConstantTicks
	for i, d := range days {
		t := plot.Tick{Value: float64(i)}
		if labels && (i%step == 0 || i == len(days)-1) {
			t.Label = fmt.Sprintf("%02d-%02d", int(d.Date.Month), d.Date.Day)
		}
		out = append(out, t)
	}
	return out
}

// compact writes 1234567 as 1.23M and 45600 as 45.6k.
func compact(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return trim(fmt.Sprintf("%.2f", v/1e6)) + "M"
	case a >= 1e3:
		return trim(fmt.Sprintf("%.1f", v/1e3)) + "k"
	default:
		return trim(fmt.Sprintf("%.1f", v))
	}
}

func percent(v float64) string { return trim(fmt.Sprintf("%.2f", v)) + "%" }

// trim drops trailing zeros of a decimal: 2.50 → 2.5, 3.0 → 3.
func trim(s string) string {
	for len(s) > 1 && s[len(s)-1] == '0' && bytes.ContainsRune([]byte(s), '.') {
		s = s[:len(s)-1]
	}
	if len(s) > 1 && s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

// ascii replaces what the chart's fonts cannot draw.
func ascii(s string) string {
	out := []rune(s)
	for i, r := range out {
		if r < 0x20 || r > 0x7e {
			out[i] = '?'
		}
	}
	return string(out)
}

// targetLine draws the daily target as a dashed grey line through the
// days that have one, and returns its highest value.
func targetLine(p *plot.Plot, target func(Day) (float64, bool), days []Day) (float64, error) {
	var pts plotter.XYs
	top := 0.0
	add := func() error {
		if len(pts) == 0 {
			return nil
		}
		// A lone day still shows: a short step across its slot.
		if len(pts) == 1 {
			pts = plotter.XYs{{X: pts[0].X - 0.4, Y: pts[0].Y}, {X: pts[0].X + 0.4, Y: pts[0].Y}}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.Color, l.Width, l.Dashes = color.Gray{Y: 0x70}, vg.Points(1.5), []vg.Length{vg.Points(6), vg.Points(4)}
		p.Add(l)
		pts = nil
		return nil
	}
	for i, d := range days {
		v, ok := target(d)
		if !ok || v <= 0 {
			if err := add(); err != nil {
				return 0, err
			}
			continue
		}
		pts = append(pts, plotter.XY{X: float64(i), Y: v})
		top = math.Max(top, v)
	}
	if err := add(); err != nil {
		return 0, err
	}
	if top > 0 {
		p.Legend.Add("daily target", &plotter.Line{LineStyle: draw.LineStyle{Color: color.Gray{Y: 0x70}, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(6), vg.Points(4)}}})
		p.Legend.Top = true
	}
	return top, nil
}
