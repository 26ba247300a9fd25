package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"

	"opsbot/bot"
	"opsbot/bot/outbox"
	"opsbot/bot/slackfake"
	"opsbot/chat"
	"opsbot/checklist/checkrun"
	"opsbot/config"
	"opsbot/handlers"
	"opsbot/store"
)

const secret = "8f742231b10e8888abcd99yyyzzz85a5"

// rig is the bot in HTTP mode against a fake Slack, on a real SQLite file.
type rig struct {
	t      testing.TB
	fake   *slackfake.Server
	store  *store.Store
	clock  clockwork.Clock
	slack  *bot.Slack
	server *httptest.Server
	router *handlers.Router
	dbPath string
}

func newRig(t testing.TB, app func(*handlers.Router) bot.App) *rig {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Managers = []string{"U0BOSS"}
	fake := slackfake.New(t)
	dbPath := filepath.Join(t.TempDir(), "bot.db")
	st, err := store.Open(context.Background(), "sqlite:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	// A real clock: the signature window and the acknowledgement budget are
	// about real seconds here.
	clock := clockwork.NewRealClock()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	router := handlers.New(cfg, st, clock, log)
	router.SetSealKey(testSealKey)
	var a bot.App = router
	if app != nil {
		a = app(router)
	}
	api := slack.New("xoxb-test", slack.OptionAPIURL(fake.URL()))
	sl := &bot.Slack{App: a, API: api, Dedup: st, Clock: clock, Log: log, AckBudget: 500 * time.Millisecond}
	srv := httptest.NewServer((&bot.HTTPReceiver{Slack: sl, SigningSecret: secret}).Handler())
	t.Cleanup(srv.Close)
	return &rig{t: t, fake: fake, store: st, clock: clock, slack: sl, server: srv, router: router, dbPath: dbPath}
}

// post sends a body to an endpoint signed as Slack signs it.
func (r *rig) post(path, contentType, body string, header map[string]string) *http.Response {
	r.t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.server.URL+path, strings.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", bot.Sign(secret, ts, []byte(body)))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// triggers numbers trigger IDs: Slack gives every command its own, and a
// repeated one is a replay.
var triggers atomic.Int64

func slashBody(command, text, responseURL string) string {
	return url.Values{
		"token": {"x"}, "team_id": {"T1"}, "channel_id": {"C0OPS"}, "channel_name": {"shop-ops"},
		"user_id": {"U0ALICE"}, "user_name": {"alice"}, "command": {command}, "text": {text},
		"response_url": {responseURL}, "trigger_id": {fmt.Sprintf("%d.456.abc", triggers.Add(1))},
	}.Encode()
}

func readJSON(t *testing.T, resp *http.Response) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("decode response: %v", err)
	}
	return m
}

