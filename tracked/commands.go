package tracked

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers/command"
	"opsbot/store"
	"opsbot/tracked/items"
)

// Callback and action IDs of the tracked items' modals and buttons.
const (
	CallbackFlagUrgent  = "flag_urgent"      // the modal, and the global shortcut that opens it
	CallbackLogReview   = "log_review"       // the modal, and the global shortcut that opens it
	CallbackResolveItem = "resolve_item"     // the modal asking how an item was resolved
	ActionFlagUrgent    = "open_flag_urgent" // a button that opens the urgent-order modal
	ActionLogReview     = "open_log_review"  // a button that opens the review modal
	blockOrder          = "order"
	blockType           = "type"
	blockNote           = "note"
	blockRating         = "rating"
	blockProduct        = "product"
	blockText           = "text"
)

// urgentTypes are the kinds of urgent orders, with the words people use.
var urgentTypes = map[string]Kind{
	"ship": config.ItemShip, "shipping": config.ItemShip, "shipment": config.ItemShip, "发货": config.ItemShip, "急发": config.ItemShip, "催发货": config.ItemShip,
	"refund": config.ItemRefund, "退款": config.ItemRefund, "急退款": config.ItemRefund,
	"invoice": config.ItemInvoice, "发票": config.ItemInvoice,
	"complaint": config.ItemComplaint, "投诉": config.ItemComplaint,
}

var urgentOrder = []Kind{config.ItemShip, config.ItemRefund, config.ItemInvoice, config.ItemComplaint}

func isTypeKey(k string) bool { return k == "type" || k == "类型" || k == "kind" }
func isRatingKey(k string) bool {
	return k == "rating" || k == "评分" || k == "stars" || k == "星级"
}
func isProductKey(k string) bool { return k == "product" || k == "商品" || k == "宝贝" }
func isOrderKey(k string) bool   { return k == "order" || k == "订单" || k == "订单号" }

// flagRequest is what someone asked to flag, as typed or filled in.
type flagRequest struct {
	review                                     bool
	order, typ, shopRef, rating, product, text string
}

// span is a token and where it is in the text.
type span struct {
	text       string
	start, end int
}

// spans reads tokens as every command does (quotes, spaces around =).
func spans(s string) []span {
	var out []span
	for _, sp := range command.Spans(s) {
		out = append(out, span{sp.Text, sp.Start, sp.End})
	}
	return out
}

// parseFlag reads /urgent and /review: known key=value options anywhere,
// the first other token as the order number, and the rest as the note,
// with its line breaks kept.
func (r *Commands) parseFlag(text string, review bool) (flagRequest, []command.Problem) {
	req := flagRequest{review: review}
	var problems []command.Problem
	var consumed []span
	seen := map[string]bool{}
	for _, sp := range spans(text) {
		k, v, ok := command.SplitKV(sp.text)
		field := ""
		switch {
		case !ok:
		case command.IsShopKey(k):
			field = command.BlockShop
		case isOrderKey(k):
			field = blockOrder
		case !review && isTypeKey(k):
			field = blockType
		case review && isRatingKey(k):
			field = blockRating
		case review && isProductKey(k):
			field = blockProduct
		}
		if field == "" {
			// The first other token is the order number; the rest is the note.
			if !seen[blockOrder] {
				seen[blockOrder] = true
				req.order = sp.text
				consumed = append(consumed, sp)
			}
			continue
		}
		if seen[field] {
			msg := r.Tr.T("item.err_twice", command.TokenRef(sp.text))
			problems = append(problems, command.Says(field, msg))
		}
		seen[field] = true
		consumed = append(consumed, sp)
		switch field {
		case command.BlockShop:
			req.shopRef = v
		case blockOrder:
			req.order = v
		case blockType:
			req.typ = v
		case blockRating:
			req.rating = v
		case blockProduct:
			req.product = v
		}
	}
	// The note is the text without the tokens read as options.
	var b strings.Builder
	last := 0
	for _, sp := range consumed {
		if sp.start < last {
			continue
		}
		b.WriteString(text[last:sp.start])
		last = sp.end
	}
	b.WriteString(text[last:])
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	req.text = strings.TrimSpace(strings.Join(lines, "\n"))
	return req, problems
}

// checked is a flag request that passed every check.
type checked struct {
	shop                 config.Shop
	order, product, text string
	typ                  Kind
	rating               int
}

