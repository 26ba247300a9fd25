package report

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/handlers/command"
	"opsbot/i18n"
	"opsbot/metric"
	"opsbot/report/chart"
)

// Chart lengths: the default, and the most one chart draws readably (a
// quarter; labels thin out beyond 16 days).
const (
	chartDefaultDays = 14
	chartMaxDays     = 92
)

// chartRequest is a parsed /ops chart.
type chartRequest struct {
	figures []chartFigure
	metric.Span
}

// Chart answers `/ops chart [FIGURE…] [DATE | FROM TO | YYYY-MM |
// days=N] [shop=…]`: a PNG of any figures, logged or derived, in their
// units (percentages, m:ss, yuan), over the 14 days to yesterday or the
// days asked for. Without figures it draws the reports' chart.
func (r *Commands) Chart(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	req, refusal := r.parseChart(cmd, args)
	if refusal != nil {
		return *refusal
	}
	logged, err := req.Logged(ctx, r.store)
	if err != nil {
		return r.Fail(cmd, "read metrics", err)
	}
	targets := map[string]map[string]int64{}
	for m := req.From.FirstOfMonth(); !m.After(req.To); m = m.AddDays(m.DaysInMonth()) {
		t, err := r.store.Targets(ctx, req.Shop.ID, m.MonthString())
		if err != nil {
			return r.Fail(cmd, "read targets", err)
		}
		targets[m.MonthString()] = t
	}
	cds := chartDays(logged, targets, Period{From: req.From, To: req.To})
	names := chat.Escape(figureNames(r.Tr, req.figures))
	shopName := chat.Escape(req.Shop.Name)
	if !drawable(req.figures, cds) {
		return chat.Error(r.Tr.T("chart.nothing", names, shopName, req.From.String(), req.To.String()))
	}
	c := chartOf(r.Tr, req.Shop, req.figures, cds, func(tr i18n.Printer, shop string) string {
		return tr.T("chart.title", shop, req.From.String(), req.To.String())
	})
	png, err := r.Charts().PNG(c)
	if err != nil {
		return r.Fail(cmd, "draw chart", err)
	}
	text := r.Tr.T("chart.done", names, shopName, req.From.String(), req.To.String())
	keys := make([]string, len(req.figures))
	for i, f := range req.figures {
		keys[i] = f.Key
	}
	name := fmt.Sprintf("opsbot-chart-%s-%s-%s-%s.png", req.Shop.ID, strings.Join(keys, "-"), req.From, req.To)
	return chat.Reply{
		Ephemeral: true,
		Text:      text,
		Blocks:    []slack.Block{chat.Section(text)},
		Files:     []chat.File{{Name: chat.Truncate(name, 200), Title: chat.Truncate(text, 200), MimeType: "image/png", Content: png}},
	}
}

// parseChart reads the figures, the days and the shop; every problem is
// listed.
func (r *Commands) parseChart(cmd chat.Command, args []string) (chartRequest, *chat.Reply) {
	today := r.Today(cmd)
	var (
		req      chartRequest
		dates    []civil.Date
		month    *civil.Date
		days     int
		problems []string
		seen     = map[string]bool{}
	)
	cat := metric.NewCatalog(r.Cfg.Metrics)
	shopRef, args := command.TakeShop(args)
	for _, tok := range args {
		k, v, isKV := command.SplitKV(tok)
		switch {
		case isKV && (k == "days" || k == "天数" || k == "天"):
			n, err := strconv.Atoi(v)
			if err != nil || n < 2 || n > chartMaxDays {
				problems = append(problems, r.Tr.T("err.chart_days", command.TokenRef(tok), chartMaxDays))
				continue
			}
			days = n
		case isKV && (command.IsDateKey(k) || command.IsMonthKey(k)):
			if d, msg := r.chartDate(v, today, &month); msg != "" {
				problems = append(problems, command.TokenRef(tok)+" — "+msg)
			} else if d != nil {
				dates = append(dates, *d)
			}
		case isKV:
			problems = append(problems, r.Tr.T("err.chart_arg", command.TokenRef(tok)))
		default:
			if f, ok := lookupFigure(cat, tok); ok {
				if !seen[f.Key] {
					req.figures = append(req.figures, f)
				}
				seen[f.Key] = true
				continue
			}
			d, msg := r.chartDate(tok, today, &month)
			if msg != "" {
				problems = append(problems, r.Tr.T("err.chart_token", command.TokenRef(tok), msg))
				continue
			}
			if d != nil {
				dates = append(dates, *d)
			}
		}
	}
	if len(req.figures) > chart.MaxSeries {
		problems = append(problems, r.Tr.T("err.chart_many", len(req.figures), chart.MaxSeries))
	}
	if len(dates) > 2 || (month != nil && len(dates) > 0) || (days > 0 && (month != nil || len(dates) > 1)) {
		problems = append(problems, r.Tr.T("err.chart_range"))
	}
	shop, msg := r.ResolveShop(cmd, shopRef)
	if msg != "" {
		problems = append(problems, msg)
	}
	if len(problems) > 0 {
		return req, command.Ptr(r.ReadProblems(problems))
	}
	if len(req.figures) == 0 {
		req.figures = NewBuilder(r.Cfg).chartFigures()
	}
	req.Shop = shop
	n := chartDefaultDays
	if days > 0 {
		n = days
	}
	switch {
	case month != nil:
		req.From, req.To = *month, month.AddDays(month.DaysInMonth()-1)
		if req.To.After(today) {
			req.To = today
		}
	case len(dates) == 2:
		req.From, req.To = dates[0], dates[1]
	case len(dates) == 1:
		req.To = dates[0]
		req.From = req.To.AddDays(1 - n)
	default:
		// Up to yesterday, the last whole day: figures are logged the
		// morning after (as /metric and /ops digest default to), so a chart
		// ending today would end on a day with nothing in it yet.
		req.To = today.AddDays(-1)
		req.From = req.To.AddDays(1 - n)
	}
	if req.From.After(req.To) {
		return req, command.Ptr(chat.Error(r.Tr.T("err.export_order", req.From.String(), req.To.String())))
	}
	if n := req.From.DaysUntil(req.To) + 1; n > chartMaxDays {
		return req, command.Ptr(chat.Error(r.Tr.T("err.chart_long", n, chartMaxDays)))
	}
	return req, nil
}

// chartDate reads a day, or a month (YYYY-MM) into *month; a message says
// what is wrong.
func (r *Commands) chartDate(tok string, today civil.Date, month **civil.Date) (*civil.Date, string) {
	if civil.LooksLikeMonth(tok) {
		m, err := civil.ParseLooseMonth(tok)
		if err != nil {
			return nil, r.Tr.T("err.report_month", chat.Escape(tok))
		}
		if m.After(today) {
			return nil, r.Tr.T("err.report_future", m.MonthString(), today.String())
		}
		*month = &m
		return nil, ""
	}
	d, msg := r.ParseDay(tok, today)
	if msg != "" {
		return nil, msg
	}
	return &d, ""
}
