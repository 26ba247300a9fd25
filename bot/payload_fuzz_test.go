package bot

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/chat"
)

// countingApp answers nothing and counts what reaches it.
type countingApp struct {
	mu           sync.Mutex
	interactions []chat.Interaction
}

func (a *countingApp) Handle(context.Context, chat.Command) chat.Reply { return chat.Reply{Text: "ok"} }

func (a *countingApp) Interact(_ context.Context, in chat.Interaction) chat.Outcome {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.interactions = append(a.interactions, in)
	return chat.Outcome{}
}

// fuzzPost sends a signed body to the receiver as Slack would and returns
// the status, after the work started after the acknowledgement is done.
func fuzzPost(t *testing.T, path, contentType string, body []byte) (int, *countingApp) {
	t.Helper()
	const secret = "fuzz-secret"
	clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC))
	app := &countingApp{}
	sl := &Slack{App: app, Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := (&HTTPReceiver{Slack: sl, SigningSecret: secret}).Handler()
	ts := strconv.FormatInt(clock.Now().Unix(), 10)
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", Sign(secret, ts, body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sl.Wait(ctx)
	if ctx.Err() != nil {
		t.Fatalf("work after the acknowledgement of %s is still running after 5 s", path)
	}
	return rec.Code, app
}

// FuzzInteractionPayload posts arbitrary interaction payloads (the
// payload field of /slack/interactions): decoding and turning them into
// the app's terms must never panic; a payload is either refused with 400
// or reaches the app once, with a kind.
func FuzzInteractionPayload(f *testing.F) {
	for _, s := range []string{
		`{"type":"shortcut","callback_id":"log_metrics","trigger_id":"1.2.3","user":{"id":"U1","name":"amy"}}`,
		`{"type":"block_actions","user":{"id":"U1"},"container":{"channel_id":"C1"},"actions":[{"action_id":"check","value":"12:3:1"}],"message":{"ts":"1.2"}}`,
		`{"type":"view_submission","user":{"id":"U1"},"view":{"callback_id":"log_metrics","private_metadata":"{\"c\":\"C1\"}","state":{"values":{"date":{"value":{"type":"datepicker","selected_date":"2026-11-22"}},"metric:uv":{"value":{"type":"plain_text_input","value":"1.2万"}}}}}}`,
		`{"type":"view_submission","view":{"state":{"values":{"shop":{"value":{"type":"static_select","selected_option":{"value":"main"}}}}}}}`,
		`{"type":"message_action","callback_id":"x","channel":{"id":"C1"}}`,
		`{"type":"block_actions","actions":[]}`,
		`{"type":"view_submission","view":{"state":{"values":[1]}}}`,
		`{"type":"` + strings.Repeat("[", 50) + `"}`,
		`[[[[[[[[[[]]]]]]]]]]`,
		`{}`,
		``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, payload string) {
		status, app := fuzzPost(t, "/slack/interactions", "application/x-www-form-urlencoded", []byte(url.Values{"payload": {payload}}.Encode()))
		switch status {
		case http.StatusBadRequest:
			if n := len(app.interactions); n != 0 {
				t.Fatalf("refused, yet %d interaction(s) reached the app", n)
			}
		case http.StatusOK:
			if n := len(app.interactions); n != 1 {
				t.Fatalf("accepted, and %d interaction(s) reached the app", n)
			}
			if in := app.interactions[0]; in.Kind == chat.KindSubmission && in.Values == nil {
				t.Fatalf("a submission without its values map: %+v", in)
			}
		default:
			t.Fatalf("status %d for payload %q", status, payload)
		}
	})
}

// FuzzEventBody posts arbitrary bodies to /slack/events: 200 or 400,
// never a panic, including in the work done after the acknowledgement.
func FuzzEventBody(f *testing.F) {
	for _, s := range []string{
		`{"type":"url_verification","challenge":"abc"}`,
		`{"type":"event_callback","event_id":"Ev1","event":{"type":"app_home_opened","user":"U1","tab":"home"}}`,
		`{"type":"event_callback","event_id":"Ev2","event":{"type":"app_home_opened","user":"U1","tab":"messages"}}`,
		`{"type":"event_callback","event":[1,2,3]}`,
		`{"type":"event_callback","event":"x"}`,
		`{"type":"app_rate_limited"}`,
		`{"type":1}`,
		`null`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if status, _ := fuzzPost(t, "/slack/events", "application/json", body); status != http.StatusOK && status != http.StatusBadRequest {
			t.Fatalf("status %d for %q", status, body)
		}
	})
}
