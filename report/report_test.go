package report

import (
	"bytes"
	"fmt"
	"image/png"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/checklist/checkrun"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/exact"
	"opsbot/i18n"
	"opsbot/metric"
	"opsbot/tracked"
)

func date(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func testConfig(t *testing.T, edit func(*config.Config)) *config.Config {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	for i := range cfg.Metrics {
		switch cfg.Metrics[i].Key {
		case "refunds":
			cfg.Metrics[i].AnomalyPct = 60 // a +50% day is not flagged
		case "bad_reviews":
			cfg.Metrics[i].AnomalyPct = 20
		}
	}
	if edit != nil {
		edit(cfg)
	}
	return cfg
}

// dailyFixture is a shop's November up to Sunday 2026-11-22, with every
// figure chosen so the digest's numbers can be worked out by hand:
//   - the 7 days before (11-15..11-21): UV 19,000 20,000 21,000 20,000
//     19,000 21,000 20,000 (average 20,000), 400 paid orders, ¥60,000
//     sales and 6 refunds a day; bad reviews on 6 of them (2 3 2 3 2 3,
//     average 2.5);
//   - the day: UV 12,400 (−38%), 310 orders, 248 paid (−38%), sales
//     ¥45,600.50, 9 refunds (+50%, under its own 60% threshold), 3 bad
//     reviews (+20%, at its own 20% threshold), ¥10,000 paid search and
//     no other cost (each logged as 0);
//   - a sales target of ¥1,500,000 for November (¥50,000 a day).
func dailyFixture() Input {
	days := map[string]metric.Day{}
	uv := []int64{19_000, 20_000, 21_000, 20_000, 19_000, 21_000, 20_000}
	bad := []int64{2, 3, 2, 0, 3, 2, 3}
	for i := range 7 {
		d := date("2026-11-15").AddDays(i)
		day := metric.Day{"uv": uv[i], "paid": 400, "sales": 6_000_000, "refunds": 6}
		if d != date("2026-11-18") {
			day["bad_reviews"] = bad[i]
		}
		days[d.String()] = day
	}
	days["2026-11-22"] = metric.Day{"uv": 12_400, "orders": 310, "paid": 248, "sales": 4_560_050, "refunds": 9, "bad_reviews": 3, "ad_search": 1_000_000,
		"ad_display": 0, "ad_affiliate": 0, "shipping_cost": 0, "discounts": 0}
	return Input{
		Kind: Daily, Shop: config.Shop{ID: "main", Name: "My shop"}, Period: dayOf(date("2026-11-22")),
		Days:    days,
		Targets: map[string]map[string]int64{"2026-11": {"sales": 150_000_000}},
	}
}

// texts renders messages' blocks as their raw mrkdwn, one block a line.
func texts(msgs []chat.Reply) string {
	var b strings.Builder
	for _, m := range msgs {
		for _, blk := range m.Blocks {
			switch blk := blk.(type) {
			case *slack.HeaderBlock:
				b.WriteString("# " + blk.Text.Text + "\n")
			case *slack.SectionBlock:
				b.WriteString(blk.Text.Text + "\n")
			case *slack.ContextBlock:
				for _, e := range blk.ContextElements.Elements {
					if t, ok := e.(*slack.TextBlockObject); ok {
						b.WriteString("(" + t.Text + ")\n")
					}
				}
			}
		}
	}
	return b.String()
}

func contains(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("lacks %q in:\n%s", w, got)
		}
	}
}

