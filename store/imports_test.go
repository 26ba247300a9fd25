package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"opsbot/store"
	"opsbot/store/storetest"
)

// Two confirmations at once (a double click, two replicas): one import is
// stored once, with one audit entry; the other is told it was decided.
func TestApplyImportOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
		if _, err := st.SetMetrics(ctx, "u", "main", "2026-11-21", map[string]int64{"uv": 5, "pv": 9}, []string{"uv", "pv"}, at); err != nil {
			t.Fatal(err)
		}
		imp := store.MetricImport{Actor: "alice", FileName: "x.csv", Checksum: "abc", Scope: "sheet= shop=main", Status: store.ImportPending, CreatedAt: at}
		if err := st.CreateImport(ctx, &imp); err != nil {
			t.Fatal(err)
		}
		values := []store.ImportValue{
			{Shop: "main", Day: "2026-11-21", Key: "uv", Value: 6},
			{Shop: "main", Day: "2026-11-21", Key: "pv", Value: 9}, // unchanged: not written again
			{Shop: "main", Day: "2026-11-22", Key: "uv", Value: 7},
		}
		var wg sync.WaitGroup
		errs := make([]error, 4)
		changes := make([][]store.ImportChange, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				changes[i], errs[i] = st.ApplyImport(ctx, imp.ID, "alice", values, at)
			}()
		}
		wg.Wait()
		ok := 0
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
				if len(changes[i]) != 2 {
					t.Errorf("changes %+v, want uv 5→6 and a new uv", changes[i])
				}
			case !errors.Is(err, store.ErrImportDecided):
				t.Errorf("apply: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d confirmations stored the import, want 1", ok)
		}
		a, err := st.Audit(ctx, store.AuditFilter{Action: "metric.import"})
		if err != nil || len(a) != 1 || *a[0].NewValue != "main 2026-11-21 uv 5→6\nmain 2026-11-22 uv -→7" || a[0].Subject != "import 1 x.csv sha256:abc" {
			t.Fatalf("audit %+v %v", a, err)
		}
		got, _ := st.Import(ctx, imp.ID)
		if got.Status != store.ImportApplied || got.Stored != 2 {
			t.Errorf("import %+v", got)
		}
		if prev, found, _ := st.AppliedImport(ctx, "abc", "sheet= shop=main"); !found || prev.ID != imp.ID {
			t.Errorf("the applied file is not found by its checksum")
		}
		if _, found, _ := st.AppliedImport(ctx, "abc", "sheet=Other shop=main"); found {
			t.Errorf("another sheet of the file counts as imported")
		}
		if err := st.CancelImport(ctx, imp.ID, "alice", at); !errors.Is(err, store.ErrImportDecided) {
			t.Errorf("cancel after apply: %v", err)
		}
	})
}
