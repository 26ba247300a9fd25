package report

import (
	"context"

	"opsbot/handlers/command"
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

// Commands answers /ops digest and /ops report.
type Commands struct {
	*command.Env
	store Store
	stock StockSource
}

// UseStock adds the stock feature's section to digests shown on demand.
func (r *Commands) UseStock(s StockSource) { r.stock = s }

// NewCommands builds the report commands from their dependencies.
func NewCommands(env *command.Env, st Store) *Commands {
	return &Commands{Env: env, store: st}
}
