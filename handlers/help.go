package handlers

import "opsbot/chat"

// help lists the commands, each with an example, and the metric keys.
func (r *Router) help() chat.Reply {
	reply := r.metric.HelpReply("help.title", "help.commands")
	if r.stock != nil {
		reply.Blocks = append(reply.Blocks, chat.Section(r.Tr.T("help.stock")))
	}
	reply.Blocks = append(reply.Blocks, chat.Context(r.Tr.T("help.footer")))
	return reply
}
