// Package handlers answers slash commands. Handlers take a chat.Command
// (who, where, when, text) and return a chat.Reply of Block Kit blocks; they
// do not know whether Slack or the console is on the other end.
package handlers

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jonboulle/clockwork"

	"opsbot/audit"
	"opsbot/bot/outbox"
	"opsbot/calendar"
	"opsbot/chat"
	"opsbot/checklist"
	"opsbot/config"
	"opsbot/handlers/command"
	"opsbot/metric"
	"opsbot/report"
	"opsbot/report/chart"
	"opsbot/tracked"
)

// Store is all the storage the handlers use: one small interface per
// feature, each declared beside the handlers that use it. *store.Store
// implements it; tests use a real SQLite file.
type Store interface {
	metric.Store
	checklist.Store
	outbox.Store
	tracked.Store
	report.Store
	audit.Store
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
	outbox    *outbox.Commands
	audit     *audit.Commands
	cal       *calendar.Calendar
	stock     StockFeature
	// sealKey is the key set by SetSealKey, kept to give the stock
	// feature (which has an Env of its own) whenever it comes.
	sealKey []byte
}

// StockFeature is the stock feature (package stock) as the router sees
// it: /stock, its buttons and modal, and the stock figures /metric show
// and the digest use.
type StockFeature interface {
	Command(ctx context.Context, cmd chat.Command, args []string) chat.Reply
	Interact(ctx context.Context, in chat.Interaction) chat.Outcome
	report.StockSource
	metric.SKUCounts
	// SetSealKey sets the key its forms and buttons are sealed with: the
	// router's, so every replica reads what another sealed.
	SetSealKey(key []byte)
}

// UseStock routes /stock and its interactions to the stock feature, and
// gives the digest and /metric show its figures. The stock feature needs
// the scheduler's calendar and store, so the wiring builds it.
func (r *Router) UseStock(s StockFeature) {
	r.stock = s
	if r.sealKey != nil {
		s.SetSealKey(r.sealKey)
	}
	r.report.UseStock(s)
	r.metric.UseStock(s)
}

// Charts is the drawer of the commands' charts, for the reports' job to
// share: the font for Chinese labels is then found once a process.
func (r *Router) Charts() *chart.Drawer { return r.report.Charts() }

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
		outbox:    outbox.NewCommands(env, st),
		audit:     audit.NewCommands(env, st),
		cal:       cal,
	}
}

// find is the route one of whose names is word, in any case.
func find(routes []route, word string) (route, bool) {
	word = strings.ToLower(word)
	for _, rt := range routes {
		if slices.Contains(rt.names, word) {
			return rt, true
		}
	}
	return route{}, false
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
	cmd.Text = chat.StripInvisible(cmd.Text)
	args := command.Fields(cmd.Text)
	if refusal, ok := r.repeatedOption(cmd, args); !ok {
		return refusal
	}
	rt, ok := find(commandRoutes, cmd.Name)
	if !ok {
		return chat.Error(r.Tr.T("err.unknown_command", chat.Escape(cmd.Name)))
	}
	return rt.run(r, ctx, cmd, strings.ToLower(cmd.Name), args)
}

// ops answers /ops SUBCOMMAND.
func (r *Router) ops(ctx context.Context, cmd chat.Command, _ string, args []string) chat.Reply {
	if len(args) == 0 {
		return r.help()
	}
	rt, ok := find(opsRoutes, args[0])
	if !ok {
		return chat.Error(r.Tr.T("err.unknown_ops", chat.Escape(args[0])))
	}
	return rt.run(r, ctx, cmd, strings.ToLower(args[0]), args[1:])
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
		refs[i] = command.TokenRef(g)
	}
	msg := r.Tr.T("err.option_twice", key, strings.Join(refs, ", "))
	if command.Writes(cmd.Name, args) {
		return r.ProblemList([]string{msg}), false
	}
	return r.ReadProblems([]string{msg}), false
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
	if c, bad := chat.ControlChar(text); bad {
		return chat.Error(r.Tr.T("access.err_control", chat.CharName(c))), false
	}
	return chat.Reply{}, true
}

// cleanForm refuses a form with a control character in a field, under
// that field, and strips invisible characters from the rest.
func (r *Router) cleanForm(in *chat.Interaction) map[string]string {
	for id, v := range in.Values {
		if !utf8.ValidString(v) {
			return map[string]string{id: chat.Truncate(r.Tr.T("err.text_not_utf8"), 150)}
		}
		if c, bad := chat.ControlChar(v); bad {
			return map[string]string{id: chat.Truncate(r.Tr.T("access.err_control", chat.CharName(c)), 150)}
		}
	}
	clean := make(map[string]string, len(in.Values))
	for id, v := range in.Values {
		clean[id] = chat.StripInvisible(v)
	}
	in.Values = clean
	return nil
}

// SetSealKey sets the key that seals the forms' private metadata and the
// import previews' button values, the same on every replica (see
// command.Env.SetSealKey), for every feature.
func (r *Router) SetSealKey(key []byte) {
	r.sealKey = append([]byte(nil), key...)
	r.Env.SetSealKey(key)
	if r.stock != nil {
		r.stock.SetSealKey(key)
	}
}
