package metric

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/handlers/command"
)

// metricDelete removes figures logged by mistake:
// /metric delete KEY… [date=…] [shop=…]. The day defaults to yesterday,
// as for logging. Each removal is audited with the old value.
func (r *Commands) metricDelete(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	today := r.Today(cmd)
	day := today.AddDays(-1)
	shopRef, args := command.TakeShop(args)
	var keys []string
	var problems []string
	seen := map[string]bool{}
	for _, tok := range args {
		k, v, ok := command.SplitKV(tok)
		switch {
		case ok && command.IsDateKey(k):
			d, msg := r.ParseDay(v, today)
			if msg != "" {
				problems = append(problems, msg)
				continue
			}
			day = d
		case ok:
			problems = append(problems, r.Tr.T("err.delete_arg", command.TokenRef(tok)))
		default:
			m, known := r.catalog.Lookup(tok)
			if !known {
				problems = append(problems, r.Tr.T("err.metric_unknown", command.TokenRef(tok), chat.Escape(tok)))
				continue
			}
			if !seen[m.Key] {
				seen[m.Key] = true
				keys = append(keys, m.Key)
			}
		}
	}
	if len(keys) == 0 && len(problems) == 0 {
		problems = append(problems, r.Tr.T("err.delete_usage"))
	}
	shop, msg := r.ResolveShop(cmd, shopRef)
	if msg != "" {
		problems = append(problems, msg)
	}
	if len(problems) > 0 {
		return r.ProblemListAs("err.nothing_changed", problems)
	}
	changes, err := r.store.DeleteMetrics(ctx, cmd.UserID, shop.ID, day.String(), keys, cmd.At)
	if err != nil {
		return r.Fail(cmd, "delete metrics", err)
	}
	deleted := map[string]bool{}
	var lines []string
	for _, c := range changes {
		deleted[c.Key] = true
		m, _ := r.catalog.Lookup(c.Key)
		lines = append(lines, "• "+r.Tr.T("metric.deleted_line", chat.Escape(r.Tr.Text(m.Name)), c.Key, Format(UnitOf(m.Kind), 0, c.Old)))
	}
	var absent []string
	for _, k := range keys {
		if !deleted[k] {
			absent = append(absent, "`"+k+"`")
		}
	}
	where := chat.Escape(shop.Name) + " " + r.DayLabel(day)
	if len(changes) == 0 {
		return chat.Error(r.Tr.T("err.delete_none", strings.Join(absent, ", "), where))
	}
	text := r.Tr.T("metric.deleted", where, len(changes)) + "\n" + strings.Join(lines, "\n")
	if len(absent) > 0 {
		text += "\n" + r.Tr.T("metric.delete_absent", strings.Join(absent, ", "))
	}
	return chat.Reply{Text: text, Blocks: []slack.Block{chat.Section(text)}}
}
