// Package chart draws the bot's trend charts: one or more figures over a
// run of days, as stacked panels sharing the date axis, in a PNG of a
// fixed size. Figures keep their units: money in yuan, counts, shares in
// percent (exact from basis points or from the fraction), lengths of time
// as m:ss, ROI as 1:x. It uses gonum.org/v1/plot, whose built-in fonts
// (Liberation) have no CJK glyphs: labels in Chinese are drawn with a
// font found on the system or named in the config (see fonts.go), and in
// English when there is none.
package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"log/slog"
	"math"
	"strings"

	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"opsbot/civil"
	"opsbot/exact"
)

// Size of the PNG in pixels: wide enough for 31 day labels, small enough
// to show inline in Slack.
const (
	Width  = 1200
	Height = 600
)

// MaxSeries is how many panels fit in the chart's height and stay
// readable.
const MaxSeries = 4

// dpi sets how vg lengths (points, 1/72 inch) map to pixels.
const dpi = 96

// Series is one panel: a figure over the chart's days. A value that was
// not logged (or cannot be computed) is Missing: a gap in the line, never
// a zero.
type Series struct {
	Unit   exact.Unit
	Values []exact.Num // one per day of the chart
	// Target is the day's target in the same unit, drawn as a dashed
	// line; nil, or Missing on days without one.
	Target []exact.Num
}

// Labels are the words a chart draws.
type Labels struct {
	Title  string
	Axes   []string // one per series: its name and unit
	Target string   // the legend of the target line
}

// Chart is what to draw.
type Chart struct {
	Dates  []civil.Date
	Series []Series
	// Labels are in the team's language. Fallback says the same in
	// English, drawable by the built-in fonts: it is drawn when no font on
	// the system has the glyphs Labels need.
	Labels   Labels
	Fallback Labels
}

// Options configure a Drawer.
type Options struct {
	// FontFile is a TrueType or OpenType font (or collection) that draws
	// Chinese: reports.chart_font in the config. Empty: look in Search.
	FontFile string
	// Search lists font files and folders to look in for a CJK font, in
	// order; nil means the usual system places (SystemFontPaths).
	Search []string
	Log    *slog.Logger
}

// Drawer draws charts. The font for labels in Chinese is found and
// loaded the first time a chart needs it, never at start: an idle bot
// holds no font in memory. A Drawer is safe for concurrent use.
type Drawer struct {
	fonts *fontSource
	log   *slog.Logger
}

// New makes a Drawer.
func New(o Options) *Drawer {
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	search := o.Search
	if search == nil {
		search = SystemFontPaths()
	}
	return &Drawer{fonts: &fontSource{file: o.FontFile, search: search, log: log}, log: log}
}

