// Package bot carries the conversation between people and the handlers:
// the console transport, the Slack transports, and rendering of Block Kit
// replies as text.
package bot

import (
	"regexp"
	"strings"

	"github.com/slack-go/slack"

	"opsbot/chat"
)

// RenderText draws Block Kit blocks as readable text, as Slack would show
// them, for the console and for logs.
func RenderText(blocks []slack.Block) string {
	var out []string
	for _, b := range blocks {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			t := plain(b.Text)
			out = append(out, t, strings.Repeat("─", chat.DisplayWidth(t)))
		case *slack.SectionBlock:
			text := ""
			if b.Text != nil {
				text = textObject(b.Text)
			}
			if b.Accessory != nil && b.Accessory.ButtonElement != nil {
				// A button beside a line of text stays on its line.
				text += "  " + button(b.Accessory.ButtonElement)
			}
			if text != "" {
				out = append(out, text)
			}
			for _, f := range b.Fields {
				out = append(out, textObject(f))
			}
		case *slack.ContextBlock:
			var parts []string
			for _, e := range b.ContextElements.Elements {
				if t, ok := e.(*slack.TextBlockObject); ok {
					parts = append(parts, textObject(t))
				}
			}
			out = append(out, "  "+strings.Join(parts, "  "))
		case *slack.DividerBlock:
			out = append(out, "────────────────────")
		case *slack.ActionBlock:
			var parts []string
			for _, e := range b.Elements.ElementSet {
				if btn, ok := e.(*slack.ButtonBlockElement); ok {
					parts = append(parts, button(btn))
				}
			}
			out = append(out, strings.Join(parts, " "))
		}
	}
	return strings.Join(out, "\n")
}

func button(b *slack.ButtonBlockElement) string { return "[ " + plain(b.Text) + " ]" }

func plain(t *slack.TextBlockObject) string {
	if t == nil {
		return ""
	}
	return unescape(t.Text)
}

func textObject(t *slack.TextBlockObject) string {
	if t.Type == slack.PlainTextType {
		return plain(t)
	}
	return Mrkdwn(t.Text)
}

var (
	linkRE  = regexp.MustCompile(`<([^<>]*)>`)
	boldRE  = regexp.MustCompile(`\*([^*\n]+)\*`)
	emojiRE = regexp.MustCompile(`:([a-z0-9_+-]+):`)
	emoji   = map[string]string{
		"warning": "⚠️", "white_check_mark": "✅", "x": "❌", "rotating_light": "🚨",
		"bar_chart": "📊", "alarm_clock": "⏰", "hourglass": "⏳", "memo": "📝", "paperclip": "📎",
	}
	unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")
)

// Mrkdwn turns Slack mrkdwn into terminal text: code fences dropped (their
// contents kept verbatim), bold markers removed, mentions and links shown
// as Slack shows them, entities decoded last so escaped user text shows
// literally and never becomes a link.
func Mrkdwn(s string) string {
	var out []string
	inCode := false
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			rest := strings.TrimPrefix(line, "```")
			if rest != "" {
				out = append(out, unescape(rest))
			}
			continue
		}
		if inCode {
			out = append(out, unescape(line))
			continue
		}
		line = linkRE.ReplaceAllStringFunc(line, func(m string) string { return link(m[1 : len(m)-1]) })
		line = boldRE.ReplaceAllString(line, "$1")
		line = emojiRE.ReplaceAllStringFunc(line, func(m string) string {
			if e, ok := emoji[m[1:len(m)-1]]; ok {
				return e
			}
			return m
		})
		out = append(out, unescape(line))
	}
	return strings.Join(out, "\n")
}

// link renders the inside of <…>: @user, #channel, @here, or text (url).
func link(inner string) string {
	target, label, hasLabel := strings.Cut(inner, "|")
	switch {
	case strings.HasPrefix(target, "@"):
		if hasLabel {
			return "@" + label
		}
		return target
	case strings.HasPrefix(target, "#"):
		if hasLabel {
			return "#" + label
		}
		return target
	case strings.HasPrefix(target, "!"):
		name := strings.TrimPrefix(target, "!")
		if hasLabel {
			return label
		}
		return "@" + name
	case hasLabel:
		return label + " (" + target + ")"
	default:
		return target
	}
}

func unescape(s string) string { return unescaper.Replace(s) }
