package metric_test

import (
	"strings"
	"testing"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers/handlerstest"
)

// The numbered cases of issue 15 ("Numbers a shop can bet on"), each with
// the exact text a user reads, through the commands a user types.

// csvOf is the CSV file a reply attaches.
func csvOf(t *testing.T, r chat.Reply) string {
	t.Helper()
	for _, f := range r.Files {
		if f.MimeType == "text/csv" {
			return string(f.Content)
		}
	}
	t.Fatalf("no CSV attached: %s", bot.RenderText(r.Blocks))
	return ""
}

// line finds the last line of a rendered reply that starts with prefix:
// a table's row, which comes after any headline of the same name.
func line(t *testing.T, text, prefix string) string {
	t.Helper()
	lines := strings.Split(text, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); strings.HasPrefix(l, prefix) {
			return l
		}
	}
	t.Errorf("no line %q in:\n%s", prefix, text)
	return ""
}

// words squeezes a table row's padding, so a row is compared by its cells.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

func wantRow(t *testing.T, text, prefix, want string) {
	t.Helper()
	if got := words(line(t, text, prefix)); got != want {
		t.Errorf("row %q = %q, want %q", prefix, got, want)
	}
}

// Case 1: a cost input that was not logged is not a zero cost.
func TestIssue15MissingCostsAreNotZero(t *testing.T) {
	f := handlerstest.New(t, nil)
	logged := f.Text("alice", "/metric sales=1000 ad_search=100 date=2026-10-01")
	if strings.Contains(logged, "ROI") || strings.Contains(logged, "Operating cost") {
		t.Errorf("the logged reply computes costs from a part of them:\n%s", logged)
	}
	gaps := "Not computed, as inputs were not logged (missing is not zero): " +
		"Payment rate (needs Orders paid, Orders placed); Conversion rate (needs Orders paid, Unique visitors (UV)); " +
		"Average order value (needs Orders paid); Inquiry close rate (needs Inquiry orders, Inquiries); " +
		"Refund rate (needs Refunds, Orders paid); Ad spend (needs Display ads (Zuanzhan), Affiliate (Taobaoke)); " +
		"Operating cost, ROI (needs Display ads (Zuanzhan), Affiliate (Taobaoke), Free-shipping cost, Discounts); " +
		"UV value (needs Unique visitors (UV)); " +
		"Sell-through (30 days) (needs Items sold in 30 days, Items online)."
	for _, cmd := range []string{"/metric show 2026-10-01", "/ops digest 2026-10-01"} {
		got := f.Text("alice", cmd)
		wantRow(t, got, "Ad spend", "Ad spend —")
		wantRow(t, got, "Operating cost", "Operating cost —")
		wantRow(t, got, "ROI", "ROI —")
		handlerstest.Contains(t, got, gaps)
	}
	csv := csvOf(t, f.Do("alice", "/metric export 2026-10-01 2026-10-01"))
	if !strings.Contains(csv, "\n2026-10-01,main,,,,,1000.00,,,,,,100.00,,,,,,,,,,,,,,,,,,,\n") {
		t.Errorf("CSV computes a KPI from missing costs:\n%s", csv)
	}
}

// Case 2: a period's KPI is the ratio of the period's totals, days with a
// zero divisor included.
func TestIssue15PeriodKPIsAreRatiosOfTotals(t *testing.T) {
	f := handlerstest.New(t, nil)
	f.Do("alice", "/metric date=2026-10-05 sales=1000 ad_search=0 ad_display=0 ad_affiliate=0 shipping_cost=0 discounts=0 refunds=2 paid=0")
	f.Do("alice", "/metric date=2026-10-06 sales=300 ad_search=100 ad_display=0 ad_affiliate=0 shipping_cost=0 discounts=0 refunds=1 paid=10")
	got := f.Text("alice", "/ops report weekly 2026-10-05")
	handlerstest.Contains(t, got, "Sales ¥1,300.00 · daily average ¥650.00", "ROI 1:13.00 (excellent)\n")
	wantRow(t, got, "Operating cost", "Operating cost ¥100.00 —")
	wantRow(t, got, "ROI", "ROI 1:13.00 (excellent) —")
	wantRow(t, got, "Refund rate", "Refund rate 30.0% —")
}

