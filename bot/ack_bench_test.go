package bot_test

import (
	"net/http"
	"testing"
	"time"
)

// BenchmarkShortcutAckWithHangingViewsOpen: the acknowledgement of a
// shortcut that opens a modal, over the signed HTTP receiver, while
// views.open never answers. The ack must not wait for the Web API.
func BenchmarkShortcutAckWithHangingViewsOpen(b *testing.B) {
	r := newRig(b, nil)
	r.slack.APITimeout = 50 * time.Millisecond
	r.fake.SetDelay("views.open", time.Hour)
	shortcut := map[string]any{"type": "shortcut", "callback_id": "log_metrics", "trigger_id": "9.9.9", "user": map[string]any{"id": "U0ALICE", "name": "alice"}}
	body := interactionBody(b, shortcut)
	var worst time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		resp := r.post("/slack/interactions", "application/x-www-form-urlencoded", body, nil)
		worst = max(worst, time.Since(start))
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
	r.slack.Wait(b.Context())
}
