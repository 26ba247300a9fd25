package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"opsbot/bot/slackfake"
	"opsbot/checklist/checkrun"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/store"
	"opsbot/store/storetest"
	"opsbot/tracked/items"
)

// TestReplicas runs real opsbot processes (the built binary, HTTP mode) on
// one PostgreSQL database and one fake Slack.
//
// Phase 1: the database says the bot first started 26 hours ago, and two
// urgent orders have been open for 30 hours. The replicas start together
// and all catch up at once: the day's checklist runs (late or missed), the
// nudge of a run that came due, the latest reports, a campaign's "starts
// today", the orders' SLA alerts. Every message queued in the database must reach Slack
// exactly once, and no channel gets two messages within a second.
//
// Phase 2: urgent orders are flagged through the replicas in turn, and one
// replica is killed with SIGKILL while their posts are being delivered.
// Every acknowledged order must be stored and posted. A post the killed
// replica had sent but not yet recorded may reach Slack twice (at most one
// a channel: the outbox is at-least-once across a crash), never zero.
//
// Time is real, and the test waits on conditions (everything delivered),
// with generous limits; it asserts counts, never speed.
func TestReplicas(t *testing.T) {
	dbURL := storetest.PostgresURL(t)
	t.Parallel()
	replicas, orders := 3, 12
	if testing.Short() {
		replicas, orders = 2, 6
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "opsbot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	fake := slackfake.New(t)
	for id, name := range map[string]string{"C0OPS": "shop-ops", "C0MGR": "shop-managers", "C0CS": "shop-cs"} {
		fake.AddChannel(id, name)
	}
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	cfgPath := filepath.Join(dir, "opsbot.yaml")
	if err := os.WriteFile(cfgPath, replicaConfig(now, cfg.Location), 0o644); err != nil {
		t.Fatal(err)
	}
	seed(t, dbURL, now, cfg.Checklists[0].ID)

	var bots []*crashRun
	for range replicas {
		bots = append(bots, startReplica(t, bin, dbURL, cfgPath, fake))
	}

	// Phase 1: exactly once.
	st, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if diff := waitDelivered(t, st, fake, 0); diff != "" {
		t.Fatalf("phase 1: the outbox and Slack differ:\n%s", diff)
	}
	counts := catchUpCounts(t, st)
	t.Logf("phase 1 caught up: %v; Slack got %d posts", counts, len(fake.Calls("chat.postMessage")))
	for what, n := range counts {
		if n == 0 {
			t.Errorf("phase 1: no %s was caught up (%v)", what, counts)
		}
	}
	checkPacing(t, fake)

	// Phase 2: SIGKILL one replica while posts are going out.
	before := len(fake.Calls("chat.postMessage"))
	for i := range orders {
		order := fmt.Sprintf("2026%014d", i+1)
		_, answer, err := post(http.DefaultClient, bots[i%len(bots)].addr, "/slack/commands", signedForm(url.Values{
			"command": {"/urgent"}, "text": {order + " type=ship replica test"}, "user_id": {"U1"}, "user_name": {"amy"},
			"channel_id": {"C0OPS"}, "channel_name": {"shop-ops"}, "team_id": {slackfake.TeamID}, "api_app_id": {slackfake.AppID},
		}))
		if err != nil || !strings.Contains(answer, order) || strings.Contains(answer, "Nothing was stored") {
			t.Fatalf("/urgent %s: %v %s", order, err, answer)
		}
	}
	deadline := time.Now().Add(60 * time.Second)
	for len(fake.Calls("chat.postMessage")) < before+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	victim := bots[0]
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-victim.exited
	// The killed replica's channel leases run out (30 s); the others then
	// deliver the rest.
	waitDelivered(t, st, fake, 3)
	posts := fake.Messages("C0OPS")
	for i := range orders {
		order := fmt.Sprintf("2026%014d", i+1)
		n := 0
		for _, m := range posts {
			if strings.Contains(m.Text, order) || strings.Contains(string(m.Blocks), order) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("phase 2: order %s was acknowledged but never posted", order)
		}
	}
	checkPacing(t, fake)
}

// replicaConfig is the built-in playbook with a one-off campaign that
// started at 09:00 of a day whose 09:00 was 1 to 23 hours ago, so its
// "starts today" message is due and not stale.
func replicaConfig(now time.Time, loc *time.Location) []byte {
	d := civil.Of(now.Add(-12*time.Hour), loc)
	if at := d.At(loc, 9, 0); at.After(now.Add(-time.Hour)) {
		d = d.AddDays(-1)
	} else if at.Before(now.Add(-23 * time.Hour)) {
		d = d.AddDays(1)
	}
	campaign := fmt.Sprintf(`campaigns:
  - id: replica-fest
    name: {en: Replica festival, zh: 副本节}
    start: %s
    end: %s
    channel: team
    owner: marketing
`, d, d.AddDays(3))
	return []byte(strings.Replace(string(config.DefaultYAML()), "campaigns:\n", campaign, 1))
}

// seed makes the database say the bot first ran 26 hours ago, with two
// urgent orders flagged 30 hours ago and a checklist run posted 2 hours
// ago, due an hour ago and not checked off, their messages posted.
func seed(t *testing.T, dbURL string, now time.Time, checklist string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.SettingOnce(ctx, "scheduler.epoch", now.Add(-26*time.Hour).UTC().Format(time.RFC3339)); err != nil {
		t.Fatal(err)
	}
	err = st.Tx(ctx, func(tx *store.Store) error {
		run := checkrun.Run{Key: "replica-test-run", Checklist: checklist, Date: civil.Of(now, time.UTC).String(),
			ScheduledAt: now.Add(-2 * time.Hour), DueAt: now.Add(-time.Hour), State: checkrun.Posted, Channel: "C0OPS",
			Items: 3, CreatedAt: now.Add(-2 * time.Hour)}
		if _, err := tx.ClaimRun(ctx, &run); err != nil {
			return err
		}
		_, err := tx.Enqueue(ctx, store.Outgoing{Channel: "C0OPS", Ref: run.Ref(), Op: store.OpPost, Text: "checklist " + run.Key})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		flagged := now.Add(-30 * time.Hour)
		next := flagged.Add(20 * time.Hour) // the warning, 4 h before the deadline
		err := st.Tx(ctx, func(tx *store.Store) error {
			it, _, err := tx.FlagItem(ctx, store.NewItem{Shop: "main", OrderID: fmt.Sprintf("20251231%010d", i), Type: "ship",
				Channel: "C0OPS", FlaggedBy: "U1", At: flagged, Deadline: flagged.Add(24 * time.Hour), NextAlertAt: &next})
			if err != nil {
				return err
			}
			_, err = tx.Enqueue(ctx, store.Outgoing{Channel: "C0OPS", Ref: it.Ref(), Op: store.OpPost, Text: "urgent order " + it.OrderID})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func startReplica(t *testing.T, bin, dbURL, cfgPath string, fake *slackfake.Server) *crashRun {
	t.Helper()
	// startBinary runs SQLite; swap the database and config in its env.
	r := startBinaryEnv(t, bin, fake, "OPSBOT_DATABASE_URL="+dbURL, "OPSBOT_CONFIG="+cfgPath)
	return r
}

func signedForm(v url.Values) string { return v.Encode() }

// waitDelivered waits until nothing is pending in the outbox and every
// message the outbox sent is in Slack, and returns how they differ if
// they never agree: each (channel, text) must be posted as many times as
// the outbox holds it, plus at most extra duplicates.
func waitDelivered(t *testing.T, st *store.Store, fake *slackfake.Server, extra int) string {
	t.Helper()
	deadline := time.Now().Add(120 * time.Second)
	for {
		diff := compareOutbox(t, st, fake, extra)
		if diff == "" {
			return ""
		}
		if time.Now().After(deadline) {
			t.Errorf("not delivered within 120 s:\n%s", diff)
			return diff
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func compareOutbox(t *testing.T, st *store.Store, fake *slackfake.Server, extra int) string {
	t.Helper()
	ctx := context.Background()
	pending, _, dead, err := st.OutboxBacklog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var waiting int64
	for _, n := range pending {
		waiting += n
	}
	if waiting > 0 {
		return fmt.Sprintf("%d message(s) pending", waiting)
	}
	if dead > 0 {
		return fmt.Sprintf("%d dead letter(s)", dead)
	}
	want := map[string]int{}
	for _, ch := range []string{"C0OPS", "C0MGR", "C0CS"} {
		msgs, err := st.OutboxMessages(ctx, ch)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.Op == store.OpPost {
				want[ch+" "+m.Text]++
			}
		}
	}
	got := map[string]int{}
	for _, c := range fake.Calls("chat.postMessage") {
		if c.Status == http.StatusOK && c.Error == "" {
			got[c.Params.Get("channel")+" "+c.Params.Get("text")]++
		}
	}
	var diffs []string
	dups := 0
	for k, n := range want {
		switch {
		case got[k] < n:
			diffs = append(diffs, fmt.Sprintf("posted %d time(s), queued %d: %.120s", got[k], n, k))
		case got[k] > n:
			dups += got[k] - n
			if dups > extra {
				diffs = append(diffs, fmt.Sprintf("posted %d time(s), queued %d: %.120s", got[k], n, k))
			}
		}
	}
	for k, n := range got {
		if want[k] == 0 {
			diffs = append(diffs, fmt.Sprintf("posted %d time(s), never queued: %.120s", n, k))
		}
	}
	sort.Strings(diffs)
	return strings.Join(diffs, "\n")
}

// catchUpCounts counts what the replicas caught up, by kind.
func catchUpCounts(t *testing.T, st *store.Store) map[string]int {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	runs, err := st.RunsBetween(ctx, civil.Of(now.Add(-48*time.Hour), time.UTC).String(), civil.Of(now.Add(48*time.Hour), time.UTC).String())
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{"checklist run": len(runs)}
	for _, r := range runs {
		if r.NudgedAt != nil {
			counts["nudge"]++
		}
	}
	events := 0
	for id := uint64(1); id <= 2; id++ {
		evs, err := st.ItemEvents(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if e.Kind == items.EventWarned || e.Kind == items.EventBreached || e.Kind == items.EventReminded {
				events++
			}
		}
	}
	counts["SLA alert"] = events
	msgs, err := st.OutboxMessages(ctx, "C0MGR")
	if err != nil {
		t.Fatal(err)
	}
	counts["report"] = len(msgs)
	team, err := st.OutboxMessages(ctx, "C0OPS")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range team {
		if strings.Contains(m.Text, "Replica festival") {
			counts["campaign message"]++
		}
	}
	return counts
}

// checkPacing checks that no channel got two messages within a second,
// whichever replica sent them. The sender waits a second from the end of
// one call before the next, so the fake's receipt times are at least a
// second apart; 950 ms leaves room for clock granularity.
func checkPacing(t *testing.T, fake *slackfake.Server) {
	t.Helper()
	last := map[string]time.Time{}
	var calls []slackfake.Call
	calls = append(calls, fake.Calls("chat.postMessage")...)
	calls = append(calls, fake.Calls("chat.update")...)
	sort.Slice(calls, func(i, j int) bool { return calls[i].At.Before(calls[j].At) })
	for _, c := range calls {
		ch := c.Params.Get("channel")
		if prev, ok := last[ch]; ok && c.At.Sub(prev) < 950*time.Millisecond {
			t.Errorf("channel %s: two messages %v apart", ch, c.At.Sub(prev))
		}
		last[ch] = c.At
	}
}
