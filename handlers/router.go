// Package handlers answers slash commands. Handlers take a chat.Command
// (who, where, when, text) and return a chat.Reply of Block Kit blocks; they
// do not know whether Slack or the console is on the other end.
package handlers

import (
	"context"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jonboulle/clockwork"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/handlers/command"
	"opsbot/i18n"
	"opsbot/kpi"
	"opsbot/report"
	"opsbot/store"
	"opsbot/workcal"
)

// Store is all the storage the handlers use: one small interface per
// feature, each declared beside the handlers that use it. *store.Store
// implements it; tests use a real SQLite file.
type Store interface {
	MetricStore
	ChecklistStore
	OutboxStore
	ItemStore
	ReportStore
	UndoStore
}

// MetricStore is the storage the metric commands need.
type MetricStore interface {
	SetMetrics(ctx context.Context, actor, shop, day string, values map[string]int64, keys []string, at time.Time) ([]store.Change, error)
	// LogMetrics is SetMetrics that also returns the day's figures after
	// the change: the fast path of /metric (group commit on SQLite).
	LogMetrics(ctx context.Context, actor, shop, day string, values map[string]int64, keys []string, at time.Time) ([]store.Change, map[string]int64, error)
	DayMetrics(ctx context.Context, shop, day string) (map[string]int64, error)
	RangeMetrics(ctx context.Context, shop, from, to string) (map[string]map[string]int64, error)
	SumMetric(ctx context.Context, shop, key, from, to string) (int64, error)
	SetTargets(ctx context.Context, actor, shop, month string, values map[string]int64, keys []string, at time.Time) ([]store.Change, error)
	Targets(ctx context.Context, shop, month string) (map[string]int64, error)
	// Tx runs fn in one transaction, so a change and the messages it
	// causes commit together.
	Tx(ctx context.Context, fn func(tx *store.Store) error) error
}

// Router dispatches commands to their handlers.
type Router struct {
	cfg     *config.Config
	store   Store
	clock   clockwork.Clock
	log     *slog.Logger
	tr      i18n.Printer
	catalog *kpi.Catalog
	cal     *workcal.Calendar
	onQueue func()
}

// OnEnqueue sets what to call after a message was queued for delivery, so
// the sender wakes at once instead of at its next poll.
func (r *Router) OnEnqueue(f func()) { r.onQueue = f }

func (r *Router) notify() {
	if r.onQueue != nil {
		r.onQueue()
	}
}

// New builds a router from its dependencies.
func New(cfg *config.Config, st Store, clock clockwork.Clock, log *slog.Logger) *Router {
	cal, err := workcal.New(cfg.Calendar, cfg.Timezone)
	if err != nil {
		// The config was validated; this only happens with a config built
		// in code. Plain weekdays are the safe fallback.
		log.Error("working calendar; using plain weekdays", "err", err)
		cal, _ = workcal.New(config.CalendarConfig{Kind: config.CalendarNone}, cfg.Timezone)
	}
	return &Router{
		cfg:     cfg,
		store:   st,
		clock:   clock,
		log:     log,
		tr:      i18n.New(cfg.Locale),
		catalog: kpi.NewCatalog(cfg.Metrics),
		cal:     cal,
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
		cmd.At = r.clock.Now()
	}
	if refusal, ok := r.unreadable(cmd.Text); !ok {
		return refusal
	}
	args := command.Fields(cmd.Text)
	if refusal, ok := r.repeatedOption(cmd, args); !ok {
		return refusal
	}
	switch strings.ToLower(cmd.Name) {
	case "/metric", "/metrics":
		return r.metric(ctx, cmd, args)
	case "/ops":
		return r.ops(ctx, cmd, args)
	case "/checklist", "/checklists":
		return r.checklist(ctx, cmd, args)
	case "/urgent":
		return r.urgent(ctx, cmd)
	case "/review", "/badreview":
		return r.review(ctx, cmd)
	case "/help":
		return r.help()
	default:
		return chat.Error(r.tr.T("err.unknown_command", chat.Escape(cmd.Name)))
	}
}

func (r *Router) ops(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if len(args) == 0 {
		return r.help()
	}
	switch sub := strings.ToLower(args[0]); sub {
	case "metric", "metrics", "指标":
		return r.metric(ctx, cmd, args[1:])
	case "checklist", "checklists", "清单":
		return r.checklist(ctx, cmd, args[1:])
	case "outbox":
		return r.outbox(ctx, cmd)
	case "audit", "审计", "日志":
		return r.auditLog(ctx, cmd, r.store, args[1:])
	case "open", "未结", "待办", "item", "事项", "take", "认领", "resolve", "解决", "escalate", "升级":
		return r.itemOps(ctx, cmd, sub, args[1:])
	case "calendar", "日历":
		return r.calendarMonth(ctx, cmd, args[1:])
	case "campaigns", "campaign", "活动":
		return r.campaigns(ctx, cmd)
	case "digest", "日报":
		return r.showReport(ctx, cmd, report.Daily, args[1:])
	case "report", "reports", "报告", "报表":
		return r.reportCmd(ctx, cmd, args[1:])
	case "help", "帮助", "?":
		return r.help()
	default:
		return chat.Error(r.tr.T("err.unknown_ops", chat.Escape(args[0])))
	}
}

// repeatedOption refuses a command that gives an option taking one value
// (shop=, date=, month=, type=…) more than once, in every command: the
// last one silently winning put figures on the wrong shop or day.
func (r *Router) repeatedOption(cmd chat.Command, args []string) (chat.Reply, bool) {
	key, given := command.Repeated(args, command.OptionKey)
	if key == "" {
		return chat.Reply{}, true
	}
	refs := make([]string, len(given))
	for i, g := range given {
		refs[i] = tokenRef(g)
	}
	msg := r.tr.T("err.option_twice", key, strings.Join(refs, ", "))
	if command.Writes(cmd.Name, args) {
		return r.problemList([]string{msg}), false
	}
	return r.readProblems([]string{msg}), false
}

// MaxCommandText is the longest command text read, in characters: as long
// as the longest message Slack accepts (40,000), far beyond what a person
// types.
const MaxCommandText = 40000

// unreadable refuses text that is not UTF-8 or too long to be typed.
func (r *Router) unreadable(text string) (chat.Reply, bool) {
	if !utf8.ValidString(text) {
		return chat.Error(r.tr.T("err.text_not_utf8")), false
	}
	if n := utf8.RuneCountInString(text); n > MaxCommandText {
		return chat.Error(r.tr.T("err.text_too_long", n, MaxCommandText)), false
	}
	return chat.Reply{}, true
}

// today is the current date in the team's zone.
func (r *Router) today(cmd chat.Command) civil.Date {
	return civil.Of(cmd.At, r.cfg.Location)
}

// fail logs an internal error and tells the user that nothing changed.
func (r *Router) fail(cmd chat.Command, what string, err error) chat.Reply {
	r.log.Error(what, "command", cmd.Name, "user", cmd.UserID, "err", err)
	return chat.Error(r.tr.T("err.internal"))
}
