package handlers_test

import (
	"context"
	"strings"
	"testing"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers/handlerstest"
)

// twoShops adds a Tmall shop with its own channel.
func twoShops(locale string) func(*config.Config) {
	return func(c *config.Config) {
		c.Locale = locale
		c.Shops = append(c.Shops, config.Shop{ID: "tmall", Name: "Tmall store", Platform: "tmall", Channels: []string{"#tmall-ops"}})
	}
}

func lacks(t *testing.T, got string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			t.Errorf("reply has %q:\n%s", w, got)
		}
	}
}

// Issue 16, item 1: an option that takes one value is refused when given
// twice, in every command, and nothing is stored.
func TestRepeatedOptionIsRefusedEverywhere(t *testing.T) {
	tests := []struct {
		line, want, wantZh string
		write              bool
	}{
		{"/metric uv=777 shop=main shop=tmall", "`shop=` is given more than once (`shop=main`, `shop=tmall`)", "`shop=` 写了不止一次", true},
		{"/metric uv=100 date=2026-11-20 date=2026-11-21", "`date=` is given more than once", "`date=` 写了不止一次", true},
		{"/metric uv=100 date=2026-11-20 日期=2026-11-21", "`date=` is given more than once", "`date=` 写了不止一次", true},
		{"/metric target sales=50000 month=2026-11 month=2026-12", "`month=` is given more than once", "`month=` 写了不止一次", true},
		{"/metric show shop=main 店铺=tmall", "`shop=` is given more than once", "`shop=` 写了不止一次", false},
		{"/metric export 2026-11-01 2026-11-20 shop=main shop=tmall", "`shop=` is given more than once", "`shop=` 写了不止一次", false},
		{"/ops digest shop=main shop=tmall", "`shop=` is given more than once", "`shop=` 写了不止一次", false},
		{"/ops open type=refund type=ship", "`type=` is given more than once", "`type=` 写了不止一次", false},
		{"/urgent 123456789012345 type=refund shop=main shop=tmall", "`shop=` is given more than once", "`shop=` 写了不止一次", true},
		{"/review 123456789012345 rating=1 rating=2 bad", "`rating=` is given more than once", "`rating=` 写了不止一次", true},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			for _, loc := range []string{"en", "zh"} {
				f := handlerstest.New(t, twoShops(loc))
				r := f.Do("boss", tt.line)
				got := f.Text("boss", tt.line)
				if !r.Ephemeral {
					t.Error("a refusal must be ephemeral")
				}
				if loc == "en" {
					handlerstest.Contains(t, got, tt.want)
					if tt.write {
						handlerstest.Contains(t, got, "Nothing was stored. 1 problem:")
					} else {
						lacks(t, got, "Nothing was stored")
					}
				} else {
					handlerstest.Contains(t, got, tt.wantZh)
				}
				for _, shop := range []string{"main", "tmall"} {
					for _, d := range []string{"2026-11-20", "2026-11-21", "2026-11-22"} {
						if m := f.Day(shop, d); len(m) != 0 {
							t.Errorf("%s %s stored %v despite the refusal", shop, d, m)
						}
					}
				}
				if len(f.OpenItems()) != 0 {
					t.Error("an item was flagged despite the refusal")
				}
			}
		})
	}
}

// Items 16, 18, 20: the forms of days and numbers people type.
func TestInputAsPeopleTypeIt(t *testing.T) {
	tests := []struct{ line, day string }{
		{"/metric uv = 12000 date=2026.11.20", "2026-11-20"},
		{"/metric uv= 12000 date=11/20", "2026-11-20"},
		{"/metric uv =12000 date=11-20", "2026-11-20"},
		{"/metric uv=１２０００ date=11月20日", "2026-11-20"},
		{"/metric uv=12000 date=１１月２０日", "2026-11-20"},
		{"/metric uv=12000 日期=2026年11月20日", "2026-11-20"},
		{"/metric uv=12000 date=前天", "2026-11-21"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			f := handlerstest.New(t, nil)
			got := f.Text("alice", tt.line)
			if m := f.Day("main", tt.day); m["uv"] != 12000 {
				t.Errorf("uv on %s = %v, want 12000; reply:\n%s", tt.day, m, got)
			}
		})
	}
	for _, loc := range []string{"en", "zh"} {
		f := handlerstest.New(t, func(c *config.Config) { c.Locale = loc })
		got := f.Text("alice", "/metric uv=1 date=13/45")
		handlerstest.Contains(t, got, "`13/45`", "2026.11.20", "11/20", "11-20", "11月20日", "前天")
	}
}

