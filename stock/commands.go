package stock

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/handlers/command"
	"opsbot/store"
)

// maxQty bounds a quantity typed in a command: far beyond any real count,
// and far from overflowing the arithmetic.
const maxQty = 10_000_000

// Command answers /stock (also /ops stock). args are the words after it.
func (f *Feature) Command(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if err := f.sync(ctx); err != nil {
		return f.Fail(cmd, "stock sync", err)
	}
	opts, rest, problems := f.options(args)
	if len(problems) > 0 {
		return f.ProblemList(problems)
	}
	shop, msg := f.ResolveShop(cmd, opts["shop"])
	if msg != "" {
		return chat.Error(msg)
	}
	if len(rest) == 0 {
		return f.list(ctx, cmd, shop)
	}
	verb, words := strings.ToLower(rest[0]), rest[1:]
	switch verb {
	case "help", "帮助", "?":
		return f.Help()
	case "set", "count", "盘点", "库存":
		return f.moveCmd(ctx, cmd, shop, moveSet, words, opts)
	case "arrive", "arrived", "到货":
		return f.moveCmd(ctx, cmd, shop, moveArrive, words, opts)
	case "order", "ordered", "订货", "在途":
		return f.moveCmd(ctx, cmd, shop, moveOrder, words, opts)
	case "sold", "sales", "销量":
		return f.moveCmd(ctx, cmd, shop, moveSold, words, opts)
	case "top", "热销":
		return f.top(ctx, cmd, shop, words)
	case "slow", "滞销":
		return f.slow(ctx, cmd, shop)
	case "item", "sku", "商品":
		return f.itemCmd(ctx, cmd, shop, words, opts)
	case "sheet", "补货", "补货单":
		return f.sheetCmd(ctx, cmd, shop, words)
	case "approve", "批准":
		return f.approveCmd(ctx, cmd, shop, words)
	case "edit", "修改":
		return f.editCmd(ctx, cmd, shop, words)
	case "import", "导入":
		return f.importCmd(ctx, cmd, shop, words, opts)
	}
	if len(rest) == 1 {
		return f.history(ctx, cmd, shop, rest[0])
	}
	return chat.Error(f.Tr.T("stock.err_usage", chat.Escape(chat.Truncate(rest[0], 40))))
}

// option keys of /stock, in both languages, by canonical name, beside
// the options every command shares (command.OptionKey).
var optionKeys = map[string]string{
	"eta": "eta", "到货日期": "eta", "预计到货": "eta",
	"name": "name", "名称": "name", "商品名称": "name",
	"case": "case", "case_pack": "case", "箱规": "case",
	"min": "min", "min_order": "min", "起订量": "min",
	"lead": "lead", "lead_days": "lead", "交期": "lead",
	"safety": "safety", "safety_days": "safety", "安全天数": "safety",
}

// options takes key=value words out of args (name= keeps the words up to
// the next option: names have spaces). A key given twice is refused.
func (f *Feature) options(args []string) (map[string]string, []string, []string) {
	opts := map[string]string{}
	var rest, problems []string
	inName := false
	for _, a := range args {
		k, v, ok := strings.Cut(strings.ReplaceAll(a, "＝", "="), "=")
		key := optionKeys[strings.ToLower(k)]
		if o := command.OptionKey(k); o == "shop" || o == "date" {
			key = o
		}
		if !ok || key == "" {
			if inName {
				opts["name"] += " " + a
				continue
			}
			rest = append(rest, a)
			continue
		}
		inName = key == "name"
		if _, dup := opts[key]; dup {
			problems = append(problems, f.Tr.T("stock.err_twice", chat.Escape(k)))
			continue
		}
		opts[key] = v
	}
	return opts, rest, problems
}

// parseQty reads a whole number of units: 120, 1,200 or 1.2万 are fine;
// 1.5, -3 or 12kg are refused with what is accepted.
func (f *Feature) parseQty(s string, allowZero bool) (int64, string) {
	t := strings.ReplaceAll(s, ",", "")
	mult := int64(1)
	if r, ok := strings.CutSuffix(t, "万"); ok {
		t, mult = r, 10000
	}
	var v int64
	if whole, frac, ok := strings.Cut(t, "."); ok && mult > 1 && len(frac) <= 4 {
		w, err1 := strconv.ParseUint(whole, 10, 32)
		fr, err2 := strconv.ParseUint(frac+strings.Repeat("0", 4-len(frac)), 10, 32)
		if err1 != nil || err2 != nil {
			return 0, f.Tr.T("stock.err_qty", chat.Escape(s))
		}
		v = int64(w)*mult + int64(fr)
	} else {
		n, err := strconv.ParseUint(t, 10, 63)
		if err != nil || t == "" || t[0] == '+' {
			return 0, f.Tr.T("stock.err_qty", chat.Escape(s))
		}
		if n > maxQty {
			return 0, f.Tr.T("stock.err_qty_big", chat.Escape(s), maxQty)
		}
		v = int64(n) * mult
	}
	if v > maxQty {
		return 0, f.Tr.T("stock.err_qty_big", chat.Escape(s), maxQty)
	}
	if v == 0 && !allowZero {
		return 0, f.Tr.T("stock.err_qty_zero", chat.Escape(s))
	}
	return v, ""
}

