// Package jobs is the bot's scheduled work: posting the routine's
// checklists, nudging at due times (and, as they land, SLA alerts and
// reports). Jobs are ticked by a gocron scheduler on an injected clock; the
// database decides what has been done, so a tick may repeat, a restart may
// catch up, and several replicas may tick at once, and each run still
// happens exactly once.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"opsbot/config"
	"opsbot/i18n"
	"opsbot/routine"
	"opsbot/schedule"
	"opsbot/store"
)

// LateGrace is how long after its time a run still counts as on time: a
// tick may come a little after the minute.
const LateGrace = 2 * time.Minute

// MaxCatchUp bounds how far back a restart looks for runs it missed.
const MaxCatchUp = 7 * 24 * time.Hour

// Checklists posts each checklist run when it is due, records runs missed
// while the bot was down, and nudges at the due time.
type Checklists struct {
	cfg    *config.Config
	st     *store.Store
	cal    schedule.Calendar
	log    *slog.Logger
	tr     i18n.Printer
	specs  []schedule.Spec
	byID   map[string]config.Checklist
	notify func()
}

// NewChecklists prepares the enabled checklists of the config.
func NewChecklists(cfg *config.Config, st *store.Store, cal schedule.Calendar, log *slog.Logger) (*Checklists, error) {
	c := &Checklists{cfg: cfg, st: st, cal: cal, log: log, tr: i18n.New(cfg.Locale), byID: map[string]config.Checklist{}}
	for _, cl := range cfg.Checklists {
		c.byID[cl.ID] = cl
		if !cfg.ChecklistEnabled(cl) {
			continue
		}
		spec, err := schedule.FromConfig(cl)
		if err != nil {
			return nil, err
		}
		c.specs = append(c.specs, spec)
	}
	return c, nil
}

// OnEnqueue sets what to call after messages were queued.
func (c *Checklists) OnEnqueue(f func()) { c.notify = f }

// Name of the job.
func (c *Checklists) Name() string { return "checklists" }

// Specs are the enabled checklists' schedules (for simulate's preview).
func (c *Checklists) Specs() []schedule.Spec { return c.specs }

// Checklist finds a checklist of the config by ID.
func (c *Checklists) Checklist(id string) (config.Checklist, bool) {
	cl, ok := c.byID[id]
	return cl, ok
}

// Tick does everything due by now.
func (c *Checklists) Tick(ctx context.Context, now time.Time) error {
	queued := false
	defer func() {
		if queued && c.notify != nil {
			c.notify()
		}
	}()
	// The moment the scheduler first started is the epoch: runs due before
	// it were never the bot's, so they are not recorded, not even as
	// missed. Runs of that day still open at it are posted late, so a team
	// that installs the bot at noon gets the afternoon's checklists.
	epoch, err := schedulerEpoch(ctx, c.st, now)
	if err != nil {
		return err
	}
	from := dayStart(epoch, c.cfg.Location)
	if now.Sub(from) > MaxCatchUp {
		from = now.Add(-MaxCatchUp)
	}
	slots, _ := schedule.Between(c.specs, from, now.Add(time.Second), c.cfg.Location, c.cal)
	if len(slots) > 0 {
		known, err := c.st.RunKeysFrom(ctx, slots[0].Date.String())
		if err != nil {
			return err
		}
		for _, sl := range slots {
			if known[sl.Key()] || !sl.Due.After(epoch) {
				continue
			}
			posted, err := c.start(ctx, sl, now)
			if err != nil {
				return err
			}
			queued = queued || posted
		}
	}
	nudged, err := c.nudge(ctx, now)
	queued = queued || nudged
	return err
}

// start records a run and, unless it is already due, queues its message in
// the same transaction: the run and its post commit together or not at all.
func (c *Checklists) start(ctx context.Context, sl schedule.Slot, now time.Time) (bool, error) {
	cl := c.byID[sl.ID]
	run := store.ChecklistRun{
		Key: sl.Key(), Checklist: sl.ID, Date: sl.Date.String(), ScheduledAt: sl.At.UTC(), DueAt: sl.Due.UTC(),
		State: store.RunPosted, Channel: c.cfg.ChannelFor(cl.Channel), Items: min(len(cl.Items), routine.MaxItems),
		Note: sl.Note, CreatedAt: now.UTC(),
	}
	switch {
	case !now.Before(sl.Due):
		run.State = store.RunMissed
	case now.Sub(sl.At) > LateGrace:
		run.State = store.RunLate
	}
	posted, missedHere := false, false
	err := c.st.Tx(ctx, func(tx *store.Store) error {
		claimed, err := tx.ClaimRun(ctx, &run)
		missedHere = claimed && run.State == store.RunMissed
		if err != nil || !claimed || run.State == store.RunMissed {
			return err
		}
		msg := routine.Message(c.cfg, c.tr, routine.NewView(run, cl, nil))
		_, err = tx.Enqueue(ctx, store.Outgoing{Channel: run.Channel, Ref: run.Ref(), Op: store.OpPost, Text: msg.Text, Blocks: msg.Blocks})
		posted = err == nil
		return err
	})
	if err != nil {
		return false, fmt.Errorf("start run %s: %w", sl.Key(), err)
	}
	if missedHere {
		// Logged by the one tick that recorded it: ticks racing for the
		// same run (the runner and the console) would repeat it.
		c.log.Warn("checklist run missed while the bot was down", "run", sl.Key(), "due", sl.Due)
	}
	return posted, nil
}

// nudge lists what is still open in every run that has come due.
func (c *Checklists) nudge(ctx context.Context, now time.Time) (bool, error) {
	runs, err := c.st.RunsToNudge(ctx, now)
	if err != nil {
		return false, err
	}
	queued := false
	for _, run := range runs {
		cl, ok := c.byID[run.Checklist]
		err := c.st.Tx(ctx, func(tx *store.Store) error {
			claimed, err := tx.ClaimNudge(ctx, run.ID, now.UTC())
			if err != nil || !claimed || !ok {
				return err
			}
			items, err := tx.Items(ctx, run.ID)
			if err != nil {
				return err
			}
			msg, open := routine.Nudge(c.cfg, c.tr, routine.NewView(run, cl, items[run.ID]))
			if !open {
				return nil
			}
			_, err = tx.Enqueue(ctx, store.Outgoing{Channel: run.Channel, Op: store.OpPost, Text: msg.Text, Blocks: msg.Blocks})
			queued = queued || err == nil
			return err
		})
		if err != nil {
			return queued, fmt.Errorf("nudge run %s: %w", run.Key, err)
		}
	}
	return queued, nil
}

// Next is the first time after `after` when the job has something to do:
// a run starts, or a posted run comes due.
func (c *Checklists) Next(ctx context.Context, after time.Time) (time.Time, bool, error) {
	var next time.Time
	slots, _ := schedule.Between(c.specs, after.Add(time.Second), after.Add(8*24*time.Hour), c.cfg.Location, c.cal)
	if len(slots) > 0 {
		next = slots[0].At
	}
	due, ok, err := c.st.NextNudge(ctx, after)
	if err != nil {
		return time.Time{}, false, err
	}
	if ok && (next.IsZero() || due.Before(next)) {
		next = due
	}
	return next, !next.IsZero(), nil
}