func TestDailyFigures(t *testing.T) {
	b := NewBuilder(testConfig(t, nil))
	r := b.Daily(dailyFixture())
	q := exact.Frac
	tests := []struct {
		key                       string
		value, vsPrev, vsAvg, avg exact.Num
		avgDays                   int
		anomalous                 bool
	}{
		{key: "uv", value: q(12_400, 1), vsPrev: q(-38, 100), vsAvg: q(-38, 100), avg: q(20_000, 1), avgDays: 7, anomalous: true},
		{key: "paid", value: q(248, 1), vsPrev: q(-38, 100), vsAvg: q(-38, 100), avg: q(400, 1), avgDays: 7, anomalous: true},
		// (4,560,050 × 7 − 42,000,000) ÷ 42,000,000 = −0.23999166…
		{key: "sales", value: q(4_560_050, 1), vsPrev: q(4_560_050-6_000_000, 6_000_000), vsAvg: q(4_560_050*7-42_000_000, 42_000_000), avg: q(6_000_000, 1), avgDays: 7},
		{key: "refunds", value: q(9, 1), vsPrev: q(1, 2), vsAvg: q(1, 2), avg: q(6, 1), avgDays: 7},
		// 3 against 15 over 6 days: exactly +20%, the metric's threshold.
		{key: "bad_reviews", value: q(3, 1), vsPrev: q(0, 1), vsAvg: q(1, 5), avg: q(15, 6), avgDays: 6, anomalous: true},
		// 9 ÷ 248; the 7 days before: 42 refunds of 2,800 paid orders.
		{key: metric.KeyRefundRate, value: q(9, 248), vsPrev: q(9, 248).Sub(q(6, 400)).Div(q(6, 400)), vsAvg: q(9, 248).Sub(q(42, 2800)).Div(q(42, 2800)),
			avg: q(42, 2800), avgDays: 7, anomalous: true},
		{key: metric.KeyROI, value: q(4_560_050, 1_000_000)},
	}
	same := func(a, b exact.Num) bool { return a.OK() == b.OK() && a.Cmp(b) == 0 }
	for _, tt := range tests {
		f, ok := r.Figure(tt.key)
		if !ok || !f.OK {
			t.Errorf("%s: missing", tt.key)
			continue
		}
		if !same(f.Value, tt.value) {
			t.Errorf("%s = %v, want %v", tt.key, f.Value.Rat(), tt.value.Rat())
		}
		if tt.avgDays > 0 {
			if !same(f.VsAvg(), tt.vsAvg) {
				t.Errorf("%s vs avg = %v, want %v", tt.key, f.VsAvg().Rat(), tt.vsAvg.Rat())
			}
			if !same(f.Avg, tt.avg) || f.AvgDays != tt.avgDays {
				t.Errorf("%s avg = %v over %d days, want %v over %d", tt.key, f.Avg.Rat(), f.AvgDays, tt.avg.Rat(), tt.avgDays)
			}
			if p := f.VsPrev(); p.OK() && !same(p, tt.vsPrev) {
				t.Errorf("%s vs prev = %v, want %v", tt.key, p.Rat(), tt.vsPrev.Rat())
			}
		}
		if f.Anomalous() != tt.anomalous {
			t.Errorf("%s anomalous = %v", tt.key, f.Anomalous())
		}
	}
	if roi, _ := r.Figure(metric.KeyROI); roi.Grade != metric.GradeGood {
		t.Errorf("ROI grade %q, want good", roi.Grade)
	}
	var missing []string
	for _, m := range r.Missing {
		missing = append(missing, m.Key)
	}
	want := "pv orders? refund_amount returns inquiries inquiry_orders items_online items_sold_30d bounce_rate avg_visit"
	want = strings.Replace(want, "orders? ", "", 1)
	if got := strings.Join(missing, " "); got != want {
		t.Errorf("missing = %s\nwant      %s", got, want)
	}
	if len(r.Targets) != 1 {
		t.Fatalf("targets = %+v", r.Targets)
	}
	tl := r.Targets[0]
	if !same(tl.DailyTarget, q(5_000_000, 1)) || !same(tl.MTD, q(46_560_050, 1)) || tl.MTDDays != 8 || tl.BelowHalf() || !same(tl.Elapsed, q(22, 30)) {
		t.Errorf("target line = %+v", tl)
	}
	if len(r.Chart) != ChartDays || r.Chart[0].Date != date("2026-11-09") || !r.Chart[13].Has("sales") || r.Chart[0].Has("sales") {
		t.Errorf("chart days = %+v", r.Chart)
	}
}

func TestDailyDigestText(t *testing.T) {
	b := NewBuilder(testConfig(t, nil))
	out, err := b.Build(dailyFixture())
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Messages) != 1 {
		t.Fatalf("%d messages, want 1", len(out.Messages))
	}
	got := texts(out.Messages)
	contains(t, got,
		"# Daily report · My shop · 2026-11-22 (Sun)",
		"*Sales* ¥45,600.50 · −24.0% vs the day before · −24.0% vs the 7-day average",
		"*Unique visitors (UV)* 12,400 · −38.0% vs the day before · −38.0% vs the 7-day average",
		"*Conversion rate* 2.00% · day before 2.00% · 7-day average 2.00%",
		"*ROI* 1:4.56 (good)",
		// The anomalies, in words, in catalog order then the KPIs.
		"threshold 30% unless set per metric",
		"• *Unique visitors (UV)* −38% vs 7-day average (12,400 vs 20,000)\n"+
			"• *Orders paid* −38% vs 7-day average (248 vs 400)\n"+
			"• *Bad reviews* +20% vs 6-day average (3 vs 3)\n"+
			"• *Refund rate* +142% vs 7-day average (3.6% vs 1.5%)",
		"• Sales: ¥45,600.50 against the daily target ¥50,000.00 — 91.2% of the daily target",
		"• Sales month to date (2026-11): ¥465,600.50 of ¥1,500,000.00 — 31.0%, with 73.3% of the month passed",
		"(Not logged (missing is not zero): Page views (PV), Refund amount, Returns and exchanges, Inquiries, Inquiry orders,",
		"*Tracked items* (11-22): not tracked yet.",
		"*Checklists* (11-22): no checklist runs.",
		"(:bar_chart: Chart: sales, UV and conversion rate over the last 14 days, attached.)",
	)
	// The table: the day before, the percent, the 7-day average; bad
	// reviews were logged on 6 of the 7 days, and their cell says so.
	contains(t, got, "Metric", "Δ vs 11-21", "vs 7-day avg")
	for _, row := range []string{
		"Unique visitors (UV)             12,400       −7,600  −38.0%          −38.0%",
		"Orders placed                       310            —       —               —",
		"Bad reviews                           3            0    0.0%  +20.0% (6-day)",
		"Conversion rate                   2.00%      0.00 pp                    0.0%",
		"Refund rate                        3.6%      +2.1 pp                 +141.9%",
		"ROI                       1:4.56 (good)            —                       —",
		"Sell-through (30 days)                —\n",
	} {
		contains(t, got, row)
	}
	if strings.Contains(got, "*Refunds* +50%") {
		t.Error("refunds were flagged under their own 60% threshold")
	}
	if out.Chart == nil {
		t.Fatal("no chart")
	}
	img, err := png.Decode(bytes.NewReader(out.Chart.Content))
	if err != nil {
		t.Fatalf("chart is not a PNG: %v", err)
	}
	if s := img.Bounds().Size(); s.X != 1200 || s.Y != 600 {
		t.Errorf("chart is %v, want 1200x600", s)
	}
	if out.Chart.Name != "opsbot-main-daily-2026-11-22.png" || out.Chart.MimeType != "image/png" {
		t.Errorf("chart file %q %q", out.Chart.Name, out.Chart.MimeType)
	}
	if err := CheckLimits(out.Messages); err != nil {
		t.Error(err)
	}
}

