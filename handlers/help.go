package handlers

import (
	"strings"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/kpi"
)

// help lists the commands, each with an example.
func (r *Router) help() chat.Reply {
	text := r.tr.T("help.commands")
	return chat.Reply{Ephemeral: true, Text: text, Blocks: []slack.Block{
		chat.Header(r.tr.T("help.title")),
		chat.Section(text),
		chat.Section(r.keyList()),
		chat.Context(r.tr.T("help.footer")),
	}}
}

// metricHelp explains /metric with its keys and accepted values.
func (r *Router) metricHelp() chat.Reply {
	text := r.tr.T("help.metric")
	return chat.Reply{Ephemeral: true, Text: text, Blocks: []slack.Block{
		chat.Header(r.tr.T("help.metric_title")),
		chat.Section(text),
		chat.Section(r.keyList()),
	}}
}

// keyList names every metric key with its aliases and kind.
func (r *Router) keyList() string {
	var b strings.Builder
	b.WriteString(r.tr.T("help.keys"))
	for _, m := range r.catalog.All() {
		b.WriteString("\n• `" + m.Key + "`")
		if len(m.Aliases) > 0 {
			b.WriteString(" (" + chat.Escape(strings.Join(m.Aliases, ", ")) + ")")
		}
		b.WriteString(" — " + chat.Escape(r.tr.Text(m.Name)))
		switch m.Kind {
		case kpi.Money:
			b.WriteString(" ¥")
		case kpi.Percent:
			b.WriteString(" %")
		case kpi.Duration:
			b.WriteString(" (m:ss)")
		}
	}
	return b.String()
}
