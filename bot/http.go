package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/slack-go/slack"
)

// MaxBody bounds a request from Slack; real payloads are a few kilobytes.
const MaxBody = 1 << 20

// HTTPReceiver answers Slack's HTTP requests: slash commands, interactions
// and the Events API, each verified against the signing secret first.
type HTTPReceiver struct {
	*Slack
	SigningSecret string

	gate bodyGate
}

// Handler routes the three endpoints.
func (h *HTTPReceiver) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/commands", h.verified(h.commands))
	mux.HandleFunc("POST /slack/interactions", h.verified(h.interactions))
	mux.HandleFunc("POST /slack/events", h.verified(h.events))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	return mux
}

// refuse answers a request that is not let through, and logs it sampled.
func (h *HTTPReceiver) refuse(w http.ResponseWriter, r *http.Request, status int, reason error) {
	h.refusals.log(h.Log, h.Clock.Now(), "refused request", "path", r.URL.Path, "remote", r.RemoteAddr, "status", status, "reason", reason)
	msg := http.StatusText(status)
	switch status {
	case http.StatusUnauthorized:
		msg = "invalid request signature"
	case http.StatusRequestEntityTooLarge:
		msg = "request body too large"
	}
	http.Error(w, msg, status)
}

// verified checks what it can before reading anything (the signature
// headers, the timestamp window, the announced length), reads the body in a
// bounded lane, and checks its signature before anything else looks at it.
func (h *HTTPReceiver) verified(next func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := CheckHeaders(h.SigningSecret, r.Header, h.Clock.Now()); err != nil {
			h.refuse(w, r, http.StatusUnauthorized, err)
			return
		}
		if r.ContentLength > MaxBody {
			h.refuse(w, r, http.StatusRequestEntityTooLarge, errors.New("announced body over 1 MiB"))
			return
		}
		release, ok := h.gate.enter(r.Context(), h.Clock, r.ContentLength)
		if !ok {
			w.Header().Set("Retry-After", "1")
			h.refuse(w, r, http.StatusServiceUnavailable, errors.New("too many bodies being read"))
			return
		}
		body, err := readBody(w, r)
		release()
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.refuse(w, r, http.StatusRequestEntityTooLarge, err)
			return
		}
		if err != nil {
			h.refuse(w, r, http.StatusBadRequest, err)
			return
		}
		if err := Verify(h.SigningSecret, r.Header, body, h.Clock.Now()); err != nil {
			h.refuse(w, r, http.StatusUnauthorized, err)
			return
		}
		next(w, r, body)
	}
}

// readBody reads at most MaxBody bytes within bodyReadTime, into a buffer
// of the announced size when there is one.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	// A network deadline: real time, not the injected clock.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(bodyReadTime))
	defer http.NewResponseController(w).SetReadDeadline(time.Time{})
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength) + 1)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, MaxBody))
	return buf.Bytes(), err
}

// admit refuses a verified request from another workspace or app; it
// answers the refusal itself and reports false.
func (h *HTTPReceiver) admit(w http.ResponseWriter, r *http.Request, team, enterprise, app string) bool {
	if err := h.Workspace.check(team, enterprise, app); err != nil {
		h.refuse(w, r, http.StatusForbidden, err)
		return false
	}
	return true
}

// answer writes an acknowledgement body; nil (a replay) is an empty 200.
func answer(w http.ResponseWriter, ack any) {
	if ack == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	writeJSON(w, ack)
}

func (h *HTTPReceiver) commands(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("command") == "" {
		http.Error(w, "not a slash command", http.StatusBadRequest)
		return
	}
	sc := slack.SlashCommand{
		Token: form.Get("token"), TeamID: form.Get("team_id"), ChannelID: form.Get("channel_id"), ChannelName: form.Get("channel_name"),
		UserID: form.Get("user_id"), UserName: form.Get("user_name"), Command: form.Get("command"), Text: form.Get("text"),
		ResponseURL: form.Get("response_url"), TriggerID: form.Get("trigger_id"),
		EnterpriseID: form.Get("enterprise_id"), APIAppID: form.Get("api_app_id"),
	}
	if !h.admit(w, r, sc.TeamID, sc.EnterpriseID, sc.APIAppID) {
		return
	}
	// Slack never sends a command twice: one seen before is a replay.
	answer(w, h.command(r.Context(), fromSlash(sc, h.Clock.Now()), delivery{sc.TriggerID, r.Header.Get("X-Slack-Signature")}))
}

func (h *HTTPReceiver) interactions(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("payload") == "" {
		http.Error(w, "no payload", http.StatusBadRequest)
		return
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
		http.Error(w, "payload is not valid JSON", http.StatusBadRequest)
		return
	}
	if !h.admit(w, r, callbackTeam(cb), cb.Enterprise.ID, cb.APIAppID) {
		return
	}
	answer(w, h.interact(r.Context(), fromCallback(cb, h.Clock.Now()), delivery{cb.TriggerID, r.Header.Get("X-Slack-Signature")}))
}

func (h *HTTPReceiver) events(w http.ResponseWriter, r *http.Request, body []byte) {
	var cb eventCallback
	if err := json.Unmarshal(body, &cb); err != nil {
		http.Error(w, "body is not valid JSON", http.StatusBadRequest)
		return
	}
	switch cb.Type {
	case "url_verification":
		writeJSON(w, map[string]string{"challenge": cb.Challenge})
	case "event_callback":
		if err := h.Workspace.check(cb.TeamID, cb.enterprise(), cb.APIAppID); err != nil {
			h.refuse(w, r, http.StatusForbidden, err)
			return
		}
		// Acknowledge first: Slack retries what is not answered in 3 s.
		w.WriteHeader(http.StatusOK)
		if n, _ := strconv.Atoi(r.Header.Get("X-Slack-Retry-Num")); n > 0 {
			h.Log.Info("retried event delivery", "event_id", cb.EventID, "retry", n, "reason", r.Header.Get("X-Slack-Retry-Reason"))
		}
		ctx := context.WithoutCancel(r.Context())
		h.later(func() { h.event(ctx, cb) })
	default:
		w.WriteHeader(http.StatusOK)
	}
}

// callbackTeam is the workspace an interaction comes from: the team, or
// for App Home and some modals only the user's team.
func callbackTeam(cb slack.InteractionCallback) string {
	if cb.Team.ID != "" {
		return cb.Team.ID
	}
	return cb.User.TeamID
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		http.Error(w, "encode response", http.StatusInternalServerError)
	}
}
