package report

import (
	"context"

	"opsbot/handlers/command"
	"opsbot/report/chart"
	"opsbot/store"
	"opsbot/tracked"
)

// Store is the storage the report commands need.
type Store interface {
	Source
	tracked.RecordReader
	// Tx runs fn in one transaction, so a change and the messages it
	// causes commit together.
	Tx(ctx context.Context, fn func(tx *store.Store) error) error
}

// Commands answers /ops digest, /ops report and /ops chart.
type Commands struct {
	*command.Env
	store  Store
	stock  StockSource
	charts *chart.Drawer
}

// Charts is the drawer of the commands' charts: one for the process, so
// the font for Chinese labels is found once (app shares it with the
// reports' job).
func (r *Commands) Charts() *chart.Drawer { return r.charts }

// UseStock adds the stock feature's section to digests shown on demand.
func (r *Commands) UseStock(s StockSource) { r.stock = s }

// NewCommands builds the report commands from their dependencies.
func NewCommands(env *command.Env, st Store) *Commands {
	return &Commands{Env: env, store: st, charts: chart.New(chart.Options{FontFile: env.Cfg.Reports.ChartFont, Log: env.Log})}
}
