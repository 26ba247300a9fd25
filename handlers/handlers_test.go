package handlers_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers"
	"opsbot/store"
)

// fixture is a router on a real SQLite file, at 2026-11-23 09:00 Shanghai.
type fixture struct {
	t      *testing.T
	router *handlers.Router
	store  *store.Store
	clock  *clockwork.FakeClock
	cfg    *config.Config
}

func newFixture(t *testing.T, edit func(*config.Config)) *fixture {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Managers = []string{"boss"}
	if edit != nil {
		edit(cfg)
	}
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 23, 9, 0, 0, 0, cfg.Location))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return &fixture{t: t, router: handlers.New(cfg, st, clock, log), store: st, clock: clock, cfg: cfg}
}

// do runs a command as typed ("/metric uv=1") by a user in #shop-ops.
func (f *fixture) do(user, line string) chat.Reply {
	f.t.Helper()
	name, text, _ := strings.Cut(line, " ")
	return f.router.Handle(context.Background(), chat.Command{
		UserID: user, UserName: user, ChannelName: "shop-ops", Name: name, Text: text, At: f.clock.Now(),
	})
}

// text runs a command and renders the reply as the console shows it.
func (f *fixture) text(user, line string) string {
	f.t.Helper()
	return bot.RenderText(f.do(user, line).Blocks)
}

func contains(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("reply lacks %q:\n%s", w, got)
		}
	}
}

func (f *fixture) day(shop, day string) map[string]int64 {
	f.t.Helper()
	m, err := f.store.DayMetrics(context.Background(), shop, day)
	if err != nil {
		f.t.Fatal(err)
	}
	return m
}

func (f *fixture) audit() []store.AuditEntry {
	f.t.Helper()
	a, err := f.store.Audit(context.Background(), store.AuditFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func TestLogAndShowTheREADMEExample(t *testing.T) {
	f := newFixture(t, nil)
	r := f.do("alice", "/metric uv=12000 paid=240 orders=300 sales=36000")
	if r.Ephemeral {
		t.Error("logged figures are for the team to see, not ephemeral")
	}
	got := bot.RenderText(r.Blocks)
	contains(t, got, "alice logged for My shop on 2026-11-22 (Sun)", "12,000", "¥36,000.00", "Conversion rate 2.00%", "Payment rate 80.0%", "Average order value ¥150.00")

	want := map[string]int64{"uv": 12000, "paid": 240, "orders": 300, "sales": 3_600_000}
	if got := f.day("main", "2026-11-22"); len(got) != 4 || got["sales"] != want["sales"] || got["uv"] != 12000 {
		t.Errorf("stored %v, want %v", got, want)
	}

	show := f.text("alice", "/metric show")
	contains(t, show, "My shop — 2026-11-22 (Sun)", "2.00%", "80.0%", "¥150.00", "Not logged (missing is not zero): Page views (PV)")
	if strings.Contains(show, "NaN") || strings.Contains(show, "Inf") {
		t.Errorf("show prints NaN/Inf:\n%s", show)
	}
}

func TestLogParsesEveryFormatAndChineseKeys(t *testing.T) {
	f := newFixture(t, nil)
	f.do("alice", "/metric 访客数=1.2万 浏览量=35,000 收订=420 付款=380 销售额=¥45,600.50 退款=3 咨询=90 直通车=1,000 钻展=500.5 淘宝客=¥20 date=2026-11-20")
	got := f.day("main", "2026-11-20")
	want := map[string]int64{"uv": 12000, "pv": 35000, "orders": 420, "paid": 380, "sales": 4_560_050, "refunds": 3, "inquiries": 90, "ad_search": 100_000, "ad_display": 50_050, "ad_affiliate": 2000}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d", k, got[k], v)
		}
	}
	f.do("alice", "/ops metric UV=10 日期=昨天")
	if f.day("main", "2026-11-22")["uv"] != 10 {
		t.Error("/ops metric with 日期=昨天 did not log yesterday")
	}
	f.do("alice", "/metric uv=11 date=today")
	if f.day("main", "2026-11-23")["uv"] != 11 {
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
			f := newFixture(t, nil)
			r := f.do("alice", tt.line)
			if !r.Ephemeral {
				t.Error("an error must be ephemeral")
			}
			got := bot.RenderText(r.Blocks)
			contains(t, got, tt.wants...)
			for _, d := range []string{"2026-11-22", "2026-11-23"} {
				if m := f.day("main", d); len(m) != 0 {
					t.Errorf("stored %v on %s despite a bad token", m, d)
				}
			}
			if a := f.audit(); len(a) != 0 {
				t.Errorf("audit has %d entries despite a bad token", len(a))
			}
		})
	}
}

