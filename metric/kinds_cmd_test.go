package metric_test

import (
	"testing"

	"opsbot/handlers/handlerstest"
)

// Percent and duration metrics are logged exactly, shown in their units,
// change in points (percent) and are flagged as anomalies in the digest.
func TestPercentAndDurationInShowAndDigest(t *testing.T) {
	f := handlerstest.New(t, nil)
	for _, d := range []string{"2026-11-15", "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"} {
		f.Do("alice", "/metric bounce_rate=40% avg_visit=1:30 sales=1000 uv=100 date="+d)
	}
	handlerstest.Contains(t, f.Text("alice", "/metric 跳失率=60.5% 停留时长=00:03:00 sales=1000 uv=100"), "Bounce rate              60.50%", "Average visit length       3:00", "UV value ¥10.00")
	if d := f.Day("main", "2026-11-22"); d["bounce_rate"] != 6050 || d["avg_visit"] != 180 {
		t.Errorf("stored %v", d)
	}
	handlerstest.Contains(t, f.Text("alice", "/metric show"), "Bounce rate                60.50%   +20.50 pp", "Average visit length         3:00       +1:30", "UV value                   ¥10.00")
	handlerstest.Contains(t, f.Text("alice", "/ops digest"),
		"• Bounce rate +51% vs 7-day average (60.50% vs 40.00%)",
		"• Average visit length +100% vs 7-day average (3:00 vs 1:30)")
	handlerstest.Contains(t, f.Text("alice", "/metric bounce_rate=31.715%"), "Bounce rate is a percentage with at most 2 decimals, e.g. 31.71% (“31.715%”). Accepted: percentages like 31.71% or 31.71.")
	handlerstest.Contains(t, f.Text("alice", "/metric avg_visit=soon"), "“soon” is not a length of time for Average visit length. Accepted: times like 00:01:35")
}
