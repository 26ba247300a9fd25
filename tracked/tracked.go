// Package tracked renders the items followed under the 24-hour rule
// (urgent orders, unclear invoices, complaints, bad reviews): the item's
// message with its buttons, which is updated in place as the item changes,
// its one-line summary, and the alerts of its SLA clock. Flagging
// (handlers) and the sweeper (jobs) share it, so the message looks the same
// whoever changed it.
package tracked

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/config"
	"opsbot/i18n"
	"opsbot/store"
	"opsbot/tracked/items"
)

// Action IDs of the item message's buttons; their value is the item ID.
const (
	ActionTake     = "item_take"
	ActionResolve  = "item_resolve"
	ActionEscalate = "item_escalate"
)

// Limits of what people type, in runes.
const (
	MaxText    = 1000
	maxProduct = 100
	maxOrderID = 64
)

// rulesFor reads the team's SLA rules; days is the working calendar.
func rulesFor(cfg *config.Config, days Workdays) (Rules, error) {
	return FromConfig(cfg.SLA, cfg.Location, days)
}

// ParseID reads an item ID as people write it: 42 or #42.
func ParseID(s string) (uint64, bool) {
	id, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	return id, err == nil && id > 0
}

// buttonValue is the value of an item's buttons.
func buttonValue(id uint64) string { return strconv.FormatUint(id, 10) }

// Name is the item's kind as people say it: "Urgent refund", "Bad review".
func Name(tr i18n.Printer, it items.Item) string {
	if Kind(it.Type) == config.ItemReview {
		switch {
		case it.Rating >= 4:
			return tr.T("item.name_review_good")
		case it.Rating == 3:
			return tr.T("item.name_review_medium")
		}
	}
	return tr.T("item.name_" + it.Type)
}

var icons = map[Kind]string{config.ItemShip: "📦", config.ItemRefund: "💸", config.ItemInvoice: "🧾", config.ItemComplaint: "📣", config.ItemReview: "⭐"}

// Title is "💸 Urgent refund #42".
func Title(tr i18n.Printer, it items.Item) string {
	return icons[Kind(it.Type)] + " " + Name(tr, it) + " #" + strconv.FormatUint(it.ID, 10)
}

// Duration writes a span briefly: 2d 3h, 5h 20m, 45m.
func Duration(tr i18n.Printer, d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0:
		return tr.T("item.dur_days", days, hours)
	case hours > 0:
		return tr.T("item.dur_hours", hours, mins)
	default:
		return tr.T("item.dur_minutes", mins)
	}
}

// When writes a moment in the team zone: "Tue 11-24 09:00".
func When(cfg *config.Config, tr i18n.Printer, t time.Time) string {
	t = t.In(cfg.Location)
	return tr.Weekday(t.Weekday()) + " " + t.Format("01-02 15:04")
}

// Who mentions a user, or says nobody.
func Who(tr i18n.Printer, user string) string {
	if user == "" {
		return tr.T("item.unassigned")
	}
	return chat.Mention(user)
}

// Countdown is the time left, or overdue, at now.
func Countdown(cfg *config.Config, tr i18n.Printer, it items.Item, now time.Time) string {
	if left := it.Deadline.Sub(now); left > 0 {
		return tr.T("item.left", Duration(tr, left), When(cfg, tr, it.Deadline))
	}
	if over := now.Sub(it.Deadline); over >= time.Minute {
		return tr.T("item.overdue", Duration(tr, over), When(cfg, tr, it.Deadline))
	}
	// At the deadline itself, not "overdue by 0m".
	return tr.T("item.due_now", When(cfg, tr, it.Deadline))
}

// quote renders user text as an escaped mrkdwn quote.
func quote(s string) string {
	lines := strings.Split(chat.Escape(chat.Truncate(strings.TrimSpace(s), MaxText)), "\n")
	return "> " + strings.Join(lines, "\n> ")
}

func stars(n int) string {
	if n < 1 || n > 5 {
		return ""
	}
	return strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
}