// parseDate reads a day as people type it (civil.ParseSpoken); past days
// only unless future is allowed (ETAs), which then refuses the past.
func (f *Feature) parseDate(s string, today civil.Date, future bool) (civil.Date, string) {
	d, err := civil.ParseSpoken(s, today)
	if err != nil {
		return d, f.Tr.T("err.date_format", chat.Escape(s))
	}
	if !future && d.After(today) {
		return civil.Date{}, f.Tr.T("err.date_future", d.String(), today.String())
	}
	if future && d.Before(today) {
		return civil.Date{}, f.Tr.T("stock.err_eta_past", d.String(), today.String())
	}
	return d, ""
}

// moveCmd reads SKU QTY pairs and applies them all or none.
func (f *Feature) moveCmd(ctx context.Context, cmd chat.Command, shop config.Shop, kind string, words []string, opts map[string]string) chat.Reply {
	today := f.today(cmd.At)
	date, problems := f.moveDate(kind, opts, today)
	if len(words) == 0 || len(words)%2 != 0 {
		problems = append(problems, f.Tr.T("stock.err_pairs", kind))
		return f.ProblemList(problems)
	}
	moves, more, err := f.readMoves(ctx, shop, kind, words, date, opts["eta"] == "", today)
	if err != nil {
		return f.Fail(cmd, "stock items", err)
	}
	if problems = append(problems, more...); len(problems) > 0 {
		return f.ProblemList(problems)
	}
	done, err := f.apply(ctx, cmd.UserID, shop.ID, cmd.At, moves)
	if err != nil {
		return f.Fail(cmd, "stock "+kind, err)
	}
	return f.moveReply(cmd, shop, kind, date, done)
}

// moveDate is the day a movement is for: yesterday for sales, today for
// the rest, or the date= (sales, counts) or eta= (orders) given.
func (f *Feature) moveDate(kind string, opts map[string]string, today civil.Date) (civil.Date, []string) {
	var problems []string
	date := today
	if kind == moveSold {
		date = today.AddDays(-1)
	}
	for k := range opts {
		switch {
		case k == "shop":
		case k == "date" && (kind == moveSold || kind == moveSet), k == "eta" && kind == moveOrder:
			d, msg := f.parseDate(opts[k], today, k == "eta")
			if msg != "" {
				problems = append(problems, msg)
			}
			date = d
		default:
			problems = append(problems, f.Tr.T("stock.err_option", chat.Escape(k), kind))
		}
	}
	return date, problems
}

// readMoves reads the SKU QTY pairs against the shop's SKUs; an order
// without an ETA arrives after the SKU's lead time.
func (f *Feature) readMoves(ctx context.Context, shop config.Shop, kind string, words []string, date civil.Date, leadETA bool, today civil.Date) ([]move, []string, error) {
	codes := make([]string, 0, len(words)/2)
	for i := 0; i < len(words); i += 2 {
		codes = append(codes, normCode(words[i]))
	}
	list, err := f.st.StockItemsByCode(ctx, shop.ID, codes)
	if err != nil {
		return nil, nil, err
	}
	known := map[string]store.StockItem{}
	for _, it := range list {
		known[it.Code] = it
	}
	var moves []move
	var problems []string
	seen := map[string]bool{}
	for i := 0; i < len(words); i += 2 {
		code, qtyText := normCode(words[i]), words[i+1]
		it, ok := known[code]
		switch {
		case !ok:
			problems = append(problems, f.Tr.T("stock.err_unknown_sku", chat.Escape(chat.Truncate(words[i], 64)), chat.Escape(shop.ID)))
			continue
		case seen[code]:
			problems = append(problems, f.Tr.T("stock.err_sku_twice", chat.Escape(code)))
			continue
		}
		seen[code] = true
		qty, msg := f.parseQty(qtyText, kind == moveSet || kind == moveSold)
		if msg != "" {
			problems = append(problems, msg)
			continue
		}
		d := date
		if kind == moveOrder && leadETA {
			d = today.AddDays(f.lead(it))
		}
		moves = append(moves, move{kind: kind, code: code, qty: qty, date: d, stock: -1})
	}
	return moves, problems, nil
}