func TestDailyBelowHalfAndNothingLogged(t *testing.T) {
	b := NewBuilder(testConfig(t, nil))
	in := dailyFixture()
	in.Days["2026-11-22"]["sales"] = 2_499_999 // a fen under half of ¥50,000
	got := texts(b.RenderDaily(b.Daily(in)).Messages)
	contains(t, got, "• :warning: Sales: ¥24,999.99 against the daily target ¥50,000.00 — 50.0% of the daily target *(below the 50% line)*")

	in = dailyFixture()
	delete(in.Days, "2026-11-22")
	out, err := b.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	got = texts(out.Messages)
	contains(t, got, ":warning: Nothing was logged for 2026-11-22.")
	if strings.Contains(got, "Anomalies") || strings.Contains(got, "Not logged") {
		t.Errorf("an empty day shows figures:\n%s", got)
	}
	if out.Chart == nil {
		t.Error("the days before still make a chart")
	}
	in.Days = nil
	if out, _ := b.Build(in); out.Chart != nil {
		t.Error("a chart with nothing to draw")
	}
}

func TestDailyChinese(t *testing.T) {
	b := NewBuilder(testConfig(t, func(c *config.Config) { c.Locale = "zh" }))
	got := texts(b.RenderDaily(b.Daily(dailyFixture())).Messages)
	contains(t, got, "# 日报 · My shop · 2026-11-22 (周日)", "*访客数* 较近 7 日均值 −38%(12,400 / 均值 20,000)", "未记录(缺失不等于零)")
}

// TestAverageColumnSaysItsDays: with two days logged before, the table's
// average column is headed by the days it covers, not a 7-day average
// that is not there (issue 16 item 4).
func TestAverageColumnSaysItsDays(t *testing.T) {
	for _, tt := range []struct {
		locale string
		want   []string
		not    string
	}{
		{"en", []string{"vs 2-day avg", "*Unique visitors (UV)* 12,400 · −38.0% vs the day before · −39.5% vs the 2-day average"}, "7-day avg"},
		{"zh", []string{"较 2 日均", "*访客数* 12,400 · 较前一天 −38.0% · 较近 2 日均值 −39.5%"}, "较 7 日均"},
	} {
		t.Run(tt.locale, func(t *testing.T) {
			b := NewBuilder(testConfig(t, func(c *config.Config) { c.Locale = tt.locale }))
			in := dailyFixture()
			for d := range in.Days {
				if d < "2026-11-20" {
					delete(in.Days, d)
				}
			}
			got := texts(b.RenderDaily(b.Daily(in)).Messages)
			contains(t, got, tt.want...)
			if strings.Contains(got, tt.not) {
				t.Errorf("the table promises %q:\n%s", tt.not, got)
			}
			// With no day logged before, the column promises no days.
			for d := range in.Days {
				if d != "2026-11-22" {
					delete(in.Days, d)
				}
			}
			got = texts(b.RenderDaily(b.Daily(in)).Messages)
			contains(t, got, map[string]string{"en": "Δ%  vs avg\n", "zh": "Δ%  较均值\n"}[tt.locale])
			if strings.Contains(got, tt.not) {
				t.Errorf("the table promises %q with no day before:\n%s", tt.not, got)
			}
		})
	}
}

func TestSLAAndChecklists(t *testing.T) {
	b := NewBuilder(testConfig(t, nil))
	in := dailyFixture()
	in.SLA = &tracked.Stats{Opened: 5, Resolved: 4, Open: 3, Breached: 1, Median: 200 * time.Minute, P90: 26 * time.Hour}
	due := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	in.Runs = []Run{
		{Checklist: "shop-checks", State: checkrun.Posted, Items: 7, Due: due, Done: []Done{
			{0, "alice", due.Add(-time.Minute)}, {1, "alice", due.Add(time.Minute)}, {2, "U0BOB123", due},
		}},
		{Checklist: "morning-meeting", State: checkrun.Late, Items: 3, Due: due, Done: []Done{{0, "alice", due}, {5, "ghost", due}}},
		{Checklist: "paid-search", State: checkrun.Missed, Items: 3, Due: due},
	}
	r := b.Daily(in)
	c := r.Checklist
	if c.Total != (ChecklistLine{Runs: 3, Late: 1, Missed: 1, Items: 10, Done: 4, DoneLate: 1}) {
		t.Errorf("total = %+v", c.Total)
	}
	if len(c.Lines) != 3 || c.Lines[0].ID != "morning-meeting" || c.Lines[1].ID != "shop-checks" {
		t.Errorf("lines in config order: %+v", c.Lines)
	}
	if len(c.People) != 2 || c.People[0] != (PersonLine{"alice", 3, 2}) || c.People[1] != (PersonLine{"U0BOB123", 1, 1}) {
		t.Errorf("people = %+v", c.People)
	}
	got := texts(b.RenderDaily(r).Messages)
	contains(t, got,
		":rotating_light: *Tracked items* (11-22): opened 5 · resolved 4 · still open 3 · breached 1 · median resolution 3h20m (p90 1d2h)",
		":warning: *Checklists* (11-22): 3 runs · 4 of 10 items done (40%) · 1 posted late · 1 missed",
		"Shop and competitor checks     1   3/7  43%          1            0       0",
		"• alice 3 (2 on time)", "• <@U0BOB123> 1 (1 on time)")

	in.SLA = &tracked.Stats{}
	contains(t, texts(b.RenderDaily(b.Daily(in)).Messages), "opened 0 · resolved 0 · still open 0 · breached 0 · median resolution — (p90 —)")
}

