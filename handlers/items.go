package handlers

import (
	"context"
	"encoding/json"
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
	"opsbot/tracked"
)

// ItemStore is what the commands and buttons of tracked items (urgent
// orders, bad reviews) read; changes go through Tx with their messages.
type ItemStore interface {
	TrackedItem(ctx context.Context, id uint64) (store.TrackedItem, error)
	ItemEvents(ctx context.Context, id uint64) ([]store.ItemEvent, error)
	OpenItems(ctx context.Context, f store.ItemFilter) ([]store.TrackedItem, error)
	CountOpenItems(ctx context.Context, f store.ItemFilter) (int64, error)
}

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
var urgentTypes = map[string]string{
	"ship": "ship", "shipping": "ship", "shipment": "ship", "发货": "ship", "急发": "ship", "催发货": "ship",
	"refund": "refund", "退款": "refund", "急退款": "refund",
	"invoice": "invoice", "发票": "invoice",
	"complaint": "complaint", "投诉": "complaint",
}

var urgentOrder = []string{"ship", "refund", "invoice", "complaint"}

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
func (r *Router) parseFlag(text string, review bool) (flagRequest, []problem) {
	req := flagRequest{review: review}
	var problems []problem
	var consumed []span
	seen := map[string]bool{}
	for _, sp := range spans(text) {
		k, v, ok := splitKV(sp.text)
		field := ""
		switch {
		case !ok:
		case isShopKey(k):
			field = blockShop
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
			msg := r.tr.T("item.err_twice", tokenRef(sp.text))
			problems = append(problems, problem{field, msg, msg})
		}
		seen[field] = true
		consumed = append(consumed, sp)
		switch field {
		case blockShop:
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
	shop                      config.Shop
	order, typ, product, text string
	rating                    int
}

// checkFlag validates a request the same way for the command and the
// modal; problems name the modal block they are about.
func (r *Router) checkFlag(cmd chat.Command, req flagRequest) (checked, []problem) {
	var c checked
	var problems []problem
	add := func(field, msg string) { problems = append(problems, problem{field, msg, msg}) }

	order := strings.TrimSpace(req.order)
	pattern, err := regexp.Compile(r.cfg.OrderIDPattern)
	switch {
	case order == "":
		add(blockOrder, r.tr.T("item.err_order_missing"))
	case utf8.RuneCountInString(order) > tracked.MaxOrderID:
		add(blockOrder, r.tr.T("item.err_order_long", tokenRef(chat.Truncate(order, 24)), tracked.MaxOrderID))
	case err != nil || !pattern.MatchString(order):
		add(blockOrder, r.tr.T("item.err_order_bad", tokenRef(order), "`"+chat.Escape(r.cfg.OrderIDPattern)+"`"))
	}
	c.order = order

	if req.review {
		c.typ = "review"
		if strings.TrimSpace(req.rating) != "" {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(req.rating), "星"))
			switch max := r.cfg.BadReviewMax(); {
			case err != nil || n < 1 || n > 5:
				add(blockRating, r.tr.T("item.err_rating", tokenRef(req.rating)))
			case n > max:
				add(blockRating, r.tr.T("item.err_rating_high", n, max))
			}
			c.rating = n
		}
	} else {
		t := strings.ToLower(strings.TrimSpace(req.typ))
		switch typ, ok := urgentTypes[t]; {
		case t == "":
			add(blockType, r.tr.T("item.err_type_missing"))
		case !ok:
			add(blockType, r.tr.T("item.err_type_bad", tokenRef(req.typ)))
		default:
			c.typ = typ
		}
	}

	c.product = strings.TrimSpace(req.product)
	if n := utf8.RuneCountInString(c.product); n > tracked.MaxProduct {
		add(blockProduct, r.tr.T("item.err_too_long", r.tr.T("item.field_product"), n, tracked.MaxProduct))
	}
	c.text = strings.TrimSpace(req.text)
	textField, textBlock := "item.field_note", blockNote
	if req.review {
		textField, textBlock = "item.field_text", blockText
		if c.text == "" {
			add(blockText, r.tr.T("item.err_text_missing"))
		}
	}
	if n := utf8.RuneCountInString(c.text); n > tracked.MaxText {
		add(textBlock, r.tr.T("item.err_too_long", r.tr.T(textField), n, tracked.MaxText))
	}

	shop, msg := r.resolveShop(cmd, req.shopRef)
	if msg != "" {
		add(blockShop, msg)
	}
	c.shop = shop
	return c, problems
}

