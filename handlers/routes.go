package handlers

import (
	"context"

	"opsbot/chat"
	"opsbot/checklist"
	"opsbot/metric"
	"opsbot/report"
	"opsbot/stock"
	"opsbot/tracked"
)

// The router's table: every way into the bot, and the feature function
// that answers it. A new feature adds its rows here and nothing else in
// this package.

// commandFunc answers a command; args are its words after the command
// (or after the /ops subcommand), word is the subcommand as typed.
type commandFunc func(r *Router, ctx context.Context, cmd chat.Command, word string, args []string) chat.Reply

// route is a slash command or an /ops subcommand.
type route struct {
	names []string // the first is the name; the rest are aliases
	// manifest says the command is registered in slack/manifest*.yml
	// (the others are reached through /ops in Slack, and typed as they
	// are in the console).
	manifest bool
	run      commandFunc
}

// commandRoutes are the slash commands.
var commandRoutes = []route{
	{names: []string{"/metric", "/metrics"}, manifest: true, run: func(r *Router, ctx context.Context, cmd chat.Command, _ string, args []string) chat.Reply {
		return r.metric.Command(ctx, cmd, args)
	}},
	{names: []string{"/checklist", "/checklists"}, manifest: true, run: func(r *Router, ctx context.Context, cmd chat.Command, _ string, args []string) chat.Reply {
		return r.checklist.Command(ctx, cmd, args)
	}},
	{names: []string{"/ops"}, manifest: true, run: (*Router).ops},
	{names: []string{"/urgent"}, manifest: true, run: func(r *Router, ctx context.Context, cmd chat.Command, _ string, _ []string) chat.Reply {
		return r.tracked.Urgent(ctx, cmd)
	}},
	{names: []string{"/review"}, manifest: true, run: func(r *Router, ctx context.Context, cmd chat.Command, _ string, _ []string) chat.Reply {
		return r.tracked.Review(ctx, cmd)
	}},
	{names: []string{"/badreview"}, manifest: true, run: func(r *Router, ctx context.Context, cmd chat.Command, _ string, _ []string) chat.Reply {
		return r.tracked.Review(ctx, cmd)
	}},
	{names: []string{"/stock", "/库存"}, manifest: true, run: stockCommand},
	{names: []string{"/help"}, manifest: true, run: help},
}

// opsRoutes are the subcommands of /ops, in both languages.
var opsRoutes = []route{
	{names: []string{"metric", "metrics", "指标"}, run: func(r *Router, ctx context.Context, cmd chat.Command, _ string, args []string) chat.Reply {
		return r.metric.Command(ctx, cmd, args)
	}},
	{names: []string{"checklist", "checklists", "清单"}, run: func(r *Router, ctx context.Context, cmd chat.Command, _ string, args []string) chat.Reply {
		return r.checklist.Command(ctx, cmd, args)
	}},
	{names: []string{"outbox"}, run: func(r *Router, ctx context.Context, cmd chat.Command, _ string, _ []string) chat.Reply {
		return r.outbox.Command(ctx, cmd)
	}},
	{names: []string{"audit", "审计", "日志"}, run: func(r *Router, ctx context.Context, cmd chat.Command, _ string, args []string) chat.Reply {
		return r.audit.Command(ctx, cmd, args)
	}},
	{names: []string{"open", "未结", "待办", "item", "事项", "take", "认领", "takeover", "接手", "resolve", "解决", "escalate", "升级", "withdraw", "撤回"}, run: func(r *Router, ctx context.Context, cmd chat.Command, word string, args []string) chat.Reply {
		return r.tracked.Ops(ctx, cmd, word, args)
	}},
	{names: []string{"calendar", "日历"}, run: func(r *Router, ctx context.Context, cmd chat.Command, _ string, args []string) chat.Reply {
		return r.calendar.Month(ctx, cmd, args)
	}},
	{names: []string{"campaigns", "campaign", "活动"}, run: func(r *Router, ctx context.Context, cmd chat.Command, _ string, _ []string) chat.Reply {
		return r.calendar.Campaigns(ctx, cmd)
	}},
	{names: []string{"digest", "日报"}, run: func(r *Router, ctx context.Context, cmd chat.Command, _ string, args []string) chat.Reply {
		return r.report.Show(ctx, cmd, report.Daily, args)
	}},
	{names: []string{"report", "reports", "报告", "报表"}, run: func(r *Router, ctx context.Context, cmd chat.Command, _ string, args []string) chat.Reply {
		return r.report.Command(ctx, cmd, args)
	}},
	{names: []string{"chart", "charts", "图表", "趋势"}, run: func(r *Router, ctx context.Context, cmd chat.Command, _ string, args []string) chat.Reply {
		return r.report.Chart(ctx, cmd, args)
	}},
	{names: []string{"stock", "库存"}, run: stockCommand},
	{names: []string{"help", "帮助", "?"}, run: help},
}