// moveReply confirms what was stored, posted in the channel.
func (f *Feature) moveReply(cmd chat.Command, shop config.Shop, kind string, date civil.Date, done []applied) chat.Reply {
	head := f.Tr.T("stock.moved_"+kind, chat.Mention(cmd.UserID), chat.Escape(shop.Name), date.String())
	rows := [][]string{{f.Tr.T("stock.col_sku"), f.Tr.T("stock.col_qty"), f.Tr.T("stock.col_on_hand"), f.Tr.T("stock.col_transit")}}
	var notes []string
	for _, a := range done {
		q := strconv.FormatInt(a.qty, 10)
		if a.old >= 0 && a.old != a.qty {
			q = fmt.Sprintf("%d (%s %d)", a.qty, f.Tr.T("stock.was"), a.old)
		}
		rows = append(rows, []string{a.code, q, strconv.FormatInt(a.onHand, 10), transitCell(a.inTransit, a.eta)})
		if a.clamped {
			notes = append(notes, f.Tr.T("stock.clamped", chat.Escape(a.code)))
		}
	}
	blocks := []slack.Block{chat.Section(head), chat.Section(chat.Table(rows, []bool{false, true, true, true}))}
	for _, n := range notes {
		blocks = append(blocks, chat.Context(n))
	}
	return chat.Reply{Text: f.Tr.T("stock.moved_plain", len(done)), Blocks: blocks}
}

func transitCell(qty int64, eta string) string {
	if qty == 0 {
		return "0"
	}
	if eta == "" {
		return strconv.FormatInt(qty, 10)
	}
	return fmt.Sprintf("%d (%s)", qty, eta[5:])
}

// refuseUnder lists problems under a heading, within one Slack block.
func (f *Feature) refuseUnder(heading string, problems []string) chat.Reply {
	const room = 2800
	var b strings.Builder
	b.WriteString(heading)
	for i, p := range problems {
		if utf8.RuneCountInString(b.String())+utf8.RuneCountInString(p) > room {
			b.WriteString("\n" + f.Tr.T("err.more_problems", len(problems)-i))
			break
		}
		b.WriteString("\n• " + p)
	}
	return chat.Error(b.String())
}

// itemCmd adds or edits an SKU: /stock item add CODE [name…] [case=12]
// [min=50] [lead=7] [safety=3]; /stock item edit CODE key=value…
func (f *Feature) itemCmd(ctx context.Context, cmd chat.Command, shop config.Shop, words []string, opts map[string]string) chat.Reply {
	ch, reply := f.parseItem(words, opts)
	if reply != nil {
		return *reply
	}
	it, err := f.saveItem(ctx, cmd, shop, ch)
	switch {
	case errors.Is(err, errExists):
		return chat.Error(f.Tr.T("stock.err_exists", chat.Escape(ch.code), chat.Escape(shop.ID)))
	case errors.Is(err, errUnknown):
		return chat.Error(f.Tr.T("stock.err_unknown_sku", chat.Escape(ch.code), chat.Escape(shop.ID)))
	case err != nil:
		return f.Fail(cmd, "stock item", err)
	}
	key := "stock.item_edited"
	if ch.adding {
		key = "stock.item_added"
	}
	text := f.Tr.T(key, chat.Mention(cmd.UserID), skuLabel(it), chat.Escape(shop.Name)) + "\n" + f.itemTerms(it)
	return chat.Reply{Text: f.Tr.T(key+"_plain", it.Code), Blocks: []slack.Block{chat.Section(text)}}
}

// itemChange is an SKU to add, or the settings of one to change; a
// negative number is a setting not given.
type itemChange struct {
	adding                           bool
	code, name                       string
	casePack, minOrder, lead, safety int64
}

