package tracked

import (
	"context"

	"opsbot/handlers/command"
	"opsbot/store"
	"opsbot/tracked/items"
)

// Store is what the commands and buttons of tracked items (urgent
// orders, bad reviews) read; changes go through Tx with their messages.
type Store interface {
	TrackedItem(ctx context.Context, id uint64) (items.Item, error)
	ItemEvents(ctx context.Context, id uint64) ([]items.Event, error)
	OpenItems(ctx context.Context, f store.ItemFilter) ([]items.Item, error)
	CountOpenItems(ctx context.Context, f store.ItemFilter) (int64, error)
	// SlackTS is where the message for a ref was posted: buttons act only
	// on the messages the bot posted.
	SlackTS(ctx context.Context, ref string) (channel, ts string, ok bool, err error)
	// Tx runs fn in one transaction, so a change and the messages it
	// causes commit together.
	Tx(ctx context.Context, fn func(tx *store.Store) error) error
}

// Commands answers /urgent, /review, the item subcommands of /ops, the
// items' buttons and their forms.
type Commands struct {
	*command.Env
	store Store
	days  Workdays
}

// NewCommands builds the tracked-item commands; days is the working
// calendar that business hours count on.
func NewCommands(env *command.Env, st Store, days Workdays) *Commands {
	return &Commands{Env: env, store: st, days: days}
}
