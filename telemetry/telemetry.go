// Package telemetry exposes what a running bot does as Prometheus metrics
// (GET /metrics) and answers the health checks (/healthz, /readyz).
//
// Feature code does not import Prometheus: each part reports through a
// small interface declared where it is used (bot.Observer,
// store.Observer…), and *Metrics implements them all. What the database
// holds (outbox depth, dead letters, open items) is read from it at scrape
// time, so every replica reports the fleet's true state rather than what
// it alone did.
package telemetry

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds opsbot's metric families on a registry of its own.
type Metrics struct {
	reg *prometheus.Registry

	commands     *prometheus.CounterVec
	interactions *prometheus.CounterVec
	ack          *prometheus.HistogramVec

	apiCalls    *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
	retryAfter  *prometheus.CounterVec

	scheduled *prometheus.CounterVec
	sla       *prometheus.CounterVec

	txDuration *prometheus.HistogramVec
	txErrors   *prometheus.CounterVec

	socketUp         prometheus.Gauge
	socketReconnects prometheus.Counter
}

// New makes the metric families, with the Go runtime's and the process's
// collectors beside them.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.reg.MustRegister(collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	m.commands = m.counter("opsbot_commands_total",
		"Slash commands handled, by command and outcome (ok, error, late: answered through response_url after the acknowledgement).",
		"command", "outcome")
	m.interactions = m.counter("opsbot_interactions_total",
		"Interactions handled (buttons, modals, shortcuts, App Home), by kind and outcome.",
		"kind", "outcome")
	m.ack = m.histogram("opsbot_ack_duration_seconds",
		"Time from receiving a command or interaction to its acknowledgement; Slack allows 3 s.",
		[]float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 2.5, 3}, "type")
	m.apiCalls = m.counter("opsbot_slack_api_calls_total",
		"Slack Web API calls, by method and HTTP status (error: no answer).",
		"method", "status")
	m.rateLimited = m.counter("opsbot_slack_api_rate_limited_total",
		"Slack Web API calls answered 429 (rate limited), by method.",
		"method")
	m.retryAfter = m.counter("opsbot_slack_api_retry_after_seconds_total",
		"Seconds of Retry-After that Slack asked for with its 429s, by method.",
		"method")
	m.scheduled = m.counter("opsbot_scheduled_runs_total",
		"Scheduled work this replica claimed, by job (checklist, nudge, report, calendar) and state (posted, late, missed).",
		"job", "state")
	m.sla = m.counter("opsbot_sla_alerts_total",
		"Alerts of the 24-hour rule this replica sent, by kind (warning, breach, reminder).",
		"kind")
	m.txDuration = m.histogram("opsbot_db_transaction_duration_seconds",
		"Database transactions of Store.Tx and the group-commit writer (commands, scheduled work), from BEGIN to COMMIT or ROLLBACK; a batch counts once.",
		[]float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}, "database")
	m.txErrors = m.counter("opsbot_db_transaction_errors_total",
		"Database transactions that failed (BEGIN or COMMIT failed, or the database rolled them back).",
		"database")
	m.socketUp = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "opsbot_socket_mode_connected",
		Help: "1 while the Socket Mode connection is up, 0 otherwise (always 0 in HTTP mode).",
	})
	m.socketReconnects = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "opsbot_socket_mode_reconnects_total",
		Help: "Socket Mode connections made after the first.",
	})
	m.reg.MustRegister(m.socketUp, m.socketReconnects)
	// Series of bounded label sets exist from the start at 0, so a rate
	// or an alert on them works before the first event.
	for _, kind := range []string{"warning", "breach", "reminder"} {
		m.sla.WithLabelValues(kind)
	}
	return m
}

// counter makes and registers a counter family.
func (m *Metrics) counter(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	m.reg.MustRegister(c)
	return c
}

// histogram makes and registers a histogram family.
func (m *Metrics) histogram(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, labels)
	m.reg.MustRegister(h)
	return h
}

// Database names the database kind, so its error counter shows 0 before
// the first error.
func (m *Metrics) Database(kind string) { m.txErrors.WithLabelValues(kind) }

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Register adds a collector, such as the database's (see Database).
func (m *Metrics) Register(c prometheus.Collector) error { return m.reg.Register(c) }

// Command counts a slash command and its acknowledgement time (bot.Observer).
func (m *Metrics) Command(name, outcome string, ack time.Duration) {
	m.commands.WithLabelValues(name, outcome).Inc()
	m.ack.WithLabelValues("command").Observe(ack.Seconds())
}

// Interaction counts an interaction and its acknowledgement time
// (bot.Observer).
func (m *Metrics) Interaction(kind, outcome string, ack time.Duration) {
	m.interactions.WithLabelValues(kind, outcome).Inc()
	m.ack.WithLabelValues("interaction").Observe(ack.Seconds())
}

// SocketConnected records the Socket Mode connection's state; a connection
// after the first counts as a reconnect.
func (m *Metrics) SocketConnected(up, reconnect bool) {
	if up {
		m.socketUp.Set(1)
	} else {
		m.socketUp.Set(0)
	}
	if reconnect {
		m.socketReconnects.Inc()
	}
}

// Scheduled counts scheduled work claimed by this replica (store.Observer).
func (m *Metrics) Scheduled(job, state string) { m.scheduled.WithLabelValues(job, state).Inc() }

// SLAAlert counts an alert of the 24-hour rule (store.Observer).
func (m *Metrics) SLAAlert(kind string) { m.sla.WithLabelValues(kind).Inc() }

// Transaction records one database transaction (store.Observer).
func (m *Metrics) Transaction(database string, took time.Duration, err error) {
	m.txDuration.WithLabelValues(database).Observe(took.Seconds())
	if err != nil {
		m.txErrors.WithLabelValues(database).Inc()
	}
}

// Transport wraps an HTTP transport (nil: http.DefaultTransport) to count
// the Slack Web API calls made through it, their statuses, 429s and the
// Retry-After that came with them. The method is the last part of the
// URL's path (chat.postMessage); calls outside /api/ (file uploads to the
// URL Slack hands out) count as "upload".
func (m *Metrics) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		method := apiMethod(r.URL.Path)
		resp, err := next.RoundTrip(r)
		if err != nil {
			m.apiCalls.WithLabelValues(method, "error").Inc()
			return resp, err
		}
		m.apiCalls.WithLabelValues(method, strconv.Itoa(resp.StatusCode)).Inc()
		if resp.StatusCode == http.StatusTooManyRequests {
			m.rateLimited.WithLabelValues(method).Inc()
			if s, err := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64); err == nil && s > 0 {
				m.retryAfter.WithLabelValues(method).Add(s)
			}
		}
		return resp, nil
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// apiMethod names the Web API method of a request path such as
// /api/chat.postMessage; the label stays bounded whatever the path.
func apiMethod(path string) string {
	i := strings.LastIndex(path, "/api/")
	if i < 0 {
		return "upload"
	}
	name := path[i+len("/api/"):]
	if name == "" || len(name) > 64 || strings.ContainsAny(name, "/?") {
		return "upload"
	}
	return name
}
