package telemetry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAPIMethod(t *testing.T) {
	for path, want := range map[string]string{
		"/api/chat.postMessage":           "chat.postMessage",
		"/prefix/api/conversations.list":  "conversations.list",
		"/upload/v1/abc":                  "upload",
		"/api/":                           "upload",
		"/api/" + strings.Repeat("x", 65): "upload",
	} {
		if got := apiMethod(path); got != want {
			t.Errorf("apiMethod(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestReadyzSaysWhichCheckFails(t *testing.T) {
	h := &Health{}
	h.AddCheck("database", func(context.Context) error { return nil })
	h.AddCheck("slack", func(context.Context) error { return errors.New("auth.test: 503") })
	srv := httptest.NewServer(Mux(New(), h))
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, `"slack":"auth.test: 503"`) || !strings.Contains(body, `"database":"ok"`) {
		t.Errorf("/readyz = %d %s", code, body)
	}
	h.AddCheck("slack", func(context.Context) error { return nil })
	if code, body := get("/readyz"); code != http.StatusOK {
		t.Errorf("/readyz after recovery = %d %s", code, body)
	}
	if code, _ := get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz = %d", code)
	}
	if code, body := get("/metrics"); code != http.StatusOK || !strings.Contains(body, "opsbot_sla_alerts_total") {
		t.Errorf("/metrics = %d, lacks opsbot_sla_alerts_total", code)
	}
}

func TestFlagFailsUntilSet(t *testing.T) {
	h := &Health{}
	slack := NewFlag("waiting for Slack")
	h.AddCheck("slack", slack.Check)
	if res, ok := h.Ready(context.Background()); ok || res["slack"] != "waiting for Slack" {
		t.Errorf("before Set: %v %v", res, ok)
	}
	slack.Set()
	if res, ok := h.Ready(context.Background()); !ok || res["slack"] != "ok" {
		t.Errorf("after Set: %v %v", res, ok)
	}
}