// flagged is what flagging did.
type flagged struct {
	item    store.TrackedItem
	created bool
}

// flagItem opens the item, or adds the note to the open one of the same
// order and type, and queues its message, in one transaction.
func (r *Router) flagItem(ctx context.Context, user string, c checked, at time.Time) (flagged, error) {
	rules, err := tracked.Rules(r.cfg, r.cal)
	if err != nil {
		return flagged{}, fmt.Errorf("sla rules: %w", err)
	}
	deadline := rules.Deadline(c.typ, at)
	n := store.NewItem{
		Shop: c.shop.ID, OrderID: c.order, Type: c.typ, Product: c.product, Text: c.text, Rating: c.rating,
		Channel: r.cfg.ShopChannel(c.shop), FlaggedBy: user, At: at, Deadline: deadline,
	}
	if _, first, ok := rules.Schedule(c.typ, deadline).First(0); ok {
		n.NextAlertAt = &first
	}
	// Urgent refunds are the ones that turn into complaints and bad
	// reviews: customer service sees them too.
	if cs := r.cfg.Channels.CS; c.typ == "refund" && cs != "" && !strings.EqualFold(strings.TrimPrefix(cs, "#"), strings.TrimPrefix(n.Channel, "#")) {
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
		return tracked.Publish(ctx, tx, r.cfg, r.tr, it, at, created)
	})
	if err == nil {
		r.notify()
	}
	return f, err
}

// urgent answers /urgent ORDER type=… [note…].
func (r *Router) urgent(ctx context.Context, cmd chat.Command) chat.Reply {
	return r.flagCommand(ctx, cmd, false)
}

// review answers /review ORDER [rating=1-5] [product=…] text….
func (r *Router) review(ctx context.Context, cmd chat.Command) chat.Reply {
	return r.flagCommand(ctx, cmd, true)
}

func (r *Router) flagCommand(ctx context.Context, cmd chat.Command, review bool) chat.Reply {
	usage := "item.usage_urgent"
	if review {
		usage = "item.usage_review"
	}
	if t := strings.ToLower(strings.TrimSpace(cmd.Text)); t == "" || t == "help" || t == "帮助" || t == "?" {
		text := r.tr.T(usage)
		return chat.Reply{Ephemeral: true, Text: text, Blocks: []slack.Block{chat.Section(text)}}
	}
	req, problems := r.parseFlag(cmd.Text, review)
	c, more := r.checkFlag(cmd, req)
	problems = append(problems, more...)
	if len(problems) > 0 {
		reply := r.problemList(texts(problems))
		reply.Blocks = append(reply.Blocks, chat.Context(r.tr.T(usage)))
		return reply
	}
	f, err := r.flagItem(ctx, cmd.UserID, c, cmd.At)
	if err != nil {
		return r.fail(cmd, "flag item", err)
	}
	return r.flaggedReply(f, c, cmd.At)
}

