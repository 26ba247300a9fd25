package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// On PostgreSQL, a batch of only delivery keys and metric logs (all the
// writing of a /metric command) takes two round trips instead of about
// six: the first sends BEGIN, the keys' INSERT, the day locks and the
// reads of those days' figures together; the second sends the figures,
// their audit entries and COMMIT. The statements of a pipeline still run
// one by one, in order, each with a snapshot of its own, so the figures
// are read after their locks are held, as on the regular path, and
// nobody is answered before the COMMIT's reply. Round trips count for
// more than their own time here: a day's lock is held from the first
// pipeline to the COMMIT, and the other replicas' batches of that day
// wait for it.
//
// A batch with a Store.Tx function, or one whose pipelines fail before
// the COMMIT is sent, runs on the regular path.

// The statements of the pipelined path. Arrays rather than VALUES lists
// keep one text per statement, so each is prepared once per connection.
const (
	pgSeenSQL = `INSERT INTO processed_events (key, at) SELECT * FROM unnest($1::text[], $2::timestamptz[]) ` +
		`ON CONFLICT (key) DO NOTHING RETURNING key`
	// Each lock also makes the transaction's commit asynchronous (see
	// pgFlushSQL), which costs no statement of its own this way.
	pgLockDaySQL  = `SELECT pg_advisory_xact_lock(hashtext($1)), set_config('synchronous_commit', 'off', true)`
	pgReadDaySQL  = `SELECT key, value FROM metric_values WHERE shop = $1 AND day = $2`
	pgWriteDaySQL = `WITH m AS (INSERT INTO metric_values (shop, day, key, value, updated_by, updated_at, created_at) ` +
		`SELECT s, d, k, v, b, a, c FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::timestamptz[], $7::timestamptz[]) ` +
		`WITH ORDINALITY AS r(s, d, k, v, b, a, c, n) ORDER BY n` +
		upsertMetricsSQL + `) ` +
		`INSERT INTO audit_entries (at, actor, action, shop, subject, old_value, new_value) ` +
		`SELECT a, b, c, s, j, o, v FROM unnest($8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[]) ` +
		`WITH ORDINALITY AS r(a, b, c, s, j, o, v, n) ORDER BY n`
)

// The locks of a day are held until its transaction's COMMIT returns. A
// synchronous COMMIT returns once the WAL is flushed to disk, about a
// millisecond here, and the other replicas' batches of that day would
// wait for the flush too. So the batch commits asynchronously (its locks
// go at once) and is followed, in the same pipeline, by a transaction that
// writes a WAL record and commits synchronously: that commit flushes the
// WAL up to its own record, the batch's commit included, and nobody is
// answered before it returns. Until then the batch's figures are visible
// but not yet durable, as with any asynchronous commit; if the server
// crashed in between they would be lost unacknowledged, and so would
// everything written after them. (A transaction that only takes an ID,
// such as SELECT txid_current(), writes no record and flushes nothing.
// The message written here is a transactional logical decoding message
// with the prefix "opsbot", which logical decoding consumers skip.)
const pgFlushSQL = `SELECT pg_logical_emit_message(true, 'opsbot', '')`

// errRunRegular says that a pipelined batch committed nothing and may run
// again on the regular path.
var errRunRegular = errors.New("pipelined batch not committed")

// pipelinable reports whether a batch can take the pipelined path.
func (w *groupWriter) pipelinable(batch []*groupTx) bool {
	if !w.pg {
		return false
	}
	for _, t := range batch {
		if t.batched() == 0 {
			return false
		}
	}
	return true
}

// commitPipelined runs a batch of keys and metric logs in two pipelines
// on the writer's connection and returns each call's result once
// committed. errRunRegular means nothing was committed; any other error,
// that the COMMIT failed or its outcome is unknown.
func (w *groupWriter) commitPipelined(batch []*groupTx) ([]groupResult, error) {
	if err := w.connect(); err != nil {
		return nil, errRunRegular // the regular path reports it
	}
	sqlDB, err := w.db.DB()
	if err != nil {
		return nil, errRunRegular
	}
	var results []groupResult
	err = w.conn.Raw(func(dc any) error {
		c, ok := dc.(interface{ Conn() *pgx.Conn })
		if !ok {
			return errRunRegular
		}
		var err error
		results, err = pipelineBatch(c.Conn(), batch, sqlDB, &w.flushedTo)
		if c.Conn().IsClosed() {
			return errors.Join(err, driver.ErrBadConn) // database/sql drops the connection
		}
		return err
	})
	if errors.Is(err, driver.ErrBadConn) {
		w.conn = nil // closed by database/sql; a fresh one next time
	}
	return results, err
}

