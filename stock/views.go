package stock

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/store"
)

// Rows a view shows in one message; the rest are counted.
const viewRows = 40

// severity orders statuses worst first.
func severity(s Status) int {
	return slices.Index([]Status{StatusOut, StatusLow, StatusSlow, StatusNew, StatusOK}, s)
}

func (f *Feature) statusName(s Status) string { return f.Tr.T("stock.status_" + string(s)) }

// list is /stock: every SKU with its position, worst first.
func (f *Feature) list(ctx context.Context, cmd chat.Command, shop config.Shop) chat.Reply {
	today := f.today(cmd.At)
	rows, none := f.rowsOrNone(ctx, cmd, shop, today, "stock list")
	if none != nil {
		return *none
	}
	// Sort small keys, not the rows: the rows are big and may be thousands.
	type key struct {
		sev  int
		code string
		i    int
	}
	keys := make([]key, len(rows))
	counts := map[Status]int{}
	for i, r := range rows {
		st := r.pos.Status()
		counts[st]++
		keys[i] = key{severity(st), r.item.Code, i}
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp.Or(cmp.Compare(a.sev, b.sev), cmp.Compare(a.code, b.code)) })
	table := [][]string{f.header()}
	for _, k := range keys[:min(len(keys), viewRows)] {
		table = append(table, f.line(rows[k.i]))
	}
	blocks := []slack.Block{chat.Header(f.Tr.T("stock.list_title", shop.Name, today.String()))}
	blocks = append(blocks, tableSections(table, []bool{false, false, true, true, true, true, true, false})...)
	summary := f.Tr.T("stock.summary", len(rows), counts[StatusOut], counts[StatusLow], counts[StatusSlow])
	if len(rows) > viewRows {
		summary += " " + f.Tr.T("stock.more", len(rows)-viewRows)
	}
	blocks = append(blocks, chat.Context(summary))
	return chat.Reply{Ephemeral: true, Text: f.Tr.T("stock.list_title", shop.Name, today.String()), Blocks: blocks}
}

func (f *Feature) header() []string {
	return []string{f.Tr.T("stock.col_sku"), f.Tr.T("stock.col_name"), f.Tr.T("stock.col_on_hand"), f.Tr.T("stock.col_transit"),
		f.Tr.T("stock.col_avg7"), f.Tr.T("stock.col_avg28"), f.Tr.T("stock.col_cover"), f.Tr.T("stock.col_status")}
}

func (f *Feature) line(r row) []string {
	return []string{r.item.Code, chat.Truncate(r.item.Name, 16), strconv.FormatInt(r.pos.OnHand, 10), transitCell(r.pos.InTransit, r.item.NextETA),
		r.pos.Avg7Text(), r.pos.AvgText(), r.pos.CoverText(), f.statusName(r.pos.Status())}
}

// tableSections lays rows out as monospace tables, as many sections as
// Slack's 3,000 characters per section need (the header row repeats).
func tableSections(rows [][]string, right []bool) []slack.Block {
	var blocks []slack.Block
	start := 1
	for start < len(rows) || (start == 1 && len(rows) == 1) {
		end := start
		for end < len(rows) {
			t := chat.Table(append([][]string{rows[0]}, rows[start:end+1]...), right)
			if len(t) > 2900 && end > start {
				break
			}
			end++
		}
		blocks = append(blocks, chat.Section(chat.Table(append([][]string{rows[0]}, rows[start:end]...), right)))
		if end == start {
			break
		}
		start = end
	}
	return blocks
}