func TestEveryProblemIsListed(t *testing.T) {
	f := newFixture(t, nil)
	got := f.text("alice", "/metric uv=abc foo=1 paid=-3")
	contains(t, got, "Nothing was stored. 3 problems", "`uv=abc`", "`foo=1`", "`paid=-3`")
}

func TestReplaceShowsOldValueAndAudits(t *testing.T) {
	f := newFixture(t, nil)
	f.do("alice", "/metric uv=12000 sales=100")
	f.clock.Advance(time.Hour)
	got := f.text("bob", "/metric uv=12,500 sales=100")
	contains(t, got, "12,500", "(was 12,000)", "(unchanged)")
	if v := f.day("main", "2026-11-22")["uv"]; v != 12500 {
		t.Errorf("uv = %d after replace, want 12500", v)
	}
	a, err := f.store.Audit(context.Background(), store.AuditFilter{Subject: "2026-11-22 uv"})
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
	if !latest.At.Equal(f.clock.Now()) {
		t.Errorf("audit time %v, want %v", latest.At, f.clock.Now())
	}
	if a[1].OldValue != nil || a[1].Actor != "alice" {
		t.Errorf("first audit = %+v, want alice with no old value", a[1])
	}
}

func TestShowComparesWithTheDayBefore(t *testing.T) {
	f := newFixture(t, nil)
	f.do("alice", "/metric date=2026-11-21 uv=10000 paid=200 sales=20000")
	f.do("alice", "/metric date=2026-11-22 uv=12000 paid=240 sales=36000")
	got := f.text("alice", "/metric show 2026-11-22")
	contains(t, got, "Δ vs 11-21", "+2,000", "+20.0%", "+¥16,000.00", "+80.0%", " 0.00 pp", "+¥50.00")
	got = f.text("alice", "/metric show date=2026-11-21")
	contains(t, got, "2026-11-21 (Sat)", "10,000")
	got = f.text("alice", "/metric show 2026-11-10")
	contains(t, got, "Nothing was logged for 2026-11-10 yet")
	got = f.text("alice", "/metric show tomorrow")
	contains(t, got, "Could not answer", "`tomorrow`")
}

func TestTargetsAreForManagers(t *testing.T) {
	f := newFixture(t, nil)
	got := f.text("alice", "/metric target sales=1,500,000 month=2026-11")
	contains(t, got, "Only managers may set targets (managers: boss)")
	if tg, _ := f.store.Targets(context.Background(), "main", "2026-11"); len(tg) != 0 {
		t.Fatalf("a non-manager set targets: %v", tg)
	}

	got = f.text("boss", "/metric target sales=1,500,000 month=2026-11")
	contains(t, got, "boss set the targets of My shop for 2026-11", "¥1,500,000.00 for the month, ¥50,000.00 a day over 30 days")
	got = f.text("boss", "/metric 目标 销售额=1,800,000")
	contains(t, got, "(was ¥1,500,000.00)", "¥60,000.00 a day")

	f.do("alice", "/metric sales=24000 date=2026-11-22")
	show := f.text("alice", "/metric show")
	contains(t, show, "Sales today: ¥24,000.00 of the daily target ¥60,000.00 — 40.0%.", "Below half of the daily target", "month to date (2026-11): ¥24,000.00 of ¥1,800,000.00 — 1.3%")

	for _, bad := range []string{"/metric target sales=0", "/metric target sales=1 month=2026-13", "/metric target", "/metric target bogus=1"} {
		if r := f.do("boss", bad); !r.Ephemeral {
			t.Errorf("%s was accepted: %s", bad, bot.RenderText(r.Blocks))
		}
	}
}

func TestExportCSV(t *testing.T) {
	f := newFixture(t, nil)
	f.do("alice", "/metric date=2026-11-20 uv=100 paid=2 sales=12.50")
	f.do("alice", "/metric date=2026-11-22 uv=200")
	r := f.do("alice", "/metric export 2026-11-20 yesterday")
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
	contains(t, bot.RenderText(r.Blocks), "Exported 3 days (2 with data)")

	for _, bad := range []string{"/metric export", "/metric export 2026-11-22 2026-11-20", "/metric export 2020-01-01 2026-11-20", "/metric export 2026-11-01 x=1"} {
		if r := f.do("alice", bad); len(r.Files) != 0 || !r.Ephemeral {
			t.Errorf("%s exported", bad)
		}
	}
}

