package store_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"opsbot/store"
	"opsbot/store/storetest"
)

var at = time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)

func TestSetMetricsReplacesAndAudits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ch, err := st.SetMetrics(ctx, "alice", "main", "2026-11-22", map[string]int64{"uv": 100, "sales": 5000}, []string{"uv", "sales"}, at)
		if err != nil {
			t.Fatal(err)
		}
		if len(ch) != 2 || ch[0].HadOld || ch[1].HadOld {
			t.Fatalf("first write changes = %+v", ch)
		}
		ch, err = st.SetMetrics(ctx, "bob", "main", "2026-11-22", map[string]int64{"uv": 120}, []string{"uv"}, at.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if len(ch) != 1 || !ch[0].HadOld || ch[0].Old != 100 || ch[0].New != 120 {
			t.Fatalf("replace changes = %+v", ch)
		}
		day, err := st.DayMetrics(ctx, "main", "2026-11-22")
		if err != nil {
			t.Fatal(err)
		}
		if day["uv"] != 120 || day["sales"] != 5000 || len(day) != 2 {
			t.Errorf("day = %v", day)
		}
		other, _ := st.DayMetrics(ctx, "tmall", "2026-11-22")
		if len(other) != 0 {
			t.Errorf("another shop sees %v", other)
		}
		audit, err := st.Audit(ctx, store.AuditFilter{Shop: "main"})
		if err != nil {
			t.Fatal(err)
		}
		if len(audit) != 3 {
			t.Fatalf("audit has %d entries, want 3", len(audit))
		}
		if a := audit[0]; a.Actor != "bob" || a.Subject != "2026-11-22 uv" || *a.OldValue != "100" || *a.NewValue != "120" {
			t.Errorf("newest audit = %+v", a)
		}
	})
}

func TestRange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		for i, d := range []string{"2026-10-31", "2026-11-01", "2026-11-02", "2026-11-30", "2026-12-01"} {
			if _, err := st.SetMetrics(ctx, "a", "main", d, map[string]int64{"sales": int64(i + 1)}, []string{"sales"}, at); err != nil {
				t.Fatal(err)
			}
		}
		days, err := st.RangeMetrics(ctx, "main", "2026-11-01", "2026-11-02")
		if err != nil || len(days) != 2 || days["2026-11-02"]["sales"] != 3 {
			t.Errorf("range = %v, %v", days, err)
		}
	})
}

func TestTargets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := st.SetTargets(ctx, "boss", "main", "2026-11", map[string]int64{"sales": 100}, []string{"sales"}, at); err != nil {
			t.Fatal(err)
		}
		ch, err := st.SetTargets(ctx, "boss", "main", "2026-11", map[string]int64{"sales": 200, "uv": 5}, []string{"sales", "uv"}, at)
		if err != nil {
			t.Fatal(err)
		}
		if !ch[0].HadOld || ch[0].Old != 100 || ch[1].HadOld {
			t.Errorf("changes = %+v", ch)
		}
		tg, err := st.Targets(ctx, "main", "2026-11")
		if err != nil || tg["sales"] != 200 || tg["uv"] != 5 {
			t.Errorf("targets = %v, %v", tg, err)
		}
		a, _ := st.Audit(ctx, store.AuditFilter{Action: "target.set"})
		if len(a) != 3 {
			t.Errorf("target audit entries = %d, want 3", len(a))
		}
	})
}

// TestConcurrentWritersOnSQLite checks that immediate transactions and the
// busy timeout let many writers through without SQLITE_BUSY.
func TestConcurrentWritersOnSQLite(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				_, err := st.SetMetrics(ctx, "u", "main", "2026-11-22", map[string]int64{"uv": int64(w*100 + i)}, []string{"uv"}, at)
				if err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent write failed: %v", err)
	}
	a, _ := st.Audit(ctx, store.AuditFilter{})
	if len(a) != 200 {
		t.Errorf("audit entries = %d, want 200", len(a))
	}
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	for _, bad := range []string{"mysql://x", "sqlite:", "opsbot.db"} {
		if _, err := store.Open(ctx, bad); err == nil {
			t.Errorf("Open(%q) succeeded", bad)
		}
	}
	mem, err := store.Open(ctx, "sqlite::memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	if _, err := mem.SetMetrics(ctx, "a", "main", "2026-11-22", map[string]int64{"uv": 1}, []string{"uv"}, at); err != nil {
		t.Fatal(err)
	}
	// Data survives reopening a file.
	path := "sqlite:" + filepath.Join(t.TempDir(), "a b.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.SetMetrics(ctx, "a", "main", "2026-11-22", map[string]int64{"uv": 7}, []string{"uv"}, at)
	st.Close()
	st, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if d, _ := st.DayMetrics(ctx, "main", "2026-11-22"); d["uv"] != 7 {
		t.Errorf("after reopen uv = %d", d["uv"])
	}
}

func TestForgetDeliveriesKeepsOtherKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		for _, k := range []string{"trigger:1.2.3", "request:v0=abc", "envelope:e1", "event:Ev1", "campaign:618:reg:7"} {
			if _, err := st.FirstSeen(ctx, k, t0); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.ForgetDeliveriesBefore(ctx, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		for k, wantFirst := range map[string]bool{"trigger:1.2.3": true, "request:v0=abc": true, "envelope:e1": true, "event:Ev1": true, "campaign:618:reg:7": false} {
			if first, err := st.FirstSeen(ctx, k, t0.Add(2*time.Minute)); err != nil || first != wantFirst {
				t.Errorf("%s after forgetting: first=%v (%v), want %v", k, first, err, wantFirst)
			}
		}
	})
}