// history is /stock SKU: its terms, position, open orders, the last two
// weeks of sales and the last moves.
func (f *Feature) history(ctx context.Context, cmd chat.Command, shop config.Shop, ref string) chat.Reply {
	code := normCode(ref)
	if !config.SKUPattern.MatchString(code) {
		return chat.Error(f.Tr.T("stock.err_usage", chat.Escape(chat.Truncate(ref, 40))))
	}
	it, err := f.st.StockItem(ctx, shop.ID, code)
	if errors.Is(err, store.ErrNotFound) {
		return chat.Error(f.Tr.T("stock.err_unknown_sku", chat.Escape(code), chat.Escape(shop.ID)))
	}
	if err != nil {
		return f.Fail(cmd, "stock item", err)
	}
	today := f.today(cmd.At)
	pos, err := f.itemPosition(ctx, f.st, it, today)
	if err != nil {
		return f.Fail(cmd, "stock item", err)
	}
	blocks := []slack.Block{chat.Header(chat.Truncate(it.Code+" "+it.Name, 150))}
	blocks = append(blocks, chat.Section(f.Tr.T("stock.item_position", pos.OnHand, transitCell(pos.InTransit, it.NextETA),
		pos.Avg7Text(), pos.AvgText(), pos.CoverText(), pos.Threshold(), f.statusName(pos.Status()))+"\n"+f.itemTerms(it)))
	orders, err := f.st.OpenStockOrders(ctx, it.ID)
	if err != nil {
		return f.Fail(cmd, "stock orders", err)
	}
	if len(orders) > 0 {
		var lines []string
		for _, o := range orders {
			lines = append(lines, f.Tr.T("stock.order_line", o.Remaining, o.Qty, o.ETA))
		}
		blocks = append(blocks, chat.Section(f.Tr.T("stock.orders_title")+"\n"+strings.Join(lines, "\n")))
	}
	sales, err := f.st.StockSales(ctx, it.ID, today.AddDays(-14).String(), today.String())
	if err != nil {
		return f.Fail(cmd, "stock sales", err)
	}
	if len(sales) > 0 {
		var cells []string
		for _, s := range sales {
			cells = append(cells, fmt.Sprintf("%s %d", s.Date[5:], s.Qty))
		}
		blocks = append(blocks, chat.Section(f.Tr.T("stock.sales_title")+"\n`"+strings.Join(cells, " · ")+"`"))
	}
	moves, err := f.st.StockMoves(ctx, it.ID, 10)
	if err != nil {
		return f.Fail(cmd, "stock moves", err)
	}
	if len(moves) > 0 {
		table := [][]string{{f.Tr.T("stock.col_when"), f.Tr.T("stock.col_who"), f.Tr.T("stock.col_move"), f.Tr.T("stock.col_qty"), f.Tr.T("stock.col_on_hand"), f.Tr.T("stock.col_transit")}}
		for _, m := range moves {
			table = append(table, []string{m.At.In(f.Cfg.Location).Format("01-02 15:04"), chat.Truncate(m.Actor, 16), f.Tr.T("stock.kind_" + m.Kind), strconv.FormatInt(m.Qty, 10), strconv.FormatInt(m.OnHand, 10), strconv.FormatInt(m.InTransit, 10)})
		}
		blocks = append(blocks, chat.Section(f.Tr.T("stock.moves_title")), chat.Section(chat.Table(table, []bool{false, false, false, true, true, true})))
	}
	return chat.Reply{Ephemeral: true, Text: it.Code, Blocks: blocks}
}

// top is /stock top [N]: the best sellers of the last 7 days.
func (f *Feature) top(ctx context.Context, cmd chat.Command, shop config.Shop, words []string) chat.Reply {
	n := 20
	if len(words) > 1 {
		return chat.Error(f.Tr.T("stock.err_top"))
	}
	if len(words) == 1 {
		v, err := strconv.Atoi(words[0])
		if err != nil || v < 1 || v > 100 {
			return chat.Error(f.Tr.T("stock.err_top"))
		}
		n = v
	}
	today := f.today(cmd.At)
	rows, err := f.shopRows(ctx, shop.ID, today)
	if err != nil {
		return f.Fail(cmd, "stock top", err)
	}
	rows = topRows(rows, n)
	if len(rows) == 0 {
		return chat.Note(f.Tr.T("stock.top_none"))
	}
	table := [][]string{append([]string{"#"}, f.header()...)}
	for i, r := range rows {
		table = append(table, append([]string{strconv.Itoa(i + 1)}, f.line(r)...))
	}
	blocks := []slack.Block{chat.Header(f.Tr.T("stock.top_title", len(rows), shop.Name))}
	blocks = append(blocks, tableSections(table, []bool{true, false, false, true, true, true, true, true, false})...)
	return chat.Reply{Ephemeral: true, Text: f.Tr.T("stock.top_title", len(rows), shop.Name), Blocks: blocks}
}

