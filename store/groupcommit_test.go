package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"opsbot/store"
	"opsbot/store/storetest"
)

// TestLogMetricsConcurrentIsSerial logs figures from many goroutines at
// once. However the group writer batches them, the result must be that of
// some serial order: every change's old value is the new value of the
// change before it in the audit log, and each caller saw the day as it
// was right after its own change. On PostgreSQL too: one writer per
// process makes audit IDs follow commit order there as well.
func TestLogMetricsConcurrentIsSerial(t *testing.T) {
	storetest.Each(t, testLogMetricsConcurrentIsSerial)
}

func testLogMetricsConcurrentIsSerial(t *testing.T, st *store.Store) {
	ctx := context.Background()
	const writers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				v := int64(w*1000 + i)
				changes, day, err := st.LogMetrics(ctx, "u"+strconv.Itoa(w), "main", "2026-11-22",
					map[string]int64{"uv": v, "paid": v + 1}, []string{"uv", "paid"}, at)
				switch {
				case err != nil:
					errs <- err
				case len(changes) != 2 || changes[0].New != v || changes[1].New != v+1:
					errs <- fmt.Errorf("changes = %+v, want uv=%d paid=%d", changes, v, v+1)
				case day["uv"] != v || day["paid"] != v+1:
					errs <- fmt.Errorf("day after logging uv=%d: %v", v, day)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	audit, err := st.Audit(ctx, store.AuditFilter{Shop: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != 2*writers*each {
		t.Fatalf("audit has %d entries, want %d", len(audit), 2*writers*each)
	}
	// Audit is newest first: walk it oldest first, per key.
	last := map[string]string{}
	for i := len(audit) - 1; i >= 0; i-- {
		a := audit[i]
		prev, seen := last[a.Subject]
		switch {
		case !seen && a.OldValue != nil:
			t.Errorf("first change of %s has an old value %s", a.Subject, *a.OldValue)
		case seen && (a.OldValue == nil || *a.OldValue != prev):
			t.Errorf("change %d of %s: old value %v, want %s", a.ID, a.Subject, a.OldValue, prev)
		}
		last[a.Subject] = *a.NewValue
	}
	day, err := st.DayMetrics(ctx, "main", "2026-11-22")
	if err != nil {
		t.Fatal(err)
	}
	if strconv.FormatInt(day["uv"], 10) != last["2026-11-22 uv"] {
		t.Errorf("stored uv %d, last audited %s", day["uv"], last["2026-11-22 uv"])
	}
}

// TestTxFailureRollsBackOnlyItself runs failing and succeeding
// transactions together: the failures leave nothing, the others commit.
func TestTxFailureRollsBackOnlyItself(t *testing.T) {
	storetest.Each(t, testTxFailureRollsBackOnlyItself)
}

func testTxFailureRollsBackOnlyItself(t *testing.T, st *store.Store) {
	ctx := context.Background()
	boom := errors.New("boom")
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			day := fmt.Sprintf("2026-10-%02d", i%28+1)
			shop := "s" + strconv.Itoa(i)
			err := st.Tx(ctx, func(tx *store.Store) error {
				if _, err := tx.SetMetrics(ctx, "u", shop, day, map[string]int64{"uv": 1}, []string{"uv"}, at); err != nil {
					return err
				}
				if i%2 == 1 {
					return boom
				}
				return nil
			})
			if want := i%2 == 1; errors.Is(err, boom) != want {
				t.Errorf("tx %d: err = %v", i, err)
			}
		})
	}
	wg.Wait()
	for i := range n {
		got, err := st.DayMetrics(ctx, "s"+strconv.Itoa(i), fmt.Sprintf("2026-10-%02d", i%28+1))
		if err != nil {
			t.Fatal(err)
		}
		if stored := len(got) == 1; stored != (i%2 == 0) {
			t.Errorf("tx %d: stored %v", i, got)
		}
	}
}

func TestTxPanicReachesTheCallerAndTheWriterLives(t *testing.T) {
	storetest.Each(t, testTxPanicReachesTheCallerAndTheWriterLives)
}

func testTxPanicReachesTheCallerAndTheWriterLives(t *testing.T, st *store.Store) {
	ctx := context.Background()
	func() {
		defer func() {
			if v := recover(); v != "oops" {
				t.Errorf("recovered %v, want the panic of the function", v)
			}
		}()
		st.Tx(ctx, func(tx *store.Store) error {
			tx.SetMetrics(ctx, "u", "main", "2026-11-01", map[string]int64{"uv": 9}, []string{"uv"}, at)
			panic("oops")
		})
	}()
	if day, _ := st.DayMetrics(ctx, "main", "2026-11-01"); len(day) != 0 {
		t.Errorf("the panicking transaction stored %v", day)
	}
	nested := st.Tx(ctx, func(tx *store.Store) error {
		return tx.Tx(ctx, func(inner *store.Store) error {
			_, err := inner.SetMetrics(ctx, "u", "main", "2026-11-02", map[string]int64{"uv": 1}, []string{"uv"}, at)
			return err
		})
	})
	if day, _ := st.DayMetrics(ctx, "main", "2026-11-02"); nested != nil || day["uv"] != 1 {
		t.Errorf("nested Tx after a panic: %v, stored %v", nested, day)
	}
}

