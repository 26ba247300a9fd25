// The job posts each checklist run when it is due, records runs missed
// while the bot was down, and nudges at the due time. The database decides
// what was done, so ticks may repeat and replicas may tick at once.

package checklist

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"opsbot/chat"
	"opsbot/checklist/checkrun"
	"opsbot/config"
	"opsbot/i18n"
	"opsbot/jobs"
	"opsbot/store"
)

// maxCatchUp bounds how far back a restart looks for runs it missed.
const maxCatchUp = 7 * 24 * time.Hour

// Job posts each checklist run when it is due, records runs missed
// while the bot was down, and nudges at the due time.
type Job struct {
	cfg    *config.Config
	st     *store.Store
	cal    Calendar
	log    *slog.Logger
	tr     i18n.Printer
	specs  []Spec
	byID   map[string]config.Checklist
	notify func()
}

// NewJob prepares the enabled checklists of the config.
func NewJob(cfg *config.Config, st *store.Store, cal Calendar, log *slog.Logger) (*Job, error) {
	c := &Job{cfg: cfg, st: st, cal: cal, log: log, tr: i18n.New(cfg.Locale), byID: map[string]config.Checklist{}}
	for _, cl := range cfg.Checklists {
		c.byID[cl.ID] = cl
		if !cfg.ChecklistEnabled(cl) {
			continue
		}
		spec, err := FromConfig(cl)
		if err != nil {
			return nil, err
		}
		c.specs = append(c.specs, spec)
	}
	return c, nil
}

// OnEnqueue sets what to call after messages were queued.
func (c *Job) OnEnqueue(f func()) { c.notify = f }

// Name of the job.
func (c *Job) Name() string { return "checklists" }

// Specs are the enabled checklists' schedules (for simulate's preview).
func (c *Job) Specs() []Spec { return c.specs }

// Checklist finds a checklist of the config by ID.
func (c *Job) Checklist(id string) (config.Checklist, bool) {
	cl, ok := c.byID[id]
	return cl, ok
}

// Tick does everything due by now.
func (c *Job) Tick(ctx context.Context, now time.Time) error {
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
	epoch, err := jobs.Epoch(ctx, c.st, now)
	if err != nil {
		return err
	}
	from := jobs.DayStart(epoch, c.cfg.Location)
	if now.Sub(from) > maxCatchUp {
		from = now.Add(-maxCatchUp)
	}
	slots, _ := Between(c.specs, from, now.Add(time.Second), c.cfg.Location, c.cal)
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
func (c *Job) start(ctx context.Context, sl Slot, now time.Time) (bool, error) {
	cl := c.byID[sl.ID]
	run := checkrun.Run{
		Key: sl.Key(), Checklist: sl.ID, Date: sl.Date.String(), ScheduledAt: sl.At.UTC(), DueAt: sl.Due.UTC(),
		State: checkrun.Posted, Channel: c.cfg.ChannelFor(cl.Channel), Items: min(len(cl.Items), maxItems),
		Note: sl.Note, CreatedAt: now.UTC(),
	}
	switch {
	case !now.Before(sl.Due):
		run.State = checkrun.Missed
	case now.Sub(sl.At) > jobs.LateGrace:
		run.State = checkrun.Late
	}
	posted, missedHere := false, false
	err := c.st.Tx(ctx, func(tx *store.Store) error {
		claimed, err := tx.ClaimRun(ctx, &run)
		missedHere = claimed && run.State == checkrun.Missed
		if err != nil || !claimed || run.State == checkrun.Missed {
			return err
		}
		msg := Message(c.cfg, c.tr, newView(run, cl, nil))
		_, err = chat.Enqueue(ctx, tx, store.Outgoing{Channel: run.Channel, Ref: run.Ref(), Op: store.OpPost}, msg)
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
func (c *Job) nudge(ctx context.Context, now time.Time) (bool, error) {
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
			msg, open := Nudge(c.cfg, c.tr, newView(run, cl, items[run.ID]))
			if !open {
				return nil
			}
			_, err = chat.Enqueue(ctx, tx, store.Outgoing{Channel: run.Channel, Op: store.OpPost}, msg)
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
func (c *Job) Next(ctx context.Context, after time.Time) (time.Time, bool, error) {
	var next time.Time
	slots, _ := Between(c.specs, after.Add(time.Second), after.Add(8*24*time.Hour), c.cfg.Location, c.cal)
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