// checkFlag validates a request the same way for the command and the
// modal; problems name the modal block they are about.
func (r *Commands) checkFlag(cmd chat.Command, req flagRequest) (checked, []command.Problem) {
	var c checked
	var problems []command.Problem
	add := func(field, msg string) { problems = append(problems, command.Says(field, msg)) }

	order := strings.TrimSpace(req.order)
	pattern, err := regexp.Compile(r.Cfg.OrderIDPattern)
	switch {
	case order == "":
		add(blockOrder, r.Tr.T("item.err_order_missing"))
	case utf8.RuneCountInString(order) > maxOrderID:
		add(blockOrder, r.Tr.T("item.err_order_long", command.TokenRef(chat.Truncate(order, 24)), maxOrderID))
	case err != nil || !pattern.MatchString(order):
		add(blockOrder, r.Tr.T("item.err_order_bad", command.TokenRef(order), "`"+chat.Escape(r.Cfg.OrderIDPattern)+"`"))
	}
	c.order = order

	if req.review {
		c.typ = config.ItemReview
		if strings.TrimSpace(req.rating) != "" {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(req.rating), "星"))
			switch max := r.Cfg.BadReviewMax(); {
			case err != nil || n < 1 || n > 5:
				add(blockRating, r.Tr.T("item.err_rating", command.TokenRef(req.rating)))
			case n > max:
				add(blockRating, r.Tr.T("item.err_rating_high", n, max))
			}
			c.rating = n
		}
	} else {
		t := strings.ToLower(strings.TrimSpace(req.typ))
		switch typ, ok := urgentTypes[t]; {
		case t == "":
			add(blockType, r.Tr.T("item.err_type_missing"))
		case !ok:
			add(blockType, r.Tr.T("item.err_type_bad", command.TokenRef(req.typ)))
		default:
			c.typ = typ
		}
	}

	c.product = strings.TrimSpace(req.product)
	if n := utf8.RuneCountInString(c.product); n > maxProduct {
		add(blockProduct, r.Tr.T("item.err_too_long", r.Tr.T("item.field_product"), n, maxProduct))
	}
	c.text = strings.TrimSpace(req.text)
	textField, textBlock := "item.field_note", blockNote
	if req.review {
		textField, textBlock = "item.field_text", blockText
		if c.text == "" {
			add(blockText, r.Tr.T("item.err_text_missing"))
		}
	}
	if n := utf8.RuneCountInString(c.text); n > MaxText {
		add(textBlock, r.Tr.T("item.err_too_long", r.Tr.T(textField), n, MaxText))
	}

	shop, msg := r.ResolveShop(cmd, req.shopRef)
	if msg != "" {
		add(command.BlockShop, msg)
	}
	c.shop = shop
	return c, problems
}

// flagged is what flagging did.
type flagged struct {
	item    items.Item
	created bool
}

// flagItem opens the item, or adds the note to the open one of the same
// order and type, and queues its message, in one transaction.
func (r *Commands) flagItem(ctx context.Context, user string, c checked, at time.Time) (flagged, error) {
	rules, err := rulesFor(r.Cfg, r.days)
	if err != nil {
		return flagged{}, fmt.Errorf("sla rules: %w", err)
	}
	deadline := rules.Deadline(c.typ, at)
	n := store.NewItem{
		Shop: c.shop.ID, OrderID: c.order, Type: string(c.typ), Product: c.product, Text: c.text, Rating: c.rating,
		Channel: r.Cfg.ShopChannel(c.shop), FlaggedBy: user, At: at, Deadline: deadline,
	}
	if _, first, ok := rules.Schedule(c.typ, deadline).First(0); ok {
		n.NextAlertAt = &first
	}
	// Urgent refunds are the ones that turn into complaints and bad
	// reviews: customer service sees them too.
	if cs := r.Cfg.Channels.CS; c.typ == config.ItemRefund && cs != "" && !strings.EqualFold(strings.TrimPrefix(cs, "#"), strings.TrimPrefix(n.Channel, "#")) {
		n.CSChannel = cs
	}
	var f flagged
	err = r.store.Tx(ctx, func(tx *store.Store) error {
		it, created, err := tx.FlagItem(ctx, n)
		if err != nil {
			return err
		}
		f = flagged{item: it, created: created}
		if !created && c.text == "" {
			return nil // nothing changed
		}
		return publish(ctx, tx, r.Cfg, r.Tr, it, at, created)
	})
	if err == nil {
		r.Notify()
	}
	return f, err
}

// Urgent answers /urgent ORDER type=… [note…].
func (r *Commands) Urgent(ctx context.Context, cmd chat.Command) chat.Reply {
	return r.flagCommand(ctx, cmd, false)
}

// Review answers /review ORDER [rating=1-5] [product=…] text….
func (r *Commands) Review(ctx context.Context, cmd chat.Command) chat.Reply {
	return r.flagCommand(ctx, cmd, true)
}

