package metric

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/exact"
	"opsbot/handlers/command"
)

// maxExportDays bounds one export (three years of daily rows).
const maxExportDays = 1100

// metricExport writes a CSV of daily rows, one per day of the range, so
// that days with nothing logged show as gaps rather than vanish.
func (r *Commands) metricExport(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	req, refusal := r.parseExport(cmd, args)
	if refusal != nil {
		return *refusal
	}
	days, err := req.Logged(ctx, r.store)
	if err != nil {
		return r.Fail(cmd, "read metrics", err)
	}
	data, withData, err := r.exportCSV(req, days)
	if err != nil {
		return r.Fail(cmd, "write csv", err)
	}
	from, to := req.From, req.To
	name := fmt.Sprintf("opsbot-%s-%s-%s.csv", req.Shop.ID, from, to)
	text := r.Tr.T("export.done", from.DaysUntil(to)+1, withData, chat.Escape(req.Shop.Name), from.String(), to.String())
	return chat.Reply{
		Ephemeral: true,
		Text:      text,
		Blocks:    []slack.Block{chat.Section(text)},
		Files:     []chat.File{{Name: name, Title: name, MimeType: "text/csv", Content: data}},
	}
}

// parseExport reads FROM TO [shop=ID]; every problem is listed.
func (r *Commands) parseExport(cmd chat.Command, args []string) (Span, *chat.Reply) {
	today := r.Today(cmd)
	shopRef, args := command.TakeShop(args)
	var dates []civil.Date
	var problems []string
	for _, tok := range args {
		if _, _, ok := command.SplitKV(tok); ok {
			problems = append(problems, r.Tr.T("err.export_arg", command.TokenRef(tok)))
			continue
		}
		d, msg := r.ParseDay(tok, today)
		if msg != "" {
			problems = append(problems, command.TokenRef(tok)+" — "+msg)
			continue
		}
		dates = append(dates, d)
	}
	if len(problems) == 0 && len(dates) != 2 {
		problems = append(problems, r.Tr.T("err.export_range"))
	}
	shop, msg := r.ResolveShop(cmd, shopRef)
	if msg != "" {
		problems = append(problems, msg)
	}
	if len(problems) > 0 {
		return Span{}, command.Ptr(r.ReadProblems(problems))
	}
	from, to := dates[0], dates[1]
	if from.After(to) {
		return Span{}, command.Ptr(chat.Error(r.Tr.T("err.export_order", from.String(), to.String())))
	}
	if n := from.DaysUntil(to) + 1; n > maxExportDays {
		return Span{}, command.Ptr(chat.Error(r.Tr.T("err.export_long", n, maxExportDays)))
	}
	return Span{From: from, To: to, Shop: shop}, nil
}

// exportCSV renders the rows, and counts the days with data.
func (r *Commands) exportCSV(req Span, days map[string]Day) ([]byte, int, error) {
	var buf bytes.Buffer
	// A byte-order mark makes Excel and WPS read the UTF-8 shop names right.
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	header := []string{"date", "shop"}
	for _, m := range r.catalog.All() {
		header = append(header, m.Key)
	}
	for _, d := range DeriveAll(nil) {
		header = append(header, d.Key)
	}
	_ = w.Write(header)
	withData := 0
	for d := req.From; !d.After(req.To); d = d.AddDays(1) {
		vals := Day(days[d.String()])
		if len(vals) > 0 {
			withData++
		}
		_ = w.Write(r.csvRow(d, req.Shop.ID, vals))
	}
	w.Flush()
	return buf.Bytes(), withData, w.Error()
}

// csvRow is one day: its figures, blank where not logged, and its KPIs.
func (r *Commands) csvRow(d civil.Date, shop string, vals Day) []string {
	row := []string{d.String(), shop}
	for _, m := range r.catalog.All() {
		v, ok := vals[m.Key]
		switch {
		case !ok:
			row = append(row, "")
		case m.Kind == Money:
			row = append(row, moneyYuan(v))
		case m.Kind == Percent:
			row = append(row, FormatBasisPoints(v)) // 45.12%: what spreadsheets and /metric import read
		default:
			row = append(row, strconv.FormatInt(v, 10))
		}
	}
	for _, k := range DeriveAll(vals) {
		row = append(row, csvKPI(k))
	}
	return row
}

// csvKPI writes a derived KPI as a number a spreadsheet can use: money in
// yuan, rates in percent, ROI as sales per unit of cost; blank if unknown.
// It is rounded once, by the same rule as the replies and reports.
func csvKPI(d Derived) string {
	if !d.OK {
		return ""
	}
	return exact.Plain(d.Unit, d.Decimals, d.Value)
}
