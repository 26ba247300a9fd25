package tracked

import (
	"testing"
	"time"

	"opsbot/store"
)

func TestSummarize(t *testing.T) {
	h := time.Hour
	for _, tc := range []struct {
		name string
		rec  store.ItemRecord
		want Stats
	}{
		{"none resolved", store.ItemRecord{Opened: 2, Open: 2}, Stats{Opened: 2, Open: 2}},
		{"one", store.ItemRecord{Opened: 1, Open: 2, Breached: 2, Resolutions: []time.Duration{30 * h}},
			Stats{Opened: 1, Resolved: 1, Open: 2, Breached: 2, Median: 30 * h, P90: 30 * h}},
		// Nearest rank: the median of four is the 2nd, the 90th percentile the 4th.
		{"four", store.ItemRecord{Opened: 6, Open: 2, Resolutions: []time.Duration{h, 2 * h, 3 * h, 10 * h}},
			Stats{Opened: 6, Resolved: 4, Open: 2, Median: 2 * h, P90: 10 * h}},
		{"ten", store.ItemRecord{Resolutions: []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
			Stats{Resolved: 10, Median: 5, P90: 9}},
	} {
		if got := Summarize(tc.rec); got != tc.want {
			t.Errorf("%s: Summarize = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
