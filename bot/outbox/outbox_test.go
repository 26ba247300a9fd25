package outbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"

	"opsbot/bot/outbox"
	"opsbot/bot/slackfake"
	"opsbot/store"
)

var simStart = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// env is one bot's world: a SQLite file, the fake Slack, and a real
// slack.Client pointed at it.
type env struct {
	t    *testing.T
	path string
	st   *store.Store
	fake *slackfake.Server
	api  *slack.Client
	logs *syncBuffer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, path: filepath.Join(t.TempDir(), "outbox.db"), fake: slackfake.New(t), logs: &syncBuffer{}}
	e.api = slack.New("xoxb-test", slack.OptionAPIURL(e.fake.URL()))
	e.st = e.open()
	return e
}

// open opens the database file again, as a restarted process would.
func (e *env) open() *store.Store {
	e.t.Helper()
	st, err := store.Open(context.Background(), "sqlite:"+e.path)
	if err != nil {
		e.t.Fatalf("open store: %v", err)
	}
	e.t.Cleanup(func() { st.Close() })
	return st
}

func (e *env) sender(st *store.Store, clock clockwork.Clock, opt outbox.Options) *outbox.Sender {
	log := slog.New(slog.NewTextHandler(io.MultiWriter(e.t.Output(), e.logs), nil))
	return outbox.New(st, e.api, clock, log, opt)
}

func (e *env) enqueue(m store.Outgoing) uint64 {
	e.t.Helper()
	id, err := e.st.Enqueue(context.Background(), m)
	if err != nil {
		e.t.Fatalf("enqueue %+v: %v", m, err)
	}
	return id
}

// enqueueTexts enqueues ch-0, ch-1, … to each channel, interleaved, and
// returns the texts per channel.
func (e *env) enqueueTexts(n int, channels ...string) map[string][]string {
	e.t.Helper()
	want := map[string][]string{}
	for i := range n {
		for _, ch := range channels {
			text := fmt.Sprintf("%s-%d", ch, i)
			e.enqueue(store.Outgoing{Channel: ch, Text: text})
			want[ch] = append(want[ch], text)
		}
	}
	return want
}

