package metric

import (
	"strings"

	"github.com/slack-go/slack"

	"opsbot/chat"
)

// Help explains /metric with its keys and accepted values.
func (r *Commands) Help() chat.Reply { return r.HelpReply("help.metric_title", "help.metric") }

// HelpReply is a help text under a title, followed by the metric keys
// (for /metric help, and /help).
func (r *Commands) HelpReply(titleKey, textKey string) chat.Reply {
	text := r.Tr.T(textKey)
	blocks := []slack.Block{chat.Header(r.Tr.T(titleKey))}
	blocks = append(blocks, chat.Sections(text)...)
	blocks = append(blocks, chat.Sections(r.KeyList())...)
	// Room for a footer line (/help adds one).
	blocks = chat.Cap(blocks, chat.MaxBlocks-1, func(n int) string { return r.Tr.T("list.more", n, chat.MaxBlocks) })
	return chat.Reply{Ephemeral: true, Text: text, Blocks: blocks}
}

// KeyList names every metric key with its aliases and kind.
func (r *Commands) KeyList() string {
	var b strings.Builder
	b.WriteString(r.Tr.T("help.keys"))
	for _, m := range r.catalog.All() {
		b.WriteString("\n• `" + m.Key + "`")
		if len(m.Aliases) > 0 {
			b.WriteString(" (" + chat.Escape(strings.Join(m.Aliases, ", ")) + ")")
		}
		b.WriteString(" — " + chat.Escape(r.Tr.Text(m.Name)))
		switch m.Kind {
		case Money:
			b.WriteString(" ¥")
		case Percent:
			b.WriteString(" %")
		case Duration:
			b.WriteString(" (m:ss)")
		}
	}
	return b.String()
}