func (r *Router) flaggedReply(f flagged, c checked, now time.Time) chat.Reply {
	it := f.item
	var text string
	switch {
	case f.created:
		where := chat.Escape(it.Channel)
		if it.CSChannel != "" {
			where += ", " + chat.Escape(it.CSChannel)
		}
		text = r.tr.T("item.flagged", tracked.Title(r.tr, it), tracked.When(r.cfg, r.tr, it.Deadline), where)
	case c.text != "":
		text = r.tr.T("item.duplicate_noted", "`"+chat.Escape(it.OrderID)+"`", tracked.Title(r.tr, it), chat.Mention(it.FlaggedBy), tracked.When(r.cfg, r.tr, it.FlaggedAt))
	default:
		text = r.tr.T("item.duplicate_same", "`"+chat.Escape(it.OrderID)+"`", tracked.Title(r.tr, it), chat.Mention(it.FlaggedBy), tracked.When(r.cfg, r.tr, it.FlaggedAt))
	}
	msg := tracked.Message(r.cfg, r.tr, it, now)
	blocks := append([]slack.Block{chat.Section(text)}, msg.Blocks...)
	blocks = append(blocks, chat.Context(r.tr.T("item.hint", it.ID)))
	return chat.Reply{Ephemeral: true, Text: text, Blocks: blocks}
}

// itemOps answers the /ops subcommands of tracked items.
func (r *Router) itemOps(ctx context.Context, cmd chat.Command, sub string, args []string) chat.Reply {
	switch sub {
	case "open", "未结", "待办":
		return r.openItems(ctx, cmd, args)
	case "item", "事项":
		return r.showItem(ctx, cmd, args)
	case "take", "认领":
		return r.itemCommand(ctx, cmd, args, r.take)
	case "resolve", "解决":
		return r.itemCommand(ctx, cmd, args, r.resolveCmd)
	case "escalate", "升级":
		return r.itemCommand(ctx, cmd, args, r.escalate)
	}
	return chat.Error(r.tr.T("err.unknown_ops", chat.Escape(sub)))
}

// openItems lists open items by deadline: /ops open [mine] [type=…] [shop=…].
func (r *Router) openItems(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	var f store.ItemFilter
	var problems []string
	for _, a := range args {
		k, v, ok := splitKV(a)
		switch {
		case !ok && (strings.EqualFold(a, "mine") || a == "我的"):
			f.Assignee = cmd.UserID
		case ok && isTypeKey(k):
			t, known := urgentTypes[strings.ToLower(v)]
			if strings.EqualFold(v, "review") || v == "差评" || v == "评价" {
				t, known = "review", true
			}
			if !known {
				problems = append(problems, r.tr.T("item.err_type_bad", tokenRef(a)))
			}
			f.Type = t
		case ok && isShopKey(k):
			s, msg := r.resolveShop(cmd, v)
			if msg != "" {
				problems = append(problems, msg)
			}
			f.Shop = s.ID
		default:
			problems = append(problems, r.tr.T("item.err_open_filter", tokenRef(a)))
		}
	}
	if len(problems) > 0 {
		return r.readProblems(problems)
	}
	const limit = 25
	f.Limit = limit
	items, err := r.store.OpenItems(ctx, f)
	if err != nil {
		return r.fail(cmd, "open items", err)
	}
	total := int64(len(items))
	if len(items) == limit {
		f.Limit = 0
		if total, err = r.store.CountOpenItems(ctx, f); err != nil {
			return r.fail(cmd, "count open items", err)
		}
	}
	header := r.tr.T("item.open_title", total)
	if len(items) == 0 {
		text := r.tr.T("item.open_none")
		return chat.Reply{Ephemeral: true, Text: header, Blocks: []slack.Block{chat.Header(header), chat.Section(text)}}
	}
	var lines []string
	for _, it := range items {
		lines = append(lines, tracked.Line(r.cfg, r.tr, it, cmd.At))
	}
	blocks := []slack.Block{chat.Header(header), chat.Section(chat.Truncate(strings.Join(lines, "\n"), 2900))}
	if rest := total - int64(len(items)); rest > 0 {
		blocks = append(blocks, chat.Context(r.tr.T("item.open_more", rest)))
	}
	blocks = append(blocks, chat.Context(r.tr.T("item.open_hint")))
	return chat.Reply{Ephemeral: true, Text: header, Blocks: blocks}
}

