package calendar

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/handlers/command"
	"opsbot/i18n"
	"opsbot/jobs"
	"opsbot/store"
)

// Times of day (team zone) of the calendar's messages.
const (
	campaignHour     = 10 // registration reminders
	campaignDayHour  = 9  // "starts today"
	calendarWarnHour = 9  // missing official schedule
	// CalendarHorizon is how far ahead the bot must know the official
	// schedule of working days.
	CalendarHorizon = 30
)

// Campaigns reminds the team of platform campaigns (registration
// deadlines 7, 3 and 1 days ahead, and the first day), and warns the
// managers once a day while the working calendar lacks the official
// schedule for a date within the next 30 days.
type Campaigns struct {
	cfg    *config.Config
	st     *store.Store
	cal    *Calendar
	log    *slog.Logger
	tr     i18n.Printer
	notify func()
}

// NewCampaigns builds the job.
func NewCampaigns(cfg *config.Config, st *store.Store, cal *Calendar, log *slog.Logger) *Campaigns {
	return &Campaigns{cfg: cfg, st: st, cal: cal, log: log, tr: i18n.New(cfg.Locale)}
}

// OnEnqueue sets what to call after messages were queued.
func (c *Campaigns) OnEnqueue(f func()) { c.notify = f }

// Name of the job.
func (c *Campaigns) Name() string { return "calendar" }

// event is one message of the job, with the key that makes it happen once.
type event struct {
	key     string
	at      time.Time
	channel string
	reply   func() chat.Reply
}

// events lists the job's messages around a moment: campaign reminders of
// last year to next (a deadline may fall in the year before its campaign)
// and the daily calendar check of the days around it.
func (c *Campaigns) events(around time.Time) []event {
	loc := c.cfg.Location
	today := civil.Of(around, loc)
	var out []event
	for _, o := range c.cfg.CampaignRuns(today.Year, today.Year) {
		cp, run := o.Campaign, o.Run
		channel := c.cfg.ChannelFor(cp.ChannelRef())
		if run.HasRegistration() {
			for _, n := range cp.RemindDays() {
				n, cp, run := n, cp, run
				out = append(out, event{
					key: fmt.Sprintf("campaign:%s:%s:reg-%d", cp.ID, run.Start, n), at: run.Registration.AddDays(-n).At(loc, campaignHour, 0), channel: channel,
					reply: func() chat.Reply { return c.reminder(cp, run, n) },
				})
			}
		}
		out = append(out, event{
			key: fmt.Sprintf("campaign:%s:%s:start", cp.ID, run.Start), at: run.Start.At(loc, campaignDayHour, 0), channel: channel,
			reply: func() chat.Reply { return c.starts(cp, run) },
		})
	}
	for d := today.AddDays(-1); !d.After(today.AddDays(1)); d = d.AddDays(1) {
		d := d
		out = append(out, event{
			key: "calendar-missing:" + d.String(), at: d.At(loc, calendarWarnHour, 0), channel: c.cfg.ChannelFor("managers"),
			reply: func() chat.Reply { return c.missing(d) },
		})
	}
	slices.SortFunc(out, func(a, b event) int { return a.at.Compare(b.at) })
	return out
}

// Tick sends what is due: each message once (the database decides), late
// if the bot was down at its time, and not at all once its day is over.
func (c *Campaigns) Tick(ctx context.Context, now time.Time) error {
	epoch, err := jobs.Epoch(ctx, c.st, now)
	if err != nil {
		return err
	}
	queued := false
	for _, ev := range c.events(now) {
		if ev.at.After(now) || ev.at.Before(epoch) {
			continue
		}
		stale := now.Sub(ev.at) > 24*time.Hour
		reply := chat.Reply{}
		if !stale {
			reply = ev.reply()
		}
		err := c.st.Tx(ctx, func(tx *store.Store) error {
			first, err := tx.FirstSeen(ctx, ev.key, now)
			if err != nil || !first || stale || len(reply.Blocks) == 0 {
				return err
			}
			if now.Sub(ev.at) > jobs.LateGrace {
				reply.Blocks = append(reply.Blocks, chat.Context(c.tr.T("calendar.late", ev.at.In(c.cfg.Location).Format("01-02 15:04"))))
			}
			_, err = chat.Enqueue(ctx, tx, store.Outgoing{Channel: ev.channel, Op: store.OpPost}, reply)
			queued = queued || err == nil
			return err
		})
		if err != nil {
			return fmt.Errorf("calendar message %s: %w", ev.key, err)
		}
	}
	if queued && c.notify != nil {
		c.notify()
	}
	return nil
}

// Next is the first message time after `after`.
func (c *Campaigns) Next(_ context.Context, after time.Time) (time.Time, bool, error) {
	for _, probe := range []time.Time{after, after.Add(24 * time.Hour)} {
		for _, ev := range c.events(probe) {
			if ev.at.After(after) {
				return ev.at, true, nil
			}
		}
	}
	return time.Time{}, false, nil
}

func (c *Campaigns) reminder(cp config.Campaign, run config.CampaignRun, days int) chat.Reply {
	name := chat.Escape(c.tr.Text(cp.Name))
	text := c.tr.T("campaign.reminder", name, days, c.tr.Day(run.Registration), run.Start.String(), run.End.String()) + c.owner(cp)
	return chat.Reply{Text: c.tr.T("campaign.reminder_plain", c.tr.Text(cp.Name), days), Blocks: []slack.Block{chat.Section(text)}}
}

// owner ends a campaign's message: its owners mentioned, or, for a role
// with nobody listed yet, the role named as the one in charge (a bare
// "marketing" after the sentence would read as a stray word).
func (c *Campaigns) owner(cp config.Campaign) string {
	o := command.OwnerMention(c.cfg, c.tr, cp.Owner)
	if o == "" {
		return ""
	}
	if members, isRole := c.cfg.Roles[strings.TrimSpace(cp.Owner)]; isRole && len(members) == 0 {
		return " " + c.tr.T("campaign.owner_role", o)
	}
	return " " + o
}

func (c *Campaigns) starts(cp config.Campaign, run config.CampaignRun) chat.Reply {
	text := c.tr.T("campaign.starts", chat.Escape(c.tr.Text(cp.Name)), c.tr.Day(run.End)) + c.owner(cp)
	return chat.Reply{Text: c.tr.T("campaign.starts_plain", c.tr.Text(cp.Name)), Blocks: []slack.Block{chat.Section(text)}}
}

// missing warns when the next 30 days reach a year without an official
// schedule; an empty reply when all is known.
func (c *Campaigns) missing(d civil.Date) chat.Reply {
	years := c.cal.MissingYears(d, CalendarHorizon)
	if len(years) == 0 {
		return chat.Reply{}
	}
	var ys []string
	for _, y := range years {
		ys = append(ys, fmt.Sprint(y))
	}
	text := c.tr.T("calendar.missing", strings.Join(ys, ", "), CalendarHorizon, ys[0])
	return chat.Reply{Text: text, Blocks: []slack.Block{chat.Section(":warning: " + text)}}
}