// Item 20: product= takes a quoted value with spaces.
func TestQuotedProduct(t *testing.T) {
	f := handlerstest.New(t, nil)
	f.Text("alice", `/review 123456789012345 rating=1 product="Red winter boots" arrived broken`)
	items := f.OpenItems()
	if len(items) != 1 {
		t.Fatalf("%d items, want 1", len(items))
	}
	if items[0].Product != "Red winter boots" {
		t.Errorf("product %q, want %q", items[0].Product, "Red winter boots")
	}
	if !strings.Contains(items[0].Text, "arrived broken") || strings.Contains(items[0].Text, "boots") {
		t.Errorf("note %q", items[0].Text)
	}
}

// Items 21 and 22: read-only commands do not say Nothing was stored, and
// errors say what is wrong.
func TestReadOnlyRefusalsAndWording(t *testing.T) {
	tests := []struct {
		line          string
		wants, wantZh []string
	}{
		{"/metric show 11/32", []string{"Could not answer. 1 problem:", "`11/32` is not a date"}, []string{"无法查询", "不是日期"}},
		{"/ops digest 2026.13.20", []string{"Could not answer", "is not a date"}, []string{"无法查询"}},
		{"/ops open type=foo", []string{"Could not answer"}, []string{"无法查询"}},
		{"/ops report monthly 2026-13", []string{"`2026-13` is not a month: the month runs from 01 to 12"}, []string{"不是有效月份"}},
		{"/ops calendar 1999-01", []string{"outside the working calendar", "2000 to 2100"}, []string{"超出工作日历的范围"}},
		{"/ops take", []string{"Which item? Give its number"}, []string{"哪个事项?"}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			f := handlerstest.New(t, nil)
			got := f.Text("alice", tt.line)
			handlerstest.Contains(t, got, tt.wants...)
			lacks(t, got, "Nothing was stored", "``", "problem(s)", "%!")
			if strings.Contains(tt.line, "monthly") {
				lacks(t, got, "YYYY-MM-DD")
			}
			fz := handlerstest.New(t, func(c *config.Config) { c.Locale = "zh" })
			gotZh := fz.Text("alice", tt.line)
			handlerstest.Contains(t, gotZh, tt.wantZh...)
			lacks(t, gotZh, "未保存任何数据")
		})
	}
}

// Item 22: counted messages use real plurals.
func TestRealPlurals(t *testing.T) {
	f := handlerstest.New(t, nil)
	handlerstest.Contains(t, f.Text("alice", "/metric uv=abc"), "Nothing was stored. 1 problem:")
	handlerstest.Contains(t, f.Text("alice", "/metric uv=abc pv=xyz"), "Nothing was stored. 2 problems:")
}

// Item 12: an item goes to its shop's channel; an urgent refund also to
// customer service.
func TestItemsGoToTheirShopsChannel(t *testing.T) {
	for _, loc := range []string{"en", "zh"} {
		f := handlerstest.New(t, twoShops(loc))
		r := f.Router.Handle(context.Background(), chat.Command{UserID: "amy", UserName: "amy", ChannelName: "tmall-ops",
			Name: "/urgent", Text: "223456789012345 type=refund customer waiting", At: f.Clock.Now()})
		if r.Ephemeral && strings.Contains(bot.RenderText(r.Blocks), "⚠️") {
			t.Fatalf("%s: refused: %s", loc, bot.RenderText(r.Blocks))
		}
		items := f.OpenItems()
		if len(items) != 1 || items[0].Shop != "tmall" || items[0].Channel != "#tmall-ops" {
			t.Fatalf("%s: items %+v, want one Tmall item in #tmall-ops", loc, items)
		}
		if len(f.Queued("#tmall-ops")) == 0 || len(f.Queued("#shop-cs")) == 0 {
			t.Errorf("%s: the refund was not posted to #tmall-ops and #shop-cs", loc)
		}
		if m := f.Queued("#shop-ops"); len(m) != 0 {
			t.Errorf("%s: the Tmall item was posted to #shop-ops", loc)
		}
		// The main shop's items stay in the team channel.
		f.Text("amy", "/urgent 323456789012345 type=ship")
		if len(f.Queued("#shop-ops")) == 0 {
			t.Errorf("%s: the main shop's item was not posted to #shop-ops", loc)
		}
	}
}

