package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/store"
	"opsbot/telemetry"
)

// watch connects the store to the metrics (its transactions, the
// scheduled work it claims, and the outbox and open items read at each
// scrape) and adds its readiness check: the database answers and every
// table is migrated.
func watch(m *telemetry.Metrics, h *telemetry.Health, st *store.Store, clock clockwork.Clock) error {
	st.Observe(m)
	m.Database(st.Dialect())
	if err := m.WatchDatabase(st, clock.Now); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	h.AddCheck("database", func(ctx context.Context) error {
		if err := st.Ping(ctx); err != nil {
			return err
		}
		return st.Migrated(ctx)
	})
	return nil
}

// serveOps serves /metrics, /healthz and /readyz on OPSBOT_METRICS_ADDR
// until ctx is done, for the modes that have no HTTP server of their own
// (Socket Mode, the console). No address, no listener.
func serveOps(ctx context.Context, addr string, m *telemetry.Metrics, h *telemetry.Health, log *slog.Logger) error {
	if addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("OPSBOT_METRICS_ADDR: listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: telemetry.Mux(m, h), ReadHeaderTimeout: 5 * time.Second}
	log.Info("serving metrics and health", "addr", ln.Addr().String(), "endpoints", "/metrics /healthz /readyz")
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	return nil
}

// withOps puts /metrics, /healthz and /readyz beside Slack's endpoints on
// the HTTP mode's server.
func withOps(slackHandler http.Handler, m *telemetry.Metrics, h *telemetry.Health) http.Handler {
	mux := telemetry.Mux(m, h)
	mux.Handle("/slack/", slackHandler)
	return mux
}