func (r *Commands) flagCommand(ctx context.Context, cmd chat.Command, review bool) chat.Reply {
	usage := "item.usage_urgent"
	if review {
		usage = "item.usage_review"
	}
	if t := strings.ToLower(strings.TrimSpace(cmd.Text)); t == "" || t == "help" || t == "帮助" || t == "?" {
		text := r.Tr.T(usage)
		return chat.Note(text)
	}
	req, problems := r.parseFlag(cmd.Text, review)
	c, more := r.checkFlag(cmd, req)
	problems = append(problems, more...)
	if len(problems) > 0 {
		reply := r.ProblemList(command.Texts(problems))
		reply.Blocks = append(reply.Blocks, chat.Context(r.Tr.T(usage)))
		return reply
	}
	f, err := r.flagItem(ctx, cmd.UserID, c, cmd.At)
	if err != nil {
		return r.Fail(cmd, "flag item", err)
	}
	return r.flaggedReply(f, c, cmd.At)
}

func (r *Commands) flaggedReply(f flagged, c checked, now time.Time) chat.Reply {
	it := f.item
	var text string
	switch {
	case f.created:
		where := chat.ChannelMention(it.Channel)
		if it.CSChannel != "" {
			where += ", " + chat.ChannelMention(it.CSChannel)
		}
		text = r.Tr.T("item.flagged", Title(r.Tr, it), When(r.Cfg, r.Tr, it.Deadline), where)
	case c.text != "":
		text = r.Tr.T("item.duplicate_noted", "`"+chat.Escape(it.OrderID)+"`", Title(r.Tr, it), chat.Mention(it.FlaggedBy), When(r.Cfg, r.Tr, it.FlaggedAt))
	default:
		text = r.Tr.T("item.duplicate_same", "`"+chat.Escape(it.OrderID)+"`", Title(r.Tr, it), chat.Mention(it.FlaggedBy), When(r.Cfg, r.Tr, it.FlaggedAt))
	}
	msg := Message(r.Cfg, r.Tr, it, now)
	blocks := append([]slack.Block{chat.Section(text)}, withoutButtons(msg.Blocks)...)
	blocks = append(blocks, chat.Context(r.Tr.T("item.hint", it.ID)))
	return chat.Reply{Ephemeral: true, Text: text, Blocks: blocks}
}

// Ops answers the /ops subcommands of tracked items.
func (r *Commands) Ops(ctx context.Context, cmd chat.Command, sub string, args []string) chat.Reply {
	switch sub {
	case "open", "未结", "待办":
		return r.openItems(ctx, cmd, args)
	case "item", "事项":
		return r.showItem(ctx, cmd, args)
	case "take", "认领":
		if len(args) > 1 && (strings.EqualFold(args[1], "over") || args[1] == "接手") {
			return r.itemCommand(ctx, cmd, args[:1], r.takeOver)
		}
		return r.itemCommand(ctx, cmd, args, r.take)
	case "takeover", "接手":
		return r.itemCommand(ctx, cmd, args, r.takeOver)
	case "resolve", "解决":
		return r.itemCommand(ctx, cmd, args, r.resolveCmd)
	case "escalate", "升级":
		return r.itemCommand(ctx, cmd, args, r.escalate)
	case "withdraw", "撤回":
		return r.itemCommand(ctx, cmd, args, r.withdraw)
	}
	return chat.Error(r.Tr.T("err.unknown_ops", chat.Escape(sub)))
}

// openItems lists open items by deadline: /ops open [mine] [type=…] [shop=…].
func (r *Commands) openItems(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	f, problems := r.parseOpen(cmd, args)
	if len(problems) > 0 {
		return r.ReadProblems(problems)
	}
	open, total, err := r.queryOpen(ctx, f)
	if err != nil {
		return r.Fail(cmd, "open items", err)
	}
	return r.renderOpen(open, total, cmd.At)
}

// openLimit is how many open items one answer lists.
const openLimit = 25

// parseOpen reads the filter of /ops open; every problem is listed.
func (r *Commands) parseOpen(cmd chat.Command, args []string) (store.ItemFilter, []string) {
	var f store.ItemFilter
	var problems []string
	for _, a := range args {
		k, v, ok := command.SplitKV(a)
		switch {
		case !ok && (strings.EqualFold(a, "mine") || a == "我的"):
			f.Assignee = cmd.UserID
		case ok && isTypeKey(k):
			t, known := urgentTypes[strings.ToLower(v)]
			if strings.EqualFold(v, "review") || v == "差评" || v == "评价" {
				t, known = config.ItemReview, true
			}
			if !known {
				problems = append(problems, r.Tr.T("item.err_type_bad", command.TokenRef(a)))
			}
			f.Type = string(t)
		case ok && command.IsShopKey(k):
			s, msg := r.ResolveShop(cmd, v)
			if msg != "" {
				problems = append(problems, msg)
			}
			f.Shop = s.ID
		default:
			problems = append(problems, r.Tr.T("item.err_open_filter", command.TokenRef(a)))
		}
	}
	return f, problems
}

