package report

import (
	"testing"

	"opsbot/config"
	"opsbot/exact"
	"opsbot/i18n"
	"opsbot/metric"
)

// The series of a chart hold the exact figures in their units (basis
// points, seconds, fen per visitor), gaps where nothing was logged, and
// their axes say the unit in the team's language, with an English
// fallback that names the shop by a name the built-in fonts draw.
func TestChartSeriesAndLabels(t *testing.T) {
	cat := metric.NewCatalog(testConfig(t, nil).Metrics)
	var fs []chartFigure
	for _, k := range []string{"跳失率", "avg_visit", "UV价值", "sales"} {
		f, ok := lookupFigure(cat, k)
		if !ok {
			t.Fatalf("%s is not a figure", k)
		}
		fs = append(fs, f)
	}
	if _, ok := lookupFigure(cat, "bounce"); ok {
		t.Error("a word that names nothing was taken for a figure")
	}
	p := Period{From: date("2026-11-20"), To: date("2026-11-22")}
	days := chartDays(map[string]metric.Day{
		"2026-11-20": {"bounce_rate": 317, "avg_visit": 95, "sales": 28_800, "uv": 100},
		"2026-11-22": {"bounce_rate": 6050, "sales": 100},
	}, map[string]map[string]int64{"2026-11": {"sales": 3_000_000}}, p)
	shop := config.Shop{ID: "main", Name: "天猫旗舰店"}
	c := chartOf(i18n.New(i18n.ZH), shop, fs, days, func(tr i18n.Printer, name string) string {
		return tr.T("chart.title", name, p.From.String(), p.To.String())
	})
	want := []struct {
		unit   exact.Unit
		values []exact.Num
	}{
		{exact.BasisPoints, []exact.Num{exact.Int(317), exact.Missing, exact.Int(6050)}},
		{exact.Seconds, []exact.Num{exact.Int(95), exact.Missing, exact.Missing}},
		{exact.Money, []exact.Num{exact.Frac(28_800, 100), exact.Missing, exact.Missing}}, // ¥2.88 a visitor, exact
		{exact.Money, []exact.Num{exact.Int(28_800), exact.Missing, exact.Int(100)}},
	}
	for i, w := range want {
		s := c.Series[i]
		if s.Unit != w.unit {
			t.Errorf("series %d: unit %v, want %v", i, s.Unit, w.unit)
		}
		for j, v := range w.values {
			if got := s.Values[j]; got.OK() != v.OK() || (v.OK() && got.Cmp(v) != 0) {
				t.Errorf("series %d day %d: %v, want %v", i, j, got.Rat(), v.Rat())
			}
		}
	}
	if c.Series[0].Target != nil || len(c.Series[3].Target) != 3 || c.Series[3].Target[0].Cmp(exact.Int(100_000)) != 0 {
		t.Errorf("targets: %v and %v", c.Series[0].Target, c.Series[3].Target)
	}
	wantLabels := []string{"跳失率 (%)", "平均停留时长 (分:秒)", "UV价值 (元)", "销售额 (元)"}
	wantFallback := []string{"Bounce rate (%)", "Average visit length (m:ss)", "UV value (CNY)", "Sales (CNY)"}
	for i := range wantLabels {
		if c.Labels.Axes[i] != wantLabels[i] || c.Fallback.Axes[i] != wantFallback[i] {
			t.Errorf("axis %d: %q / %q, want %q / %q", i, c.Labels.Axes[i], c.Fallback.Axes[i], wantLabels[i], wantFallback[i])
		}
	}
	if c.Labels.Title != "天猫旗舰店 · 2026-11-20 至 2026-11-22" || c.Fallback.Title != "main · 2026-11-20 to 2026-11-22" {
		t.Errorf("titles %q / %q", c.Labels.Title, c.Fallback.Title)
	}
	if c.Labels.Target != "日目标" || c.Fallback.Target != "daily target" {
		t.Errorf("target legend %q / %q", c.Labels.Target, c.Fallback.Target)
	}
}

// reports.chart chooses what the reports' chart draws; the note says so.
func TestReportChartFigures(t *testing.T) {
	b := NewBuilder(testConfig(t, func(c *config.Config) { c.Reports.Chart = []string{"sales", "bounce_rate", "avg_visit"} }))
	in := dailyFixture()
	out, err := b.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	contains(t, texts(out.Messages), "(:bar_chart: Chart: Sales, Bounce rate, Average visit length over the last 14 days, attached.)")
	if out.Chart == nil {
		t.Fatal("no chart")
	}
	// A chart of figures never logged is not drawn.
	b = NewBuilder(testConfig(t, func(c *config.Config) { c.Reports.Chart = []string{"bounce_rate"} }))
	out, err = b.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Chart != nil {
		t.Error("a chart with nothing to draw")
	}
}