// findItem reads the item an argument names, or says what is wrong.
func (r *Router) findItem(ctx context.Context, cmd chat.Command, ref string) (store.TrackedItem, *chat.Reply) {
	id, ok := tracked.ParseID(ref)
	if !ok {
		e := chat.Error(r.tr.T("item.err_id", chat.Escape(ref)))
		return store.TrackedItem{}, &e
	}
	it, err := r.store.TrackedItem(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		e := chat.Error(r.tr.T("item.err_not_found", id))
		return it, &e
	}
	if err != nil {
		e := r.fail(cmd, "read item", err)
		return it, &e
	}
	return it, nil
}

// showItem is /ops item ID: the item and its whole history.
func (r *Router) showItem(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if len(args) != 1 {
		return chat.Error(r.tr.T("item.err_id", chat.Escape(strings.Join(args, " "))))
	}
	it, bad := r.findItem(ctx, cmd, args[0])
	if bad != nil {
		return *bad
	}
	events, err := r.store.ItemEvents(ctx, it.ID)
	if err != nil {
		return r.fail(cmd, "item history", err)
	}
	msg := tracked.Message(r.cfg, r.tr, it, cmd.At)
	history := "*" + r.tr.T("item.history_title") + "*\n" + strings.Join(tracked.History(r.cfg, r.tr, events), "\n")
	blocks := append(msg.Blocks, chat.Section(chat.Truncate(history, 2900)))
	return chat.Reply{Ephemeral: true, Text: msg.Text, Blocks: blocks}
}

// itemAction is one thing done to an item by a person.
type itemAction func(ctx context.Context, it store.TrackedItem, user, note string, at time.Time) (string, error)

// itemCommand answers /ops take|resolve|escalate ID [note…].
func (r *Router) itemCommand(ctx context.Context, cmd chat.Command, args []string, act itemAction) chat.Reply {
	if len(args) == 0 {
		return chat.Error(r.tr.T("item.err_id_missing"))
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
		return r.fail(cmd, "change item", err)
	}
	return chat.Reply{Ephemeral: true, Text: text, Blocks: []slack.Block{chat.Section(text)}}
}

// refusal is an action refused with a message for the person.
type refusal string

func (e refusal) Error() string { return string(e) }

// closed explains that an item was resolved already.
func (r *Router) closed(ctx context.Context, id uint64) error {
	it, err := r.store.TrackedItem(ctx, id)
	if err != nil {
		return err
	}
	when := ""
	if it.ResolvedAt != nil {
		when = tracked.When(r.cfg, r.tr, *it.ResolvedAt)
	}
	return refusal(r.tr.T("item.err_closed", tracked.Title(r.tr, it), chat.Mention(it.ResolvedBy), when))
}

// change runs one change of an item and queues the update of its message.
func (r *Router) changeItem(ctx context.Context, id uint64, at time.Time, fn func(tx *store.Store) (store.TrackedItem, bool, error)) (store.TrackedItem, bool, error) {
	var it store.TrackedItem
	var changed bool
	err := r.store.Tx(ctx, func(tx *store.Store) error {
		var err error
		if it, changed, err = fn(tx); err != nil || !changed {
			return err
		}
		return tracked.Publish(ctx, tx, r.cfg, r.tr, it, at, false)
	})
	if errors.Is(err, store.ErrItemClosed) {
		return it, false, r.closed(ctx, id)
	}
	if err == nil && changed {
		r.notify()
	}
	return it, changed, err
}

func (r *Router) take(ctx context.Context, it store.TrackedItem, user, _ string, at time.Time) (string, error) {
	it, changed, err := r.changeItem(ctx, it.ID, at, func(tx *store.Store) (store.TrackedItem, bool, error) {
		return tx.TakeItem(ctx, it.ID, user, at)
	})
	if err != nil {
		return "", err
	}
	if !changed {
		return r.tr.T("item.took_already", tracked.Title(r.tr, it), tracked.Countdown(r.cfg, r.tr, it, at)), nil
	}
	return r.tr.T("item.took", tracked.Title(r.tr, it), tracked.Countdown(r.cfg, r.tr, it, at)), nil
}

