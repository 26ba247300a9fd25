package store

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"opsbot/checklist/checkrun"
)

// capture records the SQL and arguments of every query the store runs.
type capture struct {
	mu      sync.Mutex
	queries []captured
}

type captured struct {
	sql  string
	vars []any
}

// install hooks both ways gorm reads: Find (query) and Rows (row).
func (c *capture) install(t *testing.T, db *gorm.DB) {
	t.Helper()
	record := func(tx *gorm.DB) {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.queries = append(c.queries, captured{tx.Statement.SQL.String(), append([]any(nil), tx.Statement.Vars...)})
	}
	if err := db.Callback().Query().After("gorm:query").Register("test:capture", record); err != nil {
		t.Fatal(err)
	}
	if err := db.Callback().Row().After("gorm:row").Register("test:capture_row", record); err != nil {
		t.Fatal(err)
	}
}

func (c *capture) take() []captured {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := c.queries
	c.queries = nil
	return q
}

// TestReportQueriesReadOnlyThePeriod runs the queries a report makes and
// asks SQLite how it executes each: every one must search an index by the
// period (or run IDs), never scan a table, so a report over a week costs a
// week of rows however many years the shop has logged (docs/BENCHMARKS.md).
func TestReportQueriesReadOnlyThePeriod(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var c capture
	c.install(t, st.db)
	tests := []struct {
		name string
		run  func() error
		want []string // one index per query, in order
	}{
		{"metrics", func() error { _, err := st.RangeMetrics(ctx, "main", "2026-11-09", "2026-11-22"); return err },
			[]string{"SEARCH metric_values USING INDEX ux_metric_shop_day_key (shop=? AND day>? AND day<?)"}},
		{"targets", func() error { _, err := st.Targets(ctx, "main", "2026-11"); return err },
			[]string{"SEARCH targets USING INDEX ux_target_shop_month_key (shop=? AND month=?)"}},
		{"checklists", func() error {
			// One run, so the items query runs too.
			_, err := st.ClaimRun(ctx, &checkrun.Run{Key: "x", Checklist: "x", Date: "2026-11-20", State: checkrun.Posted, Channel: "c", Items: 1})
			if err != nil {
				return err
			}
			_, err = st.ChecklistActivity(ctx, "2026-11-16", "2026-11-22")
			return err
			// The run IDs' subquery is built (a dry run the callback sees)
			// before the items query that embeds it.
		}, []string{"SEARCH checklist_runs USING INDEX idx_checklist_runs_date (date>? AND date<?)",
			"SEARCH checklist_runs USING COVERING INDEX idx_checklist_runs_date (date>? AND date<?)",
			"SEARCH run_items USING INDEX sqlite_autoindex_run_items_1 (run_id=?)"}},
		{"posted", func() error { _, err := st.PostedReports(ctx, []string{"a", "b"}); return err },
			[]string{"SEARCH report_posts USING COVERING INDEX sqlite_autoindex_report_posts_1 (key=?)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.take()
			if err := tt.run(); err != nil {
				t.Fatal(err)
			}
			qs := c.take()
			if len(qs) != len(tt.want) {
				t.Fatalf("%d queries, want %d: %v", len(qs), len(tt.want), qs)
			}
			for i, q := range qs {
				plan := explain(t, st, q)
				if !strings.Contains(plan, tt.want[i]) || strings.Contains(plan, "SCAN") {
					t.Errorf("plan of %s\n= %s\nwant %s and no SCAN", q.sql, plan, tt.want[i])
				}
			}
		})
	}
}

func explain(t *testing.T, st *Store, q captured) string {
	t.Helper()
	var rows []struct{ Detail string }
	if err := st.db.Session(&gorm.Session{NewDB: true}).Raw("EXPLAIN QUERY PLAN "+q.sql, q.vars...).Scan(&rows).Error; err != nil {
		t.Fatalf("explain %s: %v", q.sql, err)
	}
	var plan []string
	for _, r := range rows {
		plan = append(plan, r.Detail)
	}
	return strings.Join(plan, "; ")
}
