package report

import (
	"context"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/handlers/command"
	"opsbot/store"
	"opsbot/tracked"
)

// Command answers `/ops report daily|weekly|monthly [DATE] [shop=…]`.
func (r *Commands) Command(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if len(args) == 0 {
		return chat.Error(r.Tr.T("err.report_usage"))
	}
	kind, ok := parseKind(args[0])
	if !ok {
		return chat.Error(r.Tr.T("err.report_kind", command.TokenRef(args[0])) + "\n" + r.Tr.T("err.report_usage"))
	}
	return r.Show(ctx, cmd, kind, args[1:])
}

// Show builds a report on demand, as the scheduled post would show
// it: `/ops digest [DATE]` is yesterday's digest (or DATE's); weekly and
// monthly default to last week and last month, and DATE (or YYYY-MM)
// picks the week or month that contains it, up to yesterday if it is not
// over. The chart comes as a file.
func (r *Commands) Show(ctx context.Context, cmd chat.Command, kind Kind, args []string) chat.Reply {
	p, shop, partial, refusal := r.parseShow(cmd, kind, args)
	if refusal != nil {
		return *refusal
	}
	loader := Loader{Src: r.store, SLA: tracked.StatsOf{St: r.store}, Loc: r.Cfg.Location, Stock: r.stock}
	runs, err := loader.LoadRuns(ctx, p)
	if err != nil {
		return r.Fail(cmd, "read checklist activity", err)
	}
	in, err := loader.Load(ctx, kind, shop, p, partial, runs, cmd.At)
	if err != nil {
		return r.Fail(cmd, "read report", err)
	}
	out, err := NewBuilder(r.Cfg).WithCharts(r.charts).Build(in)
	if err != nil {
		return r.Fail(cmd, "build report", err)
	}
	return r.reply(ctx, cmd, out)
}

// parseShow reads [DATE|YYYY-MM] [shop=ID] into the period to report and
// the shop. A period not over yet shows the days so far (partial): up to
// yesterday, or today if it starts today.
func (r *Commands) parseShow(cmd chat.Command, kind Kind, args []string) (p Period, shop config.Shop, partial bool, refusal *chat.Reply) {
	today := r.Today(cmd)
	p = Scheduled(kind, today)
	shopRef, args := command.TakeShop(args)
	var problems []string
	for _, tok := range args {
		k, v, isKV := command.SplitKV(tok)
		switch {
		case isKV && !command.IsDateKey(k) && !command.IsMonthKey(k):
			problems = append(problems, r.Tr.T("err.report_arg", command.TokenRef(tok)))
		default:
			if isKV {
				tok = v
			}
			d, msg := r.reportDate(tok, kind, today)
			if msg != "" {
				problems = append(problems, command.TokenRef(tok)+" — "+msg)
				continue
			}
			p = covering(kind, d)
		}
	}
	shop, msg := r.ResolveShop(cmd, shopRef)
	if msg != "" {
		problems = append(problems, msg)
	}
	if len(problems) > 0 {
		return p, shop, false, command.Ptr(r.ReadProblems(problems))
	}
	if !p.To.Before(today) {
		partial = true
		p.To = today.AddDays(-1)
		if p.To.Before(p.From) || kind == Daily {
			p.To = today
		}
	}
	return p, shop, partial, nil
}

// reply is the report's first message, with its chart; the rest of a long
// report follows in the person's direct messages.
func (r *Commands) reply(ctx context.Context, cmd chat.Command, out Rendered) chat.Reply {
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
				if _, err := chat.Enqueue(ctx, tx, store.Outgoing{Channel: cmd.UserID}, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return r.Fail(cmd, "queue report parts", err)
		}
		r.Notify()
		// Pages leave room for this note.
		reply.Blocks = append(reply.Blocks[:len(reply.Blocks):len(reply.Blocks)], chat.Context(r.Tr.T("report.more_in_dm", len(rest))))
	}
	return reply
}

// reportDate reads the date that picks a report's period: a day as
// everywhere, or a month (YYYY-MM) for weekly and monthly reports.
func (r *Commands) reportDate(tok string, kind Kind, today civil.Date) (civil.Date, string) {
	if d, ok, msg := r.longReportDate(tok, kind, today); ok || msg != "" {
		return d, msg
	}
	if kind != Daily && civil.LooksLikeMonth(tok) {
		m, err := civil.ParseLooseMonth(tok)
		if err != nil {
			return civil.Date{}, r.Tr.T("err.report_month", chat.Escape(tok))
		}
		if m.After(today) {
			return civil.Date{}, r.Tr.T("err.report_future", m.MonthString(), today.String())
		}
		return m, ""
	}
	return r.ParseDay(tok, today)
}