// Item 19: a rating above the configured threshold is not a bad review.
func TestReviewRatingAboveThresholdIsRefused(t *testing.T) {
	for _, loc := range []string{"en", "zh"} {
		f := handlerstest.New(t, func(c *config.Config) { c.Locale = loc })
		got := f.Text("amy", "/review 123456789012345 rating=5 great shop")
		if loc == "en" {
			handlerstest.Contains(t, got, "Nothing was stored", "A 5-star review is not a bad review", "1 to 3 stars")
		} else {
			handlerstest.Contains(t, got, "5 星评价不算差评", "1 至 3 星")
		}
		if len(f.OpenItems()) != 0 {
			t.Errorf("%s: a 5-star review was flagged", loc)
		}
		f.Text("amy", "/review 123456789012345 rating=3 slow delivery")
		if len(f.OpenItems()) != 1 {
			t.Errorf("%s: a 3-star review was not flagged", loc)
		}
	}
	f := handlerstest.New(t, func(c *config.Config) { c.BadReviewMaxRating = 2 })
	handlerstest.Contains(t, f.Text("amy", "/review 123456789012345 rating=3 meh"), "1 to 2 stars")
}

// Items 13 and 14: a figure logged by mistake can be deleted, audited with
// its old value; managers read the audit log.
func TestMetricDeleteAndAuditLog(t *testing.T) {
	for _, loc := range []string{"en", "zh"} {
		f := handlerstest.New(t, func(c *config.Config) { c.Locale = loc })
		f.Text("amy", "/metric uv=12000 pv=35000 date=2026-11-21")
		got := f.Text("amy", "/metric delete uv orders date=2026-11-21")
		if loc == "en" {
			handlerstest.Contains(t, got, "Deleted 1 figure of My shop 2026-11-21 (Sat)", "was 12,000", "Not logged that day, so not deleted: `orders`")
		} else {
			handlerstest.Contains(t, got, "已删除", "原为 12,000", "当天未记录")
		}
		if m := f.Day("main", "2026-11-21"); m["uv"] != 0 || m["pv"] != 35000 {
			t.Errorf("%s: after delete %v, want pv only", loc, m)
		}
		got = f.Text("amy", "/metric delete uv date=2026-11-21")
		if loc == "en" {
			handlerstest.Contains(t, got, "Nothing to delete: `uv` was not logged")
		}
		// The audit log: managers only, filtered by user and day.
		if loc == "en" {
			handlerstest.Contains(t, f.Text("amy", "/ops audit"), "The audit log is for managers")
		} else {
			handlerstest.Contains(t, f.Text("amy", "/ops audit"), "审计日志仅限主管查看")
		}
		got = f.Text("boss", "/ops audit user=amy 2026-11-23")
		handlerstest.Contains(t, got, "metric.delete", "2026-11-21 uv: 12000 → —", "metric.set", "@amy")
		lacks(t, got, "Nothing was stored")
		got = f.Text("boss", "/ops audit user=bob")
		if loc == "en" {
			handlerstest.Contains(t, got, "No change matches")
		}
		got = f.Text("boss", "/ops audit 2026-11-01")
		if loc == "en" {
			handlerstest.Contains(t, got, "No change matches")
		}
		// A shop narrows the log, wherever it stands among the options.
		got = f.Text("boss", "/ops audit shop=main user=amy 2026-11-23")
		handlerstest.Contains(t, got, "metric.delete", "2026-11-21 uv: 12000 → —")
		got = f.Text("boss", "/ops audit user=amy shop=nope")
		handlerstest.Contains(t, got, "`nope`")
		lacks(t, got, "metric.delete")
	}
}

// Item 7: a conversion rate below 1% (the built-in floor) is a problem in
// the digest; floors and ceilings can be set per figure.
func TestDigestFlagsFiguresOutsideTheirLimits(t *testing.T) {
	for _, loc := range []string{"en", "zh"} {
		f := handlerstest.New(t, func(c *config.Config) {
			c.Locale = loc
			c.Reports.Limits = map[string]config.Limit{"uv": {Ceiling: "1万"}}
		})
		f.Text("amy", "/metric uv=12000 paid=98 orders=120 sales=9800")
		got := f.Text("boss", "/ops digest")
		if loc == "en" {
			handlerstest.Contains(t, got, "Outside the team's limits", "is below its floor of 1.00%", "above its ceiling of 10,000")
		} else {
			handlerstest.Contains(t, got, "超出团队设定的范围", "低于下限 1.00%", "高于上限 10,000")
		}
		if strings.Contains(got, "!report.") {
			t.Errorf("%s: raw i18n key:\n%s", loc, got)
		}
	}
	// A day without the figures has nothing outside its limits.
	f := handlerstest.New(t, nil)
	f.Text("amy", "/metric sales=9800")
	if got := f.Text("boss", "/ops digest"); strings.Contains(got, "Outside the team's limits") {
		t.Errorf("an unlogged conversion rate was judged:\n%s", got)
	}
}