// checkResolution is the note a resolution needs; "" when it is fine.
func (r *Router) checkResolution(note string) string {
	switch n := utf8.RuneCountInString(strings.TrimSpace(note)); {
	case n == 0:
		return r.tr.T("item.err_note_required")
	case n > tracked.MaxText:
		return r.tr.T("item.err_too_long", r.tr.T("item.field_resolution"), n, tracked.MaxText)
	}
	return ""
}

func (r *Router) resolveCmd(ctx context.Context, it store.TrackedItem, user, note string, at time.Time) (string, error) {
	if msg := r.checkResolution(note); msg != "" {
		return "", refusal(msg)
	}
	return r.resolve(ctx, it, user, note, at)
}

func (r *Router) resolve(ctx context.Context, it store.TrackedItem, user, note string, at time.Time) (string, error) {
	it, _, err := r.changeItem(ctx, it.ID, at, func(tx *store.Store) (store.TrackedItem, bool, error) {
		it, err := tx.ResolveItem(ctx, it.ID, user, strings.TrimSpace(note), at)
		return it, err == nil, err
	})
	if err != nil {
		return "", err
	}
	return r.tr.T("item.resolved", tracked.Title(r.tr, it), tracked.Duration(r.tr, at.Sub(it.FlaggedAt))), nil
}

func (r *Router) escalate(ctx context.Context, it store.TrackedItem, user, note string, at time.Time) (string, error) {
	if n := utf8.RuneCountInString(note); n > tracked.MaxText {
		return "", refusal(r.tr.T("item.err_too_long", r.tr.T("item.field_note"), n, tracked.MaxText))
	}
	it, changed, err := r.changeItem(ctx, it.ID, at, func(tx *store.Store) (store.TrackedItem, bool, error) {
		it, changed, err := tx.EscalateItem(ctx, it.ID, user, note, at)
		if err != nil || !changed {
			return it, changed, err
		}
		channel, msg := tracked.Escalation(r.cfg, r.tr, it, user, note, at)
		_, err = tx.Enqueue(ctx, store.Outgoing{Channel: channel, Text: msg.Text, Blocks: msg.Blocks})
		return it, true, err
	})
	if err != nil {
		return "", err
	}
	if !changed {
		return r.tr.T("item.escalated_already", tracked.Title(r.tr, it), chat.Mention(it.EscalatedBy)), nil
	}
	channel, _ := tracked.Escalation(r.cfg, r.tr, it, user, note, at)
	return r.tr.T("item.escalated", tracked.Title(r.tr, it), chat.Escape(channel)), nil
}

// itemMeta travels in the resolve modal: which item, and where it was
// opened.
type itemMeta struct {
	ID      uint64 `json:"id"`
	Channel string `json:"c,omitempty"`
}

// isItemInteraction reports whether an interaction is about tracked items.
func isItemInteraction(in chat.Interaction) bool {
	switch in.Kind {
	case chat.KindShortcut:
		return in.CallbackID == CallbackFlagUrgent || in.CallbackID == CallbackLogReview
	case chat.KindAction:
		switch in.ActionID {
		case ActionFlagUrgent, ActionLogReview, tracked.ActionTake, tracked.ActionResolve, tracked.ActionEscalate:
			return true
		}
	case chat.KindSubmission:
		return in.CallbackID == CallbackFlagUrgent || in.CallbackID == CallbackLogReview || in.CallbackID == CallbackResolveItem
	}
	return false
}