// Message is the item's message: what, who, the text, the countdown or
// the resolution, and the buttons while it is open.
func Message(cfg *config.Config, tr i18n.Printer, it items.Item, now time.Time) chat.Reply {
	shop := it.Shop
	if s, ok := cfg.ShopByRef(it.Shop); ok {
		shop = s.Name
	}
	blocks := []slack.Block{chat.Header(Title(tr, it) + " · " + tr.T("item.order", it.OrderID))}
	head := tr.T("item.flagged_line", chat.Escape(shop), chat.Mention(it.FlaggedBy), When(cfg, tr, it.FlaggedAt))
	if it.Rating > 0 || it.Product != "" {
		var parts []string
		if it.Rating > 0 {
			parts = append(parts, tr.T("item.rating", stars(it.Rating), it.Rating))
		}
		if it.Product != "" {
			parts = append(parts, tr.T("item.product", chat.Escape(it.Product)))
		}
		head += "\n" + strings.Join(parts, " · ")
	}
	if strings.TrimSpace(it.Text) != "" {
		head += "\n" + quote(it.Text)
	}
	if it.Notes > 0 {
		// The note stays inside its quote, line by line: no text a person
		// types can stand on a line of its own and pass for the bot's.
		head += "\n" + tr.T("item.notes", it.Notes, "") + "\n" + quote(chat.Truncate(strings.TrimSpace(it.LastNote), 300))
	}
	blocks = append(blocks, chat.Section(chat.Truncate(head, 2900)))
	blocks = append(blocks, chat.Context(Status(cfg, tr, it, now)))
	if it.Open() {
		take := slack.NewButtonBlockElement(ActionTake, buttonValue(it.ID), slack.NewTextBlockObject(slack.PlainTextType, tr.T("item.take_button"), false, false))
		resolve := slack.NewButtonBlockElement(ActionResolve, buttonValue(it.ID), slack.NewTextBlockObject(slack.PlainTextType, tr.T("item.resolve_button"), false, false))
		resolve.Style = slack.StylePrimary
		elems := []slack.BlockElement{take, resolve}
		if it.EscalatedAt == nil {
			esc := slack.NewButtonBlockElement(ActionEscalate, buttonValue(it.ID), slack.NewTextBlockObject(slack.PlainTextType, tr.T("item.escalate_button"), false, false))
			esc.Style = slack.StyleDanger
			elems = append(elems, esc)
		}
		blocks = append(blocks, slack.NewActionBlock("item:"+buttonValue(it.ID), elems...))
	}
	return chat.Reply{Blocks: blocks, Text: tr.T("item.plain", Title(tr, it), it.OrderID)}
}

// Status is the item's state in one line: the countdown and who has it, or
// how it was resolved.
func Status(cfg *config.Config, tr i18n.Printer, it items.Item, now time.Time) string {
	if it.Status == items.StatusWithdrawn && it.ResolvedAt != nil {
		return tr.T("item.withdrawn_line", chat.Mention(it.ResolvedBy), When(cfg, tr, *it.ResolvedAt), quoteInline(it.Resolution))
	}
	if !it.Open() && it.ResolvedAt != nil {
		took := Duration(tr, it.ResolvedAt.Sub(it.FlaggedAt))
		s := tr.T("item.resolved_line", chat.Mention(it.ResolvedBy), When(cfg, tr, *it.ResolvedAt), took, quoteInline(it.Resolution))
		if it.ResolvedAt.After(it.Deadline) {
			s += " · " + tr.T("item.resolved_late", Duration(tr, it.ResolvedAt.Sub(it.Deadline)))
		}
		return s
	}
	parts := []string{Countdown(cfg, tr, it, now)}
	if it.Assignee == "" {
		parts = append(parts, tr.T("item.nobody"))
	} else {
		parts = append(parts, tr.T("item.assigned", chat.Mention(it.Assignee)))
	}
	if it.EscalatedAt != nil {
		parts = append(parts, tr.T("item.escalated_by", chat.Mention(it.EscalatedBy)))
	}
	parts = append(parts, tr.T("item.as_of", now.In(cfg.Location).Format("15:04")))
	return strings.Join(parts, " · ")
}

func quoteInline(s string) string {
	return "“" + chat.Escape(chat.Truncate(strings.Join(strings.Fields(s), " "), 300)) + "”"
}

// Line is the item in a list: title, order, countdown, who, age.
func Line(cfg *config.Config, tr i18n.Printer, it items.Item, now time.Time) string {
	who := tr.T("item.nobody")
	if it.Assignee != "" {
		who = chat.Mention(it.Assignee)
	}
	s := fmt.Sprintf("*%s* · `%s` · %s · %s · %s", Title(tr, it), chat.Escape(it.OrderID),
		Countdown(cfg, tr, it, now), who, tr.T("item.age", Duration(tr, now.Sub(it.FlaggedAt))))
	if it.EscalatedAt != nil {
		s += " · ⬆️"
	}
	return s
}

