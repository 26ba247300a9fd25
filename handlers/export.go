package handlers

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/kpi"
)

// MaxExportDays bounds one export (three years of daily rows).
const MaxExportDays = 1100

// metricExport writes a CSV of daily rows, one per day of the range, so
// that days with nothing logged show as gaps rather than vanish.
func (r *Router) metricExport(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	today := r.today(cmd)
	var dates []civil.Date
	shopRef := ""
	var problems []string
	for _, tok := range args {
		k, v, ok := splitKV(tok)
		switch {
		case ok && isShopKey(k):
			shopRef = v
		case ok:
			problems = append(problems, r.tr.T("err.export_arg", tokenRef(tok)))
		default:
			d, msg := r.parseDay(tok, today)
			if msg != "" {
				problems = append(problems, tokenRef(tok)+" — "+msg)
				continue
			}
			dates = append(dates, d)
		}
	}
	if len(problems) == 0 && len(dates) != 2 {
		problems = append(problems, r.tr.T("err.export_range"))
	}
	shop, msg := r.resolveShop(cmd, shopRef)
	if msg != "" {
		problems = append(problems, msg)
	}
	if len(problems) > 0 {
		return r.readProblems(problems)
	}
	from, to := dates[0], dates[1]
	if from.After(to) {
		return chat.Error(r.tr.T("err.export_order", from.String(), to.String()))
	}
	if n := from.DaysUntil(to) + 1; n > MaxExportDays {
		return chat.Error(r.tr.T("err.export_long", n, MaxExportDays))
	}
	days, err := r.store.RangeMetrics(ctx, shop.ID, from.String(), to.String())
	if err != nil {
		return r.fail(cmd, "read metrics", err)
	}

	var buf bytes.Buffer
	// A byte-order mark makes Excel and WPS read the UTF-8 shop names right.
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	header := []string{"date", "shop"}
	for _, m := range r.catalog.All() {
		header = append(header, m.Key)
	}
	for _, d := range kpi.DeriveAll(nil) {
		header = append(header, d.Key)
	}
	_ = w.Write(header)
	withData := 0
	for d := from; !d.After(to); d = d.AddDays(1) {
		vals := kpi.Day(days[d.String()])
		if len(vals) > 0 {
			withData++
		}
		row := []string{d.String(), shop.ID}
		for _, m := range r.catalog.All() {
			v, ok := vals[m.Key]
			switch {
			case !ok:
				row = append(row, "")
			case m.Kind == kpi.Money:
				row = append(row, moneyYuan(v))
			default:
				row = append(row, strconv.FormatInt(v, 10))
			}
		}
		for _, k := range kpi.DeriveAll(vals) {
			row = append(row, csvKPI(k))
		}
		_ = w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return r.fail(cmd, "write csv", err)
	}
	name := fmt.Sprintf("opsbot-%s-%s-%s.csv", shop.ID, from, to)
	text := r.tr.T("export.done", from.DaysUntil(to)+1, withData, chat.Escape(shop.Name), from.String(), to.String())
	return chat.Reply{
		Ephemeral: true,
		Text:      text,
		Blocks:    []slack.Block{chat.Section(text)},
		Files:     []chat.File{{Name: name, Title: name, MimeType: "text/csv", Content: buf.Bytes()}},
	}
}

// csvKPI writes a derived KPI as a number a spreadsheet can use: money in
// yuan, rates in percent, ROI as sales per unit of cost; blank if unknown.
func csvKPI(d kpi.Derived) string {
	if !d.OK {
		return ""
	}
	switch d.Unit {
	case kpi.UnitMoney:
		return moneyYuan(d.Value)
	case kpi.UnitRate:
		s := kpi.FormatRate(d.Value, d.Decimals)
		return s[:len(s)-1]
	case kpi.UnitRatio:
		return fmt.Sprintf("%d.%02d", d.Value/100, d.Value%100)
	default:
		return strconv.FormatInt(d.Value, 10)
	}
}
