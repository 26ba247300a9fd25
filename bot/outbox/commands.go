package outbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/handlers/command"
	"opsbot/store"
)

// Store is what /ops outbox reads.
type Store interface {
	OutboxStats(ctx context.Context) (pending, dead int64, oldestPending *time.Time, err error)
	DeadLetters(ctx context.Context, limit int) ([]store.OutboxMessage, error)
}

// Command shows managers what the bot could not deliver: the queue's
// length, its oldest message, and the dead letters with their errors.
func (r *Commands) Command(ctx context.Context, cmd chat.Command) chat.Reply {
	if !r.Cfg.IsManager(cmd.UserID) {
		return chat.Error(r.Tr.T("err.managers_only_outbox"))
	}
	pending, dead, oldest, err := r.store.OutboxStats(ctx)
	if err != nil {
		return r.Fail(cmd, "outbox stats", err)
	}
	age := "—"
	if oldest != nil {
		age = cmd.At.Sub(*oldest).Round(1e9).String()
	}
	lines := []string{r.Tr.T("outbox.stats", pending, age, dead)}
	letters, err := r.store.DeadLetters(ctx, 10)
	if err != nil {
		return r.Fail(cmd, "dead letters", err)
	}
	for _, m := range letters {
		text := strings.ReplaceAll(chat.Truncate(m.Text, 80), "\n", " ")
		lines = append(lines, fmt.Sprintf("• #%d %s → %s: `%s` — %s", m.ID, m.CreatedAt.In(r.Cfg.Location).Format("01-02 15:04"),
			chat.Escape(m.Channel), chat.Escape(m.LastError), chat.Escape(text)))
	}
	header := r.Tr.T("outbox.title")
	return chat.Reply{Ephemeral: true, Text: header, Blocks: []slack.Block{chat.Header(header), chat.Section(chat.Truncate(strings.Join(lines, "\n"), 2900))}}
}

// Commands answers /ops outbox.
type Commands struct {
	*command.Env
	store Store
}

// NewCommands builds /ops outbox from its dependencies.
func NewCommands(env *command.Env, st Store) *Commands {
	return &Commands{Env: env, store: st}
}
