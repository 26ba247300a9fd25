package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
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
// until ctx is done: in Socket Mode and the console, which have no HTTP
// server of their own, and in HTTP mode too when set, so Prometheus can
// scrape a port that is not the public one. No address, no listener.
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

// runHealth asks a running bot on this machine whether it is ready (or,
// with --live, alive) and exits 0 when it is: the container's
// HEALTHCHECK, with no curl in the image. It asks OPSBOT_METRICS_ADDR when
// set, else OPSBOT_ADDR (HTTP mode), on 127.0.0.1.
func runHealth(ctx context.Context, g *globals, args []string, e env) error {
	fs := subFlags("health", "health [--live] [--url URL]", g, e)
	live := fs.Bool("live", false, "ask /healthz (alive) instead of /readyz (ready to serve)")
	target := fs.String("url", "", "the endpoint to ask (default: from OPSBOT_METRICS_ADDR or OPSBOT_ADDR)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u := *target
	if u == "" {
		addr := e.getenv("OPSBOT_METRICS_ADDR")
		if addr == "" {
			addr = e.getenv("OPSBOT_ADDR")
		}
		if addr == "" {
			addr = ":3000"
		}
		_, port, err := net.SplitHostPort(addr)
		if err != nil {
			return usageError{fmt.Errorf("address %q: %w", addr, err)}
		}
		path := "/readyz"
		if *live {
			path = "/healthz"
		}
		u = "http://127.0.0.1:" + port + path
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return usageError{fmt.Errorf("--url %q: %w", u, err)}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d %s", u, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	fmt.Fprintf(e.stdout, "%s: %s\n", u, strings.TrimSpace(string(body)))
	return nil
}
