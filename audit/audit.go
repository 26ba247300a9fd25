// Package audit is the reader of the audit log: /ops audit, for managers.
// Every change the bot stores (figures, targets, deletions) is written
// to the log by the store in the same transaction; this shows it.
package audit

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/handlers/command"
	"opsbot/store"
)

// Store is what the audit log reader needs.
type Store interface {
	AuditLog(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, error)
}

// Commands answers /ops audit.
type Commands struct {
	*command.Env
	store Store
}

// NewCommands builds the audit log reader from its dependencies.
func NewCommands(env *command.Env, st Store) *Commands {
	return &Commands{Env: env, store: st}
}

// auditMax is how many entries /ops audit shows, newest first.
const auditMax = 40

// Command is the audit log for managers:
// /ops audit [shop=…] [date=…|FROM TO] [user=…].
func (r *Commands) Command(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if !r.Cfg.IsManager(cmd.UserID) {
		return chat.Error(r.Tr.T("err.audit_managers"))
	}
	q, problems := r.parse(cmd, args)
	if len(problems) > 0 {
		return r.ReadProblems(problems)
	}
	q.Limit = auditMax + 1
	entries, err := r.store.AuditLog(ctx, q)
	if err != nil {
		return r.Fail(cmd, "read audit log", err)
	}
	return r.render(entries)
}

// parse reads the query of /ops audit; every problem is listed.
func (r *Commands) parse(cmd chat.Command, args []string) (store.AuditQuery, []string) {
	today := r.Today(cmd)
	var q store.AuditQuery
	var days []civil.Date
	var problems []string
	shopRef, rest := command.TakeShop(args)
	if len(rest) < len(args) {
		// Only a shop named (even as a bare shop=, which means this
		// channel's) narrows the log; without one it covers every shop.
		s, msg := r.ResolveShop(cmd, shopRef)
		if msg != "" {
			problems = append(problems, msg)
		}
		q.Shop = s.ID
	}
	for _, tok := range rest {
		k, v, ok := command.SplitKV(tok)
		switch {
		case ok && command.OptionKey(k) == "user":
			q.Actor = strings.TrimPrefix(strings.Trim(v, "<>"), "@")
		case ok && command.IsDateKey(k):
			tok = v
			fallthrough
		case !ok:
			d, msg := r.ParseDay(tok, today)
			if msg != "" {
				problems = append(problems, msg)
				continue
			}
			days = append(days, d)
		default:
			problems = append(problems, r.Tr.T("err.audit_arg", command.TokenRef(tok)))
		}
	}
	if len(days) > 2 {
		problems = append(problems, r.Tr.T("err.audit_days"))
	}
	if len(days) > 0 {
		// One day, or the days from the earlier to the later, whole.
		from, to := days[0], days[len(days)-1]
		if from.After(to) {
			from, to = to, from
		}
		q.From, q.To = from.At(r.Cfg.Location, 0, 0), to.AddDays(1).At(r.Cfg.Location, 0, 0)
	}
	return q, problems
}

// render lists the entries, newest first, and says when there are more
// than it shows.
func (r *Commands) render(entries []store.AuditEntry) chat.Reply {
	header := r.Tr.T("audit.title")
	if len(entries) == 0 {
		return chat.Reply{Ephemeral: true, Text: header, Blocks: []slack.Block{chat.Header(header), chat.Section(r.Tr.T("audit.none"))}}
	}
	more := len(entries) > auditMax
	if more {
		entries = entries[:auditMax]
	}
	var lines []string
	for _, e := range entries {
		old, neu := "—", "—"
		if e.OldValue != nil {
			old = chat.Escape(*e.OldValue)
		}
		if e.NewValue != nil {
			neu = chat.Escape(*e.NewValue)
		}
		lines = append(lines, fmt.Sprintf("`%s` %s · %s · %s %s: %s → %s", e.At.In(r.Cfg.Location).Format("2006-01-02 15:04"), chat.Mention(e.Actor),
			chat.Escape(e.Shop), chat.Escape(e.Action), chat.Escape(e.Subject), old, neu))
	}
	body := chat.Truncate(strings.Join(lines, "\n"), 2900)
	blocks := []slack.Block{chat.Header(header), chat.Section(body)}
	if more {
		blocks = append(blocks, chat.Context(r.Tr.T("audit.more", auditMax)))
	}
	return chat.Reply{Ephemeral: true, Text: header, Blocks: blocks}
}
