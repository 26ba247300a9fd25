package telemetry

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Database is what the scrape reads from the database: the outbox's
// backlog per channel and its dead letters, and the open items by type.
// *store.Store has it.
type Database interface {
	OutboxBacklog(ctx context.Context) (pending map[string]int64, oldest map[string]time.Time, dead int64, err error)
	OpenItemsByType(ctx context.Context) (map[string]int64, error)
}

// scrapeTimeout bounds the queries of one scrape, well inside
// Prometheus's default 10 s.
const scrapeTimeout = 3 * time.Second

var (
	descUp = prometheus.NewDesc("opsbot_database_up",
		"1 when the last scrape could read the database, else 0.", nil, nil)
	descPending = prometheus.NewDesc("opsbot_outbox_pending_messages",
		"Messages waiting in the outbox, by channel (fleet-wide: read from the database).", []string{"channel"}, nil)
	descOldest = prometheus.NewDesc("opsbot_outbox_oldest_pending_age_seconds",
		"Age of the oldest message waiting in the outbox, by channel.", []string{"channel"}, nil)
	descDead = prometheus.NewDesc("opsbot_outbox_dead_letters",
		"Messages set aside as dead letters (see /ops outbox).", nil, nil)
	descOpen = prometheus.NewDesc("opsbot_open_items",
		"Tracked items (problem orders, bad reviews) still open, by type.", []string{"type"}, nil)
)

// WatchDatabase adds the database's figures to the metrics, read at each
// scrape; now is the clock.
func (m *Metrics) WatchDatabase(db Database, now func() time.Time) error {
	return m.reg.Register(&dbCollector{db: db, now: now})
}

type dbCollector struct {
	db  Database
	now func() time.Time
}

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descUp, descPending, descOldest, descDead, descOpen} {
		ch <- d
	}
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	up := 1.0
	pending, oldest, dead, err := c.db.OutboxBacklog(ctx)
	if err == nil {
		now := c.now()
		for channel, n := range pending {
			ch <- prometheus.MustNewConstMetric(descPending, prometheus.GaugeValue, float64(n), channel)
			ch <- prometheus.MustNewConstMetric(descOldest, prometheus.GaugeValue, max(0, now.Sub(oldest[channel]).Seconds()), channel)
		}
		ch <- prometheus.MustNewConstMetric(descDead, prometheus.GaugeValue, float64(dead))
	} else {
		up = 0
	}
	open, err := c.db.OpenItemsByType(ctx)
	if err == nil {
		for typ, n := range open {
			ch <- prometheus.MustNewConstMetric(descOpen, prometheus.GaugeValue, float64(n), typ)
		}
	} else {
		up = 0
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, up)
}
