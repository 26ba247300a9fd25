package metric_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"opsbot/handlers/handlerstest"

	"opsbot/store"
)

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

func TestAnnualTargetSplitFollowsLastYearToTheFen(t *testing.T) {
	f := handlerstest.New(t, nil)
	seedYear(f, 2025)
	// March was set by hand: it wins over the split.
	f.Do("boss", "/metric target sales=500,000 month=2026-03")

	handlerstest.Contains(t, f.Text("alice", "/metric target sales=12,000,000 year=2026"), "Only managers")
	got := f.Text("boss", "/metric target sales=12,000,000 year=2026")
	handlerstest.Contains(t, got,
		"Annual target 1 — Sales 2026: ¥12,000,000.00 (shop main)",
		"Split by 2025's monthly shape (seasonality).",
		"2026-03    ¥500,000.00    ¥16,129.03 (last day ¥16,129.10)    ¥112,903.21  set by hand, kept",
		"Q4 ¥6,892,384.15 (57.4%)",
		"2026-11  ¥5,711,920.52  ¥190,397.35 (last day ¥190,397.37)  ¥1,332,781.45",
		"The parts add up exactly to ¥12,000,000.00",
		"/metric target confirm 1")
	if tg, _ := f.Store.Targets(context.Background(), "main", "2026-11"); len(tg) != 0 {
		t.Fatalf("the preview set targets: %v", tg)
	}
	handlerstest.Contains(t, f.Text("boss", "/metric target confirm 1"), "set the 2026 target for Sales: ¥12,000,000.00, split over 11 month(s); 1 month(s) set by hand kept.")

	// Exact to the fen: the months follow the shape, each rounded down,
	// December takes the rounding, and the year adds up.
	want := map[string]int64{
		"2026-01": 59023178, "2026-02": 53311258, "2026-03": 50000000, "2026-04": 57119205,
		"2026-05": 59023178, "2026-06": 57119205, "2026-07": 59023178, "2026-08": 59023178,
		"2026-09": 57119205, "2026-10": 59023178, "2026-11": 571192052, "2026-12": 59023185,
	}
	var sum int64
	for month, w := range want {
		tg, err := f.Store.Targets(context.Background(), "main", month)
		if err != nil {
			t.Fatal(err)
		}
		if tg["sales"] != w {
			t.Errorf("%s target %d, want %d", month, tg["sales"], w)
		}
		sum += tg["sales"]
	}
	if sum != 1_200_000_000 {
		t.Errorf("the months add up to %d fen, want 1200000000", sum)
	}
	a := f.Audit()[0]
	if a.Action != "target.split" || !strings.Contains(*a.NewValue, "2026-11 sales 571192052") || strings.Contains(*a.NewValue, "2026-03") {
		t.Errorf("audit %s %q", a.Action, *a.NewValue)
	}
	// A hand-set month after a split is a hand-set month again.
	f.Do("boss", "/metric target sales=600,000 month=2026-12")
	tg, _ := f.Store.YearTargets(context.Background(), "main", "sales", 2026)
	if tg["2026-12"].Source != "" || tg["2026-11"].Source != store.TargetFromSplit {
		t.Errorf("sources: Dec %q Nov %q", tg["2026-12"].Source, tg["2026-11"].Source)
	}
}

func TestAnnualTargetSplitFlatWithoutHistory(t *testing.T) {
	f := handlerstest.New(t, nil)
	got := f.Text("boss", "/metric target sales=365,000.01 year=2027")
	handlerstest.Contains(t, got, "Split flat by days: 2026 has only 0 of 12 months",
		"Q1 ¥90,000.00 (24.7%)",
		"2027-01  ¥31,000.00 ",
		"2027-12  ¥31,000.01  ¥1,000.00 (last day ¥1,000.01)  ¥7,000.00")
	// A split being previewed, a hand-set target lands: applying it would
	// no longer add up, so nothing is stored.
	f.Do("boss", "/metric target sales=1 month=2027-05")
	handlerstest.Contains(t, f.Text("boss", "/metric target confirm 1"), "nothing was stored. Run the split again.")
	if tg, _ := f.Store.Targets(context.Background(), "main", "2027-01"); len(tg) != 0 {
		t.Errorf("a moved split was stored: %v", tg)
	}
	handlerstest.Contains(t, f.Text("boss", "/metric target bounce_rate=5% year=2027"), "only counts and money add up over a year")
	handlerstest.Contains(t, f.Text("boss", "/metric target sales=1 year=2019"), "a year from 2026 to 2031")
	handlerstest.Contains(t, f.Text("boss", "/metric target bounce_rate=5% month=2026-12"), "targets are set for counts and money")
}
