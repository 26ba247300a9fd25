// Package handlers answers slash commands. Handlers take a chat.Command
// (who, where, when, text) and return a chat.Reply of Block Kit blocks; they
// do not know whether Slack or the console is on the other end.
package handlers

import (
	"context"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/jonboulle/clockwork"

	"opsbot/calendar"
	"opsbot/chat"
	"opsbot/checklist"
	"opsbot/config"
	"opsbot/handlers/command"
	"opsbot/metric"
	"opsbot/report"
	"opsbot/tracked"
)

// Store is all the storage the handlers use: one small interface per
// feature, each declared beside the handlers that use it. *store.Store
// implements it; tests use a real SQLite file.
type Store interface {
	metric.Store
	checklist.Store
	OutboxStore
	tracked.Store
	report.Store
}

// Router dispatches commands to their handlers.
type Router struct {
	*command.Env
	store     Store
	metric    *metric.Commands
	checklist *checklist.Commands
	tracked   *tracked.Commands
	report    *report.Commands
	calendar  *calendar.Commands
	cal       *calendar.Calendar
}

// New builds a router from its dependencies.
func New(cfg *config.Config, st Store, clock clockwork.Clock, log *slog.Logger) *Router {
	cal, err := calendar.New(cfg.Calendar, cfg.Timezone)
	if err != nil {
		// The config was validated; this only happens with a config built
		// in code. Plain weekdays are the safe fallback.
		log.Error("working calendar; using plain weekdays", "err", err)
		cal, _ = calendar.New(config.CalendarConfig{Kind: config.CalendarNone}, cfg.Timezone)
	}
	env := command.NewEnv(cfg, clock, log)
	return &Router{
		Env:       env,
		store:     st,
		metric:    metric.NewCommands(env, st),
		checklist: checklist.NewCommands(env, st),
		tracked:   tracked.NewCommands(env, st, cal),
		report:    report.NewCommands(env, st),
		calendar:  calendar.NewCommands(env, cal),
		cal:       cal,
	}
}

// Commands lists the slash commands the router answers (for the app
// manifest and the console's help).
func Commands() []string {
	return []string{"/metric", "/checklist", "/ops", "/urgent", "/review", "/badreview", "/help"}
}

// Handle answers one command. It never panics on user input and always
// returns something to show.
func (r *Router) Handle(ctx context.Context, cmd chat.Command) chat.Reply {
	if cmd.At.IsZero() {
		cmd.At = r.Clock.Now()
	}
	if refusal, ok := r.unreadable(cmd.Text); !ok {
		return refusal
	}
	args := strings.Fields(cmd.Text)
	switch strings.ToLower(cmd.Name) {
	case "/metric", "/metrics":
		return r.metric.Command(ctx, cmd, args)
	case "/ops":
		return r.ops(ctx, cmd, args)
	case "/checklist", "/checklists":
		return r.checklist.Command(ctx, cmd, args)
	case "/urgent":
		return r.tracked.Urgent(ctx, cmd)
	case "/review", "/badreview":
		return r.tracked.Review(ctx, cmd)
	case "/help":
		return r.help()
	default:
		return chat.Error(r.Tr.T("err.unknown_command", chat.Escape(cmd.Name)))
	}
}

func (r *Router) ops(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if len(args) == 0 {
		return r.help()
	}
	switch sub := strings.ToLower(args[0]); sub {
	case "metric", "metrics", "指标":
		return r.metric.Command(ctx, cmd, args[1:])
	case "checklist", "checklists", "清单":
		return r.checklist.Command(ctx, cmd, args[1:])
	case "outbox":
		return r.outbox(ctx, cmd)
	case "open", "未结", "待办", "item", "事项", "take", "认领", "resolve", "解决", "escalate", "升级":
		return r.tracked.Ops(ctx, cmd, sub, args[1:])
	case "calendar", "日历":
		return r.calendar.Month(ctx, cmd, args[1:])
	case "campaigns", "campaign", "活动":
		return r.calendar.Campaigns(ctx, cmd)
	case "digest", "日报":
		return r.report.Show(ctx, cmd, report.Daily, args[1:])
	case "report", "reports", "报告", "报表":
		return r.report.Command(ctx, cmd, args[1:])
	case "help", "帮助", "?":
		return r.help()
	default:
		return chat.Error(r.Tr.T("err.unknown_ops", chat.Escape(args[0])))
	}
}

// MaxCommandText is the longest command text read, in characters: as long
// as the longest message Slack accepts (40,000), far beyond what a person
// types.
const MaxCommandText = 40000

// unreadable refuses text that is not UTF-8 or too long to be typed.
func (r *Router) unreadable(text string) (chat.Reply, bool) {
	if !utf8.ValidString(text) {
		return chat.Error(r.Tr.T("err.text_not_utf8")), false
	}
	if n := utf8.RuneCountInString(text); n > MaxCommandText {
		return chat.Error(r.Tr.T("err.text_too_long", n, MaxCommandText)), false
	}
	return chat.Reply{}, true
}
