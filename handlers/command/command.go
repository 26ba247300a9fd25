// Package command is what every feature needs to answer a command: its
// environment (config, clock, log, translator), the shared argument
// helpers (days, shops, key=value tokens) and the refusals listing what
// was wrong. Feature packages use it; the router in handlers builds it.
package command

import (
	"log/slog"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/i18n"
)

// Env is the environment shared by every feature's commands.
type Env struct {
	Cfg     *config.Config
	Clock   clockwork.Clock
	Log     *slog.Logger
	Tr      i18n.Printer
	onQueue func()
	// sealKey seals modal metadata (see provenance.go).
	keyOnce sync.Once
	sealKey []byte
}

// NewEnv builds the environment of the features' commands.
func NewEnv(cfg *config.Config, clock clockwork.Clock, log *slog.Logger) *Env {
	return &Env{Cfg: cfg, Clock: clock, Log: log, Tr: i18n.New(cfg.Locale)}
}

// OnEnqueue sets what to call after a message was queued for delivery, so
// the sender wakes at once instead of at its next poll.
func (e *Env) OnEnqueue(f func()) { e.onQueue = f }

// Notify wakes the sender after a message was queued.
func (e *Env) Notify() {
	if e.onQueue != nil {
		e.onQueue()
	}
}

// Today is the current date in the team's zone.
func (e *Env) Today(cmd chat.Command) civil.Date {
	return civil.Of(cmd.At, e.Cfg.Location)
}

// Fail logs an internal error and tells the user that nothing changed.
func (e *Env) Fail(cmd chat.Command, what string, err error) chat.Reply {
	e.Log.Error(what, "command", cmd.Name, "user", cmd.UserID, "err", err)
	return chat.Error(e.Tr.T("err.internal"))
}

// SplitKV splits key=value (also with a full-width ＝). ok is false when
// the token has no separator or an empty key.
func SplitKV(tok string) (key, value string, ok bool) {
	tok = strings.ReplaceAll(tok, "＝", "=")
	key, value, ok = strings.Cut(tok, "=")
	if !ok || key == "" {
		return "", "", false
	}
	return strings.ToLower(key), value, true
}

// Reserved keys, in both languages.

// IsDateKey reports whether k names the day.
func IsDateKey(k string) bool { return OptionKey(k) == "date" }

// IsShopKey reports whether k names the shop.
func IsShopKey(k string) bool { return OptionKey(k) == "shop" }

// IsMonthKey reports whether k names the month.
func IsMonthKey(k string) bool { return OptionKey(k) == "month" }

// TakeShop takes the shop=… options out of a command's arguments: the
// shop named last (empty when none, so ResolveShop falls back to the
// channel's) and the other tokens, in their order.
func TakeShop(args []string) (shopRef string, rest []string) {
	rest = make([]string, 0, len(args))
	for _, tok := range args {
		if k, v, ok := SplitKV(tok); ok && IsShopKey(k) {
			shopRef = v
			continue
		}
		rest = append(rest, tok)
	}
	return shopRef, rest
}

// ParseDay reads a day as people type it (civil.ParseSpoken). A day after
// today is refused: figures are logged for days that have happened.
func (e *Env) ParseDay(s string, today civil.Date) (civil.Date, string) {
	d, err := civil.ParseSpoken(s, today)
	if err != nil {
		return civil.Date{}, e.Tr.T("err.date_format", chat.Escape(s))
	}
	if d.After(today) {
		return civil.Date{}, e.Tr.T("err.date_future", d.String(), today.String())
	}
	return d, ""
}

// ResolveShop finds the shop a command is about: the one named, else the
// channel's, else the team's only shop.
func (e *Env) ResolveShop(cmd chat.Command, ref string) (config.Shop, string) {
	if ref != "" {
		if s, ok := e.Cfg.ShopByRef(ref); ok {
			return s, ""
		}
		return config.Shop{}, e.Tr.T("err.shop_unknown", chat.Escape(ref), e.shopList())
	}
	for _, ch := range []string{cmd.ChannelID, cmd.ChannelName} {
		if ch == "" {
			continue
		}
		if s, ok := e.Cfg.DefaultShop(ch); ok {
			return s, ""
		}
	}
	if s, ok := e.Cfg.DefaultShop(""); ok {
		return s, ""
	}
	return config.Shop{}, e.Tr.T("err.shop_needed", e.shopList())
}

func (e *Env) shopList() string {
	var ids []string
	for _, s := range e.Cfg.Shops {
		ids = append(ids, "`"+chat.Escape(s.ID)+"`")
	}
	return strings.Join(ids, ", ")
}

