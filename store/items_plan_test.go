package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDueQueryUsesTheIndex keeps the sweeper's query on the partial index
// of next_alert_at: resolved items (NULL) are not in it, so a sweep costs
// the items due, not every item ever logged (see docs/BENCHMARKS.md).
func TestDueQueryUsesTheIndex(t *testing.T) {
	st, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, q := range []string{
		"SELECT * FROM tracked_items WHERE next_alert_at IS NOT NULL AND next_alert_at <= ? ORDER BY next_alert_at, id LIMIT 100",
		"SELECT next_alert_at FROM tracked_items WHERE next_alert_at IS NOT NULL AND next_alert_at > ? ORDER BY next_alert_at LIMIT 1",
	} {
		var rows []struct{ Detail string }
		if err := st.db.Raw("EXPLAIN QUERY PLAN "+q, time.Now().UTC()).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		var plan []string
		for _, r := range rows {
			plan = append(plan, r.Detail)
		}
		if got := strings.Join(plan, "; "); !strings.Contains(got, "INDEX ix_items_next_alert (next_alert_") {
			t.Errorf("plan of %q = %s; want the partial index ix_items_next_alert", q, got)
		}
	}
}
