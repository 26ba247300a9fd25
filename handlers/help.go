package handlers

import (
	"github.com/slack-go/slack"

	"opsbot/chat"
)

// help lists the commands, each with an example.
func (r *Router) help() chat.Reply {
	text := r.Tr.T("help.commands")
	return chat.Reply{Ephemeral: true, Text: text, Blocks: []slack.Block{
		chat.Header(r.Tr.T("help.title")),
		chat.Section(text),
		chat.Section(r.metric.KeyList()),
		chat.Context(r.Tr.T("help.footer")),
	}}
}
