package metric

import (
	"opsbot/chat"
	"strings"

	"github.com/slack-go/slack"
)

// metricHelp explains /metric with its keys and accepted values.
func (r *Commands) Help() chat.Reply {
	text := r.Tr.T("help.metric")
	return chat.Reply{Ephemeral: true, Text: text, Blocks: []slack.Block{
		chat.Header(r.Tr.T("help.metric_title")),
		chat.Section(text),
		chat.Section(r.KeyList()),
	}}
}

// keyList names every metric key with its aliases and kind.
func (r *Commands) KeyList() string {
	var b strings.Builder
	b.WriteString(r.Tr.T("help.keys"))
	for _, m := range r.catalog.All() {
		b.WriteString("\n• `" + m.Key + "`")
		if len(m.Aliases) > 0 {
			b.WriteString(" (" + chat.Escape(strings.Join(m.Aliases, ", ")) + ")")
		}
		b.WriteString(" — " + chat.Escape(r.Tr.Text(m.Name)))
		if m.Kind == Money {
			b.WriteString(" ¥")
		}
	}
	return b.String()
}