// queryOpen reads the first openLimit items the filter matches, and how
// many it matches in all.
func (r *Commands) queryOpen(ctx context.Context, f store.ItemFilter) ([]items.Item, int64, error) {
	f.Limit = openLimit
	open, err := r.store.OpenItems(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	total := int64(len(open))
	if len(open) == openLimit {
		f.Limit = 0
		if total, err = r.store.CountOpenItems(ctx, f); err != nil {
			return nil, 0, fmt.Errorf("count open items: %w", err)
		}
	}
	return open, total, nil
}

// renderOpen is the list of open items, with how many more there are.
func (r *Commands) renderOpen(open []items.Item, total int64, now time.Time) chat.Reply {
	header := r.Tr.T("item.open_title", total)
	if len(open) == 0 {
		text := r.Tr.T("item.open_none")
		return chat.Reply{Ephemeral: true, Text: header, Blocks: []slack.Block{chat.Header(header), chat.Section(text)}}
	}
	var lines []string
	for _, it := range open {
		lines = append(lines, Line(r.Cfg, r.Tr, it, now))
	}
	blocks := []slack.Block{chat.Header(header), chat.Section(chat.Truncate(strings.Join(lines, "\n"), 2900))}
	if rest := total - int64(len(open)); rest > 0 {
		blocks = append(blocks, chat.Context(r.Tr.T("item.open_more", rest)))
	}
	blocks = append(blocks, chat.Context(r.Tr.T("item.open_hint")))
	return chat.Reply{Ephemeral: true, Text: header, Blocks: blocks}
}

// findItem reads the item an argument names, or says what is wrong.
func (r *Commands) findItem(ctx context.Context, cmd chat.Command, ref string) (items.Item, *chat.Reply) {
	id, ok := ParseID(ref)
	if !ok {
		e := chat.Error(r.Tr.T("item.err_id", chat.Escape(ref)))
		return items.Item{}, &e
	}
	it, err := r.store.TrackedItem(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		e := chat.Error(r.Tr.T("item.err_not_found", id))
		return it, &e
	}
	if err != nil {
		e := r.Fail(cmd, "read item", err)
		return it, &e
	}
	return it, nil
}

// showItem is /ops item ID: the item and its whole history.
func (r *Commands) showItem(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if len(args) != 1 {
		return chat.Error(r.Tr.T("item.err_id", chat.Escape(strings.Join(args, " "))))
	}
	it, bad := r.findItem(ctx, cmd, args[0])
	if bad != nil {
		return *bad
	}
	events, err := r.store.ItemEvents(ctx, it.ID)
	if err != nil {
		return r.Fail(cmd, "item history", err)
	}
	msg := Message(r.Cfg, r.Tr, it, cmd.At)
	history := "*" + r.Tr.T("item.history_title") + "*\n" + strings.Join(History(r.Cfg, r.Tr, events), "\n")
	blocks := append(withoutButtons(msg.Blocks), chat.Section(chat.Truncate(history, 2900)))
	return chat.Reply{Ephemeral: true, Text: msg.Text, Blocks: blocks}
}

// itemAction is one thing done to an item by a person.
type itemAction func(ctx context.Context, it items.Item, user, note string, at time.Time) (string, error)

// itemCommand answers /ops take|resolve|escalate ID [note…].
func (r *Commands) itemCommand(ctx context.Context, cmd chat.Command, args []string, act itemAction) chat.Reply {
	if len(args) == 0 {
		return chat.Error(r.Tr.T("item.err_id_missing"))
	}
	it, bad := r.findItem(ctx, cmd, args[0])
	if bad != nil {
		return *bad
	}
	// The note is the text after the subcommand and the ID, as typed.
	note := ""
	if sp := spans(cmd.Text); len(sp) > 2 {
		note = strings.TrimSpace(cmd.Text[sp[2].start:])
	}
	text, err := act(ctx, it, cmd.UserID, note, cmd.At)
	var no refusal
	switch {
	case errors.As(err, &no):
		return chat.Error(string(no))
	case err != nil:
		return r.Fail(cmd, "change item", err)
	}
	return chat.Note(text)
}

// refusal is an action refused with a message for the person.
type refusal string

func (e refusal) Error() string { return string(e) }

// closed explains that an item was resolved already.
func (r *Commands) closed(ctx context.Context, id uint64) error {
	it, err := r.store.TrackedItem(ctx, id)
	if err != nil {
		return err
	}
	when := ""
	if it.ResolvedAt != nil {
		when = When(r.Cfg, r.Tr, *it.ResolvedAt)
	}
	return refusal(r.Tr.T("item.err_closed", Title(r.Tr, it), chat.Mention(it.ResolvedBy), when))
}

// change runs one change of an item and queues the update of its message.
func (r *Commands) changeItem(ctx context.Context, id uint64, at time.Time, fn func(tx *store.Store) (items.Item, bool, error)) (items.Item, bool, error) {
	var it items.Item
	var changed bool
	err := r.store.Tx(ctx, func(tx *store.Store) error {
		var err error
		if it, changed, err = fn(tx); err != nil || !changed {
			return err
		}
		return publish(ctx, tx, r.Cfg, r.Tr, it, at, false)
	})
	if errors.Is(err, items.ErrClosed) {
		return it, false, r.closed(ctx, id)
	}
	if err == nil && changed {
		r.Notify()
	}
	return it, changed, err
}

// withoutButtons drops the action blocks of a message shown in a private
// reply: buttons act only on the bot's posted message (see fromItemMessage).
func withoutButtons(blocks []slack.Block) []slack.Block {
	out := make([]slack.Block, 0, len(blocks))
	for _, b := range blocks {
		if b.BlockType() != slack.MBTAction {
			out = append(out, b)
		}
	}
	return out
}

// authorize refuses an act that May does not allow, saying who may.
func (r *Commands) authorize(it items.Item, user string, act Act) error {
	if May(r.Cfg, it, user, act) {
		return nil
	}
	holder := it.Assignee
	if holder == "" {
		holder = it.FlaggedBy
	}
	leads := ""
	if who := Allowed(r.Cfg, it.Type, act); len(who) > 0 {
		names := make([]string, len(who))
		for i, w := range who {
			names[i] = ownerName(r.Cfg, w)
		}
		leads = r.Tr.T("access.leads", strings.Join(names, ", "))
	}
	return refusal(r.Tr.T("access.err_not_allowed", r.Tr.T("access.act_"+string(act)), Title(r.Tr, it), Who(r.Tr, holder), leads))
}

// ownerName shows a role by name and a user by mention.
func ownerName(cfg *config.Config, ref string) string {
	ref = strings.TrimPrefix(strings.TrimSpace(ref), "@")
	if _, isRole := cfg.Roles[strings.ToLower(ref)]; isRole || strings.EqualFold(ref, everyone) {
		return chat.Escape(ref)
	}
	return chat.Mention(ref)
}

func (r *Commands) take(ctx context.Context, it items.Item, user, _ string, at time.Time) (string, error) {
	return r.takeItem(ctx, it, user, at, false)
}

func (r *Commands) takeOver(ctx context.Context, it items.Item, user, _ string, at time.Time) (string, error) {
	return r.takeItem(ctx, it, user, at, true)
}

// takeItem gives an item to user. An item somebody else holds changes
// hands only by an explicit take over, and its holder is told in the
// item's channel.
func (r *Commands) takeItem(ctx context.Context, it items.Item, user string, at time.Time, over bool) (string, error) {
	if !it.Open() {
		return "", r.closed(ctx, it.ID)
	}
	if it.Assignee == user {
		return r.Tr.T("item.took_already", Title(r.Tr, it), Countdown(r.Cfg, r.Tr, it, at)), nil
	}
	from := it.Assignee
	act := ActTake
	if from != "" {
		if !over {
			return "", refusal(r.Tr.T("access.err_held", Title(r.Tr, it), chat.Mention(from), it.ID))
		}
		act = ActTakeOver
	}
	if err := r.authorize(it, user, act); err != nil {
		return "", err
	}
	it, changed, err := r.changeItem(ctx, it.ID, at, func(tx *store.Store) (items.Item, bool, error) {
		it, changed, err := tx.TakeItem(ctx, it.ID, user, from, at)
		if err != nil || !changed || from == "" {
			return it, changed, err
		}
		text := r.Tr.T("access.taken_over", chat.Mention(from), chat.Mention(user), Title(r.Tr, it), r.Tr.T("item.order", "`"+chat.Escape(it.OrderID)+"`"))
		_, err = chat.Enqueue(ctx, tx, store.Outgoing{Channel: it.Channel}, chat.Reply{Text: text, Blocks: []slack.Block{chat.Section(text)}})
		return it, true, err
	})
	if err != nil {
		return "", err
	}
	switch {
	case !changed && it.Assignee == user:
		return r.Tr.T("item.took_already", Title(r.Tr, it), Countdown(r.Cfg, r.Tr, it, at)), nil
	case !changed:
		return "", refusal(r.Tr.T("access.err_raced", Title(r.Tr, it), Who(r.Tr, it.Assignee)))
	case from != "":
		return r.Tr.T("access.took_over", Title(r.Tr, it), chat.Mention(from), Countdown(r.Cfg, r.Tr, it, at)), nil
	}
	return r.Tr.T("item.took", Title(r.Tr, it), Countdown(r.Cfg, r.Tr, it, at)), nil
}

// checkResolution is the note a resolution needs; "" when it is fine.
func (r *Commands) checkResolution(note string) string {
	switch n := utf8.RuneCountInString(strings.TrimSpace(note)); {
	case n == 0:
		return r.Tr.T("item.err_note_required")
	case n > MaxText:
		return r.Tr.T("item.err_too_long", r.Tr.T("item.field_resolution"), n, MaxText)
	}
	return ""
}

func (r *Commands) resolveCmd(ctx context.Context, it items.Item, user, note string, at time.Time) (string, error) {
	if msg := r.checkResolution(note); msg != "" {
		return "", refusal(msg)
	}
	return r.resolve(ctx, it, user, note, at)
}

func (r *Commands) resolve(ctx context.Context, it items.Item, user, note string, at time.Time) (string, error) {
	if it.Open() {
		if err := r.authorize(it, user, ActResolve); err != nil {
			return "", err
		}
	}
	it, _, err := r.changeItem(ctx, it.ID, at, func(tx *store.Store) (items.Item, bool, error) {
		it, err := tx.ResolveItem(ctx, it.ID, user, strings.TrimSpace(note), at)
		return it, err == nil, err
	})
	if err != nil {
		return "", err
	}
	return r.Tr.T("item.resolved", Title(r.Tr, it), Duration(r.Tr, at.Sub(it.FlaggedAt))), nil
}

// withdraw takes back an item flagged by mistake: /ops withdraw ID
// REASON…. Only whoever flagged it, or a manager, may; the reason is
// required and audited with what the item was.
func (r *Commands) withdraw(ctx context.Context, it items.Item, user, reason string, at time.Time) (string, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case user != it.FlaggedBy && !r.Cfg.IsManager(user):
		return "", refusal(r.Tr.T("item.err_withdraw_who", Title(r.Tr, it), chat.Mention(it.FlaggedBy)))
	case reason == "":
		return "", refusal(r.Tr.T("item.err_withdraw_reason", it.ID))
	case utf8.RuneCountInString(reason) > MaxText:
		return "", refusal(r.Tr.T("item.err_too_long", r.Tr.T("item.field_note"), utf8.RuneCountInString(reason), MaxText))
	}
	it, _, err := r.changeItem(ctx, it.ID, at, func(tx *store.Store) (items.Item, bool, error) {
		it, err := tx.WithdrawItem(ctx, it.ID, user, reason, at)
		return it, err == nil, err
	})
	if err != nil {
		return "", err
	}
	return r.Tr.T("item.withdrawn", Title(r.Tr, it), quoteInline(reason)), nil
}

