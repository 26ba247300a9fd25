package bot_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"opsbot/handlers/command"

	"opsbot/bot/slackfake"
)

// corpusCase is what one real-shaped payload must get.
type corpusCase struct {
	file        string
	ackContains string // in the acknowledgement body
	views       int    // views.open calls
	publishes   int    // views.publish calls
	uv          int64  // uv stored for yesterday, when > 0
	quiet       bool   // no warning or error logged by the transport
}

var corpus = []corpusCase{
	{file: "slash_metric_enterprise.form", ackContains: "logged for", uv: 12000, quiet: true},
	{file: "slash_help_dm.form", ackContains: "/metric", quiet: true},
	{file: "slash_checklist.form", ackContains: "response_type", quiet: true},
	{file: "shortcut_log_metrics.json", views: 1, quiet: true},
	{file: "message_action_unknown.json"},
	{file: "block_actions_message_button.json", views: 1, quiet: true},
	{file: "block_actions_app_home.json", views: 1, quiet: true},
	{file: "view_submission_every_element.json", uv: 12000, quiet: true},
	{file: "view_closed.json", quiet: true},
	{file: "event_app_home_opened.json", publishes: 1, quiet: true},
	{file: "event_bot_message.json", quiet: true},
	{file: "event_message_changed.json", quiet: true},
	{file: "url_verification.json", ackContains: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", quiet: true},
}

// testSealKey seals the forms of the test rigs, as main seals them with a
// key derived from the bot token.
var testSealKey = []byte("opsbot test seal key")

func readCorpus(t *testing.T, file, responseURL string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "corpus", file))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.TrimSpace(string(b))
	s = strings.ReplaceAll(s, "YESTERDAY", yesterday())
	// A form's metadata is what the bot sealed when it opened the form.
	sealed, _ := json.Marshal(command.Seal(testSealKey, "U0ALICE", map[string]string{"c": "C0OPS"}))
	s = strings.ReplaceAll(s, `"SEALED_METADATA"`, string(sealed))
	return strings.ReplaceAll(s, "RESPONSE_URL", url.QueryEscape(responseURL))
}

func isEvent(body string) bool {
	return strings.Contains(body, `"type":"event_callback"`) || strings.Contains(body, `"type":"url_verification"`)
}

// Each payload through the signed HTTP receiver.
func TestCorpusOverHTTP(t *testing.T) {
	for _, tc := range corpus {
		t.Run(tc.file, func(t *testing.T) {
			r := newRig(t, nil)
			logs := &logBuf{}
			r.slack.Log = slog.New(slog.NewTextHandler(logs, nil))
			body := readCorpus(t, tc.file, r.fake.ResponseURL())
			var resp *http.Response
			switch {
			case strings.HasSuffix(tc.file, ".form"):
				resp = r.post("/slack/commands", "application/x-www-form-urlencoded", body, nil)
			case isEvent(body):
				resp = r.post("/slack/events", "application/json", body, nil)
			default:
				resp = r.post("/slack/interactions", "application/x-www-form-urlencoded", url.Values{"payload": {body}}.Encode(), nil)
			}
			ack, _ := io.ReadAll(resp.Body)
			ctx := testCtx(t)
			r.slack.Wait(ctx)
			checkCorpus(t, tc, resp.StatusCode, ack, r.fake, logs)
			if tc.uv > 0 {
				day, err := r.store.DayMetrics(context.Background(), "main", yesterday())
				if err != nil || day["uv"] != tc.uv {
					t.Errorf("stored %v, %v; want uv=%d", day, err, tc.uv)
				}
			}
		})
	}
}

// Commands, interactions and events through Socket Mode envelopes.
func TestCorpusOverSocketMode(t *testing.T) {
	for _, tc := range corpus {
		if tc.file == "url_verification.json" {
			continue // HTTP only
		}
		t.Run(tc.file, func(t *testing.T) {
			r := newSocketRig(t, nil, nil)
			ctx := testCtx(t)
			if err := r.fake.WaitConnected(ctx, 1); err != nil {
				t.Fatal(err)
			}
			body := readCorpus(t, tc.file, r.fake.ResponseURL())
			var typ string
			var payload any
			switch {
			case strings.HasSuffix(tc.file, ".form"):
				form, err := url.ParseQuery(body)
				if err != nil {
					t.Fatal(err)
				}
				fields := map[string]string{}
				for k := range form {
					fields[k] = form.Get(k)
				}
				typ, payload = "slash_commands", fields
			case isEvent(body):
				typ, payload = "events_api", json.RawMessage(body)
			default:
				typ, payload = "interactive", json.RawMessage(body)
			}
			ack, err := r.fake.SendEnvelope(ctx, typ, payload, typ != "events_api")
			if err != nil {
				t.Fatal(err)
			}
			r.slack.Wait(ctx)
			checkCorpus(t, tc, http.StatusOK, ack, r.fake, r.logs)
		})
	}
}

func checkCorpus(t *testing.T, tc corpusCase, status int, ack []byte, fake *slackfake.Server, logs *logBuf) {
	t.Helper()
	if status != http.StatusOK {
		t.Errorf("status %d: %s", status, ack)
	}
	if tc.ackContains != "" && !strings.Contains(string(ack), tc.ackContains) {
		t.Errorf("ack lacks %q: %s", tc.ackContains, ack)
	}
	if strings.Contains(string(ack), `"errors"`) {
		t.Errorf("field errors: %s", ack)
	}
	if n := len(fake.Calls("views.open")); n != tc.views {
		t.Errorf("views.open called %d times, want %d", n, tc.views)
	}
	if n := len(fake.Calls("views.publish")); n != tc.publishes {
		t.Errorf("views.publish called %d times, want %d", n, tc.publishes)
	}
	if !tc.quiet {
		return
	}
	for _, l := range strings.Split(logs.String(), "\n") {
		// The connection's own life (a slow handshake on a loaded
		// machine) is not the payload's answer.
		if strings.Contains(l, `msg="socket mode`) {
			continue
		}
		if strings.Contains(l, "level=WARN") || strings.Contains(l, "level=ERROR") {
			t.Errorf("logged a problem: %s", l)
		}
	}
}
