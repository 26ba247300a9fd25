// Package report builds the daily digest and the weekly and monthly
// reviews of a shop that managers read in a minute: figures against the
// day, week or month before and the trailing average, anomalies in words,
// targets, the 24-hour rule's record, checklist completion and, monthly,
// commissions; with a chart. Building is pure (Input in, Block Kit
// messages out, split to Block Kit's limits); Loader reads the input.
package report

import (
	"fmt"
	"strings"

	"opsbot/chat"
	"opsbot/config"
	"opsbot/i18n"
	"opsbot/metric"
	"opsbot/report/chart"
)

// Builder makes reports in the team's language from its configuration.
type Builder struct {
	cfg    *config.Config
	cat    *metric.Catalog
	tr     i18n.Printer
	titles map[string]i18n.Text // checklist titles by ID
	rank   map[string]int       // checklist order in the config
	charts *chart.Drawer
}

// NewBuilder prepares a builder for a configuration. It draws charts with
// a drawer of its own; WithCharts shares one (which finds its font once).
func NewBuilder(cfg *config.Config) *Builder {
	b := &Builder{cfg: cfg, cat: metric.NewCatalog(cfg.Metrics), tr: i18n.New(cfg.Locale),
		titles: map[string]i18n.Text{}, rank: map[string]int{}}
	for i, cl := range cfg.Checklists {
		b.titles[cl.ID] = cl.Title
		b.rank[cl.ID] = i
	}
	b.charts = chart.New(chart.Options{FontFile: cfg.Reports.ChartFont})
	return b
}

// WithCharts makes the builder draw its charts with d.
func (b *Builder) WithCharts(d *chart.Drawer) *Builder {
	if d != nil {
		b.charts = d
	}
	return b
}

// Rendered is a report ready to post: its messages, in order, and its
// chart (nil when there is nothing to draw).
type Rendered struct {
	Title    string
	Messages []chat.Reply
	Chart    *chat.File
}

// Build computes and renders a report.
func (b *Builder) Build(in Input) (Rendered, error) {
	var (
		out   Rendered
		days  []ChartDay
		title func(tr i18n.Printer, shop string) string
	)
	switch in.Kind {
	case Daily:
		r := b.Daily(in)
		out = b.RenderDaily(r)
		days = r.Chart
		title = func(tr i18n.Printer, shop string) string {
			return tr.T("chart.title_daily", shop, r.Day.String(), len(days))
		}
	case Weekly, Monthly, Quarterly, Yearly:
		r := b.Periodic(in)
		out = b.RenderPeriodic(r)
		days = r.Chart
		title = func(tr i18n.Printer, shop string) string { // a yearly review has no chart
			return tr.T("chart.title_period", shop, tr.T("chart.kind_"+string(in.Kind)), days[0].Date.String(), days[len(days)-1].Date.String())
		}
	default:
		return Rendered{}, fmt.Errorf("report kind %q: use daily, weekly, monthly, quarterly or yearly", in.Kind)
	}
	if b.hasChartData(days) {
		png, err := b.charts.PNG(chartOf(b.tr, in.Shop, b.chartFigures(), days, title))
		if err != nil {
			return Rendered{}, fmt.Errorf("%s report of %s: %w", in.Kind, in.Shop.ID, err)
		}
		file := fmt.Sprintf("opsbot-%s-%s-%s.png", in.Shop.ID, in.Kind, in.Period.From)
		out.Chart = &chat.File{Name: file, Title: out.Title, MimeType: "image/png", Content: png}
	}
	return out, nil
}

// chartName names the shop in the English fallback of the chart's title
// (drawn when no font that draws Chinese is installed): its name, or its
// ID when the name has characters the built-in fonts cannot draw.
func chartName(s config.Shop) string {
	for _, r := range s.Name {
		if r < 0x20 || r > 0x7e {
			return s.ID
		}
	}
	if strings.TrimSpace(s.Name) == "" {
		return s.ID
	}
	return s.Name
}
