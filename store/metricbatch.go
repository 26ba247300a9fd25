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

// shopDay names the figures of one shop on one day.
type shopDay struct{ shop, day string }

// metricRow is one figure as a batch writes it.
type metricRow struct {
	shopDay
	key       string
	value     int64
	by        string
	at, since time.Time
}

// metricWrites is what a run of metric logs writes: each figure changed
// once, in key order, and the audit entries in the order of the changes.
type metricWrites struct {
	rows  []metricRow
	audit []AuditEntry
}

// dayLock names the advisory lock of a shop's figures of one day on
// PostgreSQL.
func dayLock(sd shopDay) string { return "metric_values:" + sd.shop + "/" + sd.day }

// daysOf lists the days that logs change, sorted, each once: the order in
// which every batch locks them.
func daysOf(logs []*metricLog) []shopDay {
	var sds []shopDay
	for _, l := range logs {
		sds = append(sds, shopDay{l.shop, l.day})
	}
	slices.SortFunc(sds, func(a, b shopDay) int { return cmp.Or(cmp.Compare(a.shop, b.shop), cmp.Compare(a.day, b.day)) })
	return slices.Compact(sds)
}

// applyMetricLogs applies logs in order to days, the stored figures of
// the days they change (which it updates), each log seeing the ones
// before it, and returns each log's result and what to write.
//
// Each row is written once a batch, however many logs changed it, and the
// rows are written in key order: two replicas' batches that touch the
// same rows lock them in the same order, so they queue instead of
// deadlocking.
func applyMetricLogs(logs []*metricLog, days map[shopDay]map[string]int64) ([]groupResult, metricWrites) {
	type rowKey struct {
		shopDay
		key string
	}
	final := map[rowKey]*metricRow{}
	var w metricWrites
	out := make([]groupResult, len(logs))
	for i, l := range logs {
		sd := shopDay{l.shop, l.day}
		cur := days[sd]
		if cur == nil {
			cur = map[string]int64{}
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
				r.value, r.by, r.at = c.New, l.actor, l.at
			} else {
				final[rk] = &metricRow{shopDay: sd, key: k, value: c.New, by: l.actor, at: l.at, since: l.at}
			}
			w.audit = append(w.audit, auditOf(c, l.at, l.actor, "metric.set", l.shop, l.day+" "+k))
		}
		out[i] = groupResult{changes: changes, day: maps.Clone(cur)}
	}
	w.rows = make([]metricRow, 0, len(final))
	for _, r := range final {
		w.rows = append(w.rows, *r)
	}
	slices.SortFunc(w.rows, func(a, b metricRow) int {
		return cmp.Or(cmp.Compare(a.shop, b.shop), cmp.Compare(a.day, b.day), cmp.Compare(a.key, b.key))
	})
	return out, w
}

// writeMetricLogs applies metric logs in order and writes the result
// inside the caller's transaction.
func writeMetricLogs(tx *gorm.DB, logs []*metricLog) ([]groupResult, error) {
	ctx := context.Background()
	pool := tx.Statement.ConnPool
	pg := tx.Dialector.Name() == "postgres"
	sds := daysOf(logs)
	if pg {
		// Another replica's batch may change the same day between our read
		// and our write: lock each day first, in one order for everyone,
		// so the old values in the audit log are the ones replaced. An
		// advisory lock holds a day whose rows do not exist yet, too.
		for _, sd := range sds {
			if _, err := pool.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, dayLock(sd)); err != nil {
				return nil, fmt.Errorf("lock the figures of %s on %s: %w", sd.shop, sd.day, err)
			}
		}
	}
	days := make(map[shopDay]map[string]int64, len(sds))
	for _, sd := range sds {
		cur, err := dayFigures(ctx, pool, pg, sd.shop, sd.day)
		if err != nil {
			return nil, err
		}
		days[sd] = cur
	}
	out, w := applyMetricLogs(logs, days)
	// Times as the driver would write a time.Time, formatted once rather
	// than for every row and audit entry.
	times := map[time.Time]any{}
	timeArg := func(t time.Time) any {
		if pg {
			return t
		}
		v, ok := times[t]
		if !ok {
			v = t.Format(sqlite3.SQLiteTimestampFormats[0])
			times[t] = v
		}
		return v
	}
	rows := make([]any, 0, rowCols*len(w.rows))
	for _, r := range w.rows {
		rows = append(rows, r.shop, r.day, r.key, r.value, r.by, timeArg(r.at), timeArg(r.since))
	}
	audit := make([]any, 0, rowCols*len(w.audit))
	for _, e := range w.audit {
		audit = append(audit, timeArg(e.At), e.Actor, e.Action, e.Shop, e.Subject, e.OldValue, e.NewValue)
	}
	if pg && len(w.rows) <= maxRowsPerInsert && len(w.audit) <= maxRowsPerInsert {
		// Both in one statement: one round trip less while the other
		// replicas wait for these rows.
		q := `WITH m AS (` + insertMetricsSQL + placeholders(len(w.rows), rowCols) + upsertMetricsSQL + `) ` +
			insertAuditSQL + placeholders(len(w.audit), rowCols)
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
	return keyValues(rows, err, "read metrics of "+shop+" on "+day)
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
