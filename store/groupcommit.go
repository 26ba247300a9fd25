package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Group commit. SQLite writes one transaction at a time, so under load
// the transactions of Store.Tx queue for the write lock, and each pays for
// its own BEGIN, COMMIT and WAL write. PostgreSQL pays a WAL flush and
// several round trips per transaction, and its transactions queue on row
// locks: every /metric of a shop and day updates the same rows, so one
// transaction per command makes a convoy that only grows with replicas. A groupWriter runs
// them instead on one goroutine: it takes every transaction that is
// waiting, runs each in a savepoint of one database transaction, and
// commits them together. A transaction whose function fails is rolled back
// to its savepoint alone; the others commit. No caller hears "done" before
// the COMMIT that made its change durable has returned, and if that COMMIT
// fails, every caller in the batch gets the error.
//
// Figures logged with LogMetrics go further: consecutive ones in a batch
// are applied in order in memory and written with one statement per
// table (see metricbatch.go).
//
// Under light load a batch holds one transaction, and nothing waits for
// company: the writer never sleeps to make a batch bigger. (When several
// are waiting it yields once, so those about to ask can join.)

// maxGroup bounds one batch, so one COMMIT does not keep the first caller
// waiting on too many others.
const maxGroup = 64

// errStoreClosed answers transactions submitted after Close.
var errStoreClosed = errors.New("store is closed")

// groupWriter runs Store.Tx transactions in batches on one goroutine,
// on a connection of its own: on SQLite its page cache stays warm from
// one batch to the next, where a pooled connection would reload the pages
// another connection changed; on PostgreSQL its prepared statements stay.
type groupWriter struct {
	db      *gorm.DB
	conn    *sql.Conn     // nil until the first batch, and after it broke
	queue   chan *groupTx // unbuffered: a send succeeds only when the writer takes it
	stop    chan struct{}
	stopped chan struct{}
	wait    time.Duration // the longest wait to be taken
	obs     Observer      // nil: none
	pg      bool          // PostgreSQL: batches of keys and metric logs go pipelined
	// flushedTo is the WAL position that the last pipelined batch's
	// flush reached (see pgFlushSQL), as PostgreSQL writes it.
	flushedTo string
}

// groupTx is one call waiting for its batch: a Store.Tx (fn), a
// LogMetrics (metric) or a FirstSeen (seen).
type groupTx struct {
	ctx    context.Context
	fn     func(tx *Store) error
	metric *metricLog
	seen   *seenKey
	tmpl   Store // the Store to bind to the transaction
	done   chan groupResult
}

// batched says which calls of a batch are written together in one step:
// consecutive calls of one kind, other than Store.Tx (0), which runs alone.
func (t *groupTx) batched() int {
	switch {
	case t.metric != nil:
		return 1
	case t.seen != nil:
		return 2
	}
	return 0
}

type groupResult struct {
	err      error
	panicked bool
	value    any // what fn panicked with
	// What a LogMetrics changed, and its day's figures after it.
	changes []Change
	day     map[string]int64
	// Whether a FirstSeen call was the first.
	first bool
	// What fn asked to do once committed; run by the caller.
	hooks *hooks
}

func (r groupResult) ok() bool { return r.err == nil && !r.panicked }

func newGroupWriter(db *gorm.DB) *groupWriter {
	w := &groupWriter{db: db, queue: make(chan *groupTx), stop: make(chan struct{}), stopped: make(chan struct{}), wait: sqliteBusyTimeout,
		pg: db.Dialector.Name() == "postgres"}
	go w.loop()
	return w
}

// do runs t in the next batch and returns when that batch has committed
// or failed. A panic in fn is raised again here, in the caller.
//
// Waiting to be taken is bounded like a wait for SQLite's write lock: a
// Store.Tx started from inside another one's function, on the Store
// rather than on its tx, can never be taken, and fails after the busy
// timeout instead of hanging.
func (w *groupWriter) do(t *groupTx) groupResult {
	t.done = make(chan groupResult, 1)
	timeout := time.NewTimer(w.wait)
	defer timeout.Stop()
	select {
	case w.queue <- t:
	case <-t.ctx.Done():
		return groupResult{err: t.ctx.Err()}
	case <-w.stopped:
		return groupResult{err: errStoreClosed}
	case <-timeout.C:
		return groupResult{err: errGateTimeout}
	}
	// Once taken, the writer always answers; waiting here, rather than
	// giving up with ctx, keeps "failed" from being said of a change that
	// then commits.
	r := <-t.done
	if r.panicked {
		panic(r.value)
	}
	return r
}

