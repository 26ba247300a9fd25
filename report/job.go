package report

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/jobs"
	"opsbot/report/chart"
	"opsbot/store"
	"opsbot/tracked"
)

// Job posts each shop's daily digest, weekly report and monthly report
// to the managers channel at the configured times (team time zone): the
// daily about yesterday, the weekly about last week, the monthly about
// last month, each with its chart. The database decides what was posted
// (one claim per kind, shop and period, in the transaction that queues
// the messages), so repeated ticks, restarts and replicas post each
// report once. After downtime the latest report of each kind is posted
// late; older ones are not (the latest supersedes them).
type Job struct {
	cfg     *config.Config
	st      *store.Store
	builder *Builder
	loader  Loader
	log     *slog.Logger
	notify  func()
	times   []reportTime
}

// reportTime is when one kind of report is posted.
type reportTime struct {
	kind         Kind
	weekday      time.Weekday // weekly
	mday         int          // monthly, 1-28
	hour, minute int
}

// NewJob reads the report times of the config.
func NewJob(cfg *config.Config, st *store.Store, log *slog.Logger) (*Job, error) {
	var times []reportTime
	h, m, err := config.ParseClock(cfg.Reports.Daily)
	if err != nil {
		return nil, fmt.Errorf("reports.daily: %w", err)
	}
	times = append(times, reportTime{kind: Daily, hour: h, minute: m})
	wd, h, m, err := config.ParseWeekly(cfg.Reports.Weekly)
	if err != nil {
		return nil, fmt.Errorf("reports.weekly: %w", err)
	}
	times = append(times, reportTime{kind: Weekly, weekday: wd, hour: h, minute: m})
	md, h, m, err := config.ParseMonthly(cfg.Reports.Monthly)
	if err != nil {
		return nil, fmt.Errorf("reports.monthly: %w", err)
	}
	times = append(times, reportTime{kind: Monthly, mday: md, hour: h, minute: m})
	return &Job{
		cfg: cfg, st: st, builder: NewBuilder(cfg).WithCharts(chart.New(chart.Options{FontFile: cfg.Reports.ChartFont, Log: log})), log: log, times: times,
		loader: Loader{Src: st, SLA: tracked.StatsOf{St: st}, Loc: cfg.Location},
	}, nil
}

// UseCharts draws the reports' charts with d (shared with the commands,
// so the font for Chinese labels is found once).
func (r *Job) UseCharts(d *chart.Drawer) { r.builder.WithCharts(d) }

// UseStock adds the stock feature's section to the daily digest.
func (r *Job) UseStock(s StockSource) { r.loader.Stock = s }

// OnEnqueue sets what to call after messages were queued.
func (r *Job) OnEnqueue(f func()) { r.notify = f }

// Name of the job.
func (r *Job) Name() string { return "reports" }

// Channel is where reports go: the managers channel, else the team's.
func (r *Job) Channel() string {
	return cmp.Or(r.cfg.ChannelFor("managers"), r.cfg.Channels.Team)
}

