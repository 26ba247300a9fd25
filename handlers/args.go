package handlers

import (
	"strings"
	"unicode/utf8"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/config"
)

// splitKV splits key=value (also with a full-width ＝). ok is false when
// the token has no separator or an empty key.
func splitKV(tok string) (key, value string, ok bool) {
	tok = strings.ReplaceAll(tok, "＝", "=")
	key, value, ok = strings.Cut(tok, "=")
	if !ok || key == "" {
		return "", "", false
	}
	return strings.ToLower(key), value, true
}

// Reserved keys, in both languages.
func isDateKey(k string) bool  { return k == "date" || k == "日期" || k == "day" }
func isShopKey(k string) bool  { return k == "shop" || k == "店铺" || k == "store" }
func isMonthKey(k string) bool { return k == "month" || k == "月份" || k == "月" }

// parseDay reads a day as people type it: today, yesterday (今天, 昨天,
// 前天), YYYY-MM-DD and the other forms of civil.ParseLoose (11/20,
// 11月20日, 2026.11.20, full-width digits). A day after today is refused: figures are logged
// for days that have happened.
func (r *Router) parseDay(s string, today civil.Date) (civil.Date, string) {
	var d civil.Date
	switch strings.ToLower(s) {
	case "today", "今天", "今日":
		d = today
	case "yesterday", "昨天", "昨日":
		d = today.AddDays(-1)
	case "前天":
		d = today.AddDays(-2)
	default:
		var err error
		if d, err = civil.ParseLoose(s, today); err != nil {
			return civil.Date{}, r.tr.T("err.date_format", chat.Escape(s))
		}
	}
	if d.After(today) {
		return civil.Date{}, r.tr.T("err.date_future", d.String(), today.String())
	}
	return d, ""
}

// resolveShop finds the shop a command is about: the one named, else the
// channel's, else the team's only shop.
func (r *Router) resolveShop(cmd chat.Command, ref string) (config.Shop, string) {
	if ref != "" {
		if s, ok := r.cfg.ShopByRef(ref); ok {
			return s, ""
		}
		return config.Shop{}, r.tr.T("err.shop_unknown", chat.Escape(ref), r.shopList())
	}
	for _, ch := range []string{cmd.ChannelID, cmd.ChannelName} {
		if ch == "" {
			continue
		}
		if s, ok := r.cfg.DefaultShop(ch); ok {
			return s, ""
		}
	}
	if s, ok := r.cfg.DefaultShop(""); ok {
		return s, ""
	}
	return config.Shop{}, r.tr.T("err.shop_needed", r.shopList())
}

func (r *Router) shopList() string {
	var ids []string
	for _, s := range r.cfg.Shops {
		ids = append(ids, "`"+chat.Escape(s.ID)+"`")
	}
	return strings.Join(ids, ", ")
}

// dayLabel is how a date is named in replies: 2026-11-22 (Sun).
func (r *Router) dayLabel(d civil.Date) string {
	return d.String() + " (" + r.tr.Weekday(d.Weekday()) + ")"
}

// problemList writes a refusal listing every bad token.
func (r *Router) problemList(problems []string) chat.Reply {
	return r.problemListAs("err.nothing_stored", problems)
}

// readProblems refuses a command that only reads: nothing would have been
// stored anyway, so the heading does not say so.
func (r *Router) readProblems(problems []string) chat.Reply {
	return r.problemListAs("err.not_shown", problems)
}

// problemListAs is problemList under another heading.
// Problems beyond what fits in one Slack block (3,000 characters) are
// counted, not listed.
func (r *Router) problemListAs(key string, problems []string) chat.Reply {
	const room = 2800
	var b strings.Builder
	b.WriteString(r.tr.T(key, len(problems)))
	for i, p := range problems {
		if utf8.RuneCountInString(b.String())+utf8.RuneCountInString(p) > room {
			b.WriteString("\n")
			b.WriteString(r.tr.T("err.more_problems", len(problems)-i))
			break
		}
		b.WriteString("\n• ")
		b.WriteString(p)
	}
	return chat.Error(b.String())
}

// tokenRef quotes the token a problem is about, escaped.
func tokenRef(tok string) string { return "`" + chat.Escape(tok) + "`" }