func (r *Commands) escalate(ctx context.Context, it items.Item, user, note string, at time.Time) (string, error) {
	if n := utf8.RuneCountInString(note); n > MaxText {
		return "", refusal(r.Tr.T("item.err_too_long", r.Tr.T("item.field_note"), n, MaxText))
	}
	if it.Open() && it.EscalatedAt == nil {
		if err := r.authorize(it, user, ActEscalate); err != nil {
			return "", err
		}
	}
	it, changed, err := r.changeItem(ctx, it.ID, at, func(tx *store.Store) (items.Item, bool, error) {
		it, changed, err := tx.EscalateItem(ctx, it.ID, user, note, at)
		if err != nil || !changed {
			return it, changed, err
		}
		channel, msg := Escalation(r.Cfg, r.Tr, it, user, note, at)
		_, err = chat.Enqueue(ctx, tx, store.Outgoing{Channel: channel}, msg)
		return it, true, err
	})
	if err != nil {
		return "", err
	}
	if !changed {
		return r.Tr.T("item.escalated_already", Title(r.Tr, it), chat.Mention(it.EscalatedBy)), nil
	}
	channel, _ := Escalation(r.Cfg, r.Tr, it, user, note, at)
	return r.Tr.T("item.escalated", Title(r.Tr, it), chat.ChannelMention(channel)), nil
}