func TestShopsAreKeptApart(t *testing.T) {
	f := newFixture(t, func(c *config.Config) {
		c.Shops = []config.Shop{
			{ID: "main", Name: "Taobao C-shop", Channels: []string{"#shop-ops"}},
			{ID: "tmall", Name: "Tmall flagship", Channels: []string{"#tmall-ops"}},
		}
	})
	f.do("alice", "/metric uv=100")
	f.do("alice", "/metric uv=999 shop=tmall")
	if f.day("main", "2026-11-22")["uv"] != 100 || f.day("tmall", "2026-11-22")["uv"] != 999 {
		t.Errorf("shops mixed: main %v tmall %v", f.day("main", "2026-11-22"), f.day("tmall", "2026-11-22"))
	}
	r := f.router.Handle(context.Background(), chat.Command{UserID: "a", ChannelName: "random", Name: "/metric", Text: "uv=5", At: f.clock.Now()})
	contains(t, bot.RenderText(r.Blocks), "Which shop?", "`main`, `tmall`")
	r = f.router.Handle(context.Background(), chat.Command{UserID: "a", ChannelName: "tmall-ops", Name: "/metric", Text: "uv=7", At: f.clock.Now()})
	if f.day("tmall", "2026-11-22")["uv"] != 7 {
		t.Errorf("the channel's shop was not the default: %s", bot.RenderText(r.Blocks))
	}
}

func TestUserTextIsEscaped(t *testing.T) {
	f := newFixture(t, nil)
	for _, line := range []string{"/metric <!channel>=1", "/metric uv=<https://evil|click>", "/metric uv=1 shop=<!here>", "/<!channel>"} {
		r := f.do("alice", line)
		for _, b := range r.Blocks {
			raw := bot.RawText(b)
			if strings.Contains(raw, "<!") || strings.Contains(raw, "<http") {
				t.Errorf("%s: reply carries unescaped user text: %s", line, raw)
			}
		}
	}
	got := f.text("alice", "/metric uv=<https://evil|click>")
	contains(t, got, "<https://evil|click>")
}

func TestHelpAndChineseLocale(t *testing.T) {
	f := newFixture(t, nil)
	contains(t, f.text("alice", "/help"), "/metric uv=12000", "`uv` (访客数, 访客)", "/metric export")
	contains(t, f.text("alice", "/metric help"), "payment rate = paid ÷ orders")
	contains(t, f.text("alice", "/nope"), "Unknown command `/nope`")
	contains(t, f.text("alice", "/ops frobnicate"), "Unknown `/ops` subcommand")

	zh := newFixture(t, func(c *config.Config) { c.Locale = "zh" })
	got := zh.text("alice", "/metric uv=12000 paid=240 orders=300 sales=36000")
	contains(t, got, "alice 记录了 My shop 在 2026-11-22 (周日) 的数据", "转化率 2.00%")
	contains(t, zh.text("alice", "/metric uv=x"), "未保存任何数据")
}

// startRun records a run of a checklist today, as the scheduler would.
func (f *fixture) startRun(id string) store.ChecklistRun {
	f.t.Helper()
	now := f.clock.Now()
	run := store.ChecklistRun{Key: id + "@test", Checklist: id, Date: now.Format("2006-01-02"), ScheduledAt: now.Add(-time.Minute),
		DueAt: now.Add(time.Hour), State: store.RunPosted, Channel: "#shop-ops", Items: 7, CreatedAt: now}
	if _, err := f.store.ClaimRun(context.Background(), &run); err != nil {
		f.t.Fatal(err)
	}
	return run
}

func (f *fixture) queued(channel string) []store.OutboxMessage {
	f.t.Helper()
	ms, err := f.store.OutboxMessages(context.Background(), channel)
	if err != nil {
		f.t.Fatal(err)
	}
	return ms
}

