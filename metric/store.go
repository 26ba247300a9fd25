package metric

import (
	"context"
	"time"

	"opsbot/civil"
	"opsbot/handlers/command"
	"opsbot/store"
)

// Commands answers /metric (log, show, export, target, help), the Log
// metrics modal and the metrics part of App Home.
type Commands struct {
	*command.Env
	store   Store
	catalog *Catalog
	stock   SKUCounts
}

// SKUCounts gives a shop's SKU counts behind the sell-through (the stock
// feature): SKUs online and SKUs with a sale in 30 days, as of a day.
// When a shop keeps SKUs they replace the typed items_online and
// items_sold_30d; online is 0 when it keeps none.
type SKUCounts interface {
	SellThroughCounts(ctx context.Context, shop string, day civil.Date) (online, sold int64, err error)
}

// UseStock takes the sell-through from SKU data.
func (r *Commands) UseStock(s SKUCounts) { r.stock = s }

// NewCommands builds the metric commands from their dependencies.
func NewCommands(env *command.Env, st Store) *Commands {
	return &Commands{Env: env, store: st, catalog: NewCatalog(env.Cfg.Metrics)}
}

// Catalog is the metric catalog the commands use.
func (r *Commands) Catalog() *Catalog { return r.catalog }

// Store is the storage the metric commands need.
type Store interface {
	SetMetrics(ctx context.Context, actor, shop, day string, values map[string]int64, keys []string, at time.Time) ([]store.Change, error)
	// LogMetrics is SetMetrics that also returns the day's figures after
	// the change: the fast path of /metric (group commit on SQLite).
	LogMetrics(ctx context.Context, actor, shop, day string, values map[string]int64, keys []string, at time.Time) ([]store.Change, map[string]int64, error)
	DayMetrics(ctx context.Context, shop, day string) (map[string]int64, error)
	RangeMetrics(ctx context.Context, shop, from, to string) (map[string]map[string]int64, error)
	SetTargets(ctx context.Context, actor, shop, month string, values map[string]int64, keys []string, at time.Time) ([]store.Change, error)
	Targets(ctx context.Context, shop, month string) (map[string]int64, error)
	// DeleteMetrics removes figures logged by mistake, audited.
	DeleteMetrics(ctx context.Context, actor, shop, day string, keys []string, at time.Time) ([]store.Change, error)
	// Tx runs fn in one transaction, so a change and the messages it
	// causes commit together.
	Tx(ctx context.Context, fn func(tx *store.Store) error) error
	ImportStore
	TargetSplitStore
}