// itemMeta travels in the resolve modal: which item, and where it was
// opened.
type itemMeta struct {
	ID      uint64 `json:"id"`
	Channel string `json:"c,omitempty"`
}

// Interact answers the shortcuts, buttons and modals of tracked items.
func (r *Commands) Interact(ctx context.Context, in chat.Interaction) chat.Outcome {
	switch {
	case in.Kind == chat.KindShortcut && in.CallbackID == CallbackFlagUrgent, in.Kind == chat.KindAction && in.ActionID == ActionFlagUrgent:
		v := r.flagModal(in, false)
		return chat.Outcome{OpenModal: &v}
	case in.Kind == chat.KindShortcut && in.CallbackID == CallbackLogReview, in.Kind == chat.KindAction && in.ActionID == ActionLogReview:
		v := r.flagModal(in, true)
		return chat.Outcome{OpenModal: &v}
	case in.Kind == chat.KindSubmission && in.CallbackID == CallbackFlagUrgent:
		return r.submitFlag(ctx, in, false)
	case in.Kind == chat.KindSubmission && in.CallbackID == CallbackLogReview:
		return r.submitFlag(ctx, in, true)
	case in.Kind == chat.KindSubmission && in.CallbackID == CallbackResolveItem:
		return r.submitResolve(ctx, in)
	}
	return r.button(ctx, in)
}