// pipelineBatch is commitPipelined on the driver's connection.
// flushed gets the WAL position that the flush after the batch reached.
func pipelineBatch(pc *pgx.Conn, batch []*groupTx, flushPool *sql.DB, flushed *string) ([]groupResult, error) {
	ctx := context.Background()
	results := make([]groupResult, len(batch))
	var keys []*seenKey
	var logs []*metricLog
	var keyAt, logAt []int // where each key's and log's result goes
	for i, t := range batch {
		if err := t.ctx.Err(); err != nil {
			results[i].err = err
			continue
		}
		if t.seen != nil {
			keys, keyAt = append(keys, t.seen), append(keyAt, i)
		} else {
			logs, logAt = append(logs, t.metric), append(logAt, i)
		}
	}
	if len(keys) == 0 && len(logs) == 0 {
		return results, nil
	}

	// First pipeline: BEGIN, the keys, the locks and the reads (and COMMIT
	// when there is nothing to write after them).
	alone := len(logs) == 0 // nothing to write after the reads
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	var names []string
	var ats []time.Time
	asked := map[string]bool{}
	for _, k := range keys {
		if !asked[k.key] {
			asked[k.key] = true
			names, ats = append(names, k.key), append(ats, k.at)
		}
	}
	if len(names) > 0 {
		b.Queue(pgSeenSQL, names, ats)
	}
	sds := daysOf(logs)
	for _, sd := range sds {
		b.Queue(pgLockDaySQL, dayLock(sd))
	}
	for _, sd := range sds {
		b.Queue(pgReadDaySQL, sd.shop, sd.day)
	}
	if alone {
		b.Queue("COMMIT")
	}
	inserted := map[string]bool{}
	days := make(map[shopDay]map[string]int64, len(sds))
	err := readPipeline(pc.SendBatch(ctx, b), func(br pgx.BatchResults) error {
		if _, err := br.Exec(); err != nil {
			return fmt.Errorf("begin transaction: %w", err)
		}
		if len(names) > 0 {
			rows, _ := br.Query() // its error comes with the rows
			k, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return fmt.Errorf("record deliveries: %w", err)
			}
			for _, s := range k {
				inserted[s] = true
			}
		}
		for _, sd := range sds {
			if _, err := br.Exec(); err != nil {
				return fmt.Errorf("lock the figures of %s on %s: %w", sd.shop, sd.day, err)
			}
		}
		for _, sd := range sds {
			cur := map[string]int64{}
			rows, _ := br.Query()
			var k string
			var v int64
			if _, err := pgx.ForEachRow(rows, []any{&k, &v}, func() error { cur[k] = v; return nil }); err != nil {
				return fmt.Errorf("read metrics of %s on %s: %w", sd.shop, sd.day, err)
			}
			days[sd] = cur
		}
		if alone {
			return readCommit(br)
		}
		return nil
	})
	if err != nil {
		return nil, abandon(ctx, pc, err, alone)
	}
	for j, i := range keyAt {
		results[i].first = inserted[keys[j].key]
		delete(inserted, keys[j].key) // a later call with the same key is not first
	}
	if alone {
		return results, nil
	}

	// Second pipeline: the figures, their audit entries, COMMIT.
	out, wr := applyMetricLogs(logs, days)
	for j, i := range logAt {
		results[i] = out[j]
	}
	b = &pgx.Batch{}
	b.Queue(pgWriteDaySQL, writeArgs(wr)...)
	b.Queue("COMMIT")
	b.Queue(pgFlushSQL)
	committed := false
	var flushedTo string
	err = readPipeline(pc.SendBatch(ctx, b), func(br pgx.BatchResults) error {
		if _, err := br.Exec(); err != nil {
			return fmt.Errorf("write metrics and audit: %w", err)
		}
		if err := readCommit(br); err != nil {
			return err
		}
		committed = true
		if err := br.QueryRow().Scan(&flushedTo); err != nil {
			return fmt.Errorf("flush the commit: %w", err)
		}
		return nil
	})
	if err != nil && !committed {
		return nil, abandon(ctx, pc, err, true)
	}
	if err != nil {
		// Committed, not known to be durable: any later synchronous
		// commit that writes a record makes it so, on any connection.
		if ferr := flushPool.QueryRowContext(ctx, pgFlushSQL).Scan(&flushedTo); ferr != nil {
			return nil, errors.Join(err, ferr)
		}
	}
	*flushed = flushedTo
	return results, nil
}

// readCommit reads the result of a pipeline's COMMIT.
func readCommit(br pgx.BatchResults) error {
	tag, err := br.Exec()
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if tag.String() != "COMMIT" {
		return fmt.Errorf("commit: the transaction was rolled back (%s)", tag)
	}
	return nil
}

// readPipeline reads a pipeline's results with read and closes it.
func readPipeline(br pgx.BatchResults, read func(pgx.BatchResults) error) error {
	err := read(br)
	if cerr := br.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return err
}

// abandon handles a pipeline that failed. When the transaction is still
// open on a live connection, nothing of it was committed: abandon rolls
// it back and says to run the batch on the regular path, which tells each
// caller of the failing step why. So it is, too, when the connection
// broke before any COMMIT was sent. Otherwise (a COMMIT sent and the
// transaction ended, or the connection lost with it) the COMMIT failed or
// its outcome is unknown, and the error goes to every caller, as it does
// on the regular path.
func abandon(ctx context.Context, pc *pgx.Conn, cause error, commitSent bool) error {
	switch {
	case pc.IsClosed():
		if commitSent {
			return cause
		}
	case pc.PgConn().TxStatus() != 'I':
		if _, err := pc.Exec(ctx, "ROLLBACK"); err != nil {
			pc.Close(ctx)
		}
	case commitSent:
		return cause
	}
	return fmt.Errorf("%w: %w", errRunRegular, cause)
}

// writeArgs are pgWriteDaySQL's arrays.
func writeArgs(w metricWrites) []any {
	n := len(w.rows)
	shops, days, keys, by := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	values := make([]int64, n)
	at, since := make([]time.Time, n), make([]time.Time, n)
	for i, r := range w.rows {
		shops[i], days[i], keys[i], values[i], by[i], at[i], since[i] = r.shop, r.day, r.key, r.value, r.by, r.at, r.since
	}
	m := len(w.audit)
	aAt := make([]time.Time, m)
	actor, action, shop, subject := make([]string, m), make([]string, m), make([]string, m), make([]string, m)
	oldV, newV := make([]*string, m), make([]*string, m)
	for i, e := range w.audit {
		aAt[i], actor[i], action[i], shop[i], subject[i], oldV[i], newV[i] = e.At, e.Actor, e.Action, e.Shop, e.Subject, e.OldValue, e.NewValue
	}
	return []any{shops, days, keys, values, by, at, since, aAt, actor, action, shop, subject, oldV, newV}
}