func TestPeriods(t *testing.T) {
	tests := []struct {
		kind      Kind
		on        string
		from, to  string
		prevFrom  string
		prevTo    string
		days      int
		windowLen int
	}{
		// Daily: yesterday, against the day before.
		{Daily, "2026-11-23", "2026-11-22", "2026-11-22", "2026-11-21", "2026-11-21", 1, 22},
		{Daily, "2026-11-03", "2026-11-02", "2026-11-02", "2026-11-01", "2026-11-01", 1, 14},
		// Weekly on Monday: last Monday to Sunday; a week across a month.
		{Weekly, "2026-11-23", "2026-11-16", "2026-11-22", "2026-11-09", "2026-11-15", 7, 14},
		{Weekly, "2026-12-07", "2026-11-30", "2026-12-06", "2026-11-23", "2026-11-29", 7, 14},
		{Weekly, "2026-11-25", "2026-11-16", "2026-11-22", "2026-11-09", "2026-11-15", 7, 14}, // posted on a Wednesday: still last week
		// Monthly: last month, 28, 29, 30 and 31 days, against the whole month before.
		{Monthly, "2027-03-01", "2027-02-01", "2027-02-28", "2027-01-01", "2027-01-31", 28, 59},
		{Monthly, "2028-03-01", "2028-02-01", "2028-02-29", "2028-01-01", "2028-01-31", 29, 60},
		{Monthly, "2026-05-01", "2026-04-01", "2026-04-30", "2026-03-01", "2026-03-31", 30, 61},
		{Monthly, "2027-01-01", "2026-12-01", "2026-12-31", "2026-11-01", "2026-11-30", 31, 61},
		{Monthly, "2026-03-01", "2026-02-01", "2026-02-28", "2026-01-01", "2026-01-31", 28, 59},
	}
	for _, tt := range tests {
		p := Scheduled(tt.kind, date(tt.on))
		if p.From != date(tt.from) || p.To != date(tt.to) || p.Days() != tt.days {
			t.Errorf("%s on %s = %s (%d days), want %s – %s (%d)", tt.kind, tt.on, p, p.Days(), tt.from, tt.to, tt.days)
		}
		if prev := Previous(tt.kind, p); prev.From != date(tt.prevFrom) || prev.To != date(tt.prevTo) {
			t.Errorf("%s on %s: previous = %s, want %s – %s", tt.kind, tt.on, prev, tt.prevFrom, tt.prevTo)
		}
		if w := Window(tt.kind, p); w.Days() != tt.windowLen || w.To != p.To {
			t.Errorf("%s on %s: window = %s (%d days), want %d", tt.kind, tt.on, w, w.Days(), tt.windowLen)
		}
	}
	// A month not over is compared with as many days of the month before,
	// never past its end.
	if prev := Previous(Monthly, Period{date("2026-03-01"), date("2026-03-30")}); prev != (Period{date("2026-02-01"), date("2026-02-28")}) {
		t.Errorf("partial March against %s", prev)
	}
	if prev := Previous(Monthly, Period{date("2026-05-01"), date("2026-05-10")}); prev != (Period{date("2026-04-01"), date("2026-04-10")}) {
		t.Errorf("partial May against %s", prev)
	}
	if w := weekOf(date("2026-11-22")); w.From.Weekday() != time.Monday || w.To != date("2026-11-22") {
		t.Errorf("a Sunday's week = %s", w)
	}
	if got := months(Period{date("2026-11-30"), date("2027-01-02")}); strings.Join(got, " ") != "2026-11 2026-12 2027-01" {
		t.Errorf("months = %v", got)
	}
	if Key(Weekly, "main", Scheduled(Weekly, date("2026-11-23"))) != "report:weekly:main:2026-11-16" {
		t.Error("key")
	}
}

// weekFixture logs a week across November and December: sales of ¥60,000
// a day (Monday ¥30,000, Thursday ¥90,000), nothing on Wednesday, and the
// week before at ¥50,000 a day.
func weekFixture() Input {
	days := map[string]metric.Day{}
	p := weekOf(date("2026-12-01"))
	for i, d := range Window(Weekly, p).Dates() {
		if i < 7 {
			days[d.String()] = metric.Day{"sales": 5_000_000, "uv": 20_000, "paid": 400, "items_online": 40, "items_sold_30d": 20}
			continue
		}
		if d.Weekday() == time.Wednesday {
			continue
		}
		sales := int64(6_000_000)
		switch d.Weekday() {
		case time.Monday:
			sales = 3_000_000
		case time.Thursday:
			sales = 9_000_000
		}
		days[d.String()] = metric.Day{"sales": sales, "uv": 24_000, "paid": 480, "items_online": 40 + int64(i), "items_sold_30d": 30}
	}
	return Input{Kind: Weekly, Shop: config.Shop{ID: "main", Name: "My shop"}, Period: p, Days: days,
		Targets: map[string]map[string]int64{"2026-11": {"sales": 150_000_000}, "2026-12": {"sales": 310_000_000}}}
}