// button answers a button on an item's message: it finds the item the
// message is about, checks the press came from that message, acts, and
// tells the person.
func (r *Commands) button(ctx context.Context, in chat.Interaction) chat.Outcome {
	it, no := r.buttonItem(ctx, in)
	if no != nil {
		return chat.Outcome{Ephemeral: no}
	}
	if in.ActionID == ActionResolve && it.Open() {
		// Resolving asks for the resolution first.
		if err := r.authorize(it, in.UserID, ActResolve); err != nil {
			return chat.Outcome{Ephemeral: command.Ptr(chat.Error(err.Error()))}
		}
		v := r.resolveModal(in, it)
		return chat.Outcome{OpenModal: &v}
	}
	act := map[string]itemAction{
		ActionTake:     r.take,
		ActionEscalate: r.escalate,
		ActionResolve:  r.resolve, // refused: resolved already
	}[in.ActionID]
	if act == nil {
		return chat.Outcome{Ephemeral: command.Ptr(chat.Error(r.Tr.T("item.err_button")))}
	}
	text, err := act(ctx, it, in.UserID, "", in.At)
	var refused refusal
	switch {
	case errors.As(err, &refused):
		return chat.Outcome{Ephemeral: command.Ptr(chat.Error(string(refused)))}
	case err != nil:
		r.Log.Error("item button", "action", in.ActionID, "item", it.ID, "user", in.UserID, "err", err)
		return chat.Outcome{Ephemeral: command.Ptr(chat.Error(r.Tr.T("err.internal")))}
	}
	return chat.Outcome{Ephemeral: command.Ptr(chat.Note(text))}
}

// buttonItem is the item a button names, when the button is on a message
// the bot posted for that item; otherwise the reply that refuses it.
func (r *Commands) buttonItem(ctx context.Context, in chat.Interaction) (items.Item, *chat.Reply) {
	cmd := chat.Command{UserID: in.UserID, UserName: in.UserName, ChannelID: in.ChannelID, Name: in.ActionID, At: in.At}
	it, bad := r.findItem(ctx, cmd, in.Value)
	if bad != nil {
		return it, bad
	}
	ok, err := command.PostedAt(ctx, r.store, in, it.Ref(), it.CSRef())
	if err != nil {
		r.Log.Error("check a button's message", "item", it.ID, "err", err)
		return it, command.Ptr(chat.Error(r.Tr.T("err.internal")))
	}
	if !ok {
		r.Log.Warn("refused a button not on the item's message", "item", it.ID, "user", in.UserID, "channel", in.ChannelID, "ts", in.MessageTS)
		return it, command.Ptr(chat.Error(r.Tr.T("access.err_provenance")))
	}
	return it, nil
}

func input(blockID, label string, el slack.BlockElement, optional bool) *slack.InputBlock {
	b := slack.NewInputBlock(blockID, chat.PlainText(label), nil, el)
	b.Optional = optional
	return b
}

func multiline(placeholder string, maxLen int) *slack.PlainTextInputBlockElement {
	el := slack.NewPlainTextInputBlockElement(chat.PlainText(placeholder), "value")
	el.Multiline = true
	el.MaxLength = maxLen
	return el
}

// flagModal is the form for an urgent order or a review.
func (r *Commands) flagModal(in chat.Interaction, review bool) slack.ModalViewRequest {
	meta := r.Seal(in.UserID, command.ModalMeta{Channel: in.ChannelID})
	order := slack.NewPlainTextInputBlockElement(chat.PlainText(r.Tr.T("item.modal_order_hint")), "value")
	order.MaxLength = maxOrderID
	blocks := []slack.Block{input(blockOrder, r.Tr.T("item.modal_order"), order, false)}
	callback, title := CallbackFlagUrgent, r.Tr.T("item.modal_urgent_title")
	if review {
		callback, title = CallbackLogReview, r.Tr.T("item.modal_review_title")
		var opts []*slack.OptionBlockObject
		for n := 1; n <= 5; n++ {
			opts = append(opts, slack.NewOptionBlockObject(strconv.Itoa(n), chat.PlainText(strings.Repeat("★", n)+" "+strconv.Itoa(n)), nil))
		}
		rating := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, chat.PlainText(r.Tr.T("item.modal_rating")), "value", opts...)
		product := slack.NewPlainTextInputBlockElement(chat.PlainText(r.Tr.T("item.modal_product")), "value")
		product.MaxLength = maxProduct
		blocks = append(blocks,
			input(blockRating, r.Tr.T("item.modal_rating"), rating, true),
			input(blockProduct, r.Tr.T("item.modal_product"), product, true),
			input(blockText, r.Tr.T("item.modal_text"), multiline(r.Tr.T("item.modal_text"), MaxText), false))
	} else {
		var opts []*slack.OptionBlockObject
		for _, t := range urgentOrder {
			opts = append(opts, slack.NewOptionBlockObject(string(t), chat.PlainText(r.Tr.T("item.name_"+string(t))), nil))
		}
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, chat.PlainText(r.Tr.T("item.modal_type")), "value", opts...)
		blocks = append(blocks,
			input(blockType, r.Tr.T("item.modal_type"), sel, false),
			input(blockNote, r.Tr.T("item.modal_note"), multiline(r.Tr.T("item.modal_note"), MaxText), true))
	}
	if picker := r.ShopPicker(in.ChannelID); picker != nil {
		blocks = append(blocks, picker)
	}
	return chat.Modal(callback, title, r.Tr.T("item.modal_submit"), r.Tr.T("modal.close"), meta, blocks)
}