// Tick posts every report whose time has come and that is not posted yet.
func (r *Job) Tick(ctx context.Context, now time.Time) error {
	queued := false
	defer func() {
		if queued && r.notify != nil {
			r.notify()
		}
	}()
	// The scheduler's epoch (the day it first started, shared with the
	// checklists): reports due before it were never the bot's to post.
	loc := r.cfg.Location
	epoch, err := jobs.Epoch(ctx, r.st, now)
	if err != nil {
		return err
	}
	var errs []error
	for _, t := range r.times {
		at, on := t.latest(now, loc)
		if at.Before(epoch) {
			continue
		}
		posted, err := r.post(ctx, t.kind, Scheduled(t.kind, on), now, epoch)
		queued = queued || posted
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// post builds and queues the report of a kind and period for every shop
// that does not have it yet. A shop whose report fails does not hold up
// the others; the next tick tries it again.
func (r *Job) post(ctx context.Context, kind Kind, p Period, now, epoch time.Time) (bool, error) {
	keys := make([]string, len(r.cfg.Shops))
	for i, s := range r.cfg.Shops {
		keys[i] = Key(kind, s.ID, p)
	}
	done, err := r.st.PostedReports(ctx, keys)
	if err != nil {
		return false, err
	}
	var (
		runs   []Run
		loaded bool
		queued bool
		errs   []error
	)
	for i, shop := range r.cfg.Shops {
		if done[keys[i]] {
			continue
		}
		if !loaded {
			// The routine is the team's, not a shop's: read it once.
			if runs, err = r.loader.LoadRuns(ctx, p); err != nil {
				return queued, fmt.Errorf("%s report: %w", kind, err)
			}
			loaded = true
		}
		claimed, err := r.postShop(ctx, keys[i], kind, shop, p, runs, now, epoch)
		if err != nil {
			errs = append(errs, fmt.Errorf("post %s: %w", keys[i], err))
			continue
		}
		queued = queued || claimed
	}
	return queued, errors.Join(errs...)
}

// postShop builds one shop's report and queues it.
func (r *Job) postShop(ctx context.Context, key string, kind Kind, shop config.Shop, p Period, runs []Run, now, epoch time.Time) (bool, error) {
	in, err := r.loader.Load(ctx, kind, shop, p, false, runs, now)
	if err != nil {
		return false, err
	}
	if !p.End(r.cfg.Location).After(epoch) && !loggedIn(in) {
		// The whole period is from before the bot first started and
		// nobody logged anything for it: a new team's first morning
		// would otherwise open with "Nothing was logged" for yesterday
		// and last month. Figures logged for it since (a team that
		// brings yesterday's numbers) still get their report.
		return false, r.skip(ctx, key, kind, shop, p, now)
	}
	out, err := r.builder.Build(in)
	if err != nil {
		return false, err
	}
	return r.enqueue(ctx, key, kind, shop, p, out, now)
}

// loggedIn reports whether anything was logged on a day of the report's
// period (Days also holds the days before it, for comparisons), or the
// shop's stock has something to say (its SKUs are kept from the start).
func loggedIn(in Input) bool {
	if in.Stock != nil && len(in.Stock.Lines) > 0 {
		return true
	}
	for _, d := range in.Period.Dates() {
		if len(in.Days[d.String()]) > 0 {
			return true
		}
	}
	return false
}

// skip records a report as done without posting it, so later ticks do
// not build it again.
func (r *Job) skip(ctx context.Context, key string, kind Kind, shop config.Shop, p Period, now time.Time) error {
	claimed, err := r.st.SkipReport(ctx, store.ReportPost{Key: key, Kind: string(kind), Shop: shop.ID, PeriodFrom: p.From.String(), PostedAt: now})
	if err == nil && claimed {
		r.log.Info("report not posted: its period is from before the first start and has nothing logged", "report", key)
	}
	return err
}

// enqueue claims a report and queues its messages and chart in one
// transaction: both or neither.
func (r *Job) enqueue(ctx context.Context, key string, kind Kind, shop config.Shop, p Period, out Rendered, now time.Time) (bool, error) {
	channel := r.Channel()
	claimed := false
	err := r.st.Tx(ctx, func(tx *store.Store) error {
		var err error
		claimed, err = tx.ClaimReport(ctx, store.ReportPost{Key: key, Kind: string(kind), Shop: shop.ID, PeriodFrom: p.From.String(), PostedAt: now})
		if err != nil || !claimed {
			return err
		}
		for i, msg := range out.Messages {
			ref := ""
			if i == 0 {
				ref = key // the chart follows the report's first message
			}
			if _, err := chat.Enqueue(ctx, tx, store.Outgoing{Channel: channel, Ref: ref, Op: store.OpPost}, msg); err != nil {
				return err
			}
		}
		if out.Chart != nil {
			file := &store.Attachment{Name: out.Chart.Name, Title: out.Chart.Title, Data: out.Chart.Content}
			if _, err := tx.Enqueue(ctx, store.Outgoing{Channel: channel, Ref: key, Op: store.OpUpload, File: file}); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && claimed {
		r.log.Info("report queued", "report", key, "messages", len(out.Messages), "chart", out.Chart != nil)
	}
	return claimed, err
}

// Next is the first report time after `after`.
func (r *Job) Next(_ context.Context, after time.Time) (time.Time, bool, error) {
	var next time.Time
	for _, t := range r.times {
		if at := t.next(after, r.cfg.Location); next.IsZero() || at.Before(next) {
			next = at
		}
	}
	return next, !next.IsZero(), nil
}

// date is the date of the report time on or before day (weekly: the last
// such weekday; monthly: that day of day's month).
func (t reportTime) date(day civil.Date) civil.Date {
	switch t.kind {
	case Weekly:
		return day.AddDays(-((int(day.Weekday()) - int(t.weekday) + 7) % 7))
	case Monthly:
		return civil.Date{Year: day.Year, Month: day.Month, Day: t.mday}
	}
	return day
}

// step moves a report date to the next (n = 1) or previous (n = −1) one.
func (t reportTime) step(d civil.Date, n int) civil.Date {
	switch t.kind {
	case Weekly:
		return d.AddDays(7 * n)
	case Monthly:
		// The day is at most 28, so it exists in every month; AddDays(0)
		// normalises month 0 and 13.
		return civil.Date{Year: d.Year, Month: d.Month + time.Month(n), Day: d.Day}.AddDays(0)
	}
	return d.AddDays(n)
}

// latest is the last report time at or before now, and its date. Times
// are wall-clock times of dates in the team's zone.
func (t reportTime) latest(now time.Time, loc *time.Location) (time.Time, civil.Date) {
	d := t.date(civil.Of(now, loc))
	if d.After(civil.Of(now, loc)) || d.At(loc, t.hour, t.minute).After(now) {
		d = t.step(d, -1)
	}
	return d.At(loc, t.hour, t.minute), d
}

// next is the first report time after `after`.
func (t reportTime) next(after time.Time, loc *time.Location) time.Time {
	_, d := t.latest(after, loc)
	return t.step(d, 1).At(loc, t.hour, t.minute)
}