// palette colours the panels in order.
var palette = []color.RGBA{
	{R: 0xd9, G: 0x48, B: 0x1b, A: 0xff},
	{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	{R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
}

// PNG draws the chart: one panel a series, stacked, the dates under the
// last. Labels the built-in fonts cannot draw are drawn with the CJK
// font; without one, the English Fallback is drawn instead.
func (d *Drawer) PNG(c Chart) ([]byte, error) {
	if len(c.Dates) == 0 {
		return nil, fmt.Errorf("chart %q: no days", c.Labels.Title)
	}
	if len(c.Series) == 0 || len(c.Series) > MaxSeries {
		return nil, fmt.Errorf("chart %q: %d series, want 1 to %d", c.Labels.Title, len(c.Series), MaxSeries)
	}
	for i, s := range c.Series {
		if len(s.Values) != len(c.Dates) || (s.Target != nil && len(s.Target) != len(c.Dates)) {
			return nil, fmt.Errorf("chart %q: series %d has %d values for %d days", c.Labels.Title, i, len(s.Values), len(c.Dates))
		}
	}
	labels := c.Labels
	if !builtinDraws(labels) {
		h, release, why := d.fonts.handler(labels)
		if h != nil {
			defer release()
			png, err := draw1(c, labels, h)
			if err == nil {
				return png, nil
			}
			why = err.Error()
		}
		d.fonts.fallingBack(why)
		labels = asciiLabels(c.Fallback, len(c.Series))
	}
	return draw1(c, labels, nil)
}

// draw1 draws with a text handler (nil: the built-in fonts). A font that
// breaks gonum's text measuring (which panics) is reported as an error.
func draw1(c Chart, labels Labels, h text.Handler) (png []byte, err error) {
	if h != nil {
		defer func() {
			if p := recover(); p != nil {
				png, err = nil, fmt.Errorf("the font failed to draw: %v", p)
			}
		}()
	}
	rows := make([][]*plot.Plot, len(c.Series))
	for i, s := range c.Series {
		name := ""
		if i < len(labels.Axes) {
			name = labels.Axes[i]
		}
		p, err := panel(s, name, labels.Target, palette[i%len(palette)], c.Dates, i == len(c.Series)-1, h)
		if err != nil {
			return nil, fmt.Errorf("chart %q: %s: %w", labels.Title, name, err)
		}
		if i == 0 {
			p.Title.Text = labels.Title
		}
		rows[i] = []*plot.Plot{p}
	}
	w := vg.Length(Width) * vg.Inch / dpi
	ht := vg.Length(Height) * vg.Inch / dpi
	img := vgimg.NewWith(vgimg.UseWH(w, ht), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: len(rows), Cols: 1, PadTop: 4, PadBottom: 4, PadLeft: 4, PadRight: 12, PadY: 6}
	canvases := plot.Align(rows, tiles, dc)
	for i := range rows {
		rows[i][0].Draw(canvases[i][0])
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart %q: encode png: %w", labels.Title, err)
	}
	return buf.Bytes(), nil
}

// useHandler draws every text of a plot with h and its font.
func useHandler(p *plot.Plot, h text.Handler) {
	p.TextHandler = h
	for _, st := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle, &p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		st.Handler = h
		st.Font.Typeface, st.Font.Variant = cjkTypeface, ""
	}
}

// panel plots one series: a line through each run of consecutive logged
// days (so a missing day breaks the line), and a dot on every logged day
// (so a lone day between gaps still shows).
func panel(s Series, name, targetName string, col color.Color, dates []civil.Date, labelDates bool, h text.Handler) (*plot.Plot, error) {
	ax := axisFor(s.Unit)
	p := plot.New()
	if h != nil {
		useHandler(p, h)
	}
	p.Y.Label.Text = name
	p.X.Min, p.X.Max = -0.5, float64(len(dates))-0.5
	p.Add(plotter.NewGrid())
	var run, all plotter.XYs
	flush := func() error {
		if len(run) > 1 {
			l, err := plotter.NewLine(run)
			if err != nil {
				return err
			}
			l.Color, l.Width = col, vg.Points(2)
			p.Add(l)
		}
		run = nil
		return nil
	}
	maxY := 0.0
	for i, v := range s.Values {
		y, ok := position(ax, v)
		if !ok {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		pt := plotter.XY{X: float64(i), Y: y}
		run = append(run, pt)
		all = append(all, pt)
		maxY = math.Max(maxY, y)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if s.Target != nil {
		top, err := targetLine(p, ax, s.Target, targetName)
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
		sc.GlyphStyle.Color, sc.GlyphStyle.Radius, sc.GlyphStyle.Shape = col, vg.Points(3), draw.CircleGlyph{}
		p.Add(sc)
	}
	// From zero, with headroom; all-zero or empty data still gets an axis.
	// A negative value (none is logged so) would sit below the axis.
	p.Y.Min, p.Y.Max = 0, ax.top(maxY)
	p.Y.Tick.Marker = yTicks{format: ax.label}
	p.X.Tick.Marker = dateTicks(dates, labelDates)
	return p, nil
}

// position is where a value is plotted; false for a gap.
func position(ax axis, v exact.Num) (float64, bool) {
	if !v.OK() {
		return 0, false
	}
	y := ax.pos(v)
	if math.IsNaN(y) || math.IsInf(y, 0) {
		return 0, false
	}
	return y, true
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

// maxDateLabels is how many MM-DD labels fit under 1,200 pixels.
const maxDateLabels = 16

// dateTicks labels days MM-DD (only on the bottom panel), every day up to
// 16 days and every few days beyond, so labels do not overlap.
func dateTicks(dates []civil.Date, labels bool) plot.ConstantTicks {
	step := (len(dates) + maxDateLabels - 1) / maxDateLabels
	var out plot.ConstantTicks
	for i, d := range dates {
		t := plot.Tick{Value: float64(i)}
		if labels && (i%step == 0 || i == len(dates)-1) {
			t.Label = fmt.Sprintf("%02d-%02d", int(d.Month), d.Day)
		}
		out = append(out, t)
	}
	return out
}

// targetLine draws the target as a dashed grey line through the days that
// have one, and returns its highest position.
func targetLine(p *plot.Plot, ax axis, target []exact.Num, name string) (float64, error) {
	var pts plotter.XYs
	top := 0.0
	dashes := []vg.Length{vg.Points(6), vg.Points(4)}
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
		l.Color, l.Width, l.Dashes = color.Gray{Y: 0x70}, vg.Points(1.5), dashes
		p.Add(l)
		pts = nil
		return nil
	}
	for i, t := range target {
		y, ok := position(ax, t)
		if !ok || y <= 0 {
			if err := add(); err != nil {
				return 0, err
			}
			continue
		}
		pts = append(pts, plotter.XY{X: float64(i), Y: y})
		top = math.Max(top, y)
	}
	if err := add(); err != nil {
		return 0, err
	}
	if top > 0 && name != "" {
		p.Legend.Add(name, &plotter.Line{LineStyle: draw.LineStyle{Color: color.Gray{Y: 0x70}, Width: vg.Points(1.5), Dashes: dashes}})
		p.Legend.Top = true
	}
	return top, nil
}

// asciiLabels makes fallback labels safe for the built-in fonts, with an
// axis name for every series.
func asciiLabels(l Labels, n int) Labels {
	out := Labels{Title: builtinOnly(l.Title), Target: builtinOnly(l.Target), Axes: make([]string, n)}
	for i := range out.Axes {
		if i < len(l.Axes) {
			out.Axes[i] = builtinOnly(l.Axes[i])
		}
	}
	return out
}

// builtinOnly replaces what the built-in fonts cannot draw with '?'.
func builtinOnly(s string) string {
	out := []rune(s)
	for i, r := range out {
		if !builtinHas(r) {
			out[i] = '?'
		}
	}
	return string(out)
}

// texts lists every string of the labels.
func (l Labels) texts() []string {
	return append([]string{l.Title, l.Target}, l.Axes...)
}

// builtinDraws reports whether the built-in fonts draw every label.
func builtinDraws(l Labels) bool {
	for _, s := range l.texts() {
		if strings.IndexFunc(s, func(r rune) bool { return !builtinHas(r) }) >= 0 {
			return false
		}
	}
	return true
}

// builtinHas reports whether the built-in font has a glyph for r. ASCII
// is answered without reading the font.
func builtinHas(r rune) bool {
	if r >= 0x20 && r <= 0x7e {
		return true
	}
	if r < 0x20 || r == 0x7f {
		return false
	}
	face := font.DefaultCache.Lookup(plot.DefaultFont, 12).Face
	if face == nil {
		return false
	}
	var buf sfnt.Buffer
	i, err := face.GlyphIndex(&buf, r)
	return err == nil && i != 0
}