func TestSignedCommandIsStoredAndAnswered(t *testing.T) {
	r := newRig(t, nil)
	resp := r.post("/slack/commands", "application/x-www-form-urlencoded", slashBody("/metric", "uv=12000 paid=240 orders=300 sales=36000", r.fake.ResponseURL()), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	m := readJSON(t, resp)
	if m["response_type"] != "in_channel" {
		t.Errorf("response_type = %v, want in_channel", m["response_type"])
	}
	raw, _ := json.Marshal(m["blocks"])
	if !strings.Contains(string(raw), "\\u003c@U0ALICE\\u003e logged") && !strings.Contains(string(raw), "<@U0ALICE> logged") {
		t.Errorf("blocks do not say who logged: %s", raw)
	}
	day, _ := r.store.DayMetrics(context.Background(), "main", yesterday())
	if day["uv"] != 12000 || day["sales"] != 3_600_000 {
		t.Errorf("stored %v", day)
	}
}

func yesterday() string {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	return time.Now().In(loc).AddDate(0, 0, -1).Format("2006-01-02")
}

func TestUnverifiedRequestsAreRefused(t *testing.T) {
	r := newRig(t, nil)
	body := slashBody("/metric", "uv=1", "")
	now := strconv.FormatInt(time.Now().Unix(), 10)
	stale := strconv.FormatInt(time.Now().Add(-6*time.Minute).Unix(), 10)
	future := strconv.FormatInt(time.Now().Add(6*time.Minute).Unix(), 10)
	tests := []struct {
		name string
		h    map[string]string
		body string
	}{
		{"wrong secret", map[string]string{"X-Slack-Signature": bot.Sign("other", now, []byte(body)), "X-Slack-Request-Timestamp": now}, body},
		{"altered body", map[string]string{"X-Slack-Signature": bot.Sign(secret, now, []byte(body)), "X-Slack-Request-Timestamp": now}, body + "0"},
		{"stale", map[string]string{"X-Slack-Signature": bot.Sign(secret, stale, []byte(body)), "X-Slack-Request-Timestamp": stale}, body},
		{"future", map[string]string{"X-Slack-Signature": bot.Sign(secret, future, []byte(body)), "X-Slack-Request-Timestamp": future}, body},
		{"no signature", map[string]string{"X-Slack-Signature": "", "X-Slack-Request-Timestamp": now}, body},
		{"no timestamp", map[string]string{"X-Slack-Request-Timestamp": ""}, body},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/slack/commands", "/slack/interactions", "/slack/events"} {
				req, _ := http.NewRequest(http.MethodPost, r.server.URL+path, strings.NewReader(tt.body))
				req.Header.Set("X-Slack-Signature", bot.Sign(secret, now, []byte(body)))
				req.Header.Set("X-Slack-Request-Timestamp", now)
				for k, v := range tt.h {
					if v == "" {
						req.Header.Del(k)
					} else {
						req.Header.Set(k, v)
					}
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s: status %d, want 401", path, resp.StatusCode)
				}
			}
		})
	}
	if day, _ := r.store.DayMetrics(context.Background(), "main", yesterday()); len(day) != 0 {
		t.Errorf("an unverified command was stored: %v", day)
	}
	big := strings.Repeat("a", bot.MaxBody+1)
	if resp := r.post("/slack/commands", "application/x-www-form-urlencoded", big, nil); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: status %d, want 413", resp.StatusCode)
	}
}

