package tracked

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"opsbot/chat"
	"opsbot/config"
	"opsbot/i18n"
	"opsbot/jobs"
	"opsbot/store"
	"opsbot/tracked/items"
)

// sweepBatch is how many due items a sweep reads at a time.
const sweepBatch = 200

// Sweeper runs the SLA clock of tracked items: the warning before the
// deadline, the breach notice to the managers at it, reminders after it,
// nothing once an item is resolved. It reads only the items whose next
// alert is due (an indexed column), so a sweep costs what is due, not
// everything ever logged. Each alert is claimed in the database in the
// transaction that queues it, so a repeated tick, a restart or another
// replica never sends it twice; after downtime the overdue alert goes out
// once, marked late.
type Sweeper struct {
	cfg    *config.Config
	st     *store.Store
	rules  Rules
	tr     i18n.Printer
	log    *slog.Logger
	notify func()
}

// NewSweeper reads the SLA rules of the config; days is the working
// calendar that business hours count on.
func NewSweeper(cfg *config.Config, st *store.Store, days Workdays, log *slog.Logger) (*Sweeper, error) {
	rules, err := rulesFor(cfg, days)
	if err != nil {
		return nil, fmt.Errorf("sla rules: %w", err)
	}
	return &Sweeper{cfg: cfg, st: st, rules: rules, tr: i18n.New(cfg.Locale), log: log}, nil
}

// OnEnqueue sets what to call after messages were queued.
func (s *Sweeper) OnEnqueue(f func()) { s.notify = f }

// Name of the job.
func (s *Sweeper) Name() string { return "sla" }

// Tick sends every alert due by now.
func (s *Sweeper) Tick(ctx context.Context, now time.Time) error {
	queued := 0
	defer func() {
		if queued > 0 && s.notify != nil {
			s.notify()
		}
	}()
	// Each claimed item moves its next alert past now, so the loop ends;
	// the bound only guards against a clock that does not move.
	for round := 0; round < 1000; round++ {
		due, err := s.st.DueItems(ctx, now, sweepBatch)
		if err != nil {
			return err
		}
		progressed := false
		for _, it := range due {
			sent, err := s.alert(ctx, it.ID, now)
			if err != nil {
				return err
			}
			if sent {
				queued++
			}
			progressed = progressed || sent
		}
		if len(due) < sweepBatch || !progressed {
			return nil
		}
	}
	return nil
}

// alert sends the alert due for one item, if it is still due when the
// item is read again inside the transaction; it reports whether it sent.
func (s *Sweeper) alert(ctx context.Context, id uint64, now time.Time) (bool, error) {
	sent := false
	err := s.st.Tx(ctx, func(tx *store.Store) error {
		it, err := tx.TrackedItem(ctx, id)
		if err != nil || !it.Open() || it.NextAlertAt == nil || it.NextAlertAt.After(now) {
			return err
		}
		sched := s.rules.Schedule(Kind(it.Type), it.Deadline)
		step, due := sched.Due(it.AlertSeq, now)
		if !due {
			// The stored time and the rules disagree (the policy changed
			// since): follow the rules, sending nothing.
			n, at, ok := sched.First(it.AlertSeq)
			move := store.Alert{Seq: it.AlertSeq, At: now, NextSeq: n}
			if ok {
				move.NextAt = &at
			}
			_, err := tx.ClaimItemAlert(ctx, id, it.AlertSeq, move)
			return err
		}
		a := store.Alert{Seq: it.AlertSeq, At: now, NextSeq: step.Next}
		if step.HasNext {
			a.NextAt = &step.NextAt
		}
		a.Late = now.Sub(step.At) > jobs.LateGrace
		switch step.Kind {
		case Warn:
			a.Kind = items.EventWarned
		case Breach:
			a.Kind = items.EventBreached
		default:
			a.Kind = items.EventReminded
		}
		claimed, err := tx.ClaimItemAlert(ctx, id, it.AlertSeq, a)
		if err != nil || !claimed {
			return err
		}
		channel, msg := Alert(s.cfg, s.tr, it, step.Kind, step.At, now, a.Late)
		if _, err := chat.Enqueue(ctx, tx, store.Outgoing{Channel: channel, Op: store.OpPost}, msg); err != nil {
			return err
		}
		// The item's message shows the new countdown.
		if it, err = tx.TrackedItem(ctx, id); err != nil {
			return err
		}
		if err := publish(ctx, tx, s.cfg, s.tr, it, now, false); err != nil {
			return err
		}
		sent = true
		if a.Late {
			s.log.Warn("SLA alert sent late; the bot was down at its time", "item", id, "alert", step.Kind.String(), "due", step.At, "skipped", step.Skipped)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("alert of item %d: %w", id, err)
	}
	return sent, nil
}

// Next is the first alert time after `after`.
func (s *Sweeper) Next(ctx context.Context, after time.Time) (time.Time, bool, error) {
	return s.st.NextItemAlert(ctx, after)
}