// Case 3: values at the accepted limit never overflow.
func TestIssue15NoOverflowAtTheLimit(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) {
		c.Roles["warehouse"] = []string{"w1", "w2", "w3", "w4", "w5", "w6", "w7"}
		c.Commissions["warehouse"] = config.Commission{PerOrder: "3.00"}
	})
	for d := 1; d <= 31; d++ {
		f.Do("alice", "/metric paid=1000000000000000 date=2026-10-"+pad(d))
	}
	got := f.Text("alice", "/ops report monthly 2026-10")
	// 31 × 10¹⁵ orders × ¥3.00 = ¥93,000,000,000,000,000.00, split in 7 to the fen.
	wantRow(t, got, "Warehouse", "Warehouse ¥3.00 per paid order ¥93,000,000,000,000,000.00 w1 ¥13,285,714,285,714,285.72")
	for _, w := range []string{"w2 ¥13,285,714,285,714,285.72", "w3 ¥13,285,714,285,714,285.72", "w4 ¥13,285,714,285,714,285.71", "w7 ¥13,285,714,285,714,285.71"} {
		wantRow(t, got, w[:2], w)
	}

	f = handlerstest.New(t, nil)
	// Three days of history, so the change is judged as an anomaly.
	for _, d := range []string{"19", "20", "21"} {
		f.Do("alice", "/metric date=2026-10-"+d+" pv=1 orders=1")
	}
	f.Do("alice", "/metric date=2026-10-22 pv=1000000000000000 orders=1 paid=1000000000000000")
	got = f.Text("alice", "/ops digest 2026-10-22")
	handlerstest.Contains(t, got, "• Page views (PV) +99,999,999,999,999,900% vs 3-day average (1,000,000,000,000,000 vs 1)")
	wantRow(t, got, "Payment rate", "Payment rate 100,000,000,000,000,000.0% — —")
}

func pad(d int) string {
	if d < 10 {
		return "0" + string(rune('0'+d))
	}
	return string(rune('0'+d/10)) + string(rune('0'+d%10))
}

// Case 4: totals of nothing say "not logged", never ¥0.00.
func TestIssue15TotalsOfNothing(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) {
		c.Roles["cs"] = []string{"amy"}
	})
	f.Do("boss", "/metric target sales=310,000 month=2026-10")
	f.Do("alice", "/metric uv=5 date=2026-10-01")
	handlerstest.Contains(t, f.Text("alice", "/metric show 2026-10-01"),
		"• Sales month to date (2026-10): not logged yet — target ¥310,000.00, with 3.2% of the month passed")
	handlerstest.Contains(t, f.Text("alice", "/ops report weekly 2026-10-12"),
		"Figures logged on 0 of 7 days.", "• Sales: not logged on any of the 7 days — target ¥70,000.00")

	// Sales never logged, paid orders logged: no commission on sales.
	f.Do("alice", "/metric paid=10 date=2026-10-02")
	got := f.Text("alice", "/ops report monthly 2026-10")
	handlerstest.Contains(t, got,
		"Commissions (sales: not logged; paid orders: 10 (logged on 1 of 31 days)):",
		"• Customer service: Sales not logged this month, so this commission cannot be computed.",
	)
	// Nobody can say what is owed on sales nobody logged: no amount, not ¥0.00.
	wantRow(t, got, "Customer service", "Customer service 2.00% of sales — — —")

	// A month with nothing at all: no table of zeros.
	got = f.Text("alice", "/ops report monthly 2026-09")
	handlerstest.Contains(t, got, "Figures logged on 0 of 30 days.", "Commissions: neither sales nor paid orders were logged in 2026-09, so there is nothing to compute.")
	if strings.Contains(got, "¥0.00") || strings.Contains(got, "0.0%") {
		t.Errorf("an empty month shows zeros:\n%s", got)
	}
}

