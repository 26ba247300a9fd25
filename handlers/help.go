package handlers

import "opsbot/chat"

// help lists the commands, each with an example, and the metric keys.
func (r *Router) help() chat.Reply {
	reply := r.metric.HelpReply("help.title", "help.commands")
	reply.Blocks = append(reply.Blocks, chat.Context(r.Tr.T("help.footer")))
	return reply
}
