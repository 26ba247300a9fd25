package bot_test

// Slack's contract, checked against a fake Slack that behaves like Slack
// where it matters: slow and hanging Web API calls, Socket Mode's hello,
// disconnect reasons, dropped and silent connections, the 20 KB ack limit
// and ssl_check.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"

	"opsbot/bot"
	"opsbot/bot/slackfake"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers"
	"opsbot/store/storetest"
)

// logBuf collects log lines from several goroutines.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// socketRig is the bot in Socket Mode against the fake.
type socketRig struct {
	fake  *slackfake.Server
	slack *bot.Slack
	recv  *bot.SocketReceiver
	logs  *logBuf
	done  chan error
	stop  context.CancelFunc
}

func newSocketRig(t *testing.T, app func(bot.App) bot.App, prepare func(*slackfake.Server), tune ...func(*bot.SocketReceiver)) *socketRig {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	fake := slackfake.New(t)
	fake.SetPingInterval(50 * time.Millisecond)
	if prepare != nil {
		prepare(fake)
	}
	st := storetest.SQLite(t)
	clock := clockwork.NewRealClock()
	logs := &logBuf{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	router := handlers.New(cfg, st, clock, log)
	router.SetSealKey(testSealKey)
	var a bot.App = router
	if app != nil {
		a = app(a)
	}
	api := slack.New("xoxb-test", slack.OptionAPIURL(fake.URL()), slack.OptionAppLevelToken("xapp-test"))
	sl := &bot.Slack{App: a, API: api, Dedup: st, Clock: clock, Log: log, APITimeout: 300 * time.Millisecond}
	// Generous, so that a machine loaded by a whole CI run never times a
	// connection out by accident: a spurious reconnect would send the
	// fake's next message to a connection the bot has let go. Tests of the
	// timeouts themselves shorten them with quickTimeouts.
	recv := &bot.SocketReceiver{Slack: sl, Opener: api, OpenTimeout: 15 * time.Second, DeadAfter: 15 * time.Second, MaxBackoff: 200 * time.Millisecond}
	for _, f := range tune {
		f(recv)
	}
	ctx, stop := context.WithCancel(context.Background())
	r := &socketRig{fake: fake, slack: sl, recv: recv, logs: logs, done: make(chan error, 1), stop: stop}
	go func() { r.done <- recv.Run(ctx) }()
	t.Cleanup(func() {
		stop()
		<-r.done
	})
	return r
}

// quickTimeouts lets a test see an open timeout or a dead connection
// happen within its deadline.
func quickTimeouts(r *bot.SocketReceiver) {
	r.OpenTimeout, r.DeadAfter = 2*time.Second, 3*time.Second
}

func slash(fake *slackfake.Server, text string) map[string]any {
	return map[string]any{
		"command": "/metric", "text": text, "user_id": "U0ALICE", "user_name": "alice", "team_id": slackfake.TeamID,
		"channel_id": "C0OPS", "channel_name": "shop-ops", "response_url": fake.ResponseURL(), "trigger_id": "1.2.3",
	}
}

func TestSocketModeHelloIsNotAcknowledged(t *testing.T) {
	r := newSocketRig(t, nil, nil)
	ctx := testCtx(t)
	if err := r.fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	// The fake fails the test on any ack without an envelope_id; an
	// envelope answered after hello proves hello went by unanswered.
	if _, err := r.fake.SendEnvelope(ctx, "slash_commands", slash(r.fake, "help"), true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.logs.String(), "socket mode connected") {
		t.Errorf("hello not logged:\n%s", r.logs)
	}
}

func TestSocketModeLinkDisabledStops(t *testing.T) {
	r := newSocketRig(t, nil, nil)
	ctx := testCtx(t)
	if err := r.fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	r.fake.Disconnect("link_disabled", true)
	select {
	case err := <-r.done:
		if !errors.Is(err, bot.ErrLinkDisabled) {
			t.Errorf("Run returned %v, want ErrLinkDisabled", err)
		}
		r.done <- err // for the cleanup
	case <-ctx.Done():
		t.Fatalf("Run kept going after link_disabled:\n%s", r.logs)
	}
	if n := len(r.fake.Calls("apps.connections.open")); n != 1 {
		t.Errorf("%d apps.connections.open calls; link_disabled must not reconnect", n)
	}
	if !strings.Contains(r.logs.String(), "reason=link_disabled") {
		t.Errorf("reason not logged:\n%s", r.logs)
	}
}

func TestSocketModeWarningConnectsBeforeClosing(t *testing.T) {
	for _, reason := range []string{"warning", "refresh_requested"} {
		t.Run(reason, func(t *testing.T) {
			r := newSocketRig(t, nil, nil)
			ctx := testCtx(t)
			if err := r.fake.WaitConnected(ctx, 1); err != nil {
				t.Fatal(err)
			}
			r.fake.Disconnect(reason, false)
			if err := r.fake.WaitConnected(ctx, 2); err != nil {
				t.Fatal(err)
			}
			// The old one is closed by the bot once the new one is up.
			if err := r.fake.WaitOpen(ctx, 1); err != nil {
				t.Fatal(err)
			}
			if n := r.fake.MaxOpen(); n != 2 {
				t.Errorf("at most %d connections open at once; the replacement must be up before the old one closes", n)
			}
			if _, err := r.fake.SendEnvelope(ctx, "slash_commands", slash(r.fake, "help"), true); err != nil {
				t.Fatalf("after %s: %v", reason, err)
			}
			if !strings.Contains(r.logs.String(), "reason="+reason) {
				t.Errorf("reason not logged:\n%s", r.logs)
			}
		})
	}
}

// heldApp holds commands until released, so an envelope is in flight.
type heldApp struct {
	bot.App
	entered chan struct{}
	release chan struct{}
}

func (h heldApp) Handle(ctx context.Context, cmd chat.Command) chat.Reply {
	h.entered <- struct{}{}
	<-h.release
	return h.App.Handle(ctx, cmd)
}

func TestSocketModeInFlightAckStaysOnItsConnection(t *testing.T) {
	held := heldApp{entered: make(chan struct{}, 1), release: make(chan struct{})}
	r := newSocketRig(t, func(a bot.App) bot.App { held.App = a; return held }, nil)
	r.slack.AckBudget = time.Minute // the ack waits for the answer
	ctx := testCtx(t)
	if err := r.fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	acked := make(chan error, 1)
	go func() {
		_, err := r.fake.SendEnvelope(ctx, "slash_commands", slash(r.fake, "help"), true)
		acked <- err
	}()
	<-held.entered
	r.fake.Disconnect("warning", false)
	if err := r.fake.WaitConnected(ctx, 2); err != nil {
		t.Fatal(err)
	}
	close(held.release)
	// SendEnvelope fails if the connection it used closes before the ack.
	if err := <-acked; err != nil {
		t.Fatalf("in-flight envelope: %v", err)
	}
	if err := r.fake.WaitOpen(ctx, 1); err != nil {
		t.Fatal(err)
	}
}

func TestSocketModeTCPDropWithoutCloseFrame(t *testing.T) {
	r := newSocketRig(t, nil, nil)
	ctx := testCtx(t)
	if err := r.fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	r.fake.DropTCP()
	if err := r.fake.WaitConnected(ctx, 2); err != nil {
		t.Fatalf("no reconnect after a TCP drop: %v", err)
	}
	if _, err := r.fake.SendEnvelope(ctx, "slash_commands", slash(r.fake, "help"), true); err != nil {
		t.Fatal(err)
	}
	if l := r.logs.String(); !strings.Contains(l, "abnormal closure") && !strings.Contains(l, "EOF") {
		t.Errorf("cause not logged:\n%s", l)
	}
}

func TestSocketModeSilentConnectionIsReplaced(t *testing.T) {
	r := newSocketRig(t, nil, func(f *slackfake.Server) { f.SetSilent(true) }, quickTimeouts)
	ctx := testCtx(t)
	if err := r.fake.WaitConnected(ctx, 2); err != nil {
		t.Fatalf("a silent connection was kept: %v", err)
	}
	if !strings.Contains(r.logs.String(), "dead connection") {
		t.Errorf("cause not logged:\n%s", r.logs)
	}
	if bot.DefaultDeadAfter > 30*time.Second {
		t.Errorf("a dead connection is noticed after %v; the contract is 30 s", bot.DefaultDeadAfter)
	}
}

func TestSocketModeHangingConnectionsOpen(t *testing.T) {
	r := newSocketRig(t, nil, func(f *slackfake.Server) { f.SetDelay("apps.connections.open", time.Hour) }, quickTimeouts)
	ctx := testCtx(t)
	// The first attempt is abandoned at the open timeout, then retried.
	if err := r.fake.WaitCalls(ctx, "apps.connections.open", 2); err != nil {
		t.Fatal(err)
	}
	r.fake.SetDelay("apps.connections.open", 0)
	if err := r.fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.logs.String(), "apps.connections.open gave no answer within") {
		t.Errorf("timeout not logged:\n%s", r.logs)
	}
}

