package health_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"opsbot/health"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(b)
}

func TestLiveAtOnceReadyWhenEveryCheckPasses(t *testing.T) {
	checks := &health.Checks{}
	slack := health.NewFlag("waiting for Slack")
	checks.Add("slack", slack.Check)
	dbErr := errors.New("database is locked")
	checks.Add("database", func(context.Context) error { return dbErr })
	mux := http.NewServeMux()
	checks.Register(mux)

	if code, _ := get(t, mux, "/healthz"); code != http.StatusOK {
		t.Errorf("/healthz = %d", code)
	}
	code, body := get(t, mux, "/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "slack: waiting for Slack") || !strings.Contains(body, "database: database is locked") {
		t.Errorf("/readyz = %d %q", code, body)
	}
	slack.Set()
	dbErr = nil
	if code, body := get(t, mux, "/readyz"); code != http.StatusOK || !strings.Contains(body, "ready") {
		t.Errorf("/readyz when all pass = %d %q", code, body)
	}
}