func TestWeeklyAcrossMonths(t *testing.T) {
	b := NewBuilder(testConfig(t, nil))
	in := weekFixture()
	r := b.Periodic(in)
	if r.Period != (Period{date("2026-11-30"), date("2026-12-06")}) {
		t.Fatalf("period %s", r.Period)
	}
	sales, _ := r.Total("sales")
	// Mon 30,000 + Tue 60,000 + Thu 90,000 + Fri–Sun 3 × 60,000 = 360,000.
	q := exact.Frac
	same := func(a, b exact.Num) bool { return a.OK() == b.OK() && a.Cmp(b) == 0 }
	if !same(sales.Value, q(36_000_000, 1)) || sales.Days != 6 || !same(sales.Prev, q(35_000_000, 1)) {
		t.Errorf("sales total %+v", sales)
	}
	if avg := sales.DailyAvg(); !same(avg, q(6_000_000, 1)) {
		t.Errorf("sales daily average %v", avg.Rat())
	}
	// Wednesday was not logged: the week is compared per logged day,
	// ¥60,000 against ¥50,000, not as totals that count Wednesday as 0.
	if c := sales.Change(); !same(c, q(1, 5)) || !sales.PerDay() {
		t.Errorf("sales change %v (per day %v), want +1/5 per day", c.Rat(), sales.PerDay())
	}
	if conv, _ := r.Total(metric.KeyConversionRate); !same(conv.Value, q(2, 100)) || !same(conv.Prev, q(2, 100)) {
		t.Errorf("conversion %+v", conv)
	}
	if lvl, _ := r.Total("items_online"); !same(lvl.Value, q(53, 1)) || !lvl.Level {
		t.Errorf("items online is the last value: %+v", lvl)
	}
	if st, _ := r.Total(metric.KeySellThrough); !same(st.Value, q(30, 53)) {
		t.Errorf("sell-through %+v", st)
	}
	if r.Best.Date != date("2026-12-03") || r.Best.Value != 9_000_000 || r.Worst.Date != date("2026-11-30") {
		t.Errorf("best %+v worst %+v", r.Best, r.Worst)
	}
	if len(r.NoData) != 1 || r.NoData[0] != date("2026-12-02") {
		t.Errorf("no data %v", r.NoData)
	}
	// Target: Monday is November's (¥1,500,000 ÷ 30 = ¥50,000), the rest
	// December's (¥3,100,000 ÷ 31 = ¥100,000): ¥650,000 for the week.
	if len(r.Targets) != 1 || !same(r.Targets[0].Target, q(65_000_000, 1)) || !same(r.Targets[0].Actual, q(36_000_000, 1)) || r.Targets[0].Met() {
		t.Errorf("targets %+v", r.Targets)
	}
	if r.Commissions != nil {
		t.Error("weekly reports have no commissions")
	}
	out, err := b.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	got := texts(out.Messages)
	contains(t, got,
		"# Weekly report · My shop · 2026-11-30 to 2026-12-06 (week 49)",
		"Figures logged on 6 of 7 days. Nothing logged on 12-02 (missing is not zero).",
		"*Sales* ¥360,000.00 · +20.0% per logged day vs last week (6 days logged vs 7) · daily average ¥60,000.00",
		"Sales                   ¥360,000.00  ¥60,000.00  ¥350,000.00  +20.0% /day",
		"Conversion rate               2.00%                    2.00%      0.00 pp",
		"(/day: a period has days with nothing logged, so the change compares the daily averages of the days logged, not totals (missing is not zero).)",
		"*Best day* 2026-12-03 (Thu) ¥90,000.00 · *worst day* 2026-11-30 (Mon) ¥30,000.00 (by sales)",
		"• Sales: ¥360,000.00 of ¥650,000.00 — 55.4% :x: not met",
		"(Items online, Items sold in 30 days: the last value logged, not a total.)",
		"(:bar_chart: Chart: sales, UV and conversion rate from 2026-11-23 to 2026-12-06, attached.)",
	)
	if len(out.Chart.Content) == 0 {
		t.Error("no chart")
	}
}

// TestChangeAgainstThePeriodBefore: totals are compared when both
// periods logged the metric every day (February against January's 31
// days); once either has a day not logged, daily averages of the days
// logged are, so a missing day never counts as zero. In Chinese too.
func TestChangeAgainstThePeriodBefore(t *testing.T) {
	q := exact.Frac
	for _, tt := range []struct {
		name   string
		t      Total
		want   exact.Num
		perDay bool
	}{
		{"full months", Total{Metric: true, Unit: metric.UnitMoney, Value: exact.Int(2800), Days: 28, Span: 28, Prev: exact.Int(3100), PrevDays: 31, PrevSpan: 31}, q(-300, 3100), false},
		{"this week partly", Total{Metric: true, Unit: metric.UnitCount, Value: exact.Int(500), Days: 5, Span: 7, Prev: exact.Int(700), PrevDays: 7, PrevSpan: 7}, q(0, 1), true},
		{"last week partly", Total{Metric: true, Unit: metric.UnitCount, Value: exact.Int(68_500), Days: 5, Span: 7, Prev: exact.Int(12_000), PrevDays: 1, PrevSpan: 7}, q(13_700-12_000, 12_000), true},
		{"a level", Total{Metric: true, Level: true, Unit: metric.UnitCount, Value: exact.Int(50), Days: 2, Span: 7, Prev: exact.Int(40), PrevDays: 7, PrevSpan: 7}, q(10, 40), false},
	} {
		if c := tt.t.Change(); c.Cmp(tt.want) != 0 || tt.t.PerDay() != tt.perDay {
			t.Errorf("%s: change %v per day %v, want %v %v", tt.name, c.Rat(), tt.t.PerDay(), tt.want.Rat(), tt.perDay)
		}
	}
	if got := i18n.New("en").T("report.per_day_days", 1, 5); got != "(1 day logged vs 5)" {
		t.Errorf("one day: %q", got)
	}
	b := NewBuilder(testConfig(t, func(c *config.Config) { c.Locale = "zh" }))
	out, err := b.Build(weekFixture())
	if err != nil {
		t.Fatal(err)
	}
	contains(t, texts(out.Messages), "*销售额* ¥360,000.00 · 较上周 日均 +20.0% (有记录 6 天 / 上期 7 天) · 日均 ¥60,000.00", "+20.0% /日",
		"/日:有一期存在未记录的日期,变化按有记录日期的日均比较,而非合计(缺失不等于零)。")
}