// submitFlag validates the form as the command does; problems go under
// their fields and nothing is stored.
func (r *Commands) submitFlag(ctx context.Context, in chat.Interaction, review bool) chat.Outcome {
	var meta command.ModalMeta
	if !r.Unseal(in.UserID, in.Metadata, &meta) {
		return chat.Outcome{FieldErrors: map[string]string{blockOrder: chat.Truncate(r.Tr.T("access.err_form_stale"), 150)}}
	}
	v := in.Values
	req := flagRequest{review: review, order: v[blockOrder], typ: v[blockType], shopRef: v[command.BlockShop], rating: v[blockRating], product: v[blockProduct], text: v[blockNote]}
	if review {
		req.text = v[blockText]
	}
	cmd := chat.Command{UserID: in.UserID, UserName: in.UserName, ChannelID: meta.Channel, At: in.At}
	c, problems := r.checkFlag(cmd, req)
	if len(problems) > 0 {
		errs := map[string]string{}
		for _, p := range problems {
			id := p.Field
			if id == command.BlockShop && len(r.Cfg.Shops) <= 1 {
				id = blockOrder
			}
			if _, taken := errs[id]; !taken {
				errs[id] = chat.Truncate(p.Reason, 150)
			}
		}
		return chat.Outcome{FieldErrors: errs}
	}
	if _, err := r.flagItem(ctx, in.UserID, c, in.At); err != nil {
		r.Log.Error("flag item from modal", "user", in.UserID, "err", err)
		return chat.Outcome{FieldErrors: map[string]string{blockOrder: r.Tr.T("err.internal")}}
	}
	return chat.Outcome{}
}

// resolveModal asks how an item was resolved; the note is required.
func (r *Commands) resolveModal(in chat.Interaction, it items.Item) slack.ModalViewRequest {
	meta := r.Seal(in.UserID, itemMeta{ID: it.ID, Channel: in.ChannelID})
	note := multiline(r.Tr.T("item.modal_resolution_hint"), MaxText)
	note.MinLength = 1
	blocks := []slack.Block{
		chat.Section(chat.Escape(Title(r.Tr, it)) + " · " + r.Tr.T("item.order", "`"+chat.Escape(it.OrderID)+"`")),
		input(blockNote, r.Tr.T("item.modal_resolution"), note, false),
	}
	return chat.Modal(CallbackResolveItem, r.Tr.T("item.modal_resolve_title"), r.Tr.T("item.resolve_button"), r.Tr.T("modal.close"), meta, blocks)
}

func (r *Commands) submitResolve(ctx context.Context, in chat.Interaction) chat.Outcome {
	var meta itemMeta
	if !r.Unseal(in.UserID, in.Metadata, &meta) || meta.ID == 0 {
		return chat.Outcome{FieldErrors: map[string]string{blockNote: chat.Truncate(r.Tr.T("access.err_form_stale"), 150)}}
	}
	note := in.Values[blockNote]
	if msg := r.checkResolution(note); msg != "" {
		return chat.Outcome{FieldErrors: map[string]string{blockNote: chat.Truncate(msg, 150)}}
	}
	it, err := r.store.TrackedItem(ctx, meta.ID)
	if err == nil {
		_, err = r.resolve(ctx, it, in.UserID, note, in.At)
	}
	var no refusal
	switch {
	case errors.As(err, &no):
		return chat.Outcome{FieldErrors: map[string]string{blockNote: chat.Truncate(string(no), 150)}}
	case err != nil:
		r.Log.Error("resolve item from modal", "item", meta.ID, "user", in.UserID, "err", err)
		return chat.Outcome{FieldErrors: map[string]string{blockNote: r.Tr.T("err.internal")}}
	}
	return chat.Outcome{}
}
