package handlers

import (
	"context"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/report"
	"opsbot/store"
)

// ReportStore is the storage the report commands need.
type ReportStore interface {
	report.Source
	report.ItemStatter
}

// reportCmd answers `/ops report daily|weekly|monthly [DATE] [shop=…]`.
func (r *Router) reportCmd(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if len(args) == 0 {
		return chat.Error(r.tr.T("err.report_usage"))
	}
	kind, ok := report.ParseKind(args[0])
	if !ok {
		return chat.Error(r.tr.T("err.report_kind", tokenRef(args[0])) + "\n" + r.tr.T("err.report_usage"))
	}
	return r.showReport(ctx, cmd, kind, args[1:])
}

// showReport builds a report on demand, as the scheduled post would show
// it: `/ops digest [DATE]` is yesterday's digest (or DATE's); weekly and
// monthly default to last week and last month, and DATE (or YYYY-MM)
// picks the week or month that contains it, up to yesterday if it is not
// over. The chart comes as a file.
func (r *Router) showReport(ctx context.Context, cmd chat.Command, kind report.Kind, args []string) chat.Reply {
	today := r.today(cmd)
	p := report.Scheduled(kind, today)
	shopRef := ""
	var problems []string
	for _, tok := range args {
		k, v, isKV := splitKV(tok)
		switch {
		case isKV && isShopKey(k):
			shopRef = v
		case isKV && !isDateKey(k) && !isMonthKey(k):
			problems = append(problems, r.tr.T("err.report_arg", tokenRef(tok)))
		default:
			if isKV {
				tok = v
			}
			d, msg := r.reportDate(tok, kind, today)
			if msg != "" {
				problems = append(problems, tokenRef(tok)+" — "+msg)
				continue
			}
			p = report.Covering(kind, d)
		}
	}
	shop, msg := r.resolveShop(cmd, shopRef)
	if msg != "" {
		problems = append(problems, msg)
	}
	if len(problems) > 0 {
		return r.readProblems(problems)
	}
	// A period not over yet shows the days so far: up to yesterday, or
	// today if it starts today.
	partial := false
	if !p.To.Before(today) {
		partial = true
		p.To = today.AddDays(-1)
		if p.To.Before(p.From) || kind == report.Daily {
			p.To = today
		}
	}
	loader := report.Loader{Src: r.store, SLA: report.StoreSLA{St: r.store}, Loc: r.cfg.Location}
	runs, err := loader.LoadRuns(ctx, p)
	if err != nil {
		return r.fail(cmd, "read checklist activity", err)
	}
	in, err := loader.Load(ctx, kind, shop, p, partial, runs, cmd.At)
	if err != nil {
		return r.fail(cmd, "read report", err)
	}
	out, err := report.NewBuilder(r.cfg).Build(in)
	if err != nil {
		return r.fail(cmd, "build report", err)
	}
	first := out.Messages[0]
	reply := chat.Reply{Ephemeral: true, Text: first.Text, Blocks: first.Blocks}
	if out.Chart != nil {
		reply.Files = []chat.File{*out.Chart}
	}
	if rest := out.Messages[1:]; len(rest) > 0 {
		// One reply is one message; the rest of a long report follows in
		// the person's direct messages, in order, through the outbox.
		err := r.store.Tx(ctx, func(tx *store.Store) error {
			for _, m := range rest {
				if _, err := tx.Enqueue(ctx, store.Outgoing{Channel: cmd.UserID, Text: m.Text, Blocks: m.Blocks}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return r.fail(cmd, "queue report parts", err)
		}
		r.notify()
		// Pages leave room for this note.
		reply.Blocks = append(reply.Blocks[:len(reply.Blocks):len(reply.Blocks)], chat.Context(r.tr.T("report.more_in_dm", len(rest))))
	}
	return reply
}

// reportDate reads the date that picks a report's period: a day as
// everywhere, or a month (YYYY-MM) for weekly and monthly reports.
func (r *Router) reportDate(tok string, kind report.Kind, today civil.Date) (civil.Date, string) {
	if kind != report.Daily && civil.LooksLikeMonth(tok) {
		m, err := civil.ParseLooseMonth(tok)
		if err != nil {
			return civil.Date{}, r.tr.T("err.report_month", chat.Escape(tok))
		}
		if m.After(today) {
			return civil.Date{}, r.tr.T("err.report_future", m.MonthString(), today.String())
		}
		return m, ""
	}
	return r.parseDay(tok, today)
}