// TestPeriodKPIsUseMatchingDays: a week where orders were logged on one
// day and paid orders on two has the payment rate of that one day, not
// 648 ÷ 310.
func TestPeriodKPIsUseMatchingDays(t *testing.T) {
	b := NewBuilder(testConfig(t, nil))
	p := weekOf(date("2026-11-16"))
	in := Input{Kind: Weekly, Shop: config.Shop{ID: "main"}, Period: p, Days: map[string]metric.Day{
		"2026-11-21": {"paid": 400, "uv": 20_000, "sales": 6_000_000},
		"2026-11-22": {"paid": 248, "orders": 310, "uv": 12_400, "sales": 4_560_050, "ad_search": 1_000_000,
			"ad_display": 0, "ad_affiliate": 0, "shipping_cost": 0, "discounts": 0},
	}}
	r := b.Periodic(in)
	want := map[string]exact.Num{
		metric.KeyPaymentRate:    exact.Frac(248, 310),             // the one day with both
		metric.KeyConversionRate: exact.Frac(648, 32_400),          // both days
		metric.KeyROI:            exact.Frac(4_560_050, 1_000_000), // the one day with every cost
	}
	for key, v := range want {
		if got, _ := r.Total(key); !got.OK || got.Value.Cmp(v) != 0 {
			t.Errorf("%s = %+v, want %v", key, got, v.Rat())
		}
	}
	if paid, _ := r.Total("paid"); paid.Value.Cmp(exact.Int(648)) != 0 {
		t.Errorf("paid total %v", paid.Value.Rat())
	}
}

func TestMonthlyTargetsAndLengths(t *testing.T) {
	b := NewBuilder(testConfig(t, nil))
	for _, month := range []string{"2027-02-01", "2026-04-01", "2026-12-01"} {
		p := monthOf(date(month))
		days := map[string]metric.Day{}
		for _, d := range Window(Monthly, p).Dates() {
			days[d.String()] = metric.Day{"sales": 100_000, "paid": 2}
		}
		in := Input{Kind: Monthly, Shop: config.Shop{ID: "main", Name: "M"}, Period: p, Days: days,
			Targets: map[string]map[string]int64{p.From.MonthString(): {"sales": int64(p.Days()) * 100_000}}}
		r := b.Periodic(in)
		sales, _ := r.Total("sales")
		prev := Previous(Monthly, p).Days()
		if sales.Value.Cmp(exact.Int(int64(p.Days())*100_000)) != 0 || sales.Prev.Cmp(exact.Int(int64(prev)*100_000)) != 0 {
			t.Errorf("%s: sales %v against %v", month, sales.Value.Rat(), sales.Prev.Rat())
		}
		if len(r.Targets) != 1 || !r.Targets[0].Met() || r.Targets[0].Days != p.Days() {
			t.Errorf("%s: targets %+v", month, r.Targets)
		}
		if len(r.Chart) != p.Days() {
			t.Errorf("%s: chart of %d days", month, len(r.Chart))
		}
	}
}

func TestCommissionArithmetic(t *testing.T) {
	cfg := testConfig(t, func(c *config.Config) {
		c.Roles = map[string][]string{"cs": {"amy", "ben", "cat"}, "warehouse": {"wu"}, "data": nil, "marketing": {"ma"}}
	})
	// ¥100,000.75 of sales and 10,000 paid orders; target ¥100,000.
	basis := func(sales, paid int64) Basis {
		return Basis{Sales: exact.Int(sales), Paid: exact.Int(paid), SalesDays: 30, PaidDays: 30, Days: 30}
	}
	cs := Commissions(cfg, basis(10_000_075, 10_000), exact.Int(10_000_000))
	want := []struct {
		role   string
		pool   int64
		unpaid string
		shares []int64
	}{
		{"cs", 200_002, "", []int64{66_668, 66_667, 66_667}}, // 2% of 10,000,075 fen = 200,001.5 → 200,002
		{"warehouse", 1_000_000, "", []int64{1_000_000}},     // ¥1.00 × 10,000
		{"data", 500_000, UnpaidNoMembers, nil},              // ¥0.50 × 10,000, nobody to pay
		{"marketing", 100_001, "", []int64{100_001}},         // 1% = 100,000.75 → 100,001, target met
	}
	if len(cs) != len(want) {
		t.Fatalf("%d roles", len(cs))
	}
	for i, w := range want {
		c := cs[i]
		var shares []int64
		var sum int64
		for _, s := range c.Shares {
			shares = append(shares, s.Amount.Int64())
			sum += s.Amount.Int64()
		}
		pool := exact.RoundInt(c.Pool).Int64()
		if c.Role != w.role || pool != w.pool || c.Unpaid != w.unpaid || fmt.Sprint(shares) != fmt.Sprint(w.shares) {
			t.Errorf("%s: pool %d unpaid %q shares %v; want %d %q %v", c.Role, pool, c.Unpaid, shares, w.pool, w.unpaid, w.shares)
		}
		if c.Unpaid == "" && sum != pool {
			t.Errorf("%s: shares add up to %d, not the pool %d", c.Role, sum, pool)
		}
	}
	// DOMAIN.md's example: 2% of ¥100,000 is ¥2,000.
	if c := Commissions(cfg, basis(10_000_000, 0), exact.Missing)[0]; c.Pool.Cmp(exact.Int(200_000)) != 0 {
		t.Errorf("2%% of ¥100,000 = %v fen", c.Pool.Rat())
	}
	// Marketing: a fen short of the target pays nothing; no target neither.
	if c := Commissions(cfg, basis(9_999_999, 0), exact.Int(10_000_000))[3]; c.Unpaid != UnpaidTarget || c.Shares != nil {
		t.Errorf("target missed: %+v", c)
	}
	if c := Commissions(cfg, basis(9_999_999, 0), exact.Missing)[3]; c.Unpaid != UnpaidNoTarget {
		t.Errorf("no target: %+v", c)
	}
	for _, tt := range []struct {
		total int64
		n     int
		want  string
	}{{100, 3, "[34 33 33]"}, {2, 3, "[1 1 0]"}, {0, 2, "[0 0]"}, {5, 0, "[]"}} {
		if got := fmt.Sprint(exact.Split(big.NewInt(tt.total), tt.n)); got != tt.want {
			t.Errorf("Split(%d, %d) = %s, want %s", tt.total, tt.n, got, tt.want)
		}
	}
}

