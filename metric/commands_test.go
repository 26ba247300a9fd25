package metric_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers/handlerstest"
	"opsbot/store"
)

func TestLogAndShowTheREADMEExample(t *testing.T) {
	f := handlerstest.New(t, nil)
	r := f.Do("alice", "/metric uv=12000 paid=240 orders=300 sales=36000")
	if r.Ephemeral {
		t.Error("logged figures are for the team to see, not ephemeral")
	}
	got := bot.RenderText(r.Blocks)
	handlerstest.Contains(t, got, "alice logged for My shop on 2026-11-22 (Sun)", "12,000", "¥36,000.00", "Conversion rate 2.00%", "Payment rate 80.0%", "Average order value ¥150.00")

	want := map[string]int64{"uv": 12000, "paid": 240, "orders": 300, "sales": 3_600_000}
	if got := f.Day("main", "2026-11-22"); len(got) != 4 || got["sales"] != want["sales"] || got["uv"] != 12000 {
		t.Errorf("stored %v, want %v", got, want)
	}

	show := f.Text("alice", "/metric show")
	handlerstest.Contains(t, show, "My shop — 2026-11-22 (Sun)", "2.00%", "80.0%", "¥150.00", "Not logged (missing is not zero): Page views (PV)")
	if strings.Contains(show, "NaN") || strings.Contains(show, "Inf") {
		t.Errorf("show prints NaN/Inf:\n%s", show)
	}
}

func TestLogParsesEveryFormatAndChineseKeys(t *testing.T) {
	f := handlerstest.New(t, nil)
	f.Do("alice", "/metric 访客数=1.2万 浏览量=35,000 收订=420 付款=380 销售额=¥45,600.50 退款=3 咨询=90 直通车=1,000 钻展=500.5 淘宝客=¥20 date=2026-11-20")
	got := f.Day("main", "2026-11-20")
	want := map[string]int64{"uv": 12000, "pv": 35000, "orders": 420, "paid": 380, "sales": 4_560_050, "refunds": 3, "inquiries": 90, "ad_search": 100_000, "ad_display": 50_050, "ad_affiliate": 2000}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d", k, got[k], v)
		}
	}
	f.Do("alice", "/ops metric UV=10 日期=昨天")
	if f.Day("main", "2026-11-22")["uv"] != 10 {
		t.Error("/ops metric with 日期=昨天 did not log yesterday")
	}
	f.Do("alice", "/metric uv=11 date=today")
	if f.Day("main", "2026-11-23")["uv"] != 11 {
		t.Error("date=today did not log today")
	}
}

func TestBadTokensStoreNothing(t *testing.T) {
	tests := []struct {
		name  string
		line  string
		wants []string
	}{
		{"unknown key", "/metric uv=100 visitors=5", []string{"`visitors=5`", "unknown metric `visitors`"}},
		{"not a number", "/metric uv=100 paid=lots", []string{"`paid=lots`", "not a number"}},
		{"negative", "/metric uv=-1 paid=2", []string{"`uv=-1`", "cannot be negative"}},
		{"count with a fraction", "/metric uv=100 orders=2.5", []string{"`orders=2.5`", "whole number"}},
		{"money with three decimals", "/metric uv=100 sales=1.005", []string{"`sales=1.005`", "at most 2 decimals"}},
		{"future date", "/metric uv=100 date=2026-11-24", []string{"`date=2026-11-24`", "in the future"}},
		{"malformed date", "/metric uv=100 date=22/11/2026", []string{"`date=22/11/2026`", "YYYY-MM-DD"}},
		{"impossible date", "/metric uv=100 date=2026-02-30", []string{"`date=2026-02-30`", "not a date"}},
		{"unknown shop", "/metric uv=100 shop=nowhere", []string{"Unknown shop `nowhere`", "`main`"}},
		{"no separator", "/metric uv 100", []string{"`uv` is not `key=value`"}},
		{"twice", "/metric uv=1 访客数=2", []string{"`uv` is given twice"}},
		{"currency on a count", "/metric uv=¥100", []string{"drop the currency sign"}},
		{"nothing", "/metric", []string{"Nothing to log"}},
		{"only a date", "/metric date=yesterday", []string{"Nothing to log"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := handlerstest.New(t, nil)
			r := f.Do("alice", tt.line)
			if !r.Ephemeral {
				t.Error("an error must be ephemeral")
			}
			got := bot.RenderText(r.Blocks)
			handlerstest.Contains(t, got, tt.wants...)
			for _, d := range []string{"2026-11-22", "2026-11-23"} {
				if m := f.Day("main", d); len(m) != 0 {
					t.Errorf("stored %v on %s despite a bad token", m, d)
				}
			}
			if a := f.Audit(); len(a) != 0 {
				t.Errorf("audit has %d entries despite a bad token", len(a))
			}
		})
	}
}