func stockCommand(r *Router, ctx context.Context, cmd chat.Command, _ string, args []string) chat.Reply {
	if r.stock == nil {
		return chat.Error(r.Tr.T("err.unknown_command", chat.Escape(cmd.Name)))
	}
	return r.stock.Command(ctx, cmd, args)
}

func stockInteraction(r *Router, ctx context.Context, in chat.Interaction) chat.Outcome {
	if r.stock == nil {
		return chat.Outcome{}
	}
	return r.stock.Interact(ctx, in)
}

func help(r *Router, _ context.Context, _ chat.Command, _ string, _ []string) chat.Reply {
	return r.help()
}

// interactFunc answers a click, a shortcut, a form or App Home.
type interactFunc func(r *Router, ctx context.Context, in chat.Interaction) chat.Outcome

// interaction is one interactive piece: a shortcut or a form (by callback
// ID), a button (by action ID), or App Home.
type interaction struct {
	kind string   // chat.KindShortcut, KindAction, KindSubmission or KindHome
	ids  []string // the callback or action IDs; none for App Home
	// manifest says it is a global shortcut of slack/manifest*.yml.
	manifest bool
	run      interactFunc
}

func metricModal(r *Router, _ context.Context, in chat.Interaction) chat.Outcome {
	v := r.metric.Modal(in)
	return chat.Outcome{OpenModal: &v}
}

func itemInteraction(r *Router, ctx context.Context, in chat.Interaction) chat.Outcome {
	return r.tracked.Interact(ctx, in)
}

// interactions are every interactive piece of the bot's messages, forms
// and shortcuts.
var interactions = []interaction{
	{kind: chat.KindShortcut, ids: []string{metric.CallbackLogMetrics}, manifest: true, run: metricModal},
	{kind: chat.KindAction, ids: []string{metric.ActionLogMetrics}, run: metricModal},
	{kind: chat.KindSubmission, ids: []string{metric.CallbackLogMetrics}, run: func(r *Router, ctx context.Context, in chat.Interaction) chat.Outcome {
		return r.metric.Submit(ctx, in)
	}},
	{kind: chat.KindAction, ids: []string{metric.ActionImportConfirm, metric.ActionImportCancel}, run: func(r *Router, ctx context.Context, in chat.Interaction) chat.Outcome {
		return r.metric.ImportButton(ctx, in)
	}},
	{kind: chat.KindAction, ids: []string{metric.ActionOpenImport}, run: func(r *Router, ctx context.Context, in chat.Interaction) chat.Outcome {
		v := r.metric.ImportModal(in)
		return chat.Outcome{OpenModal: &v}
	}},
	{kind: chat.KindSubmission, ids: []string{metric.CallbackImport}, run: func(r *Router, ctx context.Context, in chat.Interaction) chat.Outcome {
		return r.metric.SubmitImport(ctx, in)
	}},
	{kind: chat.KindAction, ids: []string{checklist.ActionCheck}, run: func(r *Router, ctx context.Context, in chat.Interaction) chat.Outcome {
		return r.checklist.Check(ctx, in)
	}},
	{kind: chat.KindShortcut, ids: []string{tracked.CallbackFlagUrgent, tracked.CallbackLogReview}, manifest: true, run: itemInteraction},
	{kind: chat.KindAction, ids: []string{tracked.ActionFlagUrgent, tracked.ActionLogReview, tracked.ActionTake, tracked.ActionResolve, tracked.ActionEscalate}, run: itemInteraction},
	{kind: chat.KindSubmission, ids: []string{tracked.CallbackFlagUrgent, tracked.CallbackLogReview, tracked.CallbackResolveItem}, run: itemInteraction},
	{kind: chat.KindAction, ids: []string{stock.ActionApprove, stock.ActionEditLine, stock.ActionImportConfirm, stock.ActionImportCancel}, run: stockInteraction},
	{kind: chat.KindSubmission, ids: []string{stock.CallbackEdit}, run: stockInteraction},
	{kind: chat.KindHome, run: (*Router).homeTab},
}
