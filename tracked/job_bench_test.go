package tracked_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"opsbot/calendar"
	"opsbot/config"
	"opsbot/store"
	"opsbot/tracked"
)

// benchNow is the moment the benchmark sweeps at.
var benchNow = time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)

// ts is SQL for a time `offset` seconds after a bound base time, written
// as the SQLite driver stores times, for SQL that builds rows without Go.
func ts(offset string) string {
	return "strftime('%Y-%m-%d %H:%M:%S', ?, printf('%+d seconds', " + offset + ")) || '+00:00'"
}

// buildItems fills tracked_items with `resolved` resolved items (the past
// year) and `open` open items whose next alert is between 1h and 25h
// ahead, in one transaction of two INSERT … SELECT statements, which is
// what keeps a 1.1M-row fixture to seconds.
func buildItems(b *testing.B, path string, open, resolved int) {
	b.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_txlock=immediate&_busy_timeout=10000")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	base := benchNow.Add(-365 * 24 * time.Hour).Format("2006-01-02 15:04:05")
	now := benchNow.Format("2006-01-02 15:04:05")
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	// Resolved: flagged every 30 s over the past year, resolved 6h later.
	_, err = tx.Exec(`WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM n WHERE x < ?)
INSERT INTO tracked_items (shop, order_id, type, status, channel, flagged_by, flagged_at, deadline, resolved_at, resolved_by, resolution, updated_at)
SELECT 'main', printf('%015d', 100000000000000 + x), 'refund', 'resolved', '#shop-ops', 'alice',
  `+ts("x*30")+`, `+ts("x*30 + 86400")+`, `+ts("x*30 + 21600")+`, 'bob', 'done', `+ts("x*30 + 21600")+`
FROM n`, resolved, base, base, base, base)
	if err != nil {
		b.Fatalf("resolved items: %v", err)
	}
	// Open: flagged in the last day, next alert 1h to 25h ahead.
	_, err = tx.Exec(`WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM n WHERE x < ?)
INSERT INTO tracked_items (shop, order_id, type, open_key, status, channel, flagged_by, flagged_at, deadline, next_alert_at, updated_at)
SELECT 'main', printf('%015d', 900000000000000 + x), 'ship', printf('main/%015d/ship', 900000000000000 + x), 'open', '#shop-ops', 'alice',
  `+ts("(x % 86400) - 86400")+`, `+ts("3600 + 14400 + (x % 86400)")+`, `+ts("3600 + (x % 86400)")+`, `+ts("0")+`
FROM n`, open, now, now, now, now)
	if err != nil {
		b.Fatalf("open items: %v", err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// makeDue sets n open items (IDs from first on) to warn one minute ago: deadline in 3h59m with the default 4h warning.
func makeDue(b *testing.B, db *sql.DB, first int64, n int) {
	b.Helper()
	_, err := db.Exec(`UPDATE tracked_items SET alert_seq = 0, next_alert_at = ?, deadline = ?
WHERE id >= ? AND id < ?`, benchNow.Add(-time.Minute), benchNow.Add(3*time.Hour+59*time.Minute), first, first+int64(n))
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSweep measures one sweep of the SLA sweeper with N items due,
// among 100,000 open and 1,000,000 resolved items, and on an empty table
// for comparison: the cost follows N, not the table. Run:
//
//	go test ./jobs -run '^$' -bench BenchmarkSweep -benchtime 200x
func BenchmarkSweep(b *testing.B) {
	for _, size := range []struct {
		name           string
		open, resolved int
		firstOpenID    int64
	}{
		{"empty", 0, 0, 0},
		{"100k_open_1M_resolved", 100_000, 1_000_000, 1_000_001},
	} {
		path := filepath.Join(b.TempDir(), "sweep.db")
		st, err := store.Open(context.Background(), "sqlite:"+path)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if size.open+size.resolved > 0 {
			buildItems(b, path, size.open, size.resolved)
			b.Logf("fixture %s built in %v", size.name, time.Since(start).Round(time.Millisecond))
		}
		cfg, err := config.Default()
		if err != nil {
			b.Fatal(err)
		}
		cal, _ := calendar.New(cfg.Calendar, cfg.Timezone)
		sw, err := tracked.NewSweeper(cfg, st, cal, slaLog)
		if err != nil {
			b.Fatal(err)
		}
		raw, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		for _, n := range []int{0, 1, 10, 100} {
			if size.open == 0 && n > 0 {
				// The empty table gets its due items as real flags.
				for i := range n {
					warn := benchNow.Add(-time.Minute)
					_, _, err := st.FlagItem(ctx, store.NewItem{Shop: "main", OrderID: fmt.Sprintf("%015d", 500000000000000+int64(n*1000+i)), Type: "ship",
						Channel: "#shop-ops", FlaggedBy: "alice", At: benchNow.Add(-20 * time.Hour), Deadline: benchNow.Add(4 * time.Hour), NextAlertAt: &warn})
					if err != nil {
						b.Fatal(err)
					}
				}
			}
			first := size.firstOpenID
			if size.open == 0 {
				var err error
				if err = raw.QueryRow(`SELECT COALESCE(MAX(id), 0) - ? + 1 FROM tracked_items`, n).Scan(&first); err != nil {
					b.Fatal(err)
				}
			}
			b.Run(fmt.Sprintf("%s/due=%d", size.name, n), func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					makeDue(b, raw, first, n)
					b.StartTimer()
					if err := sw.Tick(ctx, benchNow); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n), "due")
			})
		}
		var rows, pending int64
		if err := raw.QueryRow(`SELECT COUNT(*), COUNT(next_alert_at) FROM tracked_items`).Scan(&rows, &pending); err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: %d items, %d with an alert to come", size.name, rows, pending)
		// For contrast: the same question without the index reads every row.
		b.Run(size.name+"/due_query_without_index", func(b *testing.B) {
			for b.Loop() {
				var n int64
				if err := raw.QueryRow(`SELECT COUNT(*) FROM tracked_items NOT INDEXED WHERE next_alert_at IS NOT NULL AND next_alert_at <= ?`, benchNow).Scan(&n); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(size.name+"/next", func(b *testing.B) {
			for b.Loop() {
				if _, _, err := sw.Next(ctx, benchNow); err != nil {
					b.Fatal(err)
				}
			}
		})
		raw.Close()
		st.Close()
	}
}