func TestSocketModeRetriesA503(t *testing.T) {
	unavailable := slackfake.Response{Status: http.StatusServiceUnavailable, Body: "upstream unavailable"}
	r := newSocketRig(t, nil, func(f *slackfake.Server) {
		f.Script("apps.connections.open", unavailable, unavailable)
	})
	ctx := testCtx(t)
	if err := r.fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if n := len(r.fake.Calls("apps.connections.open")); n != 3 {
		t.Errorf("%d apps.connections.open calls, want 2 failures and a success", n)
	}
	if strings.Count(r.logs.String(), "socket mode connection attempt failed") != 2 {
		t.Errorf("failed attempts not logged:\n%s", r.logs)
	}
}

func TestBackoffIsCappedAndJittered(t *testing.T) {
	max := 30 * time.Second
	for attempt := 1; attempt < 40; attempt++ {
		hi, lo := bot.Backoff(attempt, max, 0), bot.Backoff(attempt, max, 0.999)
		if hi > max || lo < hi/2-time.Millisecond || lo >= hi {
			t.Errorf("attempt %d: backoff %v..%v", attempt, lo, hi)
		}
	}
	if bot.Backoff(1, max, 0) != time.Second || bot.Backoff(3, max, 0) != 4*time.Second || bot.Backoff(30, max, 0) != max {
		t.Errorf("backoff not exponential from 1 s to the cap")
	}
}