// close stops the writer after the batch in progress.
func (w *groupWriter) close() {
	select {
	case <-w.stop:
	default:
		close(w.stop)
	}
	<-w.stopped
}

func (w *groupWriter) loop() {
	defer close(w.stopped)
	defer func() {
		if w.conn != nil {
			w.conn.Close()
		}
	}()
	for {
		var first *groupTx
		select {
		case first = <-w.queue:
		case <-w.stop:
			return
		}
		batch := w.gather([]*groupTx{first})
		if len(batch) > 1 {
			// Others were waiting too: under load, let the goroutines
			// that are about to ask have their turn first, so one COMMIT
			// serves them as well.
			runtime.Gosched()
			batch = w.gather(batch)
		}
		for len(batch) > 0 {
			batch = w.commit(batch)
		}
	}
}

// gather adds the calls already waiting to batch, up to maxGroup.
func (w *groupWriter) gather(batch []*groupTx) []*groupTx {
	for len(batch) < maxGroup {
		select {
		case t := <-w.queue:
			batch = append(batch, t)
		default:
			return batch
		}
	}
	return batch
}

// commit runs a batch in one transaction and answers its callers. It
// returns the calls it did not get to run, or must run again, because the
// database transaction ended under them; the loop runs those in a new one.
//
// The batch runs in this order: each Store.Tx function in a savepoint of
// its own; then every key to record, with one statement; then every
// metric log, last, so that the rows and locks of the figures (which the
// other replicas' batches wait for) are held for the shortest time, up to
// the COMMIT. The calls of a batch are concurrent, so any order is one
// they could have run in.
func (w *groupWriter) commit(batch []*groupTx) []*groupTx {
	batch = arrange(batch)
	results := make([]groupResult, len(batch))
	answer := func(calls []*groupTx, res []groupResult, err error) {
		for i, t := range calls {
			r := res[i]
			if err != nil && r.ok() {
				r = groupResult{err: err}
			}
			t.done <- r
		}
	}
	start := time.Now()
	if w.pipelinable(batch) {
		res, err := w.commitPipelined(batch)
		if !errors.Is(err, errRunRegular) {
			w.observe(nil, start, err)
			if err != nil {
				res = make([]groupResult, len(batch))
			}
			answer(batch, res, err)
			return nil
		}
		start = time.Now()
	}
	tx, err := w.begin()
	if err != nil {
		w.observe(tx, start, err)
		answer(batch, results, err)
		return nil
	}
	ranFn := false // whether a Store.Tx function has run in tx
	for i := 0; i < len(batch); {
		n := 1
		for k := batch[i].batched(); k != 0 && i+n < len(batch) && batch[i+n].batched() == k; {
			n++
		}
		step, out := batch[i:i+n], results[i:i+n]
		if n == len(batch) || (step[0].batched() != 0 && !ranFn) {
			// No savepoint: either this is the only step, or what ran
			// before it can run again (a savepoint costs a round trip
			// on PostgreSQL). On failure the whole transaction is rolled
			// back, the step's callers get their errors, and the other
			// calls, none of them answered yet, run again.
			if !runStep(tx, step, out) {
				tx.Rollback()
				w.observe(tx, start, nil)
				answer(step, out, nil)
				return slices.Concat(batch[:i], batch[i+n:])
			}
			i += n
			continue
		}
		ranFn = ranFn || step[0].batched() == 0
		if err := inSavepoint(tx, "g"+strconv.Itoa(i), func() bool { return runStep(tx, step, out) }); err != nil {
			// The database ended the whole transaction (an interrupted
			// write, a full disk): nothing of this batch is stored. Say so
			// to those that ran, and run the rest again.
			tx.Rollback()
			w.observe(tx, start, err)
			for j := range results[:i+n] {
				if results[j].ok() {
					results[j] = groupResult{err: err}
				}
			}
			answer(batch[:i+n], results[:i+n], nil)
			return batch[i+n:]
		}
		i += n
	}
	if err := tx.Commit().Error; err != nil {
		w.observe(tx, start, err)
		answer(batch, results, fmt.Errorf("commit: %w", err))
		return nil
	}
	w.observe(tx, start, nil)
	answer(batch, results, nil)
	return nil
}

