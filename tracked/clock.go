// The SLA clock is the arithmetic of the 24-hour rule: when a tracked item is
// due, in calendar hours or in business hours (working hours of the team
// calendar's working days, so weekends and holidays do not count), and when
// its alerts fall: a warning before the deadline, the breach at it, and
// reminders after it.
//
// The clock is pure: it reads no clock and does no I/O.

package tracked

import (
	"fmt"
	"time"

	"opsbot/civil"
	"opsbot/config"
)

// Defaults of a policy the configuration leaves out, from the 24-hour rule.
const (
	defaultResolveWithin = 24 * time.Hour
	defaultWarnBefore    = 4 * time.Hour
	defaultRemindEvery   = 4 * time.Hour
)

// Kind is a kind of tracked item; each has a policy. The vocabulary is
// the config's, which keys the policies by it.
type Kind = config.ItemKind

// Policy is the clock of one type of item. Durations are counted by the
// Clock: calendar time, or working time.
type Policy struct {
	ResolveWithin time.Duration
	WarnBefore    time.Duration // 0: no warning
	RemindEvery   time.Duration // 0: no reminders
}

// Workdays says which dates are working days (a *workcal.Calendar).
type Workdays interface {
	IsWorkday(d civil.Date) bool
}

// Clock counts durations: in calendar time, or in working time only.
type Clock struct {
	loc        *time.Location
	business   bool
	start, end time.Duration // working hours, from midnight
	days       Workdays
}

// CalendarClock counts every hour.
func CalendarClock() Clock { return Clock{} }

// BusinessClock counts the hours from start to end (offsets from midnight
// in loc) of the working days only.
func BusinessClock(loc *time.Location, start, end time.Duration, days Workdays) (Clock, error) {
	switch {
	case loc == nil || days == nil:
		return Clock{}, fmt.Errorf("business hours need a time zone and a working calendar")
	case start < 0 || end > 24*time.Hour || end <= start:
		return Clock{}, fmt.Errorf("business hours %v-%v are not within one day", start, end)
	}
	return Clock{loc: loc, business: true, start: start, end: end, days: days}, nil
}

// Business reports whether the clock counts working time only.
func (c Clock) Business() bool { return c.business }

// maxDays bounds the search for working time, so a calendar without
// working days cannot hang the bot; it then counts calendar time.
const maxDays = 3660

// period is the working hours of day d, and whether d is a working day.
func (c Clock) period(d civil.Date) (from, to time.Time, ok bool) {
	if !c.days.IsWorkday(d) {
		return time.Time{}, time.Time{}, false
	}
	midnight := d.At(c.loc, 0, 0)
	return midnight.Add(c.start), midnight.Add(c.end), true
}

// Add is the first moment at which d of counted time has passed since t.
// In working time, a t outside working hours starts counting at the next
// working hour, and a deadline falls at the end of a working day rather
// than at the start of the next.
func (c Clock) Add(t time.Time, d time.Duration) time.Time { return c.count(t, d, 1) }

// Sub is the last moment before t from which d of counted time remains
// until t: the warning time of a deadline t.
func (c Clock) Sub(t time.Time, d time.Duration) time.Time { return c.count(t, d, -1) }

// count walks d of counted time away from t, day by day: forward (dir 1)
// for Add, backward (dir -1) for Sub.
func (c Clock) count(t time.Time, d time.Duration, dir int) time.Time {
	if !c.business || d <= 0 {
		return t.Add(time.Duration(dir) * d)
	}
	day := civil.Of(t, c.loc)
	left := d
	for i := 0; i < maxDays; i, day = i+1, day.AddDays(dir) {
		from, to, ok := c.period(day)
		if !ok {
			continue
		}
		// Only the working hours on the walk's side of t count.
		if dir > 0 && from.Before(t) {
			from = t
		}
		if dir < 0 && to.After(t) {
			to = t
		}
		if !to.After(from) {
			continue
		}
		if avail := to.Sub(from); left > avail {
			left -= avail
			continue
		}
		if dir > 0 {
			return from.Add(left)
		}
		return to.Add(-left)
	}
	return t.Add(time.Duration(dir) * d)
}

