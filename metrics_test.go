package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/slack-go/slack"

	"opsbot/bot"
	"opsbot/bot/outbox"
	"opsbot/bot/slackfake"
	"opsbot/config"
	"opsbot/store"
	"opsbot/store/storetest"
	"opsbot/telemetry"
)

// TestMetricsAfterAScriptedDay wires the bot as HTTP mode does (the same
// watch, withOps, newApp and receiver), on a fake clock and the fake
// Slack, plays a day and a half of work — figures logged, an urgent order
// flagged and never resolved, App Home opened, every scheduled job ticked
// each 15 minutes, one 429 from Slack — and reads GET /metrics like
// Prometheus. Every family the operations guide names must be there, and
// those the day touched must have moved.
func TestMetricsAfterAScriptedDay(t *testing.T) {
	ctx := context.Background()
	fake := slackfake.New(t)
	for id, name := range map[string]string{"C0OPS": "shop-ops", "C0MGR": "shop-managers", "C0CS": "shop-cs"} {
		fake.AddChannel(id, name)
	}
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	// The ship order's warning falls at 04:00; quiet hours (their own
	// tests) would hold it back past the deadline and drop it.
	cfg.SLA.QuietHours = nil
	// Monday 2026-11-23, 08:00 in Shanghai.
	clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	log := slog.New(slog.DiscardHandler)
	metrics, health := telemetry.New(), &telemetry.Health{}
	api := slack.New("xoxb-test", slack.OptionAPIURL(fake.URL()),
		slack.OptionHTTPClient(&http.Client{Transport: metrics.Transport(nil)}))
	if err := bot.Resolve(ctx, api, cfg); err != nil {
		t.Fatal(err)
	}
	st := storetest.SQLite(t)
	if err := watch(metrics, health, st, clock); err != nil {
		t.Fatal(err)
	}
	a, err := newApp(cfg, st, clock, log, api, outbox.Options{ChannelInterval: time.Nanosecond, MinBackoff: time.Nanosecond, MaxBackoff: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	sl := &bot.Slack{App: a.router, API: api, Dedup: st, Clock: clock, Log: log, Observer: metrics}
	srv := httptest.NewServer(withOps((&bot.HTTPReceiver{Slack: sl, SigningSecret: "s3cret"}).Handler(), metrics, health))
	defer srv.Close()

	post := func(path, contentType, body string) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		ts := strconv.FormatInt(clock.Now().Unix(), 10)
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", bot.Sign("s3cret", ts, []byte(body)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	command := func(cmd, text string) string {
		t.Helper()
		return post("/slack/commands", "application/x-www-form-urlencoded", url.Values{
			"command": {cmd}, "text": {text}, "user_id": {"U1"}, "user_name": {"amy"},
			"channel_id": {"C0OPS"}, "channel_name": {"shop-ops"}, "team_id": {slackfake.TeamID}, "api_app_id": {slackfake.AppID},
		}.Encode())
	}
	tick := func() {
		t.Helper()
		if err := a.tickAndFlush(ctx, clock); err != nil {
			t.Fatal(err)
		}
	}

	tick() // 08:00: the scheduler's first start
	if got := command("/metric", "uv=12000 paid=240 orders=300 sales=36000"); !strings.Contains(got, "logged for") {
		t.Fatalf("/metric: %s", got)
	}
	command("/metric", "nonsense=1") // refused: an ephemeral answer
	if got := command("/urgent", "202611230000000001 type=ship customer waiting"); !strings.Contains(got, "202611230000000001") || strings.Contains(got, "Nothing was stored") {
		t.Fatalf("/urgent: %s", got)
	}
	post("/slack/events", "application/json", `{"type":"event_callback","event_id":"Ev1","event":{"type":"app_home_opened","user":"U1","channel":"D1","tab":"home"}}`)
	sl.Wait(ctx)
	// Slack's rate limit, once: the sender waits Retry-After and retries.
	fake.Script("chat.postMessage", slackfake.Response{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"1"}}})
	// A day and a half, a tick each quarter hour: checklists and their
	// nudges, the daily report, the ship order's warning (20 h), breach
	// (24 h) and reminder (28 h).
	for range 4 * 30 {
		clock.Advance(15 * time.Minute)
		tick()
	}
	// What is still waiting shows in the outbox gauges.
	if _, err := st.Enqueue(ctx, store.Outgoing{Channel: "C0OPS", Op: store.OpPost, Text: "waiting"}); err != nil {
		t.Fatal(err)
	}

	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"database":"ok"`) {
		t.Errorf("/readyz: %d %s", resp.StatusCode, b)
	}

	fams := scrape(t, srv.URL+"/metrics")
	for _, tc := range []struct {
		family string
		labels map[string]string // a series with these labels must be > 0; nil: the family need only exist
	}{
		{"opsbot_commands_total", map[string]string{"command": "/metric", "outcome": "in_channel"}},
		{"opsbot_commands_total", map[string]string{"command": "/metric", "outcome": "ephemeral"}},
		{"opsbot_interactions_total", map[string]string{"kind": "app_home_opened", "outcome": "ok"}},
		{"opsbot_ack_duration_seconds", map[string]string{"type": "command"}},
		{"opsbot_outbox_pending_messages", map[string]string{"channel": "C0OPS"}},
		{"opsbot_outbox_oldest_pending_age_seconds", nil},
		{"opsbot_outbox_dead_letters", nil},
		{"opsbot_slack_api_calls_total", map[string]string{"method": "chat.postMessage", "status": "200"}},
		{"opsbot_slack_api_calls_total", map[string]string{"method": "chat.postMessage", "status": "429"}},
		{"opsbot_slack_api_rate_limited_total", map[string]string{"method": "chat.postMessage"}},
		{"opsbot_slack_api_retry_after_seconds_total", map[string]string{"method": "chat.postMessage"}},
		{"opsbot_scheduled_runs_total", map[string]string{"job": "checklist", "state": "posted"}},
		{"opsbot_scheduled_runs_total", map[string]string{"job": "nudge"}},
		{"opsbot_scheduled_runs_total", map[string]string{"job": "report"}},
		{"opsbot_sla_alerts_total", map[string]string{"kind": "warning"}},
		{"opsbot_sla_alerts_total", map[string]string{"kind": "breach"}},
		{"opsbot_sla_alerts_total", map[string]string{"kind": "reminder"}},
		{"opsbot_open_items", map[string]string{"type": "ship"}},
		{"opsbot_db_transaction_duration_seconds", map[string]string{"database": "sqlite"}},
		{"opsbot_db_transaction_errors_total", nil},
		{"opsbot_database_up", map[string]string{}},
		{"opsbot_socket_mode_connected", nil},
		{"opsbot_socket_mode_reconnects_total", nil},
	} {
		f, ok := fams[tc.family]
		if !ok {
			t.Errorf("no family %s", tc.family)
			continue
		}
		if tc.labels != nil && !moved(f, tc.labels) {
			t.Errorf("%s%v did not move", tc.family, tc.labels)
		}
	}
}

// scrape reads a metrics endpoint as Prometheus does.
func scrape(t *testing.T, u string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

// moved says whether a series of f with these labels has a value above 0.
func moved(f *dto.MetricFamily, labels map[string]string) bool {
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, lp := range m.GetLabel() {
			have[lp.GetName()] = lp.GetValue()
		}
		for k, v := range labels {
			if have[k] != v {
				continue next
			}
		}
		var v float64
		switch {
		case m.Counter != nil:
			v = m.Counter.GetValue()
		case m.Gauge != nil:
			v = m.Gauge.GetValue()
		case m.Histogram != nil:
			v = float64(m.Histogram.GetSampleCount())
		}
		if v > 0 {
			return true
		}
	}
	return false
}