// interactItem answers the shortcuts, buttons and modals of tracked items.
func (r *Router) interactItem(ctx context.Context, in chat.Interaction) chat.Outcome {
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
	// A button on an item's message.
	tell := func(text string) chat.Outcome {
		return chat.Outcome{Ephemeral: ptr(chat.Reply{Ephemeral: true, Text: text, Blocks: []slack.Block{chat.Section(text)}})}
	}
	cmd := chat.Command{UserID: in.UserID, UserName: in.UserName, ChannelID: in.ChannelID, Name: in.ActionID, At: in.At}
	it, bad := r.findItem(ctx, cmd, in.Value)
	if bad != nil {
		return chat.Outcome{Ephemeral: bad}
	}
	var act itemAction
	switch in.ActionID {
	case tracked.ActionTake:
		act = r.take
	case tracked.ActionEscalate:
		act = r.escalate
	case tracked.ActionResolve:
		if !it.Open() {
			act = r.resolve // refused as resolved already
			break
		}
		v := r.resolveModal(in, it)
		return chat.Outcome{OpenModal: &v}
	}
	if act == nil {
		return chat.Outcome{Ephemeral: ptr(chat.Error(r.tr.T("item.err_button")))}
	}
	text, err := act(ctx, it, in.UserID, "", in.At)
	var no refusal
	switch {
	case errors.As(err, &no):
		return chat.Outcome{Ephemeral: ptr(chat.Error(string(no)))}
	case err != nil:
		r.log.Error("item button", "action", in.ActionID, "item", it.ID, "user", in.UserID, "err", err)
		return chat.Outcome{Ephemeral: ptr(chat.Error(r.tr.T("err.internal")))}
	}
	return tell(text)
}

func input(blockID, label string, el slack.BlockElement, optional bool) *slack.InputBlock {
	b := slack.NewInputBlock(blockID, plainText(label), nil, el)
	b.Optional = optional
	return b
}

func multiline(placeholder string, maxLen int) *slack.PlainTextInputBlockElement {
	el := slack.NewPlainTextInputBlockElement(plainText(placeholder), "value")
	el.Multiline = true
	el.MaxLength = maxLen
	return el
}

// flagModal is the form for an urgent order or a review.
func (r *Router) flagModal(in chat.Interaction, review bool) slack.ModalViewRequest {
	meta, _ := json.Marshal(modalMeta{Channel: in.ChannelID})
	order := slack.NewPlainTextInputBlockElement(plainText(r.tr.T("item.modal_order_hint")), "value")
	order.MaxLength = tracked.MaxOrderID
	blocks := []slack.Block{input(blockOrder, r.tr.T("item.modal_order"), order, false)}
	callback, title := CallbackFlagUrgent, r.tr.T("item.modal_urgent_title")
	if review {
		callback, title = CallbackLogReview, r.tr.T("item.modal_review_title")
		var opts []*slack.OptionBlockObject
		for n := 1; n <= 5; n++ {
			opts = append(opts, slack.NewOptionBlockObject(strconv.Itoa(n), plainText(strings.Repeat("★", n)+" "+strconv.Itoa(n)), nil))
		}
		rating := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText(r.tr.T("item.modal_rating")), "value", opts...)
		product := slack.NewPlainTextInputBlockElement(plainText(r.tr.T("item.modal_product")), "value")
		product.MaxLength = tracked.MaxProduct
		blocks = append(blocks,
			input(blockRating, r.tr.T("item.modal_rating"), rating, true),
			input(blockProduct, r.tr.T("item.modal_product"), product, true),
			input(blockText, r.tr.T("item.modal_text"), multiline(r.tr.T("item.modal_text"), tracked.MaxText), false))
	} else {
		var opts []*slack.OptionBlockObject
		for _, t := range urgentOrder {
			opts = append(opts, slack.NewOptionBlockObject(t, plainText(r.tr.T("item.name_"+t)), nil))
		}
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText(r.tr.T("item.modal_type")), "value", opts...)
		blocks = append(blocks,
			input(blockType, r.tr.T("item.modal_type"), sel, false),
			input(blockNote, r.tr.T("item.modal_note"), multiline(r.tr.T("item.modal_note"), tracked.MaxText), true))
	}
	if len(r.cfg.Shops) > 1 {
		var opts []*slack.OptionBlockObject
		for _, s := range r.cfg.Shops {
			opts = append(opts, slack.NewOptionBlockObject(s.ID, plainText(s.Name), nil))
		}
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText(r.tr.T("modal.shop")), "value", opts...)
		if s, ok := r.cfg.DefaultShop(in.ChannelID); ok {
			sel.InitialOption = slack.NewOptionBlockObject(s.ID, plainText(s.Name), nil)
		}
		blocks = append(blocks, input(blockShop, r.tr.T("modal.shop"), sel, false))
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callback,
		Title:           plainText(chat.Truncate(title, 24)),
		Submit:          plainText(r.tr.T("item.modal_submit")),
		Close:           plainText(r.tr.T("modal.close")),
		PrivateMetadata: string(meta),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// submitFlag validates the form as the command does; problems go under