// DayLabel is how a date is named in replies: 2026-11-22 (Sun).
func (e *Env) DayLabel(d civil.Date) string {
	return d.String() + " (" + e.Tr.Weekday(d.Weekday()) + ")"
}

// ProblemList writes a refusal listing every bad token.
func (e *Env) ProblemList(problems []string) chat.Reply {
	return e.ProblemListAs("err.nothing_stored", problems)
}

// ReadProblems refuses a command that only reads: nothing would have been
// stored anyway, so the heading does not say so.
func (e *Env) ReadProblems(problems []string) chat.Reply {
	return e.ProblemListAs("err.not_shown", problems)
}

// ProblemListAs is ProblemList under another heading.
// Problems beyond what fits in one Slack block (3,000 characters) are
// counted, not listed.
func (e *Env) ProblemListAs(key string, problems []string) chat.Reply {
	const room = 2800
	var b strings.Builder
	b.WriteString(e.Tr.T(key, len(problems)))
	for i, p := range problems {
		if utf8.RuneCountInString(b.String())+utf8.RuneCountInString(p) > room {
			b.WriteString("\n")
			b.WriteString(e.Tr.T("err.more_problems", len(problems)-i))
			break
		}
		b.WriteString("\n• ")
		b.WriteString(p)
	}
	return chat.Error(b.String())
}

// TokenRef quotes the token a problem is about, escaped.
func TokenRef(tok string) string { return "`" + chat.Escape(tok) + "`" }

// Problem is one thing wrong with a command; Field names the key ("date",
// "month", "shop", a metric key, a form block) it is about, so a form can
// show it in place.
type Problem struct {
	Field  string
	Text   string // the token and what is wrong with it
	Reason string // what is wrong, without the token (for a form field)
}

// Bad is a problem with one token.
func Bad(field, tok, reason string) Problem {
	return Problem{Field: field, Text: TokenRef(tok) + " — " + reason, Reason: reason}
}

// Says is a problem told the same way in a reply and under a form field.
func Says(field, msg string) Problem { return Problem{Field: field, Text: msg, Reason: msg} }

// Texts are the problems as lines of a reply.
func Texts(ps []Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Text
	}
	return out
}

// Owns reports whether an owner named in the config (a user, or a role) is
// the user, directly or by role, by user ID only: names are the user's to
// change and never count.
func (e *Env) Owns(owner, userID string) bool {
	owner = strings.TrimPrefix(strings.TrimSpace(owner), "@")
	return owner != "" && e.Cfg.Is(userID, []string{owner})
}

// Ptr is a pointer to a copy of v.
func Ptr[T any](v T) *T { return &v }

// BlockShop is the block id of the shop picker in the features' forms.
const BlockShop = "shop"

// ModalMeta travels in a form's private metadata: where it was opened, so
// the confirmation is posted there.
type ModalMeta struct {
	Channel string `json:"c,omitempty"`
}

// OwnerMention renders an item's owner: members of a role are mentioned, a user
// is mentioned, a user group is linked.
func OwnerMention(cfg *config.Config, tr i18n.Printer, owner string) string {
	owner = strings.TrimSpace(owner)
	switch {
	case owner == "":
		return ""
	case strings.HasPrefix(owner, "@"):
		return chat.Escape(owner)
	case strings.HasPrefix(owner, "S") && strings.ToUpper(owner) == owner && len(owner) > 6:
		return "<!subteam^" + chat.Escape(owner) + ">"
	}
	if members, ok := cfg.Roles[owner]; ok {
		if len(members) == 0 {
			// Nobody to mention yet: name the role in the team's language.
			if i18n.Has("role." + owner) {
				return tr.T("role." + owner)
			}
			return chat.Escape(owner)
		}
		var ms []string
		for _, m := range members {
			ms = append(ms, chat.Mention(m))
		}
		return strings.Join(ms, " ")
	}
	return chat.Mention(owner)
}

// ShopPicker is the shop field of a form, preset to the channel's shop;
// nil when the team has only one shop.
func (e *Env) ShopPicker(channelID string) *slack.InputBlock {
	if len(e.Cfg.Shops) <= 1 {
		return nil
	}
	var opts []*slack.OptionBlockObject
	for _, s := range e.Cfg.Shops {
		opts = append(opts, slack.NewOptionBlockObject(s.ID, chat.PlainText(s.Name), nil))
	}
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, chat.PlainText(e.Tr.T("modal.shop")), "value", opts...)
	if s, ok := e.Cfg.DefaultShop(channelID); ok {
		sel.InitialOption = slack.NewOptionBlockObject(s.ID, chat.PlainText(s.Name), nil)
	}
	return slack.NewInputBlock(BlockShop, chat.PlainText(e.Tr.T("modal.shop")), nil, sel)
}
