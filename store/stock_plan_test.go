package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestStockQueriesUseIndexes keeps every query of the stock feature on an
// index: with 5,000 SKUs and two years of sales, a table scan would be
// millions of rows (see docs/BENCHMARKS.md for the plans and timings).
func TestStockQueriesUseIndexes(t *testing.T) {
	st, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, q := range []string{
		`SELECT ` + stockItemColumns + ` FROM stock_items WHERE shop = 'main' ORDER BY shop, code`,
		`SELECT * FROM stock_items WHERE shop = 'main' AND code = 'A100'`,
		`SELECT * FROM stock_items WHERE shop = 'main' AND code IN ('A100', 'B200')`,
		`SELECT id FROM stock_items WHERE shop = 'main' AND sums_on < '2026-11-26' LIMIT 1`,
		`UPDATE stock_items SET sold28 = COALESCE((SELECT SUM(d.qty) FROM stock_sales AS d WHERE d.item_id = stock_items.id AND d.date >= '2026-10-29' AND d.date <= '2026-11-25'), 0) WHERE shop = 'main' AND sums_on < '2026-11-26'`,
		`SELECT i.id, SUM(d.qty) FROM stock_items AS i JOIN stock_sales AS d ON d.item_id = i.id WHERE i.shop = 'main' AND d.date >= '2026-10-29' AND d.date <= '2026-11-25' GROUP BY i.id`,
		`SELECT * FROM stock_sales WHERE item_id = 7 AND date >= '2026-10-29' AND date <= '2026-11-25' ORDER BY date`,
		`SELECT date FROM stock_sales WHERE item_id = 7 AND date <= '2026-11-25' AND qty > 0 ORDER BY date DESC LIMIT 1`,
		`SELECT * FROM stock_moves WHERE item_id = 7 ORDER BY at DESC, id DESC LIMIT 10`,
		`SELECT * FROM stock_orders WHERE item_id = 7 AND open = true ORDER BY eta, id`,
		`SELECT count(*) FROM stock_sheets WHERE shop = 'main' AND date = '2026-11-26'`,
		`SELECT * FROM stock_sheets WHERE shop = 'main' ORDER BY date DESC LIMIT 1`,
		`SELECT * FROM stock_sheet_lines WHERE sheet_id = 1 ORDER BY id`,
	} {
		var rows []struct{ Detail string }
		if err := st.db.Raw("EXPLAIN QUERY PLAN " + q).Scan(&rows).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var plan []string
		for _, r := range rows {
			plan = append(plan, r.Detail)
		}
		got := strings.Join(plan, "; ")
		if strings.Contains(got, "SCAN") || !strings.Contains(got, "USING") {
			t.Errorf("plan of %s\n= %s; want index searches only", q, got)
		}
	}
}