// topRows are the n best sellers by 7-day sales; SKUs with none are left out.
func topRows(rows []row, n int) []row {
	rows = slices.DeleteFunc(slices.Clone(rows), func(r row) bool { return r.pos.Sold7 <= 0 })
	slices.SortStableFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(b.pos.Sold7, a.pos.Sold7), cmp.Compare(a.item.Code, b.item.Code))
	})
	return rows[:min(n, len(rows))]
}

// SellThrough is the shop's 动销率 from SKU data: SKUs with a sale in
// the slow window over all SKUs. ok is false when the shop has no SKUs.
type SellThrough struct {
	Online, Sold, Slow int64
}

func (f *Feature) sellThrough(rows []row) SellThrough {
	st := SellThrough{Online: int64(len(rows))}
	for _, r := range rows {
		if r.pos.Slow {
			st.Slow++
		} else {
			st.Sold++
		}
	}
	return st
}

// text is "62.0% (31 of 50)", or a dash under MinItems.
func (f *Feature) sellThroughText(st SellThrough) string {
	if st.Online < minItemsForSellThrough {
		return f.Tr.T("stock.sell_through_few", st.Sold, st.Online, minItemsForSellThrough)
	}
	return f.Tr.T("stock.sell_through", tenths(st.Sold*100, st.Online), st.Sold, st.Online, tenths(st.Slow*100, st.Online))
}

// minItemsForSellThrough is the domain's rule: with fewer SKUs the ratio
// says nothing (kpi.MinItemsForSellThrough for the typed figures).
const minItemsForSellThrough = 10

// slow is /stock slow: SKUs with no sale in the slow window, and the
// shop's sell-through computed from SKU data.
func (f *Feature) slow(ctx context.Context, cmd chat.Command, shop config.Shop) chat.Reply {
	today := f.today(cmd.At)
	rows, none := f.rowsOrNone(ctx, cmd, shop, today, "stock slow")
	if none != nil {
		return *none
	}
	st := f.sellThrough(rows)
	blocks := []slack.Block{chat.Header(f.Tr.T("stock.slow_title", f.slowDays(), shop.Name)), chat.Section(f.sellThroughText(st))}
	table := [][]string{{f.Tr.T("stock.col_sku"), f.Tr.T("stock.col_name"), f.Tr.T("stock.col_on_hand"), f.Tr.T("stock.col_last_sale")}}
	shown := 0
	for _, r := range rows {
		if !r.pos.Slow {
			continue
		}
		if shown++; shown > viewRows {
			continue
		}
		last := r.item.LastSaleOn
		if last == "" {
			last = f.Tr.T("stock.never")
		}
		table = append(table, []string{r.item.Code, chat.Truncate(r.item.Name, 16), strconv.FormatInt(r.pos.OnHand, 10), last})
	}
	if st.Slow == 0 {
		blocks = append(blocks, chat.Context(f.Tr.T("stock.slow_none", f.slowDays())))
	} else {
		blocks = append(blocks, tableSections(table, []bool{false, false, true, false})...)
		if shown > viewRows {
			blocks = append(blocks, chat.Context(f.Tr.T("stock.more", shown-viewRows)))
		}
	}
	blocks = append(blocks, chat.Context(f.Tr.T("stock.sell_through_note")))
	return chat.Reply{Ephemeral: true, Text: f.Tr.T("stock.slow_title", f.slowDays(), shop.Name), Blocks: blocks}
}

// Help is /stock help, in the team's language.
func (f *Feature) Help() chat.Reply {
	return chat.Reply{Ephemeral: true, Text: f.Tr.T("stock.help_title"), Blocks: []slack.Block{chat.Header(f.Tr.T("stock.help_title")), chat.Section(f.Tr.T("stock.help"))}}
}

// rowsOrNone is the shop's SKUs on a day, or the reply to give instead:
// that the shop has none, or that reading them failed.
func (f *Feature) rowsOrNone(ctx context.Context, cmd chat.Command, shop config.Shop, day civil.Date, what string) ([]row, *chat.Reply) {
	rows, err := f.shopRows(ctx, shop.ID, day)
	if err != nil {
		reply := f.Fail(cmd, what, err)
		return nil, &reply
	}
	if len(rows) == 0 {
		reply := chat.Note(f.Tr.T("stock.none", chat.Escape(shop.Name)))
		return nil, &reply
	}
	return rows, nil
}
