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

	"github.com/slack-go/slack"
)

// MaxBody bounds a request from Slack; real payloads are a few kilobytes.
const MaxBody = 1 << 20

// HTTPReceiver answers Slack's HTTP requests: slash commands, interactions
// and the Events API, each verified against the signing secret first.
type HTTPReceiver struct {
	*Slack
	SigningSecret string
}

// Handler routes the three endpoints.
func (h *HTTPReceiver) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/commands", sslCheck(h.verified(h.commands)))
	mux.HandleFunc("POST /slack/interactions", h.verified(h.interactions))
	mux.HandleFunc("POST /slack/events", h.verified(h.events))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r.WithContext(Arrived(r.Context(), h.Clock.Now())))
	})
}

// maxSSLCheck bounds the body looked at for ssl_check: Slack's is
// "ssl_check=1&token=…", a few dozen bytes.
const maxSSLCheck = 512

// sslCheck answers Slack's certificate check of a slash command URL
// (ssl_check=1) with 200 before the signature check, as Bolt does: Slack
// only wants to see the TLS handshake succeed. Only small bodies with a
// known length are looked at, so nothing large is read before the
// signature is checked.
func sslCheck(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength < 0 || r.ContentLength > maxSSLCheck {
			next(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxSSLCheck+1))
		if err != nil {
			http.Error(w, "cannot read request body", http.StatusBadRequest)
			return
		}
		if form, err := url.ParseQuery(string(body)); err == nil && form.Get("ssl_check") == "1" {
			w.WriteHeader(http.StatusOK)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next(w, r)
	}
}

// verified reads a bounded body and checks its signature before anything
// else looks at it.
func (h *HTTPReceiver) verified(next func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err != nil {
			http.Error(w, "cannot read request body", http.StatusBadRequest)
			return
		}
		if err := Verify(h.SigningSecret, r.Header, body, h.Clock.Now()); err != nil {
			h.Log.Warn("refused unverified request", "path", r.URL.Path, "remote", r.RemoteAddr, "reason", err)
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		next(w, r, body)
	}
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
	}
	writeJSON(w, h.command(r.Context(), fromSlash(sc, h.Clock.Now())))
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
	if ack := h.interact(r.Context(), fromCallback(cb, h.Clock.Now())); ack != nil {
		writeJSON(w, ack)
		return
	}
	w.WriteHeader(http.StatusOK)
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

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		http.Error(w, "encode response", http.StatusInternalServerError)
	}
}
