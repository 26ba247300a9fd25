package report_test

import (
	"bytes"
	"fmt"
	"image/png"
	"strings"
	"testing"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers/handlerstest"
)

// logKinds logs 14 days (2026-11-09 to 11-22) of a bounce rate and an
// average visit length: 30.17% up by a point a day, and 1:35 and 2:35 in
// turn; sales ¥1,000 of 100 visitors.
func logKinds(f *handlerstest.Fixture) {
	f.T.Helper()
	for i := range 14 {
		d := fmt.Sprintf("2026-11-%02d", 9+i)
		f.Do("alice", fmt.Sprintf("/metric bounce_rate=%d.17%% avg_visit=00:0%d:35 sales=1000 uv=100 date=%s", 30+i, 1+i%2, d))
	}
}

// Issue 18, item 3: percent and duration metrics reach the reports, the
// anomalies and the limits, shown in their units (3.17%, 1:35), never as
// raw basis points or seconds.
func TestPercentAndDurationInReports(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) {
		c.Reports.Limits = map[string]config.Limit{"bounce_rate": {Ceiling: "50%"}, "avg_visit": {Floor: "1:30"}}
	})
	logKinds(f)
	// The last day jumps: a bounce rate far over its ceiling, a visit
	// length under its floor.
	f.Do("alice", "/metric bounce_rate=63.17% avg_visit=1:05 date=2026-11-22")
	digest := f.Text("alice", "/ops digest")
	handlerstest.Contains(t, digest,
		"Bounce rate                63.17%   +21.00 pp              +61.3%",
		"Average visit length         1:05       −0:30              −46.2%",
		"• Bounce rate +61% vs 7-day average (63.17% vs 39.17%)",
		"• Average visit length −46% vs 7-day average (1:05 vs 2:01)",
		"• Bounce rate 63.17% is above its ceiling of 50.00%.",
		"• Average visit length 1:05 is below its floor of 1:30.")
	for _, raw := range []string{"6317", " 65 ", "6,317"} {
		if strings.Contains(digest, raw) {
			t.Errorf("the digest shows a raw figure %q:\n%s", raw, digest)
		}
	}
	// The week: shares and lengths of time are averaged over their days,
	// and change by points and by m:ss against the week before.
	handlerstest.Contains(t, f.Text("alice", "/ops report weekly"),
		"Bounce rate              43.03%     43.03%     33.17%  +9.86 pp",
		"Average visit length       1:56       1:56       2:01     −0:04",
		"UV value                 ¥10.00                ¥10.00      0.0%")
}

// Issue 18, item 3: /ops chart draws any figure (percent, duration, UV
// value) in its units, over the days asked for.
func TestChartCommand(t *testing.T) {
	f := handlerstest.New(t, nil)
	logKinds(f)
	r := f.Do("alice", "/ops chart bounce_rate avg_visit uv_value")
	handlerstest.Contains(t, bot.RenderText(r.Blocks), "Bounce rate, Average visit length, UV value · My shop · 2026-11-09 to 2026-11-22: chart attached.")
	if len(r.Files) != 1 || r.Files[0].MimeType != "image/png" || r.Files[0].Name != "opsbot-chart-main-bounce_rate-avg_visit-uv_value-2026-11-09-2026-11-22.png" {
		t.Fatalf("%d files, first named %q", len(r.Files), firstName(r.Files))
	}
	img, err := png.Decode(bytes.NewReader(r.Files[0].Content))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if s := img.Bounds().Size(); s.X != 1200 || s.Y != 600 {
		t.Errorf("chart is %v", s)
	}
	// Names in Chinese, a month, a range, days=N; the reports' figures
	// when none is named.
	for line, want := range map[string]string{
		"/ops 图表 跳失率 停留时长 UV价值 2026-11":    "Bounce rate, Average visit length, UV value · My shop · 2026-11-01 to 2026-11-23",
		"/ops chart UV价值 2026-11-01 11-15": "UV value · My shop · 2026-11-01 to 2026-11-15",
		"/ops chart sales days=30":         "Sales · My shop · 2026-10-24 to 2026-11-22",
		"/ops chart 2026-11-20":            "Sales, Unique visitors (UV), Conversion rate · My shop · 2026-11-07 to 2026-11-20",
	} {
		r := f.Do("alice", line)
		handlerstest.Contains(t, bot.RenderText(r.Blocks), want)
		if len(r.Files) != 1 {
			t.Errorf("%s: no chart", line)
		}
	}
	// Bad input: a clear reply, no chart.
	for line, want := range map[string]string{
		"/ops chart bounce_rat":               "`bounce_rat` is not a date. Accepted: YYYY-MM-DD (2026-11-20), 2026.11.20, 2026/11/20, 11-20, 11/20, 11月20日, 2026年11月20日, `today`, `yesterday`, 今天, 昨天, 前天. Nor is `bounce_rat` a figure: figures are metric keys such as `uv`",
		"/ops chart uv pv sales paid orders":  "5 figures named; one chart draws at most 4.",
		"/ops chart uv days=200":              "`days=200` — give a number of days from 2 to 92.",
		"/ops chart uv 2026-01-01 2026-11-01": "That range has 305 days; one chart draws at most 92.",
		"/ops chart uv 2026-11 days=3":        "Give the days one way",
		"/ops chart uv color=red":             "`/ops chart` takes figures, dates, `days=N` and `shop=…`",
		"/ops chart refund_rate":              "Nothing to draw: Refund rate of My shop was not logged from 2026-11-09 to 2026-11-22.",
		"/ops chart uv 2026-11-22 2026-11-01": "The range runs backwards",
		"/ops chart uv shop=nowhere":          "nowhere",
	} {
		r := f.Do("alice", line)
		handlerstest.Contains(t, bot.RenderText(r.Blocks), want)
		if len(r.Files) != 0 {
			t.Errorf("%s: a chart came with a refusal", line)
		}
	}
}

// firstName names the first file, to say what came without printing it.
func firstName(files []chat.File) string {
	if len(files) == 0 {
		return ""
	}
	return files[0].Name
}

func TestChartCommandInChinese(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) { c.Locale = "zh" })
	logKinds(f)
	r := f.Do("alice", "/ops chart 跳失率 平均停留时长")
	handlerstest.Contains(t, bot.RenderText(r.Blocks), "跳失率、平均停留时长 · My shop · 2026-11-09 至 2026-11-22:图表见附件。")
	if len(r.Files) != 1 {
		t.Fatal("no chart")
	}
}