// Alert is an alert of the SLA clock: where it goes and what it says.
// Warnings and reminders go to the item's channel and mention the
// assignee; the breach goes to the managers' channel.
func Alert(cfg *config.Config, tr i18n.Printer, it items.Item, kind AlertKind, due, now time.Time, late bool) (string, chat.Reply) {
	// On time, the alert speaks of its scheduled moment ("due in 4h"), not
	// of the seconds the tick came after it; late, of the real time.
	if !late {
		now = due
	}
	channel := it.Channel
	var text string
	who := Who(tr, it.Assignee)
	// Warnings and reminders end by calling the assignee, or, when nobody
	// has taken the item, by saying how to take it (not both: "nobody yet
	// Nobody has taken it" read as two strings joined).
	call := who
	if it.Assignee == "" {
		call = tr.T("item.take_hint")
	}
	ref := tr.T("item.order", chat.Escape(it.OrderID))
	switch kind {
	case Warn:
		text = tr.T("item.alert_warn", Title(tr, it), ref, Duration(tr, it.Deadline.Sub(now)), When(cfg, tr, it.Deadline), call)
	case Breach:
		if cfg.Channels.Managers != "" {
			channel = cfg.Channels.Managers
		}
		text = tr.T("item.alert_breach", Title(tr, it), ref, When(cfg, tr, it.Deadline), who)
	default:
		text = tr.T("item.alert_remind", Title(tr, it), ref, Duration(tr, now.Sub(it.Deadline)), call)
	}
	if late {
		text += "\n" + tr.T("item.late", When(cfg, tr, due))
	}
	return channel, chat.Reply{Text: text, Blocks: []slack.Block{chat.Section(text)}}
}

// Managers mentions the managers, for an escalation.
func Managers(cfg *config.Config) string {
	seen := map[string]bool{}
	var out []string
	for _, m := range append(append([]string{}, cfg.Managers...), cfg.Roles["manager"]...) {
		m = strings.TrimPrefix(strings.TrimSpace(m), "@")
		if m == "" || seen[strings.ToLower(m)] {
			continue
		}
		seen[strings.ToLower(m)] = true
		out = append(out, chat.Mention(m))
	}
	return strings.Join(out, " ")
}

// Escalation is the notice to the managers' channel.
func Escalation(cfg *config.Config, tr i18n.Printer, it items.Item, by, note string, now time.Time) (string, chat.Reply) {
	channel := cfg.Channels.Managers
	if channel == "" {
		channel = it.Channel
	}
	text := tr.T("item.escalation", chat.Mention(by), Title(tr, it), tr.T("item.order", chat.Escape(it.OrderID)), Countdown(cfg, tr, it, now), Who(tr, it.Assignee))
	if strings.TrimSpace(note) != "" {
		text += "\n" + quote(note)
	}
	if m := Managers(cfg); m != "" {
		text += "\n" + m
	}
	return channel, chat.Reply{Text: text, Blocks: []slack.Block{chat.Section(chat.Truncate(text, 2900))}}
}

// publish queues the item's message: a post when it is new, else an
// in-place update; to its channel and to the customer-service copy. Call
// it in the transaction of the change.
func publish(ctx context.Context, tx *store.Store, cfg *config.Config, tr i18n.Printer, it items.Item, now time.Time, post bool) error {
	msg := Message(cfg, tr, it, now)
	op := store.OpUpdate
	if post {
		op = store.OpPost
	}
	if _, err := chat.Enqueue(ctx, tx, store.Outgoing{Channel: it.Channel, Ref: it.Ref(), Op: op}, msg); err != nil {
		return err
	}
	if it.CSChannel != "" {
		if _, err := chat.Enqueue(ctx, tx, store.Outgoing{Channel: it.CSChannel, Ref: it.CSRef(), Op: op}, msg); err != nil {
			return err
		}
	}
	return nil
}

// History is the item's events, one line each.
func History(cfg *config.Config, tr i18n.Printer, events []items.Event) []string {
	var out []string
	for _, e := range events {
		who := ""
		if e.Actor != "" {
			who = chat.Mention(e.Actor)
		}
		line := "• " + When(cfg, tr, e.At) + " — " + tr.T("item.event_"+e.Kind, who)
		if strings.TrimSpace(e.Note) != "" {
			line += ": " + quoteInline(e.Note)
		}
		if e.Late {
			line += " " + tr.T("item.event_late")
		}
		out = append(out, line)
	}
	return out
}