// arrange orders a batch as commit runs it: Store.Tx functions, keys to
// record, metric logs; each kind in the order the calls arrived.
func arrange(batch []*groupTx) []*groupTx {
	rank := func(t *groupTx) int {
		switch t.batched() {
		case 0:
			return 0
		case 2:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(batch, func(a, b *groupTx) int { return rank(a) - rank(b) })
	return batch
}

// observe reports one database transaction of the writer.
func (w *groupWriter) observe(_ *gorm.DB, start time.Time, err error) {
	if w.obs != nil {
		w.obs.Transaction(w.db.Dialector.Name(), time.Since(start), err)
	}
}

// inSavepoint runs f in a savepoint and, when f reports failure, undoes
// what f did. It returns an error only when the database transaction
// itself is gone.
func inSavepoint(tx *gorm.DB, name string, f func() bool) error {
	if err := tx.SavePoint(name).Error; err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	if f() {
		return nil
	}
	if err := tx.RollbackTo(name).Error; err != nil {
		return fmt.Errorf("transaction rolled back by the database: %w", err)
	}
	return nil
}

// runStep runs one Store.Tx function, or a run of metric logs or of keys
// to record, and reports whether all of it succeeded.
func runStep(tx *gorm.DB, step []*groupTx, out []groupResult) bool {
	if step[0].batched() == 0 {
		out[0] = run(step[0], tx)
		return out[0].ok()
	}
	live := make([]*groupTx, 0, len(step))
	idx := make([]int, 0, len(step))
	for i, t := range step {
		if err := t.ctx.Err(); err != nil {
			out[i].err = err
			continue
		}
		live, idx = append(live, t), append(idx, i)
	}
	var res []groupResult
	var err error
	if step[0].metric != nil {
		logs := make([]*metricLog, len(live))
		for k, t := range live {
			logs[k] = t.metric
		}
		res, err = writeMetricLogs(tx, logs)
	} else {
		keys := make([]*seenKey, len(live))
		for k, t := range live {
			keys[k] = t.seen
		}
		res, err = writeSeenKeys(tx, keys)
	}
	for k, i := range idx {
		if err != nil {
			out[i].err = err
			continue
		}
		out[i] = res[k]
	}
	return err == nil
}

// connect opens the writer's connection if it has none.
func (w *groupWriter) connect() error {
	if w.conn != nil {
		return nil
	}
	sqlDB, err := w.db.DB()
	if err != nil {
		return fmt.Errorf("writer connection: %w", err)
	}
	if w.conn, err = sqlDB.Conn(context.Background()); err != nil {
		return fmt.Errorf("writer connection: %w", err)
	}
	return nil
}

// begin starts a transaction on the writer's connection.
func (w *groupWriter) begin() (*gorm.DB, error) {
	if err := w.connect(); err != nil {
		return nil, err
	}
	db := w.db.Session(&gorm.Session{NewDB: true, Context: context.Background()})
	db.Statement.ConnPool = w.conn
	tx := db.Begin()
	if tx.Error != nil {
		w.conn.Close() // a fresh one next time
		w.conn = nil
		return nil, fmt.Errorf("begin transaction: %w", tx.Error)
	}
	return tx, nil
}

// run calls one transaction's function on a Store bound to the database
// transaction, catching a panic so the writer survives it.
func run(t *groupTx, tx *gorm.DB) (r groupResult) {
	if err := t.ctx.Err(); err != nil {
		return groupResult{err: err}
	}
	defer func() {
		if v := recover(); v != nil {
			r = groupResult{panicked: true, value: v}
		}
	}()
	inner := t.tmpl
	inner.db = tx.WithContext(t.ctx)
	inner.group = nil // a Tx inside this one is a savepoint of it
	inner.hooks = &hooks{}
	return groupResult{err: t.fn(&inner), hooks: inner.hooks}
}
