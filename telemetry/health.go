package telemetry

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Check is one readiness condition: nil when it holds.
type Check func(ctx context.Context) error

// Health answers /healthz (the process is alive) and /readyz (every check
// holds: the database answers and is migrated, Slack is reachable or its
// outage is known…). Checks are added by name as the parts that own them
// are wired, so another condition is one more AddCheck.
type Health struct {
	mu     sync.Mutex
	names  []string
	checks map[string]Check
}

// AddCheck adds or replaces a readiness check.
func (h *Health) AddCheck(name string, c Check) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.checks == nil {
		h.checks = map[string]Check{}
	}
	if _, ok := h.checks[name]; !ok {
		h.names = append(h.names, name)
	}
	h.checks[name] = c
}

// readyTimeout bounds all checks of one /readyz.
const readyTimeout = 2 * time.Second

// Ready runs the checks and returns each one's answer: "ok" or the error.
func (h *Health) Ready(ctx context.Context) (map[string]string, bool) {
	h.mu.Lock()
	names := append([]string(nil), h.names...)
	checks := make([]Check, len(names))
	for i, n := range names {
		checks[i] = h.checks[n]
	}
	h.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	out := make(map[string]string, len(names))
	ok := true
	for i, n := range names {
		if err := checks[i](ctx); err != nil {
			out[n], ok = err.Error(), false
			continue
		}
		out[n] = "ok"
	}
	return out, ok
}

// Mount adds GET /healthz and GET /readyz to a mux.
func (h *Health) Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		res, ok := h.Ready(r.Context())
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		json.NewEncoder(w).Encode(map[string]any{"ready": ok, "checks": res})
	})
}

// Mux serves /metrics (when m is not nil), /healthz and /readyz: the
// listener of OPSBOT_METRICS_ADDR, and the part of the HTTP mode's server
// that is not Slack's.
func Mux(m *Metrics, h *Health) *http.ServeMux {
	mux := http.NewServeMux()
	if m != nil {
		mux.Handle("GET /metrics", m.Handler())
	}
	h.Mount(mux)
	return mux
}

// Flag is a readiness check that fails with its reason until Set: for a
// condition that one part of the program sees happen once (Slack answered).
type Flag struct {
	reason string
	set    atomic.Bool
}

// NewFlag returns an unset flag that fails with reason.
func NewFlag(reason string) *Flag { return &Flag{reason: reason} }

// Set marks the flag ready.
func (f *Flag) Set() { f.set.Store(true) }

// Check is the flag as a readiness check.
func (f *Flag) Check(context.Context) error {
	if f.set.Load() {
		return nil
	}
	return errors.New(f.reason)
}
