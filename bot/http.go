package bot

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"
)

// MaxBody bounds a request from Slack; real payloads are a few kilobytes.
const MaxBody = 1 << 20

// HTTPReceiver answers Slack's HTTP requests: slash commands, interactions
// and the Events API, each verified against the signing secret first.
type HTTPReceiver struct {
	*Slack
	SigningSecret string

	// RefusalDelay holds the answer to a refused request this long (at
	// most tarpitSlots at a time): a client that loops on forged requests
	// then sends a few a second instead of thousands. Slack's own requests
	// are never refused, so they never wait. Zero: answer at once.
	RefusalDelay time.Duration

	gate   bodyGate
	tarpit tarpit
}

// tarpitSlots bounds the refusals held at once; beyond it they are
// answered at once, so holding them can never pile up memory.
const tarpitSlots = 1024

type tarpit struct {
	once  sync.Once
	slots chan struct{}
}

// hold waits d if a slot is free, or returns at once.
func (t *tarpit) hold(ctx context.Context, clock clockwork.Clock, d time.Duration) {
	if d <= 0 {
		return
	}
	t.once.Do(func() { t.slots = make(chan struct{}, tarpitSlots) })
	select {
	case t.slots <- struct{}{}:
	default:
		return
	}
	defer func() { <-t.slots }()
	select {
	case <-clock.After(d):
	case <-ctx.Done():
	}
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
	// Close the connection: net/http would otherwise read up to 256 KiB of
	// an unread body to keep the connection alive.
	w.Header().Set("Connection", "close")
	if status != http.StatusForbidden {
		// A 403 answers a signed request, which Slack sent: no delay.
		h.tarpit.hold(r.Context(), h.Clock, h.RefusalDelay)
	}
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
		buf, release, ok := h.gate.enter(r.Context(), h.Clock, r.ContentLength)
		if !ok {
			w.Header().Set("Retry-After", "1")
			h.refuse(w, r, http.StatusServiceUnavailable, errors.New("too many bodies being read"))
			return
		}
		n, err := readBody(w, r, buf)
		if err != nil {
			release()
			h.refuse(w, r, http.StatusBadRequest, err)
			return
		}
		if n > MaxBody {
			release()
			h.refuse(w, r, http.StatusRequestEntityTooLarge, errors.New("body over 1 MiB"))
			return
		}
		if err := Verify(h.SigningSecret, r.Header, buf[:n], h.Clock.Now()); err != nil {
			release()
			h.refuse(w, r, http.StatusUnauthorized, err)
			return
		}
		// Signed: the body is Slack's, and small; it leaves the lent buffer.
		body := append([]byte(nil), buf[:n]...)
		release()
		next(w, r, body)
	}
}

// readBody reads a body into buf (the lane's, one byte longer than the
// lane allows) within bodyReadTime; n > len(buf)-1 means the body was too
// long for the lane, or over MaxBody.
func readBody(w http.ResponseWriter, r *http.Request, buf []byte) (int, error) {
	// A network deadline: real time, not the injected clock.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(bodyReadTime))
	defer rc.SetReadDeadline(time.Time{})
	n, err := io.ReadFull(r.Body, buf)
	switch {
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		return n, nil // the whole body, shorter than the buffer
	case err != nil:
		return n, err
	}
	// The buffer is full: the body is longer than the lane allows.
	return MaxBody + 1, nil
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
