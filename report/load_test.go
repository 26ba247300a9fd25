package report_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"opsbot/civil"
	"opsbot/config"
	"opsbot/report"
	"opsbot/store"
	"opsbot/store/storetest"
)

// lastDay is the last day of the seeded history, a Monday.
var lastDay = civil.Date{Year: 2026, Month: 11, Day: 23}

// seed logs every metric of the catalog for each shop over days up to
// lastDay, as two years of a real team would: one transaction per shop,
// through the same SetMetrics the commands use.
func seed(tb testing.TB, st *store.Store, cfg *config.Config, shops, days int) []config.Shop {
	tb.Helper()
	ctx := context.Background()
	keys := make([]string, len(cfg.Metrics))
	for i, m := range cfg.Metrics {
		keys[i] = m.Key
	}
	var out []config.Shop
	for s := range shops {
		shop := config.Shop{ID: fmt.Sprintf("shop%02d", s), Name: fmt.Sprintf("Shop %d", s)}
		out = append(out, shop)
		err := st.Tx(ctx, func(tx *store.Store) error {
			for i := range days {
				d := lastDay.AddDays(-i)
				values := map[string]int64{}
				for j, k := range keys {
					values[k] = int64(1000 + (i*31+j*17+s*7)%500)
				}
				values["uv"] = int64(10_000 + (i*997)%3000)
				values["sales"] = int64(3_000_000 + (i*7919)%900_000)
				if _, err := tx.SetMetrics(ctx, "seed", shop.ID, d.String(), values, keys, time.Now()); err != nil {
					return err
				}
			}
			if _, err := tx.SetTargets(ctx, "seed", shop.ID, lastDay.MonthString(), map[string]int64{"sales": 100_000_000}, []string{"sales"}, time.Now()); err != nil {
				return err
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return out
}

// counting wraps a source and counts the metric rows it returns.
type counting struct {
	report.Source
	rows atomic.Int64
}

func (c *counting) RangeMetrics(ctx context.Context, shop, from, to string) (map[string]map[string]int64, error) {
	days, err := c.Source.RangeMetrics(ctx, shop, from, to)
	for _, d := range days {
		c.rows.Add(int64(len(d)))
	}
	return days, err
}

func setup(tb testing.TB, shops, days int) (*config.Config, *counting, []config.Shop) {
	tb.Helper()
	cfg, err := config.Default()
	if err != nil {
		tb.Fatal(err)
	}
	st := storetest.SQLite(tb)
	list := seed(tb, st, cfg, shops, days)
	return cfg, &counting{Source: st}, list
}

// TestLoadReadsOnlyTheWindow: with two years logged, a report reads the
// rows of the dates it shows and nothing else.
func TestLoadReadsOnlyTheWindow(t *testing.T) {
	cfg, src, shops := setup(t, 1, 730)
	l := report.Loader{Src: src, Loc: cfg.Location}
	tests := []struct {
		kind report.Kind
		days int // Window's dates
	}{
		{report.Daily, 22},   // November 1st to 22nd: the month to date (the chart's 14 days are inside)
		{report.Weekly, 14},  // last week and the week before
		{report.Monthly, 61}, // October and September
	}
	for _, tt := range tests {
		src.rows.Store(0)
		p := report.Scheduled(tt.kind, lastDay)
		in, err := l.Load(context.Background(), tt.kind, shops[0], p, false, nil, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Days) != tt.days || report.Window(tt.kind, p).Days() != tt.days {
			t.Errorf("%s: %d days read, window %d, want %d", tt.kind, len(in.Days), report.Window(tt.kind, p).Days(), tt.days)
		}
		if want := int64(tt.days * len(cfg.Metrics)); src.rows.Load() != want {
			t.Errorf("%s: %d rows read, want %d", tt.kind, src.rows.Load(), want)
		}
		for d := range in.Days {
			day, _ := civil.Parse(d)
			if !report.Window(tt.kind, p).Contains(day) {
				t.Errorf("%s: read %s outside %s", tt.kind, d, report.Window(tt.kind, p))
			}
		}
	}
}

// benchDigest builds the daily digest (read, compute, lay out, draw the
// chart) of every shop for the last day.
func benchDigest(b *testing.B, shops int) {
	cfg, src, list := setup(b, shops, 730)
	l := report.Loader{Src: src, Loc: cfg.Location}
	builder := report.NewBuilder(cfg)
	p := report.Scheduled(report.Daily, lastDay)
	ctx := context.Background()
	src.rows.Store(0)
	for b.Loop() {
		runs, err := l.LoadRuns(ctx, p)
		if err != nil {
			b.Fatal(err)
		}
		for _, shop := range list {
			in, err := l.Load(ctx, report.Daily, shop, p, false, runs, time.Now())
			if err != nil {
				b.Fatal(err)
			}
			out, err := builder.Build(in)
			if err != nil || out.Chart == nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(src.rows.Load())/float64(b.N), "rows/op")
}

// BenchmarkDailyDigest: two years of daily data (18 metrics a day) per
// shop, on SQLite; see docs/BENCHMARKS.md.
func BenchmarkDailyDigest(b *testing.B) {
	b.Run("1shop", func(b *testing.B) { benchDigest(b, 1) })
	b.Run("20shops", func(b *testing.B) { benchDigest(b, 20) })
}

// BenchmarkDailyDigestNoChart is the same without drawing, to show where
// the time goes.
func BenchmarkDailyDigestNoChart(b *testing.B) {
	cfg, src, list := setup(b, 1, 730)
	l := report.Loader{Src: src, Loc: cfg.Location}
	builder := report.NewBuilder(cfg)
	p := report.Scheduled(report.Daily, lastDay)
	ctx := context.Background()
	for b.Loop() {
		in, err := l.Load(ctx, report.Daily, list[0], p, false, nil, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		_ = builder.RenderDaily(builder.Daily(in))
	}
}