func TestEveryProblemIsListed(t *testing.T) {
	f := handlerstest.New(t, nil)
	got := f.Text("alice", "/metric uv=abc foo=1 paid=-3")
	handlerstest.Contains(t, got, "Nothing was stored. 3 problems", "`uv=abc`", "`foo=1`", "`paid=-3`")
}

func TestReplaceShowsOldValueAndAudits(t *testing.T) {
	f := handlerstest.New(t, nil)
	f.Do("alice", "/metric uv=12000 sales=100")
	f.Clock.Advance(time.Hour)
	got := f.Text("bob", "/metric uv=12,500 sales=100")
	handlerstest.Contains(t, got, "12,500", "(was 12,000)", "(unchanged)")
	if v := f.Day("main", "2026-11-22")["uv"]; v != 12500 {
		t.Errorf("uv = %d after replace, want 12500", v)
	}
	a, err := f.Store.Audit(context.Background(), store.AuditFilter{Subject: "2026-11-22 uv"})
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 2 {
		t.Fatalf("audit has %d uv entries, want 2", len(a))
	}
	latest := a[0]
	if latest.Actor != "bob" || latest.Action != "metric.set" || latest.OldValue == nil || *latest.OldValue != "12000" || *latest.NewValue != "12500" {
		t.Errorf("latest audit = %+v (old %v), want bob 12000→12500", latest, latest.OldValue)
	}
	if !latest.At.Equal(f.Clock.Now()) {
		t.Errorf("audit time %v, want %v", latest.At, f.Clock.Now())
	}
	if a[1].OldValue != nil || a[1].Actor != "alice" {
		t.Errorf("first audit = %+v, want alice with no old value", a[1])
	}
}

func TestShowComparesWithTheDayBefore(t *testing.T) {
	f := handlerstest.New(t, nil)
	f.Do("alice", "/metric date=2026-11-21 uv=10000 paid=200 sales=20000")
	f.Do("alice", "/metric date=2026-11-22 uv=12000 paid=240 sales=36000")
	got := f.Text("alice", "/metric show 2026-11-22")
	handlerstest.Contains(t, got, "Δ vs 11-21", "+2,000", "+20.0%", "+¥16,000.00", "+80.0%", " 0.00 pp", "+¥50.00")
	got = f.Text("alice", "/metric show date=2026-11-21")
	handlerstest.Contains(t, got, "2026-11-21 (Sat)", "10,000")
	got = f.Text("alice", "/metric show 2026-11-10")
	handlerstest.Contains(t, got, "Nothing was logged for 2026-11-10 yet")
	got = f.Text("alice", "/metric show tomorrow")
	handlerstest.Contains(t, got, "Could not answer", "`tomorrow`")
}

// TestShowAFallingROI: a fall of a ratio carries one minus, never "+-".
func TestShowAFallingROI(t *testing.T) {
	f := handlerstest.New(t, nil)
	// Every cost logged: ROI is not computed from a part of them (issue 15).
	costs := " ad_display=0 ad_affiliate=0 shipping_cost=0 discounts=0"
	f.Do("alice", "/metric date=2026-11-21 sales=20000 ad_search=5000"+costs)
	f.Do("alice", "/metric date=2026-11-22 sales=15000 ad_search=5000"+costs)
	got := f.Text("alice", "/metric show 2026-11-22")
	handlerstest.Contains(t, got, "3.00", "−1.00", "−25.0%")
	if strings.Contains(got, "+-") {
		t.Errorf("a fall is shown as +-:\n%s", got)
	}
}

