package store

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
)

// metricLog is one LogMetrics call waiting for its batch.
type metricLog struct {
	actor, shop, day string
	values           map[string]int64
	keys             []string
	at               time.Time
}

// LogMetrics stores several figures of a day at once, as SetMetrics does
// (all or nothing, each change in the audit log), and returns what changed
// and the day's figures after the change.
//
// It is the fast path of the /metric command: the group writer
// applies the logs of a batch one after the other in memory, each seeing
// the ones before it, and writes them with one statement per table. The
// result is the same as running them one by one.
func (s *Store) LogMetrics(ctx context.Context, actor, shop, day string, values map[string]int64, keys []string, at time.Time) ([]Change, map[string]int64, error) {
	at = at.UTC()
	if s.group == nil { // already in a transaction
		var changes []Change
		var stored map[string]int64
		err := s.Tx(ctx, func(tx *Store) error {
			var err error
			if changes, err = tx.SetMetrics(ctx, actor, shop, day, values, keys, at); err != nil {
				return err
			}
			stored, err = tx.DayMetrics(ctx, shop, day)
			return err
		})
		return changes, stored, err
	}
	l := &metricLog{actor: actor, shop: shop, day: day, values: values, keys: keys, at: at}
	r := s.group.do(&groupTx{ctx: ctx, metric: l, tmpl: *s})
	if r.err != nil {
		return nil, nil, fmt.Errorf("set metrics of %s on %s: %w", shop, day, r.err)
	}
	return r.changes, r.day, nil
}

// The statements that write figures and their audit entries, completed
// with a VALUES list of 7 columns a row.
const (
	insertMetricsSQL = `INSERT INTO metric_values (shop, day, key, value, updated_by, updated_at, created_at) VALUES `
	upsertMetricsSQL = ` ON CONFLICT (shop, day, key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`
	insertAuditSQL   = `INSERT INTO audit_entries (at, actor, action, shop, subject, old_value, new_value) VALUES `
	rowCols          = 7
	maxRowsPerInsert = 256
)

// writeMetricLogs applies metric logs in order and writes the result
// inside the caller's transaction.
//
// Each row is written once a batch, however many logs changed it, and the
// rows are written in key order: two replicas' batches that touch the same
// rows lock them in the same order, so they queue instead of deadlocking.
func writeMetricLogs(tx *gorm.DB, logs []*metricLog) ([]groupResult, error) {
	type shopDay struct{ shop, day string }
	type rowKey struct {
		shopDay
		key string
	}
	type row struct {
		value     int64
		by        string
		at, since any
	}
	ctx := context.Background()
	pool := tx.Statement.ConnPool
	pg := tx.Dialector.Name() == "postgres"
	days := map[shopDay]map[string]int64{}
	final := map[rowKey]*row{}
	var order []rowKey
	var audit []any
	out := make([]groupResult, len(logs))
	if pg {
		// Another replica's batch may change the same day between our read
		// and our write: lock each day first, in one order for everyone,
		// so the old values in the audit log are the ones replaced. An
		// advisory lock holds a day whose rows do not exist yet, too.
		var sds []string
		for _, l := range logs {
			sds = append(sds, l.shop+"/"+l.day)
		}
		slices.Sort(sds)
		for _, sd := range slices.Compact(sds) {
			if _, err := pool.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, "metric_values:"+sd); err != nil {
				return nil, fmt.Errorf("lock the figures of %s: %w", sd, err)
			}
		}
	}
	for i, l := range logs {
		// The time as the driver would write a time.Time, formatted once
		// rather than for every row and audit entry.
		var at any = l.at.Format(sqlite3.SQLiteTimestampFormats[0])
		if pg {
			at = l.at
		}
		sd := shopDay{l.shop, l.day}
		cur, ok := days[sd]
		if !ok {
			var err error
			if cur, err = dayFigures(ctx, pool, pg, l.shop, l.day); err != nil {
				return nil, err
			}
			days[sd] = cur
		}
		changes := make([]Change, 0, len(l.keys))
		for _, k := range l.keys {
			c := Change{Key: k, New: l.values[k]}
			c.Old, c.HadOld = cur[k]
			changes = append(changes, c)
			cur[k] = c.New
			rk := rowKey{sd, k}
			if r, ok := final[rk]; ok {
				r.value, r.by, r.at = c.New, l.actor, at
			} else {
				final[rk] = &row{value: c.New, by: l.actor, at: at, since: at}
				order = append(order, rk)
			}
			e := auditOf(c, l.at, l.actor, "metric.set", l.shop, l.day+" "+k)
			audit = append(audit, at, e.Actor, e.Action, e.Shop, e.Subject, e.OldValue, e.NewValue)
		}
		out[i] = groupResult{changes: changes, day: maps.Clone(cur)}
	}
	slices.SortFunc(order, func(a, b rowKey) int {
		return cmp.Or(cmp.Compare(a.shop, b.shop), cmp.Compare(a.day, b.day), cmp.Compare(a.key, b.key))
	})
	rows := make([]any, 0, rowCols*len(order))
	for _, k := range order {
		r := final[k]
		rows = append(rows, k.shop, k.day, k.key, r.value, r.by, r.at, r.since)
	}
	if pg && len(order) <= maxRowsPerInsert && len(audit)/rowCols <= maxRowsPerInsert {
		// Both in one statement: one round trip less while the other
		// replicas wait for these rows.
		q := `WITH m AS (` + insertMetricsSQL + placeholders(len(order), rowCols) + upsertMetricsSQL + `) ` +
			insertAuditSQL + placeholders(len(audit)/rowCols, rowCols)
		if _, err := pool.ExecContext(ctx, rebind(pg, q), slices.Concat(rows, audit)...); err != nil {
			return nil, fmt.Errorf("write metrics and audit: %w", err)
		}
		return out, nil
	}
	if err := insertRows(ctx, pool, pg, insertMetricsSQL, upsertMetricsSQL, rows); err != nil {
		return nil, fmt.Errorf("write metrics: %w", err)
	}
	if err := insertRows(ctx, pool, pg, insertAuditSQL, "", audit); err != nil {
		return nil, fmt.Errorf("write audit: %w", err)
	}
	return out, nil
}

// dayFigures reads a shop's figures of one day by key.
func dayFigures(ctx context.Context, pool gorm.ConnPool, pg bool, shop, day string) (map[string]int64, error) {
	rows, err := pool.QueryContext(ctx, rebind(pg, `SELECT key, value FROM metric_values WHERE shop = ? AND day = ?`), shop, day)
	if err != nil {
		return nil, fmt.Errorf("read metrics of %s on %s: %w", shop, day, err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("read metrics of %s on %s: %w", shop, day, err)
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read metrics of %s on %s: %w", shop, day, err)
	}
	return out, nil
}

// insertRows runs head + VALUES (…), (…) + tail over args, rowCols values
// a row, in statements of at most maxRowsPerInsert rows.
func insertRows(ctx context.Context, pool gorm.ConnPool, pg bool, head, tail string, args []any) error {
	for len(args) > 0 {
		n := min(len(args)/rowCols, maxRowsPerInsert)
		if _, err := pool.ExecContext(ctx, rebind(pg, head+placeholders(n, rowCols)+tail), args[:n*rowCols]...); err != nil {
			return err
		}
		args = args[n*rowCols:]
	}
	return nil
}

// rebind numbers the ? placeholders of a statement as PostgreSQL's $1, $2…
// for the statements that go to the driver without gorm. (None of them
// has a ? inside a string literal.)
func rebind(pg bool, q string) string {
	if !pg {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + len(q)/4)
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