// their fields and nothing is stored.
func (r *Router) submitFlag(ctx context.Context, in chat.Interaction, review bool) chat.Outcome {
	var meta modalMeta
	_ = json.Unmarshal([]byte(in.Metadata), &meta) // a bad value only loses the channel
	v := in.Values
	req := flagRequest{review: review, order: v[blockOrder], typ: v[blockType], shopRef: v[blockShop], rating: v[blockRating], product: v[blockProduct], text: v[blockNote]}
	if review {
		req.text = v[blockText]
	}
	cmd := chat.Command{UserID: in.UserID, UserName: in.UserName, ChannelID: meta.Channel, At: in.At}
	c, problems := r.checkFlag(cmd, req)
	if len(problems) > 0 {
		errs := map[string]string{}
		for _, p := range problems {
			id := p.field
			if id == blockShop && len(r.cfg.Shops) <= 1 {
				id = blockOrder
			}
			if _, taken := errs[id]; !taken {
				errs[id] = chat.Truncate(p.reason, 150)
			}
		}
		return chat.Outcome{FieldErrors: errs}
	}
	if _, err := r.flagItem(ctx, in.UserID, c, in.At); err != nil {
		r.log.Error("flag item from modal", "user", in.UserID, "err", err)
		return chat.Outcome{FieldErrors: map[string]string{blockOrder: r.tr.T("err.internal")}}
	}
	return chat.Outcome{}
}

// resolveModal asks how an item was resolved; the note is required.
func (r *Router) resolveModal(in chat.Interaction, it store.TrackedItem) slack.ModalViewRequest {
	meta, _ := json.Marshal(itemMeta{ID: it.ID, Channel: in.ChannelID})
	note := multiline(r.tr.T("item.modal_resolution_hint"), tracked.MaxText)
	note.MinLength = 1
	blocks := []slack.Block{
		chat.Section(chat.Escape(tracked.Title(r.tr, it)) + " · " + r.tr.T("item.order", "`"+chat.Escape(it.OrderID)+"`")),
		input(blockNote, r.tr.T("item.modal_resolution"), note, false),
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackResolveItem,
		Title:           plainText(chat.Truncate(r.tr.T("item.modal_resolve_title"), 24)),
		Submit:          plainText(r.tr.T("item.resolve_button")),
		Close:           plainText(r.tr.T("modal.close")),
		PrivateMetadata: string(meta),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

func (r *Router) submitResolve(ctx context.Context, in chat.Interaction) chat.Outcome {
	var meta itemMeta
	if err := json.Unmarshal([]byte(in.Metadata), &meta); err != nil || meta.ID == 0 {
		return chat.Outcome{FieldErrors: map[string]string{blockNote: r.tr.T("item.err_button")}}
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
		r.log.Error("resolve item from modal", "item", meta.ID, "user", in.UserID, "err", err)
		return chat.Outcome{FieldErrors: map[string]string{blockNote: r.tr.T("err.internal")}}
	}
	return chat.Outcome{}
}
