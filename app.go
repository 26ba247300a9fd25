package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jonboulle/clockwork"

	"opsbot/bot/outbox"
	"opsbot/calendar"
	"opsbot/checklist"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/handlers"
	"opsbot/i18n"
	"opsbot/jobs"
	"opsbot/metric"
	"opsbot/report"
	"opsbot/stock"
	"opsbot/store"
	"opsbot/tracked"
)

// app is the bot's parts wired together, whatever the transport: the
// handlers, the scheduled jobs and the outbox sender.
type app struct {
	cfg      *config.Config
	store    *store.Store
	router   *handlers.Router
	sender   *outbox.Sender
	stock    *stock.Feature
	runner   *jobs.Runner
	planners []jobs.Planner
}

// newApp wires the parts on a store; api is where the sender delivers
// (Slack, or a printer in the console and in simulations).
func newApp(cfg *config.Config, st *store.Store, clock clockwork.Clock, log *slog.Logger, api outbox.API, opt outbox.Options) (*app, error) {
	cal, err := calendar.New(cfg.Calendar, cfg.Timezone)
	if err != nil {
		return nil, fmt.Errorf("working calendar: %w", err)
	}
	tr := i18n.New(cfg.Locale)
	if years := cal.MissingYears(civil.Of(clock.Now(), cfg.Location), calendar.CalendarHorizon); len(years) > 0 {
		log.Warn("the working calendar has no official schedule for a year within the next 30 days; those dates follow plain weekdays until calendar.official has it", "years", years)
	}
	router := handlers.New(cfg, st, clock, log)
	sender := outbox.New(st, api, clock, log, opt)
	router.OnEnqueue(sender.Notify)

	checklists, err := checklist.NewJob(cfg, st, calendar.WorkingDays{Cal: cal, Tr: tr}, log)
	if err != nil {
		return nil, fmt.Errorf("checklists: %w", err)
	}
	checklists.OnEnqueue(sender.Notify)
	campaigns := calendar.NewCampaigns(cfg, st, cal, log)
	campaigns.OnEnqueue(sender.Notify)
	reports, err := report.NewJob(cfg, st, log)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	reports.OnEnqueue(sender.Notify)
	reports.UseCharts(router.Charts())
	sweeper, err := tracked.NewSweeper(cfg, st, cal, log)
	if err != nil {
		return nil, fmt.Errorf("sla: %w", err)
	}
	sweeper.OnEnqueue(sender.Notify)
	stk := stock.New(cfg, st, cal, clock, log)
	stk.OnEnqueue(sender.Notify)
	router.UseStock(stk)
	reports.UseStock(stk)
	imports := metric.NewImportJob(st, log)
	all := []jobs.Job{checklists, campaigns, reports, sweeper, stk, imports}
	planners := []jobs.Planner{checklists, campaigns, reports, sweeper, stk}
	return &app{
		cfg: cfg, store: st, router: router, sender: sender, stock: stk,
		runner:   jobs.NewRunner(clock, cfg.Location, log, all...),
		planners: planners,
	}, nil
}

// tickAndFlush runs every job once and delivers what they queued: the
// console does this around each command so a script's output is
// deterministic.
func (a *app) tickAndFlush(ctx context.Context, clock clockwork.Clock) error {
	if err := a.runner.TickAll(ctx, clock.Now()); err != nil {
		return err
	}
	_, err := a.sender.Flush(ctx)
	return err
}