func (e *env) pending() int64 {
	e.t.Helper()
	pending, _, _, err := e.st.OutboxStats(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return pending
}

// checkDelivered asserts that each channel shows exactly the texts, in
// order, and that Slack accepted each text exactly once.
func (e *env) checkDelivered(want map[string][]string) {
	e.t.Helper()
	accepted := map[string]int{}
	for _, c := range e.fake.Calls("chat.postMessage") {
		if c.Status == http.StatusOK && c.Error == "" {
			accepted[c.Params.Get("text")]++
		}
	}
	for ch, texts := range want {
		var got []string
		for _, m := range e.fake.Messages(ch) {
			got = append(got, m.Text)
		}
		if !slices.Equal(got, texts) {
			e.t.Errorf("%s shows %v, want %v", ch, got, texts)
		}
		for _, text := range texts {
			if accepted[text] != 1 {
				e.t.Errorf("%q was accepted %d times, want once", text, accepted[text])
			}
		}
	}
}

// sim drives a sender on a fake clock: deliver what is due, step the
// clock, repeat. It remembers at what simulated time each call was made.
type sim struct {
	e       *env
	s       *outbox.Sender
	clock   *clockwork.FakeClock
	elapsed time.Duration
	callAt  []time.Duration // by index in fake.Calls("")
}

func (e *env) sim(opt outbox.Options) *sim {
	clock := clockwork.NewFakeClockAt(simStart)
	return &sim{e: e, s: e.sender(e.st, clock, opt), clock: clock}
}

// run flushes every step until nothing is pending, calling each before
// every flush, and fails after limit of simulated time.
func (m *sim) run(step, limit time.Duration, each func(elapsed time.Duration)) {
	m.e.t.Helper()
	ctx := context.Background()
	for {
		if each != nil {
			each(m.elapsed)
		}
		if _, err := m.s.Flush(ctx); err != nil {
			m.e.t.Fatalf("flush at +%v: %v", m.elapsed, err)
		}
		for range len(m.e.fake.Calls("")) - len(m.callAt) {
			m.callAt = append(m.callAt, m.elapsed)
		}
		if m.e.pending() == 0 {
			return
		}
		if m.elapsed >= limit {
			m.e.t.Fatalf("%d messages still pending after %v simulated", m.e.pending(), limit)
		}
		m.clock.Advance(step)
		m.elapsed += step
	}
}

// postTimes returns the simulated time and call of every chat.postMessage.
func (m *sim) postTimes() ([]time.Duration, []slackfake.Call) {
	var at []time.Duration
	var calls []slackfake.Call
	for i, c := range m.e.fake.Calls("") {
		if c.Method == "chat.postMessage" {
			at = append(at, m.callAt[i])
			calls = append(calls, c)
		}
	}
	return at, calls
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runSender runs s until the returned stop is called; stop waits for Run
// to return.
func runSender(t *testing.T, s *outbox.Sender) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run = %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestPacedInOrderPerChannel runs on the real clock with the default
// interval: one post per second per channel, in order, each once.
func TestPacedInOrderPerChannel(t *testing.T) {
	e := newEnv(t)
	want := e.enqueueTexts(3, "C1", "C2")
	s := e.sender(e.st, clockwork.NewRealClock(), outbox.Options{})
	started := time.Now()
	stop := runSender(t, s)
	waitFor(t, "delivery", time.Minute, func() bool { return e.pending() == 0 })
	stop()
	t.Logf("6 messages to 2 channels delivered in %v", time.Since(started).Round(time.Millisecond))

	e.checkDelivered(want)
	last := map[string]time.Time{}
	for _, c := range e.fake.Calls("chat.postMessage") {
		ch := c.Params.Get("channel")
		if prev, ok := last[ch]; ok && c.At.Sub(prev) < time.Second {
			t.Errorf("%s: two posts %v apart", ch, c.At.Sub(prev))
		}
		last[ch] = c.At
	}
	if n := len(e.fake.Calls("chat.postMessage")); n != 6 {
		t.Errorf("%d posts, want 6", n)
	}
}

// TestSurvivesFaults: a 429, then 5xx, then an outage, then recovery.
// Every message arrives once and in order; the figures go to OUTBOX.md.
func TestSurvivesFaults(t *testing.T) {
	e := newEnv(t)
	want := e.enqueueTexts(5, "C1", "C2")
	e.fake.Script("chat.postMessage",
		slackfake.Response{Status: 429, Header: http.Header{"Retry-After": {"1"}}},
		slackfake.Response{Status: 500, Body: "<html>500</html>"},
		slackfake.Response{Status: 500, Body: "<html>500</html>"},
		slackfake.Response{Status: 503, Body: "<html>503</html>"},
	)
	const downFrom, downUntil = 3 * time.Second, 33 * time.Second
	m := e.sim(outbox.Options{})
	started := time.Now()
	m.run(250*time.Millisecond, 10*time.Minute, func(el time.Duration) {
		switch el {
		case downFrom:
			e.fake.SetDown(true)
		case downUntil:
			e.fake.SetDown(false)
		}
	})
	wall := time.Since(started)
	e.checkDelivered(want)

	at, calls := m.postTimes()
	statuses := map[int]int{}
	var rateLimitedAt time.Duration
	for i, c := range calls {
		statuses[c.Status]++
		if c.Status == http.StatusTooManyRequests {
			rateLimitedAt = at[i]
		}
		if c.Status == 0 && (at[i] < downFrom || at[i] >= downUntil) {
			t.Errorf("a call at +%v was dropped outside the outage", at[i])
		}
	}
	// Calls at the 429's own instant were in flight beside it.
	for i := range calls {
		if at[i] > rateLimitedAt && at[i] < rateLimitedAt+time.Second {
			t.Errorf("posted at +%v, inside the 1 s Retry-After from +%v", at[i], rateLimitedAt)
		}
	}
	if statuses[429] != 1 || statuses[500] != 2 || statuses[503] != 1 || statuses[0] == 0 || statuses[200] != 10 {
		t.Errorf("answers by status = %v", statuses)
	}
	attempts, most := 0, 0
	for _, ch := range []string{"C1", "C2"} {
		msgs, err := e.st.OutboxMessages(context.Background(), ch)
		if err != nil {
			t.Fatal(err)
		}
		for _, msg := range msgs {
			attempts += msg.Attempts
			most = max(most, msg.Attempts)
			if msg.State != store.OutboxSent {
				t.Errorf("message %d is %s", msg.ID, msg.State)
			}
		}
	}
	if attempts != len(calls) {
		t.Errorf("%d attempts recorded, %d calls made", attempts, len(calls))
	}
	t.Logf("FIGURES: 10 messages, 2 channels; 429 at +%v; outage +%v..+%v; %d chat.postMessage calls (by status %v), at most %d attempts for one message; drained at +%v simulated (%v after recovery), %v wall",
		rateLimitedAt, downFrom, downUntil, len(calls), statuses, most, m.elapsed, m.elapsed-downUntil, wall.Round(time.Millisecond))
}

// TestRestartLosesNothing stops a sender half way, then a new process on
// the same file finishes the job, including a channel held by a sender
// that died with a lease.
func TestRestartLosesNothing(t *testing.T) {
	e := newEnv(t)
	want := e.enqueueTexts(8, "C1", "C2")
	opt := outbox.Options{ChannelInterval: 500 * time.Millisecond, Lease: time.Second}
	ctx := context.Background()
	// One fake clock for both processes, moved a step at a time between
	// delivery rounds, so what the test sees never depends on how fast
	// the machine is.
	clock := clockwork.NewFakeClockAt(simStart)
	const step = 250 * time.Millisecond
	var callAt []time.Time
	flushUntil := func(s *outbox.Sender, what string, done func() bool) {
		t.Helper()
		for limit := clock.Now().Add(time.Minute); !done(); clock.Advance(step) {
			if clock.Now().After(limit) {
				t.Fatalf("%s: %d messages still pending after a simulated minute", what, e.pending())
			}
			if _, err := s.Flush(ctx); err != nil {
				t.Fatalf("%s: flush: %v", what, err)
			}
			for range len(e.fake.Calls("")) - len(callAt) {
				callAt = append(callAt, clock.Now())
			}
		}
	}

	first := e.sender(e.st, clock, opt)
	flushUntil(first, "half the messages", func() bool { return e.pending() <= 8 })
	sentBefore := 16 - e.pending()
	if err := e.st.Close(); err != nil {
		t.Fatal(err)
	}

	// A sender that died holding C3.
	e.st = e.open()
	for i := range 2 {
		text := fmt.Sprintf("C3-%d", i)
		e.enqueue(store.Outgoing{Channel: "C3", Text: text})
		want["C3"] = append(want["C3"], text)
	}
	crashedAt := clock.Now()
	held, err := e.st.ClaimDue(ctx, "crashed", crashedAt, time.Second, 10)
	if err != nil || len(held) != 1 || held[0].Channel != "C3" {
		t.Fatalf("crashed sender's claim = %+v, %v", held, err)
	}

	second := e.sender(e.st, clock, opt)
	flushUntil(second, "the rest", func() bool { return e.pending() == 0 })
	t.Logf("%d of 16 sent before the restart, the rest after", sentBefore)

	e.checkDelivered(want)
	for i, c := range e.fake.Calls("") {
		if c.Method == "chat.postMessage" && c.Params.Get("channel") == "C3" && callAt[i].Sub(crashedAt) < time.Second {
			t.Errorf("C3 posted %v after the crash, inside the dead sender's lease", callAt[i].Sub(crashedAt))
		}
	}
	if n := len(e.fake.Calls("chat.postMessage")); n != 18 {
		t.Errorf("%d posts for 18 messages", n)
	}
}

func TestChannelNotFoundIsDeadLetter(t *testing.T) {
	e := newEnv(t)
	e.fake.AddChannel("C1", "shop-ops")
	lost := []uint64{
		e.enqueue(store.Outgoing{Channel: "C404", Text: "lost-0"}),
		e.enqueue(store.Outgoing{Channel: "C404", Text: "lost-1"}),
	}
	want := e.enqueueTexts(2, "C1")
	m := e.sim(outbox.Options{})
	m.run(250*time.Millisecond, time.Minute, nil)
	e.checkDelivered(want)

	ctx := context.Background()
	pending, dead, oldest, err := e.st.OutboxStats(ctx)
	if err != nil || pending != 0 || dead != 2 || oldest != nil {
		t.Errorf("stats = %d pending, %d dead, oldest %v, %v", pending, dead, oldest, err)
	}
	letters, err := e.st.DeadLetters(ctx, 10)
	if err != nil || len(letters) != 2 {
		t.Fatalf("dead letters = %+v, %v", letters, err)
	}
	for _, l := range letters {
		if l.LastError != "channel_not_found" || l.Attempts != 1 {
			t.Errorf("dead letter %d: %q after %d attempts", l.ID, l.LastError, l.Attempts)
		}
	}
	logs := e.logs.String()
	for _, id := range lost {
		if !strings.Contains(logs, fmt.Sprintf("id=%d channel=C404", id)) {
			t.Errorf("no log line names dead letter %d in C404:\n%s", id, logs)
		}
	}
	if !strings.Contains(logs, "err=channel_not_found") {
		t.Errorf("logs do not give the error:\n%s", logs)
	}
}

func TestErrorClassification(t *testing.T) {
	tests := []struct {
		name      string
		answer    slackfake.Response
		wantState string
		wantCalls int
	}{
		{"not in channel", slackfake.Response{Body: `{"ok":false,"error":"not_in_channel"}`}, store.OutboxDead, 1},
		{"invalid auth", slackfake.Response{Body: `{"ok":false,"error":"invalid_auth"}`}, store.OutboxDead, 1},
		{"invalid blocks", slackfake.Response{Body: `{"ok":false,"error":"invalid_blocks"}`}, store.OutboxDead, 1},
		{"unknown error", slackfake.Response{Body: `{"ok":false,"error":"something_new"}`}, store.OutboxDead, 1},
		{"internal error", slackfake.Response{Body: `{"ok":false,"error":"internal_error"}`}, store.OutboxSent, 2},
		{"ratelimited in body", slackfake.Response{Body: `{"ok":false,"error":"ratelimited"}`}, store.OutboxSent, 2},
		{"service unavailable", slackfake.Response{Status: 503}, store.OutboxSent, 2},
		{"429 without Retry-After", slackfake.Response{Status: 429}, store.OutboxSent, 2},
		{"429 with Retry-After", slackfake.Response{Status: 429, Header: http.Header{"Retry-After": {"2"}}}, store.OutboxSent, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.fake.Script("chat.postMessage", tt.answer)
			id := e.enqueue(store.Outgoing{Channel: "C1", Text: "hello"})
			e.sim(outbox.Options{}).run(250*time.Millisecond, time.Minute, nil)
			msgs, err := e.st.OutboxMessages(context.Background(), "C1")
			if err != nil || len(msgs) != 1 || msgs[0].ID != id {
				t.Fatalf("outbox = %+v, %v", msgs, err)
			}
			if msgs[0].State != tt.wantState {
				t.Errorf("state = %s (%s), want %s", msgs[0].State, msgs[0].LastError, tt.wantState)
			}
			if n := len(e.fake.Calls("chat.postMessage")); n != tt.wantCalls {
				t.Errorf("%d calls, want %d", n, tt.wantCalls)
			}
		})
	}
}

// TestUpdateEditsPost: an update to a Ref edits the message posted for it,
// even when queued under another name of the channel and the post is
// still being retried.
func TestUpdateEditsPost(t *testing.T) {
	e := newEnv(t)
	e.fake.AddChannel("C1", "shop-ops")
	e.fake.Script("chat.postMessage", slackfake.Response{Status: 500})
	e.enqueue(store.Outgoing{Channel: "#shop-ops", Ref: "checklist:42", Text: "3 open"})
	done, err := json.Marshal([]slack.Block{slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "*all done*", false, false), nil, nil)})
	if err != nil {
		t.Fatal(err)
	}
	e.enqueue(store.Outgoing{Channel: "C1", Op: store.OpUpdate, Ref: "checklist:42", Text: "all done", Blocks: done})
	orphan := e.enqueue(store.Outgoing{Channel: "C1", Op: store.OpUpdate, Ref: "checklist:7", Text: "never posted"})
	e.sim(outbox.Options{}).run(250*time.Millisecond, time.Minute, nil)

	msgs := e.fake.Messages("C1")
	if len(msgs) != 1 || msgs[0].Text != "all done" || msgs[0].Edits != 1 || !strings.Contains(string(msgs[0].Blocks), "*all done*") {
		t.Fatalf("C1 = %+v", msgs)
	}
	ch, ts, ok, err := e.st.SlackTS(context.Background(), "checklist:42")
	if err != nil || !ok || ch != "C1" || ts != msgs[0].TS {
		t.Errorf("SlackTS = %q %q %v %v; message ts %s", ch, ts, ok, err, msgs[0].TS)
	}
	updates := e.fake.Calls("chat.update")
	if len(updates) != 1 || updates[0].Params.Get("ts") != msgs[0].TS {
		t.Errorf("chat.update calls = %+v", updates)
	}
	letters, _ := e.st.DeadLetters(context.Background(), 10)
	if len(letters) != 1 || letters[0].ID != orphan || !strings.Contains(letters[0].LastError, `no message was posted for ref "checklist:7"`) {
		t.Errorf("dead letters = %+v", letters)
	}
}