// Between is the counted time from a to b (negative when b is before a).
func (c Clock) Between(a, b time.Time) time.Duration {
	if !c.business {
		return b.Sub(a)
	}
	if b.Before(a) {
		return -c.Between(b, a)
	}
	var sum time.Duration
	day := civil.Of(a, c.loc)
	for i := 0; i < maxDays; i, day = i+1, day.AddDays(1) {
		from, to, ok := c.period(day)
		if ok {
			from, to = maxTime(from, a), minTime(to, b)
			if to.After(from) {
				sum += to.Sub(from)
			}
		}
		if !day.AddDays(1).At(c.loc, 0, 0).Before(b) {
			break
		}
	}
	return sum
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Rules are the team's policies and the clock they count on.
type Rules struct {
	Clock    Clock
	Policies map[Kind]Policy
	// Quiet holds back warnings and reminders; ManagerQuiet, breaches.
	Quiet, ManagerQuiet Quiet
}

// FromConfig reads the sla section. A type the section leaves out gets
// the defaults; so do durations left empty. days is needed only with
// business hours.
func FromConfig(s config.SLA, loc *time.Location, days Workdays) (Rules, error) {
	r := Rules{Clock: CalendarClock(), Policies: map[Kind]Policy{}}
	if bh := s.BusinessHours; bh != nil {
		start, end, err := bh.Window()
		if err != nil {
			return Rules{}, fmt.Errorf("sla.business_hours.%w", err)
		}
		if r.Clock, err = BusinessClock(loc, start, end, days); err != nil {
			return Rules{}, fmt.Errorf("sla.business_hours: %w", err)
		}
	}
	var err error
	if r.Quiet, err = quietFromConfig(s.QuietHours, loc); err != nil {
		return Rules{}, fmt.Errorf("sla.quiet_hours: %w", err)
	}
	if r.ManagerQuiet, err = quietFromConfig(s.ManagerQuietHours, loc); err != nil {
		return Rules{}, fmt.Errorf("sla.manager_quiet_hours: %w", err)
	}
	for _, typ := range config.ItemKinds {
		p := Policy{ResolveWithin: defaultResolveWithin, RemindEvery: defaultRemindEvery}
		c, ok := s.Policies[typ]
		var err error
		if ok && c.ResolveWithin != "" {
			if p.ResolveWithin, err = positive(c.ResolveWithin); err != nil {
				return Rules{}, fmt.Errorf("sla.policies.%s.resolve_within: %w", typ, err)
			}
		}
		p.WarnBefore = defaultWarnBefore
		if p.WarnBefore >= p.ResolveWithin {
			p.WarnBefore = p.ResolveWithin / 4
		}
		if ok && c.WarnBefore != "" {
			if p.WarnBefore, err = positive(c.WarnBefore); err != nil {
				return Rules{}, fmt.Errorf("sla.policies.%s.warn_before: %w", typ, err)
			}
			if p.WarnBefore >= p.ResolveWithin {
				return Rules{}, fmt.Errorf("sla.policies.%s.warn_before: %v is not shorter than resolve_within %v", typ, p.WarnBefore, p.ResolveWithin)
			}
		}
		if ok && c.RemindEvery != "" {
			if p.RemindEvery, err = positive(c.RemindEvery); err != nil {
				return Rules{}, fmt.Errorf("sla.policies.%s.remind_every: %w", typ, err)
			}
		}
		r.Policies[typ] = p
	}
	return r, nil
}

func positive(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration", s)
	}
	return d, nil
}

// Policy is the policy of a type; an unknown type gets the defaults.
func (r Rules) Policy(typ Kind) Policy {
	if p, ok := r.Policies[typ]; ok {
		return p
	}
	return Policy{ResolveWithin: defaultResolveWithin, WarnBefore: defaultWarnBefore, RemindEvery: defaultRemindEvery}
}

// Deadline is when an item of a type flagged at t must be resolved.
func (r Rules) Deadline(typ Kind, flagged time.Time) time.Time {
	return r.Clock.Add(flagged, r.Policy(typ).ResolveWithin)
}

// AlertKind of alert.
type AlertKind int

const (
	Warn   AlertKind = iota // before the deadline, to the assignee
	Breach                  // at the deadline, to the managers
	Remind                  // every RemindEvery after the deadline
)

func (k AlertKind) String() string {
	switch k {
	case Warn:
		return "warn"
	case Breach:
		return "breach"
	case Remind:
		return "remind"
	}
	return fmt.Sprintf("AlertKind(%d)", int(k))
}

// Schedule is the alerts of one item. Alerts are numbered: 0 the warning,
// 1 the breach, 2 and on the reminders; an item stores the number of its
// next alert (its sequence), so what has been sent is one integer.
type Schedule struct {
	clock           Clock
	policy          Policy
	deadline        time.Time
	quiet, mgrQuiet Quiet
}

// Schedule of an item of a type due at deadline.
func (r Rules) Schedule(typ Kind, deadline time.Time) Schedule {
	return Schedule{clock: r.Clock, policy: r.Policy(typ), deadline: deadline, quiet: r.Quiet, mgrQuiet: r.ManagerQuiet}
}

// maxSeq bounds the reminders of an item nobody resolves (about a year of
// 4-hourly reminders); past it the item stays breached but quiet.
const maxSeq = 2200

