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
	blocks := []slack.Block{chat.Header(r.tr.T("help.title"))}
	blocks = append(blocks, chat.Sections(text)...)
	blocks = append(blocks, chat.Sections(r.keyList())...)
	blocks = append(blocks, chat.Context(r.tr.T("help.footer")))
	return chat.Reply{Ephemeral: true, Text: text, Blocks: r.capped(blocks)}
}

// metricHelp explains /metric with its keys and accepted values.
func (r *Router) metricHelp() chat.Reply {
	text := r.tr.T("help.metric")
	blocks := []slack.Block{chat.Header(r.tr.T("help.metric_title"))}
	blocks = append(blocks, chat.Sections(text)...)
	blocks = append(blocks, chat.Sections(r.keyList())...)
	return chat.Reply{Ephemeral: true, Text: text, Blocks: r.capped(blocks)}
}

// capped keeps a message within Slack's 50 blocks, saying what was left
// out.
func (r *Router) capped(blocks []slack.Block) []slack.Block {
	return chat.Cap(blocks, chat.MaxBlocks, func(n int) string { return r.tr.T("list.more", n, chat.MaxBlocks) })
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
		if m.Kind == kpi.Money {
			b.WriteString(" ¥")
		}
	}
	return b.String()
}
