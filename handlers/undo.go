package handlers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/kpi"
	"opsbot/store"
)

// UndoStore is what undoing and reading the audit log need.
type UndoStore interface {
	DeleteMetrics(ctx context.Context, actor, shop, day string, keys []string, at time.Time) ([]store.Change, error)
	AuditLog(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, error)
}

// metricDelete removes figures logged by mistake:
// /metric delete KEY… [date=…] [shop=…]. The day defaults to yesterday,
// as for logging. Each removal is audited with the old value.
func (r *Router) metricDelete(ctx context.Context, cmd chat.Command, us UndoStore, args []string) chat.Reply {
	today := r.today(cmd)
	day := today.AddDays(-1)
	shopRef := ""
	var keys []string
	var problems []string
	seen := map[string]bool{}
	for _, tok := range args {
		k, v, ok := splitKV(tok)
		switch {
		case ok && isDateKey(k):
			d, msg := r.parseDay(v, today)
			if msg != "" {
				problems = append(problems, msg)
				continue
			}
			day = d
		case ok && isShopKey(k):
			shopRef = v
		case ok:
			problems = append(problems, r.tr.T("err.delete_arg", tokenRef(tok)))
		default:
			m, known := r.catalog.Lookup(tok)
			if !known {
				problems = append(problems, r.tr.T("err.metric_unknown", tokenRef(tok), chat.Escape(tok)))
				continue
			}
			if !seen[m.Key] {
				seen[m.Key] = true
				keys = append(keys, m.Key)
			}
		}
	}
	if len(keys) == 0 && len(problems) == 0 {
		problems = append(problems, r.tr.T("err.delete_usage"))
	}
	shop, msg := r.resolveShop(cmd, shopRef)
	if msg != "" {
		problems = append(problems, msg)
	}
	if len(problems) > 0 {
		return r.problemListAs("err.nothing_changed", problems)
	}
	changes, err := us.DeleteMetrics(ctx, cmd.UserID, shop.ID, day.String(), keys, cmd.At)
	if err != nil {
		return r.fail(cmd, "delete metrics", err)
	}
	deleted := map[string]bool{}
	var lines []string
	for _, c := range changes {
		deleted[c.Key] = true
		m, _ := r.catalog.Lookup(c.Key)
		lines = append(lines, "• "+r.tr.T("metric.deleted_line", chat.Escape(r.tr.Text(m.Name)), c.Key, kpi.Format(kpi.UnitOf(m.Kind), 0, c.Old)))
	}
	var absent []string
	for _, k := range keys {
		if !deleted[k] {
			absent = append(absent, "`"+k+"`")
		}
	}
	where := chat.Escape(shop.Name) + " " + r.dayLabel(day)
	if len(changes) == 0 {
		return chat.Error(r.tr.T("err.delete_none", strings.Join(absent, ", "), where))
	}
	text := r.tr.T("metric.deleted", where, len(changes)) + "\n" + strings.Join(lines, "\n")
	if len(absent) > 0 {
		text += "\n" + r.tr.T("metric.delete_absent", strings.Join(absent, ", "))
	}
	return chat.Reply{Text: text, Blocks: []slack.Block{chat.Section(text)}}
}

// auditMax is how many entries /ops audit shows, newest first.
const auditMax = 40

// auditLog is the audit log for managers:
// /ops audit [shop=…] [date=…|FROM TO] [user=…].
func (r *Router) auditLog(ctx context.Context, cmd chat.Command, us UndoStore, args []string) chat.Reply {
	if !r.cfg.IsManager(cmd.UserID, cmd.UserName) {
		return chat.Error(r.tr.T("err.audit_managers"))
	}
	today := r.today(cmd)
	var q store.AuditQuery
	var days []civil.Date
	var problems []string
	for _, tok := range args {
		k, v, ok := splitKV(tok)
		switch {
		case ok && isShopKey(k):
			s, msg := r.resolveShop(cmd, v)
			if msg != "" {
				problems = append(problems, msg)
			}
			q.Shop = s.ID
		case ok && (k == "user" || k == "用户"):
			q.Actor = strings.TrimPrefix(strings.Trim(v, "<>"), "@")
		case ok && isDateKey(k):
			tok = v
			fallthrough
		case !ok:
			d, msg := r.parseDay(tok, today)
			if msg != "" {
				problems = append(problems, msg)
				continue
			}
			days = append(days, d)
		default:
			problems = append(problems, r.tr.T("err.audit_arg", tokenRef(tok)))
		}
	}
	if len(days) > 2 {
		problems = append(problems, r.tr.T("err.audit_days"))
	}
	if len(problems) > 0 {
		return r.readProblems(problems)
	}
	loc := r.cfg.Location
	switch len(days) {
	case 1:
		q.From, q.To = days[0].At(loc, 0, 0), days[0].AddDays(1).At(loc, 0, 0)
	case 2:
		from, to := days[0], days[1]
		if from.After(to) {
			from, to = to, from
		}
		q.From, q.To = from.At(loc, 0, 0), to.AddDays(1).At(loc, 0, 0)
	}
	q.Limit = auditMax + 1
	entries, err := us.AuditLog(ctx, q)
	if err != nil {
		return r.fail(cmd, "read audit log", err)
	}
	header := r.tr.T("audit.title")
	if len(entries) == 0 {
		return chat.Reply{Ephemeral: true, Text: header, Blocks: []slack.Block{chat.Header(header), chat.Section(r.tr.T("audit.none"))}}
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
		lines = append(lines, fmt.Sprintf("`%s` %s · %s · %s %s: %s → %s", e.At.In(loc).Format("2006-01-02 15:04"), chat.Mention(e.Actor),
			chat.Escape(e.Shop), chat.Escape(e.Action), chat.Escape(e.Subject), old, neu))
	}
	body := chat.Truncate(strings.Join(lines, "\n"), 2900)
	blocks := []slack.Block{chat.Header(header), chat.Section(body)}
	if more {
		blocks = append(blocks, chat.Context(r.tr.T("audit.more", auditMax)))
	}
	return chat.Reply{Ephemeral: true, Text: header, Blocks: blocks}
}
