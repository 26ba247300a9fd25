package report_test

import (
	"context"
	"testing"
	"time"

	"opsbot/handlers/handlerstest"

	"opsbot/bot"
)

func TestQuarterlyAndYearlyReports(t *testing.T) {
	f := handlerstest.New(t, nil)
	seedYear(f, 2025)
	ctx := context.Background()
	// 2026 so far: ¥20,000 a day, and a bounce rate of 40% or 50%.
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); d.Before(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
		br := int64(4000)
		if d.Day()%2 == 0 {
			br = 5000
		}
		if _, err := f.Store.SetMetrics(ctx, "seed", "main", d.Format("2006-01-02"), map[string]int64{"sales": 2_000_000, "bounce_rate": br}, []string{"sales", "bounce_rate"}, f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	f.Do("boss", "/metric target sales=600,000 month=2026-07")
	f.Do("boss", "/metric target sales=600,000 month=2026-08")
	f.Do("boss", "/metric target sales=600,000 month=2026-09")

	// Last quarter by default: totals, averages, the quarter before, the
	// same quarter a year before, best and worst months, targets (the
	// months' targets added exactly), and shares averaged, not summed.
	handlerstest.Contains(t, f.Text("alice", "/ops report quarterly"),
		"Quarterly report · My shop · 2026-Q3",
		"Figures logged on 92 of 92 days.",
		"Sales ¥1,840,000.00 · +1.1% vs last quarter · daily average ¥20,000.00",
		"Same period a year before (2025-07-01 – 2025-09-30): Sales +100.0%",
		"Best month 2026-07 ¥620,000.00 · worst month 2026-09 ¥600,000.00 (by sales)",
		"• Sales: ¥1,840,000.00 of ¥1,800,000.00 — 102.2% ✅ met",
		"2026-09  ¥600,000.00  ¥600,000.00  100.0%",
		"Bounce rate         44.89%      44.89%         44.95%  −0.05 pp") // the exact difference of the exact means, rounded once (issue 15)
	handlerstest.Contains(t, f.Text("alice", "/ops report 季报 2026-Q4"), "Quarterly report · My shop · 2026-Q4 (to 2026-11-22)",
		"Same period a year before (2025-10-01 – 2025-11-22): Sales −57.8%")
	r := f.Do("alice", "/ops report yearly 2025")
	handlerstest.Contains(t, bot.RenderText(r.Blocks), "Yearly report · My shop · 2025",
		"Sales ¥6,350,000.00 · daily average ¥17,397.26",
		"Best month 2025-11 ¥3,000,000.00 · worst month 2025-02 ¥280,000.00 (by sales)",
		"2025-11  ¥3,000,000.00")
	if len(r.Files) != 0 {
		t.Errorf("a yearly review came with a day chart")
	}
	handlerstest.Contains(t, f.Text("alice", "/ops report quarterly 2027-Q1"), "2027-Q1 has not started yet")
	handlerstest.Contains(t, f.Text("alice", "/ops report quarterly 2026-Q5"), "is not a quarter; use YYYY-Qn")
}

// seedYear logs sales for every day of a year: ¥10,000 a day, ¥100,000 a
// day in November (双11).
func seedYear(f *handlerstest.Fixture, year int) {
	f.T.Helper()
	ctx := context.Background()
	for d := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
		v := int64(1_000_000)
		if d.Month() == time.November {
			v = 10_000_000
		}
		if _, err := f.Store.SetMetrics(ctx, "seed", "main", d.Format("2006-01-02"), map[string]int64{"sales": v}, []string{"sales"}, f.Clock.Now()); err != nil {
			f.T.Fatal(err)
		}
	}
}