// At is the time of alert n; ok is false for an alert that does not
// happen (no warning, no reminders, past maxSeq).
func (s Schedule) At(n int) (AlertKind, time.Time, bool) {
	switch {
	case n < 0 || n > maxSeq:
		return 0, time.Time{}, false
	case n == 0:
		if s.policy.WarnBefore <= 0 {
			return Warn, time.Time{}, false
		}
		// A warning held back by quiet hours past the deadline is
		// pointless: the breach says it all.
		at := s.quiet.Defer(s.clock.Sub(s.deadline, s.policy.WarnBefore))
		if !at.Before(s.deadline) {
			return Warn, time.Time{}, false
		}
		return Warn, at, true
	case n == 1:
		return Breach, s.mgrQuiet.Defer(s.deadline), true
	default:
		if s.policy.RemindEvery <= 0 {
			return Remind, time.Time{}, false
		}
		// Reminders held back by quiet hours all fall at its end, where
		// Due sends the latest of them once.
		at := s.quiet.Defer(s.clock.Add(s.deadline, time.Duration(n-1)*s.policy.RemindEvery))
		if b := s.mgrQuiet.Defer(s.deadline); at.Before(b) {
			at = b // never remind before the breach was told
		}
		return Remind, at, true
	}
}

// First is the first alert from sequence seq on: its number and time.
// Only the warning may not happen before the breach, so this looks at most
// one alert ahead.
func (s Schedule) First(seq int) (int, time.Time, bool) {
	n := max(seq, 0)
	if n == 0 {
		if _, at, ok := s.At(0); ok {
			return 0, at, true
		}
		n = 1
	}
	_, at, ok := s.At(n)
	return n, at, ok
}

// Step is what to do for an item at a tick: send alert Send (of kind AlertKind,
// scheduled At), then store Next as the item's sequence and NextAt as its
// next alert time (none when !HasNext).
type Step struct {
	Send    int
	Kind    AlertKind
	At      time.Time
	Skipped int // alerts passed over because the bot was down
	Next    int
	NextAt  time.Time
	HasNext bool
}

// Due is the step for an item whose next alert is seq, at now; ok is false
// when nothing is due. After downtime, alerts that passed are not sent in
// a burst: the latest one due is sent once, except that the breach is
// never passed over (the managers must hear of it), and a warning is
// pointless once the deadline has passed.
func (s Schedule) Due(seq int, now time.Time) (Step, bool) {
	first, at, ok := s.First(seq)
	if !ok || at.After(now) {
		return Step{}, false
	}
	last := first
	for {
		_, t, ok := s.At(last + 1)
		if !ok || t.After(now) {
			break
		}
		last++
	}
	send := last
	if first <= 1 && last >= 1 {
		send = 1
	}
	st := Step{Send: send, Next: last + 1}
	st.Kind, st.At, _ = s.At(send)
	st.Skipped = last - first
	if n, t, ok := s.First(last + 1); ok {
		st.Next, st.NextAt, st.HasNext = n, t, true
	}
	return st, true
}

// Quiet is a daily window of quiet hours in the team zone, in which
// alerts wait. The zero Quiet is never quiet.
type Quiet struct {
	loc        *time.Location
	start, end time.Duration // from midnight; start > end spans midnight
}

// QuietHours is the window from start to end (offsets from midnight in
// loc); start after end spans midnight (22:00-08:00).
func QuietHours(loc *time.Location, start, end time.Duration) (Quiet, error) {
	switch {
	case loc == nil:
		return Quiet{}, fmt.Errorf("quiet hours need a time zone")
	case start < 0 || end < 0 || start >= 24*time.Hour || end > 24*time.Hour || start == end:
		return Quiet{}, fmt.Errorf("quiet hours %v-%v are not a window of one day", start, end)
	}
	return Quiet{loc: loc, start: start, end: end}, nil
}

func quietFromConfig(h *config.BusinessHours, loc *time.Location) (Quiet, error) {
	if h == nil {
		return Quiet{}, nil
	}
	start, end, err := h.Window()
	if err != nil {
		return Quiet{}, err
	}
	return QuietHours(loc, start, end)
}

// Contains reports whether t falls in the quiet hours.
func (q Quiet) Contains(t time.Time) bool {
	if q.loc == nil {
		return false
	}
	l := t.In(q.loc)
	tod := time.Duration(l.Hour())*time.Hour + time.Duration(l.Minute())*time.Minute + time.Duration(l.Second())*time.Second + time.Duration(l.Nanosecond())
	if q.start < q.end {
		return tod >= q.start && tod < q.end
	}
	return tod >= q.start || tod < q.end
}

// Defer is t, or the end of the quiet hours t falls in.
func (q Quiet) Defer(t time.Time) time.Time {
	if !q.Contains(t) {
		return t
	}
	l := t.In(q.loc)
	end := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, q.loc).Add(q.end)
	if !end.After(t) {
		end = time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, q.loc).Add(q.end)
	}
	return end
}
