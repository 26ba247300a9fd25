package checklist

import (
	"context"

	"opsbot/chat"
	"opsbot/checklist/checkrun"
	"opsbot/civil"
	"opsbot/handlers/command"
	"opsbot/store"
)

// Store is what the checklist commands and buttons need.
type Store interface {
	RunsOn(ctx context.Context, date string) ([]checkrun.Run, error)
	Run(ctx context.Context, id uint64) (checkrun.Run, error)
	Items(ctx context.Context, runIDs ...uint64) (map[uint64][]checkrun.Check, error)
	// SlackTS is where the message for a ref was posted: buttons act only
	// on the messages the bot posted.
	SlackTS(ctx context.Context, ref string) (channel, ts string, ok bool, err error)
	// Tx runs fn in one transaction, so a change and the messages it
	// causes commit together.
	Tx(ctx context.Context, fn func(tx *store.Store) error) error
}

// Commands answers /checklist and the checklist buttons.
type Commands struct {
	*command.Env
	store Store
}

// NewCommands builds the checklist commands from their dependencies.
func NewCommands(env *command.Env, st Store) *Commands {
	return &Commands{Env: env, store: st}
}

// OpenFor lists today's unchecked checklist items that are the user's:
// owned by them, or by a role they are in.
func (r *Commands) OpenFor(ctx context.Context, in chat.Interaction) ([]string, error) {
	today := civil.Of(in.At, r.Cfg.Location)
	runs, err := r.store.RunsOn(ctx, today.String())
	if err != nil {
		return nil, err
	}
	views, err := r.views(ctx, runs)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, v := range views {
		if v.Run.State == checkrun.Missed {
			continue
		}
		for i, item := range v.Checklist.Items {
			if _, done := v.Done[i]; done || i >= maxItems || !r.Owns(item.Owner, in.UserID) {
				continue
			}
			lines = append(lines, r.Tr.T("home.open_item", chat.Escape(r.Tr.Text(item.Text)), chat.Escape(r.Tr.Text(v.Checklist.Title)), v.Run.DueAt.In(r.Cfg.Location).Format("15:04")))
		}
	}
	return lines, nil
}