func TestMonthlyCommissionTable(t *testing.T) {
	cfg := testConfig(t, func(c *config.Config) {
		c.Roles = map[string][]string{"cs": {"amy", "ben"}, "warehouse": {"wu"}, "marketing": {"ma"}}
	})
	b := NewBuilder(cfg)
	p := monthOf(date("2026-11-01"))
	days := map[string]metric.Day{}
	for _, d := range p.Dates() {
		days[d.String()] = metric.Day{"sales": 333_333, "paid": 3}
	}
	in := Input{Kind: Monthly, Shop: config.Shop{ID: "main", Name: "My shop"}, Period: p, Days: days,
		Targets: map[string]map[string]int64{"2026-11": {"sales": 20_000_000}}}
	got := texts(b.RenderPeriodic(b.Periodic(in)).Messages)
	// 30 × ¥3,333.33 = ¥99,999.90; 2% = ¥1,999.998 → ¥2,000.00.
	contains(t, got,
		"# Monthly report · My shop · 2026-11",
		"*Commissions* on sales of ¥99,999.90 and 90 paid orders:",
		"Customer service  2.00% of sales",
		"¥2,000.00  amy     ¥1,000.00",
		"ben     ¥1,000.00",
		"Warehouse         ¥1.00 per paid order",
		"¥90.00  wu         ¥90.00",
		"• Data: nobody is listed under `roles.data` in the config, so the pool is not split.",
		"• Marketing: the sales target was not met, so nothing is paid.",
		"Total",
		"¥2,090.00",
	)
}

// TestCommissionsWithNobodyToPay: a month logged on some days, no one
// listed under any role and no target: every figure names its coverage
// after itself, and no amount reads ¥0.00, which would look like a
// settled "pay nothing" (issue 16 item 3).
func TestCommissionsWithNobodyToPay(t *testing.T) {
	for _, tt := range []struct {
		locale string
		want   []string
	}{
		{"en", []string{
			"*Commissions* on sales of ¥3,000.00 (logged on 3 of 30 days) and 30 paid orders (logged on 3 of 30 days):",
			"Customer service  2.00% of sales                             ¥60.00  —            —",
			"Total                                                                             —",
			"• Marketing: paid only when the sales target is met, and no sales target was set",
		}},
		{"zh", []string{
			"*提成*(销售额 ¥3,000.00 (30 天中有 3 天有记录),付款订单 30 笔 (30 天中有 3 天有记录)):",
			"客服       销售额的 2.00%                   ¥60.00  —        —",
			"• 推广/市场:需达成销售目标才发放,而本月未设销售目标",
		}},
	} {
		t.Run(tt.locale, func(t *testing.T) {
			b := NewBuilder(testConfig(t, func(c *config.Config) {
				c.Locale = tt.locale
				c.Roles = map[string][]string{}
			}))
			p := monthOf(date("2026-11-01"))
			days := map[string]metric.Day{}
			for _, d := range p.Dates()[:3] {
				days[d.String()] = metric.Day{"sales": 100_000, "paid": 10}
			}
			got := texts(b.RenderPeriodic(b.Periodic(Input{Kind: Monthly, Shop: config.Shop{ID: "main", Name: "My shop"}, Period: p, Days: days})).Messages)
			contains(t, got, tt.want...)
			if strings.Contains(got, "¥0.00") {
				t.Errorf("an amount of ¥0.00 with nobody to pay:\n%s", got)
			}
		})
	}
}