// parseItem reads /stock item add|edit; every problem is listed.
func (f *Feature) parseItem(words []string, opts map[string]string) (itemChange, *chat.Reply) {
	usage := command.Ptr(chat.Error(f.Tr.T("stock.err_item_usage")))
	if len(words) < 2 {
		return itemChange{}, usage
	}
	sub := strings.ToLower(words[0])
	ch := itemChange{adding: sub == "add" || sub == "添加", code: normCode(words[1]), casePack: -1, minOrder: -1, lead: -1, safety: -1}
	if !ch.adding && sub != "edit" && sub != "修改" {
		return itemChange{}, usage
	}
	var problems []string
	if !config.SKUPattern.MatchString(ch.code) {
		problems = append(problems, f.Tr.T("stock.err_sku_code", chat.Escape(chat.Truncate(words[1], 64))))
	}
	ch.name = strings.TrimSpace(strings.Join(words[2:], " ") + " " + opts["name"])
	if n := utf8.RuneCountInString(ch.name); n > 200 {
		problems = append(problems, f.Tr.T("stock.err_name_long", n))
	}
	for _, fd := range []struct {
		key    string
		target *int64
		max    int64
	}{{"case", &ch.casePack, 100000}, {"min", &ch.minOrder, maxQty}, {"lead", &ch.lead, 365}, {"safety", &ch.safety, 365}} {
		v, ok := opts[fd.key]
		if !ok {
			continue
		}
		n, msg := f.parseQty(v, fd.key != "case")
		if msg == "" && n > fd.max {
			msg = f.Tr.T("stock.err_qty_big", chat.Escape(v), fd.max)
		}
		if msg != "" {
			problems = append(problems, fd.key+": "+msg)
			continue
		}
		*fd.target = n
	}
	for k := range opts {
		if k == "date" || k == "eta" {
			problems = append(problems, f.Tr.T("stock.err_option", chat.Escape(k), "item"))
		}
	}
	if len(problems) > 0 {
		return itemChange{}, command.Ptr(f.ProblemList(problems))
	}
	return ch, nil
}

// apply sets what the change gives on an SKU.
func (ch itemChange) apply(it *store.StockItem) {
	if ch.name != "" {
		it.Name = ch.name
	}
	if ch.casePack >= 0 {
		it.CasePack = ch.casePack
	}
	if ch.minOrder >= 0 {
		it.MinOrder = ch.minOrder
	}
	if ch.lead >= 0 {
		it.LeadDays = int(ch.lead)
	}
	if ch.safety >= 0 {
		it.SafetyDays = int(ch.safety)
	}
}

// saveItem adds or edits the SKU with its audit entry and its movement
// line, in one transaction: errExists, errUnknown or the store's error.
func (f *Feature) saveItem(ctx context.Context, cmd chat.Command, shop config.Shop, ch itemChange) (store.StockItem, error) {
	var result store.StockItem
	err := f.st.Tx(ctx, func(tx *store.Store) error {
		it, err := tx.StockItem(ctx, shop.ID, ch.code)
		switch {
		case ch.adding && err == nil:
			return errExists
		case !ch.adding && errors.Is(err, store.ErrNotFound):
			return errUnknown
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
		if ch.adding {
			it = store.StockItem{Shop: shop.ID, Code: ch.code, SumsOn: f.today(cmd.At).String()}
		}
		before := it
		ch.apply(&it)
		kind := "edit"
		if ch.adding {
			kind = "add"
			if created, err := tx.CreateStockItem(ctx, &it); err != nil || !created {
				return cmpErr(err, errExists)
			}
		} else if err := tx.SaveStockItem(ctx, &it); err != nil {
			return err
		}
		old, now := describe(before), describe(it)
		if err := tx.AddAudit(ctx, store.AuditEntry{At: cmd.At, Actor: cmd.UserID, Action: "stock.item." + kind, Shop: shop.ID, Subject: ch.code, OldValue: optional(old, !ch.adding), NewValue: &now}); err != nil {
			return err
		}
		result = it
		return tx.AddStockMove(ctx, &store.StockMove{ItemID: it.ID, At: cmd.At, Actor: cmd.UserID, Kind: kind, OnHand: it.OnHand, InTransit: it.InTransit, Note: chat.Truncate(now, 300)})
	})
	return result, err
}

var errExists = errors.New("SKU exists")

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

func optional(s string, ok bool) *string {
	if !ok {
		return nil
	}
	return &s
}

// describe is an SKU's settings for the audit log.
func describe(it store.StockItem) string {
	return fmt.Sprintf("name=%q case=%d min=%d lead=%d safety=%d", it.Name, it.CasePack, it.MinOrder, it.LeadDays, it.SafetyDays)
}

// itemTerms says an SKU's ordering terms, with the defaults it inherits.
func (f *Feature) itemTerms(it store.StockItem) string {
	return f.Tr.T("stock.terms", max(it.CasePack, 1), it.MinOrder, f.lead(it), f.safety(it))
}
