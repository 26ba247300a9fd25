package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"opsbot/store"
)

// BenchmarkGroupBatch measures one batch of the SQLite group writer as
// it runs under 32 clients of /metric: three commands a COMMIT, each
// recording its delivery key, logging five figures, or both. The keys
// come from 32 senders, as the load generator's do, so each lands on a
// leaf of its own. What a batch costs is mostly the pages it dirties:
// each is a WAL frame at COMMIT and a write again at the checkpoint.
//
//	go test -run '^$' -bench GroupBatch -benchtime 5000x ./store/
func BenchmarkGroupBatch(b *testing.B) {
	figures := []string{"uv", "pv", "orders", "paid", "sales"}
	for _, tc := range []struct {
		name         string
		keys, metric bool
	}{
		{"keys", true, false},
		{"metrics", false, true},
		{"keys+metrics", true, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			st, err := store.Open(context.Background(), "sqlite:"+b.TempDir()+"/bench.db")
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			at := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var calls []store.BatchCall
				for c := 0; c < 3; c++ {
					n := i*3 + c
					if tc.keys {
						calls = append(calls, store.SeenCall("trigger:run1."+strconv.Itoa(n%32)+"."+strconv.Itoa(n), at))
					}
					if tc.metric {
						values := map[string]int64{"uv": int64(n), "pv": 35000, "orders": 420, "paid": 380, "sales": 4560050}
						calls = append(calls, store.MetricCall("U0ALICE", "main", "2026-11-29", values, figures, at))
					}
				}
				errs, _ := store.RunBatch(st, calls...)
				for _, err := range errs {
					if err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*3), "µs/command")
		})
	}
}