// largeFixture is a team far past what one message holds: 600 metrics,
// 60 checklists, 120 people, a role of 80, with data on every day.
func largeFixture(t *testing.T, kind Kind) (*Builder, Input) {
	t.Helper()
	cfg := testConfig(t, func(c *config.Config) {
		for i := range 582 {
			c.Metrics = append(c.Metrics, config.Metric{Key: fmt.Sprintf("extra_metric_with_a_long_key_%03d", i), Kind: "money",
				Name: i18n.Text{En: fmt.Sprintf("An extra metric with a very long name, number %d", i), Zh: fmt.Sprintf("额外指标第%d号", i)}})
		}
		for i := range 60 {
			c.Checklists = append(c.Checklists, config.Checklist{ID: fmt.Sprintf("extra-%d", i), Title: i18n.Text{En: fmt.Sprintf("Extra checklist with a long title %d", i)}})
		}
		var cs []string
		for i := range 80 {
			cs = append(cs, fmt.Sprintf("customer-service-agent-%02d", i))
		}
		c.Roles["cs"] = cs
	})
	b := NewBuilder(cfg)
	on := date("2026-12-01")
	p := Scheduled(kind, on)
	days := map[string]metric.Day{}
	for i, d := range Window(kind, p).Dates() {
		day := metric.Day{}
		for j, m := range cfg.Metrics {
			day[m.Key] = int64(1_000_000_000 + i*7919 + j*104_729)
			if d == p.To {
				day[m.Key] *= 2 // every figure an anomaly
			}
		}
		day["uv"] = int64(10_000 + i*3000%7000)
		days[d.String()] = day
	}
	targets := map[string]int64{}
	for _, m := range cfg.Metrics {
		targets[m.Key] = 9_000_000_000_000
	}
	var runs []Run
	due := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
	for i := range 60 {
		r := Run{Checklist: fmt.Sprintf("extra-%d", i), State: checkrun.Posted, Items: 40, Due: due}
		for j := range 40 {
			r.Done = append(r.Done, Done{Idx: j, By: fmt.Sprintf("person-with-a-long-name-%03d", (i*40+j)%120), At: due})
		}
		runs = append(runs, r)
	}
	return b, Input{Kind: kind, Shop: config.Shop{ID: "main", Name: strings.Repeat("A very long shop name ", 10)}, Period: p, Days: days,
		Targets: map[string]map[string]int64{"2026-10": targets, "2026-11": targets}, Runs: runs,
		SLA: &tracked.Stats{Opened: 1000, Resolved: 990, Median: time.Hour}}
}

func TestLimitsOnALargeFixture(t *testing.T) {
	for _, kind := range Kinds() {
		t.Run(string(kind), func(t *testing.T) {
			b, in := largeFixture(t, kind)
			out, err := b.Build(in)
			if err != nil {
				t.Fatal(err)
			}
			if err := CheckLimits(out.Messages); err != nil {
				t.Fatal(err)
			}
			if len(out.Messages) < 2 {
				t.Errorf("%d message(s): the fixture is meant to need several", len(out.Messages))
			}
			for i, m := range out.Messages {
				h, ok := m.Blocks[0].(*slack.HeaderBlock)
				if !ok {
					t.Fatalf("message %d does not start with a header", i+1)
				}
				if i > 0 && !strings.HasSuffix(h.Text.Text, fmt.Sprintf("(%d/%d)", i+1, len(out.Messages))) {
					t.Errorf("message %d header %q", i+1, h.Text.Text)
				}
			}
		})
	}
}

func TestCheckLimitsCatchesBreaches(t *testing.T) {
	var blocks []slack.Block
	for range 51 {
		blocks = append(blocks, chat.Section("x"))
	}
	// Built by hand: chat.Section itself cuts at 3,000.
	long := slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, strings.Repeat("y", 3001), false, false), nil, nil)
	header := slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, strings.Repeat("h", 151), false, false))
	err := CheckLimits([]chat.Reply{{Blocks: blocks}, {Blocks: []slack.Block{long, header}}})
	if err == nil {
		t.Fatal("no error")
	}
	contains(t, err.Error(), "message 1: 51 blocks", "message 2 block 1: section of 3001 characters", "message 2 block 2: header over 150")
}

func TestSplitters(t *testing.T) {
	var lines []string
	for i := range 200 {
		lines = append(lines, fmt.Sprintf("line %03d %s", i, strings.Repeat("z", 40)))
	}
	lines = append(lines, strings.Repeat("w", 5000))
	secs := textSections(lines)
	if err := CheckLimits([]chat.Reply{{Blocks: secs}}); err != nil {
		t.Fatal(err)
	}
	if got := texts([]chat.Reply{{Blocks: secs}}); !strings.Contains(got, "line 000") || !strings.Contains(got, "line 199") {
		t.Error("lines lost")
	}
	rows := [][]string{{"Name", "Value"}}
	for i := range 300 {
		rows = append(rows, []string{fmt.Sprintf("row %d", i), "12,345"})
	}
	tables := tableSections("*Title*", rows, []bool{false, true})
	if len(tables) < 2 {
		t.Fatalf("%d sections", len(tables))
	}
	for _, s := range tables {
		text := s.(*slack.SectionBlock).Text.Text
		if !strings.Contains(text, "Name") || strings.Count(text, "```") != 2 {
			t.Errorf("a table section without its header row or fences:\n%.200s", text)
		}
	}
	pages := paginate("T", "T", append(secs, tables...), func(i, n int) string { return fmt.Sprintf("T (%d/%d)", i, n) })
	if err := CheckLimits(pages); err != nil {
		t.Fatal(err)
	}
}

func TestShortDates(t *testing.T) {
	var ds []civil.Date
	for _, s := range []string{"2027-02-01", "2027-02-02", "2027-02-03", "2027-02-05", "2027-02-06", "2027-02-09", "2027-02-28", "2027-03-01"} {
		ds = append(ds, date(s))
	}
	if got := shortDates(ds); got != "02-01–02-03, 02-05, 02-06, 02-09, 02-28, 03-01" {
		t.Errorf("got %s", got)
	}
}