// TestRateLimitIsPerMethod: a 429 on chat.postMessage holds posts for the
// Retry-After while updates keep going.
func TestRateLimitIsPerMethod(t *testing.T) {
	e := newEnv(t)
	e.enqueue(store.Outgoing{Channel: "C1", Ref: "status", Text: "v0"})
	m := e.sim(outbox.Options{})
	m.run(250*time.Millisecond, time.Minute, nil)

	e.fake.Script("chat.postMessage", slackfake.Response{Status: 429, Header: http.Header{"Retry-After": {"30"}}})
	e.enqueue(store.Outgoing{Channel: "C2", Text: "held"})
	for i := 1; i <= 3; i++ {
		e.enqueue(store.Outgoing{Channel: "C1", Op: store.OpUpdate, Ref: "status", Text: fmt.Sprintf("v%d", i)})
	}
	m.run(250*time.Millisecond, time.Minute, nil)

	at, calls := m.postTimes()
	if len(calls) != 3 || calls[1].Status != 429 || calls[2].Status != 200 {
		t.Fatalf("posts = %+v", calls)
	}
	if held := at[2] - at[1]; held < 30*time.Second {
		t.Errorf("post retried %v after a Retry-After of 30 s", held)
	}
	updates := e.fake.Calls("chat.update")
	if len(updates) != 3 {
		t.Fatalf("%d updates, want 3", len(updates))
	}
	var updateAt []time.Duration
	for i, c := range e.fake.Calls("") {
		if c.Method == "chat.update" {
			updateAt = append(updateAt, m.callAt[i])
		}
	}
	if last := updateAt[len(updateAt)-1]; last >= at[2] {
		t.Errorf("updates waited for the post rate limit: last update at +%v, post at +%v", last, at[2])
	}
	if msgs := e.fake.Messages("C1"); len(msgs) != 1 || msgs[0].Text != "v3" {
		t.Errorf("C1 = %+v", msgs)
	}
}