func TestTargetsAreForManagers(t *testing.T) {
	f := handlerstest.New(t, nil)
	got := f.Text("alice", "/metric target sales=1,500,000 month=2026-11")
	handlerstest.Contains(t, got, "Only managers may set targets (managers: boss)")
	if tg, _ := f.Store.Targets(context.Background(), "main", "2026-11"); len(tg) != 0 {
		t.Fatalf("a non-manager set targets: %v", tg)
	}

	got = f.Text("boss", "/metric target sales=1,500,000 month=2026-11")
	handlerstest.Contains(t, got, "boss set the targets of My shop for 2026-11", "¥1,500,000.00 for the month, ¥50,000.00 a day over 30 days")
	got = f.Text("boss", "/metric 目标 销售额=1,800,000")
	handlerstest.Contains(t, got, "(was ¥1,500,000.00)", "¥60,000.00 a day")

	f.Do("alice", "/metric sales=24000 date=2026-11-22")
	show := f.Text("alice", "/metric show")
	handlerstest.Contains(t, show, "• ⚠️ Sales: ¥24,000.00 against the daily target ¥60,000.00 — 40.0% of the daily target (below the 50% line)", "month to date (2026-11): ¥24,000.00 of ¥1,800,000.00 — 1.3%")

	for _, bad := range []string{"/metric target sales=0", "/metric target sales=1 month=2026-13", "/metric target", "/metric target bogus=1"} {
		if r := f.Do("boss", bad); !r.Ephemeral {
			t.Errorf("%s was accepted: %s", bad, bot.RenderText(r.Blocks))
		}
	}
}

func TestExportCSV(t *testing.T) {
	f := handlerstest.New(t, nil)
	f.Do("alice", "/metric date=2026-11-20 uv=100 paid=2 sales=12.50")
	f.Do("alice", "/metric date=2026-11-22 uv=200")
	r := f.Do("alice", "/metric export 2026-11-20 yesterday")
	if len(r.Files) != 1 {
		t.Fatalf("export attached %d files", len(r.Files))
	}
	file := r.Files[0]
	if file.Name != "opsbot-main-2026-11-20-2026-11-22.csv" || file.MimeType != "text/csv" {
		t.Errorf("file = %s %s", file.Name, file.MimeType)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(file.Content), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want header + 3 days", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if rows[1][col["date"]] != "2026-11-20" || rows[1][col["uv"]] != "100" || rows[1][col["sales"]] != "12.50" || rows[1][col["conversion_rate"]] != "2.00" || rows[1][col["aov"]] != "6.25" {
		t.Errorf("first row = %v", rows[1])
	}
	if rows[2][col["date"]] != "2026-11-21" || rows[2][col["uv"]] != "" {
		t.Errorf("a day with no data must be a row of blanks: %v", rows[2])
	}
	handlerstest.Contains(t, bot.RenderText(r.Blocks), "Exported 3 days (2 with data)")

	for _, bad := range []string{"/metric export", "/metric export 2026-11-22 2026-11-20", "/metric export 2020-01-01 2026-11-20", "/metric export 2026-11-01 x=1"} {
		if r := f.Do("alice", bad); len(r.Files) != 0 || !r.Ephemeral {
			t.Errorf("%s exported", bad)
		}
	}
}

func TestShopsAreKeptApart(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) {
		c.Shops = []config.Shop{
			{ID: "main", Name: "Taobao C-shop", Channels: []string{"#shop-ops"}},
			{ID: "tmall", Name: "Tmall flagship", Channels: []string{"#tmall-ops"}},
		}
	})
	f.Do("alice", "/metric uv=100")
	f.Do("alice", "/metric uv=999 shop=tmall")
	if f.Day("main", "2026-11-22")["uv"] != 100 || f.Day("tmall", "2026-11-22")["uv"] != 999 {
		t.Errorf("shops mixed: main %v tmall %v", f.Day("main", "2026-11-22"), f.Day("tmall", "2026-11-22"))
	}
	r := f.Router.Handle(context.Background(), chat.Command{UserID: "a", ChannelName: "random", Name: "/metric", Text: "uv=5", At: f.Clock.Now()})
	handlerstest.Contains(t, bot.RenderText(r.Blocks), "Which shop?", "`main`, `tmall`")
	r = f.Router.Handle(context.Background(), chat.Command{UserID: "a", ChannelName: "tmall-ops", Name: "/metric", Text: "uv=7", At: f.Clock.Now()})
	if f.Day("tmall", "2026-11-22")["uv"] != 7 {
		t.Errorf("the channel's shop was not the default: %s", bot.RenderText(r.Blocks))
	}
}

func TestUserTextIsEscaped(t *testing.T) {
	f := handlerstest.New(t, nil)
	for _, line := range []string{"/metric <!channel>=1", "/metric uv=<https://evil|click>", "/metric uv=1 shop=<!here>", "/<!channel>"} {
		r := f.Do("alice", line)
		for _, b := range r.Blocks {
			raw := handlerstest.RawText(b)
			if strings.Contains(raw, "<!") || strings.Contains(raw, "<http") {
				t.Errorf("%s: reply carries unescaped user text: %s", line, raw)
			}
		}
	}
	got := f.Text("alice", "/metric uv=<https://evil|click>")
	handlerstest.Contains(t, got, "<https://evil|click>")
}