func TestTxAfterCloseFails(t *testing.T) {
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	done := make(chan error, 1)
	go func() { done <- st.Tx(context.Background(), func(*store.Store) error { return nil }) }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a transaction on a closed store succeeded")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a transaction on a closed store hangs")
	}
}

// TestWritesFromTwoStoresOnOneFile: the write gate orders one process's
// writers; a second Store (another process) still queues on SQLite's busy
// timeout, and nothing is lost.
func TestWritesFromTwoStoresOnOneFile(t *testing.T) {
	path := "sqlite:" + filepath.Join(t.TempDir(), "two.db")
	ctx := context.Background()
	var stores [2]*store.Store
	for i := range stores {
		st, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		stores[i] = st
	}
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			st := stores[i%2]
			key := fmt.Sprintf("k%d", i)
			var err error
			if i%4 < 2 {
				_, _, err = st.LogMetrics(ctx, "u", "main", "2026-11-03", map[string]int64{key: int64(i)}, []string{key}, at)
			} else {
				_, err = st.SetMetrics(ctx, "u", "main", "2026-11-03", map[string]int64{key: int64(i)}, []string{key}, at)
			}
			if err != nil {
				t.Errorf("write %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	day, err := stores[0].DayMetrics(ctx, "main", "2026-11-03")
	if err != nil || len(day) != 40 {
		t.Errorf("stored %d figures (%v), want 40", len(day), err)
	}
}

// TestReplicasLogTheSameRows runs two stores on one PostgreSQL schema, as
// two replicas do, with many writers each logging the same shop and day.
// Their batches lock the same rows: they must queue, never deadlock, and
// every change must be in the audit log once.
func TestReplicasLogTheSameRows(t *testing.T) {
	url := storetest.PostgresURL(t)
	ctx := context.Background()
	var replicas [2]*store.Store
	for i := range replicas {
		st, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		replicas[i] = st
	}
	const writers, each = 8, 20
	var wg sync.WaitGroup
	errs := make(chan error, 2*writers*each)
	for r, st := range replicas {
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					// Keys in both orders, so rows are asked for in
					// different orders by different batches.
					keys := []string{"uv", "paid", "orders"}
					if (w+i)%2 == 1 {
						keys = []string{"orders", "paid", "uv"}
					}
					v := int64(r*100000 + w*1000 + i)
					_, _, err := st.LogMetrics(ctx, "u", "main", "2026-11-22",
						map[string]int64{"uv": v, "paid": v, "orders": v}, keys, at)
					if err != nil {
						errs <- err
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	audit, err := replicas[0].Audit(ctx, store.AuditFilter{Shop: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if want := 3 * 2 * writers * each; len(audit) != want {
		t.Errorf("audit has %d entries, want %d", len(audit), want)
	}
	// Serial across replicas too: each change replaced the value the
	// change before it wrote, whichever replica made it.
	last := map[string]string{}
	for i := len(audit) - 1; i >= 0; i-- {
		a := audit[i]
		if prev, seen := last[a.Subject]; seen && (a.OldValue == nil || *a.OldValue != prev) {
			t.Errorf("change %d of %s: old value %v, want %s", a.ID, a.Subject, a.OldValue, prev)
		}
		last[a.Subject] = *a.NewValue
	}
	day, err := replicas[1].DayMetrics(ctx, "main", "2026-11-22")
	if err != nil {
		t.Fatal(err)
	}
	if len(day) != 3 {
		t.Errorf("day = %v, want uv, paid and orders", day)
	}
}

// TestFirstSeenConcurrentIsFirstOnce records keys from many goroutines at
// once, each key several times, so that the group writer batches calls of
// one key together as well as apart: exactly one call of each key is the
// first, and a key recorded before is never first again.
func TestFirstSeenConcurrentIsFirstOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		const keys, callers = 40, 6
		if _, err := st.FirstSeen(ctx, "trigger:k0", at); err != nil { // known before
			t.Fatal(err)
		}
		var mu sync.Mutex
		firsts := map[string]int{}
		var wg sync.WaitGroup
		for c := range callers {
			wg.Go(func() {
				for i := range keys {
					k := "trigger:k" + strconv.Itoa((i+c/3)%keys) // three callers ask for each key together
					first, err := st.FirstSeen(ctx, k, at)
					if err != nil {
						t.Error(err)
						return
					}
					if first {
						mu.Lock()
						firsts[k]++
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		for i := range keys {
			k := "trigger:k" + strconv.Itoa(i)
			want := 1
			if i == 0 {
				want = 0
			}
			if firsts[k] != want {
				t.Errorf("%s was first %d times, want %d", k, firsts[k], want)
			}
		}
	})
}

// TestBatchStepFailureIsAnsweredAlone: when a batch's metric logs fail to
// be written, their callers get the error and nothing of them is stored,
// while the other calls of the batch commit: on PostgreSQL whether the
// batch went pipelined (keys and logs only) or not (with a Store.Tx).
func TestBatchStepFailureIsAnsweredAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		// Figures of the key "boom" cannot be stored.
		trigger := `CREATE TRIGGER boom BEFORE INSERT ON metric_values WHEN NEW.key = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`
		if st.Dialect() == "postgres" {
			if err := store.Exec(st, `CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.key = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`); err != nil {
				t.Fatal(err)
			}
			trigger = `CREATE TRIGGER boom BEFORE INSERT ON metric_values FOR EACH ROW EXECUTE FUNCTION boom()`
		}
		if err := store.Exec(st, trigger); err != nil {
			t.Fatal(err)
		}
		bad := func() store.BatchCall {
			return store.MetricCall("u1", "main", "2026-11-22", map[string]int64{"uv": 1, "boom": 2}, []string{"uv", "boom"}, at)
		}
		for _, tc := range []struct {
			name  string
			calls []store.BatchCall
		}{
			{"keys and logs", []store.BatchCall{store.SeenCall("trigger:a1", at), bad(), store.SeenCall("trigger:a1", at), store.SeenCall("trigger:a2", at)}},
			{"with a Store.Tx", []store.BatchCall{store.SeenCall("trigger:b1", at), bad(), store.TxCall(func(tx *store.Store) error {
				_, err := tx.SetMetrics(ctx, "u2", "main", "2026-11-21", map[string]int64{"pv": 5}, []string{"pv"}, at)
				return err
			})}},
		} {
			errs, first := store.RunBatch(st, tc.calls...)
			if errs[1] == nil {
				t.Errorf("%s: the failing log got no error", tc.name)
			}
			for i, err := range errs {
				if i != 1 && err != nil {
					t.Errorf("%s: call %d failed with the log: %v", tc.name, i, err)
				}
			}
			if !first[0] || (len(first) == 4 && (first[2] || !first[3])) {
				t.Errorf("%s: first = %v", tc.name, first)
			}
		}
		for _, k := range []string{"trigger:a1", "trigger:a2", "trigger:b1"} {
			if again, err := st.FirstSeen(ctx, k, at); err != nil || again {
				t.Errorf("%s not stored: first again = %v (%v)", k, again, err)
			}
		}
		if d, _ := st.DayMetrics(ctx, "main", "2026-11-22"); len(d) != 0 {
			t.Errorf("figures of the failing log stored: %v", d)
		}
		if d, _ := st.DayMetrics(ctx, "main", "2026-11-21"); d["pv"] != 5 {
			t.Errorf("figures of the Store.Tx: %v, want pv=5", d)
		}
		audit, err := st.Audit(ctx, store.AuditFilter{Shop: "main"})
		if err != nil || len(audit) != 1 {
			t.Errorf("audit: %d entries (%v), want the Store.Tx's one", len(audit), err)
		}
	})
}

// TestPipelinedBatchIsDurableWhenAnswered: on PostgreSQL a batch of
// metric logs commits asynchronously, so it must not be answered before
// a synchronous commit after it has flushed the WAL past it. (A barrier
// that writes no WAL record, such as SELECT txid_current(), flushes
// nothing and fails this.)
func TestPipelinedBatchIsDurableWhenAnswered(t *testing.T) {
	st := storetest.Postgres(t)
	ctx := context.Background()
	for i := range 5 {
		if _, _, err := st.LogMetrics(ctx, "u1", "main", "2026-11-22", map[string]int64{"uv": int64(i)}, []string{"uv"}, at); err != nil {
			t.Fatal(err)
		}
		lsn := store.FlushedTo(st)
		if lsn == "" {
			t.Fatal("the batch did not go pipelined")
		}
		flushed, err := store.QueryBool(st, `SELECT pg_current_wal_flush_lsn() >= ?::pg_lsn`, lsn)
		if err != nil || !flushed {
			t.Errorf("log %d answered before the WAL was flushed to %s (%v)", i, lsn, err)
		}
	}
}