func TestCheckOffByCommand(t *testing.T) {
	f := newFixture(t, nil)
	contains(t, f.text("amy", "/checklist done shop-checks 1"), "has not run yet today")
	run := f.startRun("shop-checks")
	got := f.text("amy", "/checklist done shop-checks 1 3")
	contains(t, got, "Checked “Own main images, videos and discounts”", "2/7 done")
	items, _ := f.store.Items(context.Background(), run.ID)
	if len(items[run.ID]) != 2 || items[run.ID][0].DoneBy != "amy" {
		t.Errorf("items = %+v", items[run.ID])
	}
	q := f.queued("#shop-ops")
	if len(q) != 1 || q[0].Op != store.OpUpdate || q[0].Ref != run.Ref() || !strings.Contains(q[0].Text, "2/7") {
		t.Fatalf("queued = %+v, want one in-place update of %s", q, run.Ref())
	}
	// The same items again change nothing and queue nothing.
	f.text("amy", "/checklist done shop-checks 1 3")
	if len(f.queued("#shop-ops")) != 1 {
		t.Error("checking a checked item queued another update")
	}
	contains(t, f.text("amy", "/checklist undo shop-checks 3"), "Reopened", "1/7 done")
	contains(t, f.text("amy", "/checklist done shop-checks The 400"), "“The 400 phone line gets through”")
	contains(t, f.text("amy", "/checklist"), "Shop and competitor checks", "2/7")
	for _, bad := range []string{"/checklist done shop-checks 99", "/checklist done nosuch 1", "/checklist done shop-checks zzz", "/checklist done", "/checklist frob"} {
		if r := f.do("amy", bad); !r.Ephemeral || !strings.Contains(bot.RenderText(r.Blocks), "⚠️") {
			t.Errorf("%s: %s", bad, bot.RenderText(r.Blocks))
		}
	}
}

func TestCheckOffByButton(t *testing.T) {
	f := newFixture(t, nil)
	run := f.startRun("morning-meeting")
	click := func(value string) chat.Outcome {
		return f.router.Interact(context.Background(), chat.Interaction{Kind: chat.KindAction, ActionID: "check_item", Value: value, UserID: "U0BEN", At: f.clock.Now()})
	}
	click(fmt.Sprintf("%d:1", run.ID))
	items, _ := f.store.Items(context.Background(), run.ID)
	if len(items[run.ID]) != 1 || items[run.ID][0].Idx != 1 || items[run.ID][0].DoneBy != "U0BEN" {
		t.Fatalf("items after a click = %+v", items[run.ID])
	}
	q := f.queued("#shop-ops")
	if len(q) != 1 || q[0].Op != store.OpUpdate || !strings.Contains(q[0].Blocks, "\\u003c@U0BEN\\u003e") && !strings.Contains(q[0].Blocks, "<@U0BEN>") {
		t.Fatalf("queued = %+v", q)
	}
	click(fmt.Sprintf("%d:1", run.ID)) // a second click undoes it
	items, _ = f.store.Items(context.Background(), run.ID)
	if len(items[run.ID]) != 0 {
		t.Errorf("a second click did not undo: %+v", items[run.ID])
	}
	for _, bad := range []string{"x", "999999:0", fmt.Sprintf("%d:44", run.ID)} {
		if out := click(bad); out.Ephemeral == nil {
			t.Errorf("button %q accepted", bad)
		}
	}
}

func TestHomeShowsYesterdayAndWhatIsOpen(t *testing.T) {
	f := newFixture(t, func(c *config.Config) { c.Roles["assistant"] = []string{"amy"} })
	f.do("amy", "/metric uv=12000 paid=240 sales=36000")
	f.startRun("shop-checks")
	out := f.router.Interact(context.Background(), chat.Interaction{Kind: chat.KindHome, UserID: "amy", UserName: "amy", At: f.clock.Now()})
	if out.Home == nil {
		t.Fatal("no home view")
	}
	got := bot.RenderText(out.Home.Blocks.BlockSet)
	contains(t, got, "Yesterday — 2026-11-22 (Sun)", "Sales ¥36,000.00", "Conversion rate 2.00%", "Open for you today",
		"☐ Own main images, videos and discounts — Shop and competitor checks", "[ Log metrics ]")
	if strings.Contains(got, "The 400 phone line") {
		t.Error("a CS item is listed for the assistant")
	}
	other := f.router.Interact(context.Background(), chat.Interaction{Kind: chat.KindHome, UserID: "zed", At: f.clock.Now()})
	contains(t, bot.RenderText(other.Home.Blocks.BlockSet), "Nothing open for you today.")
}

func TestHomeListsTakenProblemOrders(t *testing.T) {
	f := newFixture(t, nil)
	f.do("amy", "/urgent 1234567890123456 type=refund angry customer")
	f.do("amy", "/ops take 1")
	out := f.router.Interact(context.Background(), chat.Interaction{Kind: chat.KindHome, UserID: "amy", UserName: "amy", At: f.clock.Now()})
	contains(t, bot.RenderText(out.Home.Blocks.BlockSet), "1234567890123456")
}
