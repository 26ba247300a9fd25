// Package health serves the process's liveness and readiness: /healthz
// answers as soon as the process listens, /readyz only when every
// registered check passes (Slack answered, the database is reachable…).
// Each part of the program adds its own small check.
package health

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Check reports why something is not ready, or nil.
type Check func(ctx context.Context) error

// Checks is the set of readiness checks.
type Checks struct {
	mu     sync.Mutex
	checks map[string]Check
}

// Add registers a named readiness check.
func (c *Checks) Add(name string, check Check) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.checks == nil {
		c.checks = map[string]Check{}
	}
	c.checks[name] = check
}

// Failing runs every check and returns the failures by name.
func (c *Checks) Failing(ctx context.Context) map[string]error {
	c.mu.Lock()
	checks := make(map[string]Check, len(c.checks))
	for k, v := range c.checks {
		checks[k] = v
	}
	c.mu.Unlock()
	out := map[string]error{}
	for name, check := range checks {
		if err := check(ctx); err != nil {
			out[name] = err
		}
	}
	return out
}

// Register adds GET /healthz (live: the process answers) and GET /readyz
// (ready: every check passes, else 503 naming what is not) to mux.
func (c *Checks) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		failing := c.Failing(ctx)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if len(failing) == 0 {
			fmt.Fprintln(w, "ready")
			return
		}
		var lines []string
		for name, err := range failing {
			lines = append(lines, name+": "+err.Error())
		}
		sort.Strings(lines)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "not ready\n"+strings.Join(lines, "\n"))
	})
}

// Flag is a check that fails with its reason until Set.
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