func TestNotifyWakesRun(t *testing.T) {
	e := newEnv(t)
	clock := clockwork.NewFakeClockAt(simStart)
	s := e.sender(e.st, clock, outbox.Options{Poll: time.Hour})
	// A first message, delivered by Run's first look: after it, Run only
	// wakes for Notify or the hour's poll, and the clock never moves.
	e.enqueue(store.Outgoing{Channel: "C1", Text: "first"})
	runSender(t, s)
	waitFor(t, "the first delivery", time.Minute, func() bool { return e.pending() == 0 })
	// Another channel: C1 is paced, and the clock never moves.
	e.enqueue(store.Outgoing{Channel: "C2", Text: "now"})
	s.Notify()
	waitFor(t, "delivery after Notify", time.Minute, func() bool { return e.pending() == 0 })
	e.checkDelivered(map[string][]string{"C1": {"first"}, "C2": {"now"}})
}

// TestTwoSendersShareOneDatabase runs two processes' senders, each with
// its own connection pool, on one file: each message once, in order.
func TestTwoSendersShareOneDatabase(t *testing.T) {
	e := newEnv(t)
	want := e.enqueueTexts(6, "C1", "C2", "C3")
	opt := outbox.Options{ChannelInterval: 50 * time.Millisecond, Poll: 10 * time.Millisecond}
	for _, st := range []*store.Store{e.st, e.open()} {
		runSender(t, e.sender(st, clockwork.NewRealClock(), opt))
	}
	waitFor(t, "delivery", time.Minute, func() bool { return e.pending() == 0 })
	e.checkDelivered(want)
	if n := len(e.fake.Calls("chat.postMessage")); n != 18 {
		t.Errorf("%d posts for 18 messages", n)
	}
}

// TestSequentialKeepsQueueOrderAcrossChannels: with Sequential, what goes
// out in one flush is delivered in the order it was queued, across
// channels too (simulate's transcript is the same on every run).
func TestSequentialKeepsQueueOrderAcrossChannels(t *testing.T) {
	e := newEnv(t)
	var want []string
	for i := range 3 {
		for _, ch := range []string{"C-ops", "C-cs", "C-mgr", "C-a", "C-z"} {
			text := fmt.Sprintf("%s-%d", ch, i)
			e.enqueue(store.Outgoing{Channel: ch, Text: text})
			want = append(want, text)
		}
	}
	e.sim(outbox.Options{ChannelInterval: time.Millisecond, Sequential: true}).run(time.Millisecond, time.Second, nil)
	var got []string
	for _, c := range e.fake.Calls("chat.postMessage") {
		got = append(got, c.Params.Get("text"))
	}
	if !slices.Equal(got, want) {
		t.Errorf("delivered %v, want the queue order %v", got, want)
	}
}