// bigApp answers with a valid message whose ack would exceed 20 KB.
type bigApp struct{ bot.App }

func (bigApp) Handle(context.Context, chat.Command) chat.Reply {
	var blocks []slack.Block
	for range 20 {
		blocks = append(blocks, chat.Section(strings.Repeat("x", 2000)))
	}
	return chat.Reply{Text: "a long list", Blocks: blocks}
}

func TestSocketModeAckOver20KBGoesThroughResponseURL(t *testing.T) {
	r := newSocketRig(t, func(a bot.App) bot.App { return bigApp{a} }, nil)
	ctx := testCtx(t)
	if err := r.fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	ack, err := r.fake.SendEnvelope(ctx, "slash_commands", slash(r.fake, "show"), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(ack) != 0 {
		t.Errorf("ack carried %d bytes; want an empty ack", len(ack))
	}
	r.slack.Wait(ctx)
	posts := r.fake.ResponsePosts()
	if len(posts) != 1 || len(posts[0].Body) < 20*1024 || !strings.Contains(string(posts[0].Body), "a long list") {
		t.Fatalf("response_url posts = %d", len(posts))
	}
}

func TestSocketModeBadAppTokenStops(t *testing.T) {
	r := newSocketRig(t, nil, func(f *slackfake.Server) {
		f.Script("apps.connections.open", slackfake.Response{Body: `{"ok":false,"error":"invalid_auth"}`})
	})
	ctx := testCtx(t)
	select {
	case err := <-r.done:
		if err == nil || !strings.Contains(err.Error(), "SLACK_APP_TOKEN") {
			t.Errorf("Run returned %v", err)
		}
		r.done <- err
	case <-ctx.Done():
		t.Fatal("Run kept retrying a refused token")
	}
}

// A slow views.open (within its time limit) still opens the modal, after
// the acknowledgement.
func TestSlowViewsOpenStillOpensTheModal(t *testing.T) {
	r := newRig(t, nil)
	r.fake.SetDelay("views.open", 1500*time.Millisecond)
	shortcut := map[string]any{"type": "shortcut", "callback_id": "flag_urgent", "trigger_id": "9.9.9", "user": map[string]any{"id": "U0ALICE", "name": "alice"}}
	resp := r.post("/slack/interactions", "application/x-www-form-urlencoded", interactionBody(t, shortcut), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	r.slack.Wait(testCtx(t))
	opens := r.fake.Calls("views.open")
	if len(opens) != 1 || opens[0].Status != http.StatusOK || opens[0].Error != "" {
		t.Errorf("views.open calls = %+v", opens)
	}
}

// A views.open that never answers is abandoned at its time limit, after
// the acknowledgement.
func TestModalIsAcknowledgedBeforeViewsOpen(t *testing.T) {
	r := newRig(t, nil)
	logs := &logBuf{}
	r.slack.Log = slog.New(slog.NewTextHandler(logs, nil))
	r.slack.APITimeout = 200 * time.Millisecond
	r.fake.SetDelay("views.open", time.Hour)
	shortcut := map[string]any{"type": "shortcut", "callback_id": "log_metrics", "trigger_id": "9.9.9", "user": map[string]any{"id": "U0ALICE", "name": "alice"}}
	// With views.open hanging, the acknowledgement still comes: it does
	// not wait for the Web API.
	resp := r.post("/slack/interactions", "application/x-www-form-urlencoded", interactionBody(t, shortcut), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	ctx := testCtx(t)
	r.slack.Wait(ctx)
	if ctx.Err() != nil {
		t.Fatal("views.open was never abandoned")
	}
	if !strings.Contains(logs.String(), "open modal") || !strings.Contains(logs.String(), "deadline exceeded") {
		t.Errorf("abandoned views.open not logged:\n%s", logs)
	}
}

func TestSSLCheckIsAnsweredWithoutSignature(t *testing.T) {
	r := newRig(t, nil)
	for body, want := range map[string]int{
		"ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO": http.StatusOK,
		"ssl_check=0&token=x":                        http.StatusUnauthorized,
		slashBody("/metric", "show", ""):             http.StatusUnauthorized,
	} {
		resp, err := http.Post(r.server.URL+"/slack/commands", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s unsigned: %d, want %d", body, resp.StatusCode, want)
		}
	}
}

func TestViewClosedIsQuiet(t *testing.T) {
	r := newRig(t, nil)
	logs := &logBuf{}
	r.slack.Log = slog.New(slog.NewTextHandler(logs, nil))
	closed := map[string]any{
		"type": "view_closed", "team": map[string]any{"id": "T0FAKE"}, "user": map[string]any{"id": "U0ALICE"},
		"view": map[string]any{"id": "V0", "type": "modal", "callback_id": "log_metrics"}, "is_cleared": false,
	}
	if resp := r.post("/slack/interactions", "application/x-www-form-urlencoded", interactionBody(t, closed), nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if s := logs.String(); strings.Contains(s, "WARN") || strings.Contains(s, "ERROR") {
		t.Errorf("view_closed logged as a problem:\n%s", s)
	}
}

func TestAckBudgetIsTwoSeconds(t *testing.T) {
	if bot.DefaultAckBudget > 2*time.Second {
		t.Errorf("ack budget %v; Slack allows 3 s in all, network included", bot.DefaultAckBudget)
	}
}

func TestResponsesCarryNoEmptyMetadata(t *testing.T) {
	r := newRig(t, nil)
	resp := r.post("/slack/commands", "application/x-www-form-urlencoded", slashBody("/metric", "show", ""), nil)
	b, _ := io.ReadAll(resp.Body)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if _, has := m["metadata"]; has {
		t.Errorf("ack carries metadata: %s", b)
	}
}