// Case 5: percentages are rounded once, from the exact value, half away
// from zero, the same in replies, reports and CSV.
func TestIssue15RoundOnce(t *testing.T) {
	f := handlerstest.New(t, nil)
	f.Do("alice", "/metric date=2026-10-20 uv=1211818 paid=74708 orders=2000000")
	f.Do("alice", "/metric date=2026-10-21 uv=1211818 paid=999 orders=2000000")
	wantRow(t, f.Text("alice", "/metric show 2026-10-20"), "Conversion rate", "Conversion rate 6.16% —")
	handlerstest.Contains(t, f.Text("alice", "/ops digest 2026-10-20"), "Conversion rate 6.16%\n")
	wantRow(t, f.Text("alice", "/metric show 2026-10-21"), "Payment rate", "Payment rate 0.0% −3.7 pp")
	csv := csvOf(t, f.Do("alice", "/metric export 2026-10-20 2026-10-21"))
	handlerstest.Contains(t, csv, "2026-10-20,main,,1211818,2000000,74708,,,,,,,,,,,,,,,,,3.7,6.16,", "2026-10-21,main,,1211818,2000000,999,,,,,,,,,,,,,,,,,0.0,0.08,")
}

// Case 6: a target too small to split over the month is refused, and a
// daily share that rounds to nothing shows no progress.
func TestIssue15TargetTooSmall(t *testing.T) {
	f := handlerstest.New(t, nil)
	r := f.Do("boss", "/metric target orders=15 month=2026-10")
	handlerstest.Contains(t, bot.RenderText(r.Blocks),
		"Orders placed — a monthly target of 15 is too small to split over the 31 days of 2026-10: each day's share would show as 0. The smallest is 16.")
	if tg, _ := f.Store.Targets(t.Context(), "main", "2026-10"); len(tg) != 0 {
		t.Fatalf("a refused target was stored: %v", tg)
	}
	handlerstest.Contains(t, f.Text("boss", "/metric target orders=16 month=2026-10"), "Orders placed: 16 for the month, 1 a day over 31 days")
}

// Case 7 and the falling ROI: no sign on a value that rounds to zero, and
// one signed formatter for every change.
func TestIssue15Signs(t *testing.T) {
	f := handlerstest.New(t, nil)
	costs := " ad_display=0 ad_affiliate=0 shipping_cost=0 discounts=0"
	f.Do("alice", "/metric date=2026-11-21 uv=1000 paid=20 sales=5000 ad_search=1000"+costs)
	f.Do("alice", "/metric date=2026-11-22 uv=1000 paid=20 sales=4000 ad_search=1000"+costs)
	got := f.Text("alice", "/metric show 2026-11-22")
	wantRow(t, got, "ROI", "ROI 1:4.00 (good) −1.00")
	wantRow(t, got, "Conversion rate", "Conversion rate 2.00% 0.00 pp")
	wantRow(t, got, "Unique visitors", "Unique visitors (UV) 1,000 0 0.0%")
	wantRow(t, got, "Sales", "Sales ¥4,000.00 −¥1,000.00 −20.0%")
	if strings.Contains(got, "+-") || strings.Contains(got, "+0") || strings.Contains(got, "−0") {
		t.Errorf("a sign on a zero change:\n%s", got)
	}
	// A fall too small to show is no fall: 0.0%, not −0.0%.
	f = handlerstest.New(t, nil)
	f.Do("alice", "/metric date=2026-11-09 sales=10000000.01")
	f.Do("alice", "/metric date=2026-11-16 sales=10000000")
	// (one day logged in each week: compared per logged day)
	handlerstest.Contains(t, f.Text("alice", "/ops report weekly 2026-11-16"), "Sales ¥10,000,000.00 · 0.0% per logged day vs last week")
}

// The 1:3.00 that fails: the grade compares the exact ratio, and the
// reply says so rather than leaving the reader to wonder.
func TestIssue15JustUnderAGrade(t *testing.T) {
	f := handlerstest.New(t, nil)
	got := f.Text("alice", "/metric date=2026-10-21 sales=29,995 ad_search=10000 ad_display=0 ad_affiliate=0 shipping_cost=0 discounts=0")
	handlerstest.Contains(t, got, "ROI 1:3.00 (fail: just under 1:3, exactly)")
	wantRow(t, f.Text("alice", "/metric show 2026-10-21"), "ROI", "ROI 1:3.00 (fail: just under 1:3, exactly) —")
}