func TestEventsURLVerificationAndRetries(t *testing.T) {
	r := newRig(t, nil)
	resp := r.post("/slack/events", "application/json", `{"type":"url_verification","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","token":"x"}`, nil)
	if m := readJSON(t, resp); m["challenge"] != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("challenge answer = %v", m)
	}
	home := `{"type":"event_callback","event_id":"Ev0001","event":{"type":"app_home_opened","user":"U0ALICE","channel":"D1","tab":"home"}}`
	if resp := r.post("/slack/events", "application/json", home, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if resp := r.post("/slack/events", "application/json", home, map[string]string{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}); resp.StatusCode != http.StatusOK {
		t.Fatalf("retry status %d", resp.StatusCode)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r.slack.Wait(ctx)
	calls := r.fake.Calls("views.publish")
	if len(calls) != 1 {
		t.Fatalf("views.publish called %d times for one event delivered twice, want 1", len(calls))
	}
	if !strings.Contains(string(calls[0].Body), "Log metrics") {
		t.Errorf("home view lacks the Log metrics button: %s", calls[0].Body)
	}
}

func interactionBody(t testing.TB, payload any) string {
	t.Helper()
	b, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return url.Values{"payload": {string(b)}}.Encode()
}

// openedMetadata is the private metadata of the last modal the bot opened.
func openedMetadata(t *testing.T, fake *slackfake.Server) string {
	t.Helper()
	opens := fake.Calls("views.open")
	if len(opens) == 0 {
		t.Fatal("no modal was opened")
	}
	var req struct {
		View struct {
			PrivateMetadata string `json:"private_metadata"`
		} `json:"view"`
	}
	if err := json.Unmarshal(opens[len(opens)-1].Body, &req); err != nil {
		t.Fatalf("views.open body: %v", err)
	}
	return req.View.PrivateMetadata
}

func submission(values map[string]string, metadata string) map[string]any {
	state := map[string]any{}
	for block, v := range values {
		action := map[string]any{"type": "plain_text_input", "value": v}
		if block == "date" {
			action = map[string]any{"type": "datepicker", "selected_date": v}
		}
		state[block] = map[string]any{"value": action}
	}
	return map[string]any{
		"type": "view_submission", "user": map[string]any{"id": "U0ALICE", "name": "alice"}, "trigger_id": fmt.Sprintf("%d.2.3", triggers.Add(1)),
		"view": map[string]any{"id": "V1", "callback_id": "log_metrics", "private_metadata": metadata, "state": map[string]any{"values": state}},
	}
}

func TestLogMetricsModal(t *testing.T) {
	r := newRig(t, nil)
	// The Log button in channel C0OPS: the confirmation goes back there.
	shortcut := map[string]any{"type": "block_actions", "trigger_id": "9.9.9", "user": map[string]any{"id": "U0ALICE", "name": "alice"},
		"channel": map[string]any{"id": "C0OPS"}, "actions": []any{map[string]any{"action_id": "open_log_metrics", "block_id": "home_actions", "type": "button", "value": "x"}}}
	if resp := r.post("/slack/interactions", "application/x-www-form-urlencoded", interactionBody(t, shortcut), nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("shortcut status %d", resp.StatusCode)
	}
	// The modal opens after the acknowledgement.
	wait, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r.slack.Wait(wait)
	opens := r.fake.Calls("views.open")
	if len(opens) != 1 || !strings.Contains(string(opens[0].Body), "9.9.9") || !strings.Contains(string(opens[0].Body), "metric:uv") {
		t.Fatalf("views.open calls = %d; body %s", len(opens), firstBody(opens))
	}

	// Bad values: the modal stays open with errors under the fields, nothing stored.
	meta := openedMetadata(t, r.fake)
	bad := submission(map[string]string{"date": yesterday(), "metric:uv": "lots", "metric:sales": "1.234"}, meta)
	resp := r.post("/slack/interactions", "application/x-www-form-urlencoded", interactionBody(t, bad), nil)
	m := readJSON(t, resp)
	errs, _ := m["errors"].(map[string]any)
	if m["response_action"] != "errors" || errs["metric:uv"] == nil || errs["metric:sales"] == nil {
		t.Fatalf("field errors = %v", m)
	}
	if day, _ := r.store.DayMetrics(context.Background(), "main", yesterday()); len(day) != 0 {
		t.Fatalf("a bad form stored %v", day)
	}

	// Good values: stored, the modal closes, the confirmation is queued for the channel.
	good := submission(map[string]string{"date": yesterday(), "metric:uv": "12,000", "metric:paid": "240", "metric:pv": ""}, meta)
	resp = r.post("/slack/interactions", "application/x-www-form-urlencoded", interactionBody(t, good), nil)
	if b, _ := io.ReadAll(resp.Body); resp.StatusCode != http.StatusOK || strings.Contains(string(b), "errors") {
		t.Fatalf("good submission: %d %s", resp.StatusCode, b)
	}
	if day, _ := r.store.DayMetrics(context.Background(), "main", yesterday()); day["uv"] != 12000 || day["paid"] != 240 || len(day) != 2 {
		t.Fatalf("stored %v", day)
	}
	pending, _, _, err := r.store.OutboxStats(context.Background())
	if err != nil || pending != 1 {
		t.Errorf("outbox pending = %d, %v; want the confirmation queued", pending, err)
	}
	// The sender delivers it to the channel the modal was opened from.
	sender := outbox.New(r.store, slack.New("xoxb-test", slack.OptionAPIURL(r.fake.URL())), r.clock, nil, outbox.Options{})
	if n, err := sender.Flush(context.Background()); err != nil || n != 1 {
		t.Fatalf("flush = %d, %v", n, err)
	}
	msgs := r.fake.Messages("C0OPS")
	if len(msgs) != 1 || !strings.Contains(string(msgs[0].Blocks), "logged for") {
		t.Errorf("channel C0OPS holds %+v", msgs)
	}
}

func firstBody(calls []slackfake.Call) string {
	if len(calls) == 0 {
		return ""
	}
	return string(calls[0].Body)
}

// slowApp answers commands after a delay, as a slow database would.
type slowApp struct {
	bot.App
	delay time.Duration
}

func (s slowApp) Handle(ctx context.Context, cmd chat.Command) chat.Reply {
	time.Sleep(s.delay)
	return s.App.Handle(ctx, cmd)
}

func TestSlowCommandIsAcknowledgedThenAnswered(t *testing.T) {
	r := newRig(t, func(router *handlers.Router) bot.App { return slowApp{App: router, delay: 1200 * time.Millisecond} })
	start := time.Now()
	resp := r.post("/slack/commands", "application/x-www-form-urlencoded", slashBody("/metric", "show", r.fake.ResponseURL()), nil)
	elapsed := time.Since(start)
	m := readJSON(t, resp)
	if elapsed > time.Second {
		t.Errorf("acknowledged after %v; the budget is 500ms", elapsed)
	}
	if !strings.Contains(m["text"].(string), "Working on it") {
		t.Errorf("ack = %v", m)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r.slack.Wait(ctx)
	posts := r.fake.ResponsePosts()
	if len(posts) != 1 || !strings.Contains(string(posts[0].Body), "Nothing was logged") {
		t.Fatalf("response_url posts = %d: %s", len(posts), firstBody(posts))
	}
}

func TestExportIsUploadedToTheUser(t *testing.T) {
	r := newRig(t, nil)
	r.post("/slack/commands", "application/x-www-form-urlencoded", slashBody("/metric", "uv=5", ""), nil)
	resp := r.post("/slack/commands", "application/x-www-form-urlencoded", slashBody("/metric", "export 2026-11-01 2026-11-02", ""), nil)
	if m := readJSON(t, resp); m["response_type"] != "ephemeral" {
		t.Errorf("export reply = %v", m)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r.slack.Wait(ctx)
	if n := len(r.fake.Calls("conversations.open")); n != 1 {
		t.Errorf("conversations.open called %d times", n)
	}
	if n := len(r.fake.Calls("files.completeUploadExternal")); n != 1 {
		t.Errorf("files.completeUploadExternal called %d times", n)
	}
}

// slowInteractions answers interactions after a delay.
type slowInteractions struct {
	bot.App
	delay time.Duration
}

func (s slowInteractions) Interact(ctx context.Context, in chat.Interaction) chat.Outcome {
	time.Sleep(s.delay)
	return s.App.Interact(ctx, in)
}

func TestSlowInteractionIsAcknowledgedInTime(t *testing.T) {
	r := newRig(t, func(router *handlers.Router) bot.App {
		return slowInteractions{App: router, delay: 1200 * time.Millisecond}
	})
	shortcut := map[string]any{"type": "shortcut", "callback_id": "log_metrics", "trigger_id": "9.9.9", "user": map[string]any{"id": "U0ALICE", "name": "alice"}}
	start := time.Now()
	resp := r.post("/slack/interactions", "application/x-www-form-urlencoded", interactionBody(t, shortcut), nil)
	if d := time.Since(start); resp.StatusCode != http.StatusOK || d > time.Second {
		t.Errorf("status %d after %v; the budget is 500ms", resp.StatusCode, d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r.slack.Wait(ctx)
	if n := len(r.fake.Calls("views.open")); n != 1 {
		t.Errorf("views.open called %d times after the slow interaction finished", n)
	}
}

func TestChecklistButtonThroughHTTP(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	run := checkrun.Run{Key: "shop-checks@t", Checklist: "shop-checks", Date: yesterday(), ScheduledAt: time.Now().Add(-time.Minute),
		DueAt: time.Now().Add(time.Hour), State: checkrun.Posted, Channel: "C0OPS", Items: 7, CreatedAt: time.Now()}
	if _, err := r.store.ClaimRun(ctx, &run); err != nil {
		t.Fatal(err)
	}
	if err := r.store.RecordMessage(ctx, run.Ref(), "C0OPS", "1700000000.000100", time.Now()); err != nil {
		t.Fatal(err)
	}
	click := map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U0ALICE", "name": "alice"}, "trigger_id": "1.2.3",
		"channel": map[string]any{"id": "C0OPS"}, "response_url": r.fake.ResponseURL(),
		"container": map[string]any{"type": "message", "message_ts": "1700000000.000100", "channel_id": "C0OPS"},
		"message":   map[string]any{"ts": "1700000000.000100", "type": "message"},
		"actions":   []any{map[string]any{"action_id": "check_item", "block_id": "b", "type": "button", "value": fmt.Sprintf("%d:2", run.ID)}},
	}
	if resp := r.post("/slack/interactions", "application/x-www-form-urlencoded", interactionBody(t, click), nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	items, _ := r.store.Items(ctx, run.ID)
	if len(items[run.ID]) != 1 || items[run.ID][0].Idx != 2 || items[run.ID][0].DoneBy != "U0ALICE" {
		t.Fatalf("items = %+v", items[run.ID])
	}
	msgs, _ := r.store.OutboxMessages(ctx, "C0OPS")
	if len(msgs) != 1 || msgs[0].Op != store.OpUpdate || msgs[0].Ref != run.Ref() {
		t.Errorf("queued = %+v, want the in-place update", msgs)
	}
}
