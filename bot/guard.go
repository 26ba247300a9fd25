package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Workspace is the one installation the bot serves, as auth.test (and
// SLACK_APP_ID or bots.info) reported it at start. A request from any other
// workspace, Enterprise Grid organisation or app is refused without effect.
type Workspace struct {
	TeamID       string
	EnterpriseID string // set only on Enterprise Grid
	AppID        string // "" when not known: the app is then not checked
}

// ErrOtherWorkspace is a request that does not come from the installation.
var ErrOtherWorkspace = errors.New("request from another workspace or app")

// check refuses a request whose team, organisation or app is not the
// installation's. An empty TeamID means no installation is known (tests
// that build a Slack by hand); main always sets it.
func (w Workspace) check(team, enterprise, app string) error {
	if w.TeamID == "" {
		return nil
	}
	if team != w.TeamID {
		return fmt.Errorf("%w: team_id %q", ErrOtherWorkspace, team)
	}
	if enterprise != "" && enterprise != w.EnterpriseID {
		return fmt.Errorf("%w: enterprise_id %q", ErrOtherWorkspace, enterprise)
	}
	if w.EnterpriseID != "" && enterprise == "" {
		// On Grid Slack names the organisation on every request.
		return fmt.Errorf("%w: no enterprise_id", ErrOtherWorkspace)
	}
	if w.AppID != "" && app != w.AppID {
		return fmt.Errorf("%w: api_app_id %q", ErrOtherWorkspace, app)
	}
	return nil
}

// refusalLog writes at most a few lines a minute about refused requests,
// then one line counting the ones it left out: a flood of forged requests
// must not become a flood of log lines.
type refusalLog struct {
	mu         sync.Mutex
	window     time.Time
	logged     int
	suppressed int
}

// refusalLinesPerMinute is how many refusals are logged one by one.
const refusalLinesPerMinute = 10

func (l *refusalLog) log(log *slog.Logger, now time.Time, msg string, args ...any) {
	l.mu.Lock()
	if now.Sub(l.window) >= time.Minute {
		if l.suppressed > 0 {
			log.Warn("refused requests not logged one by one", "count", l.suppressed, "since", l.window.UTC().Format(time.RFC3339))
		}
		l.window, l.logged, l.suppressed = now, 0, 0
	}
	if l.logged >= refusalLinesPerMinute {
		l.suppressed++
		l.mu.Unlock()
		return
	}
	l.logged++
	l.mu.Unlock()
	log.Warn(msg, args...)
}

// Limits on reading request bodies. Slack's payloads are a few kilobytes;
// a body announced larger goes through a narrow lane, so forged large bodies
// cannot take the memory or the time that real requests need. Each slot
// owns its buffer, reused from request to request: a flood of bodies
// allocates nothing, so it cannot grow the heap either.
const (
	// SmallBody is the largest body read through the wide lane.
	SmallBody = 64 << 10
	// smallSlots and largeSlots bound the bodies read at once per lane:
	// at most 64 × 64 KiB + 1 × 1 MiB of buffers, about 5 MiB.
	smallSlots = 64
	largeSlots = 1
	// slotWait is how long a request waits for a lane before 503.
	slotWait = time.Second
	// bodyReadTime is how long reading one body may take.
	bodyReadTime = 5 * time.Second
	// largePace is the least time a large body holds its lane: a flood of
	// forged large bodies is read at most 1 MiB per 50 ms, a small share
	// of one core, whatever the attackers send.
	largePace = 50 * time.Millisecond
)

// bodyGate bounds how many bodies are read at once, and lends each reader
// a buffer.
type bodyGate struct {
	once  sync.Once
	small chan []byte
	large chan []byte
}

func (g *bodyGate) lane(n int64) (chan []byte, int) {
	g.once.Do(func() {
		g.small = make(chan []byte, smallSlots)
		for range smallSlots {
			g.small <- nil // allocated on first use
		}
		g.large = make(chan []byte, largeSlots)
		for range largeSlots {
			g.large <- nil
		}
	})
	if n >= 0 && n <= SmallBody {
		return g.small, SmallBody
	}
	return g.large, MaxBody
}

// enter takes a slot and its buffer for a body of n bytes (-1: unknown);
// false when none is free within slotWait. release gives both back.
func (g *bodyGate) enter(ctx context.Context, clock clockwork.Clock, n int64) (buf []byte, release func(), ok bool) {
	lane, size := g.lane(n)
	take := func(b []byte) ([]byte, func(), bool) {
		if b == nil {
			b = make([]byte, size+1) // +1 tells a body over the limit
		}
		if size == SmallBody {
			return b, func() { lane <- b }, true
		}
		start := clock.Now()
		return b, func() {
			// Paced, off the request's path: the answer goes out now,
			// the lane reopens at the pace.
			if wait := largePace - clock.Since(start); wait > 0 {
				go func() {
					<-clock.After(wait)
					lane <- b
				}()
				return
			}
			lane <- b
		}, true
	}
	select {
	case b := <-lane:
		return take(b)
	default:
	}
	t := clock.NewTimer(slotWait)
	defer t.Stop()
	select {
	case b := <-lane:
		return take(b)
	case <-t.Chan():
		return nil, nil, false
	case <-ctx.Done():
		return nil, nil, false
	}
}

// CheckHeaders is the part of Verify that needs no body: both headers
// present and the timestamp within MaxSkew. It runs before a body is read.
func CheckHeaders(secret string, h http.Header, now time.Time) error {
	sig, ts := h.Get("X-Slack-Signature"), h.Get("X-Slack-Request-Timestamp")
	if sig == "" || ts == "" || secret == "" {
		return ErrMissingHeaders
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrBadTimestamp
	}
	if d := now.Sub(time.Unix(sec, 0)); d > MaxSkew || d < -MaxSkew {
		return ErrStale
	}
	return nil
}

// ReplayWindow is how long a trigger_id is remembered: the signature
// window either way, so a replayed request is either stale or known.
const ReplayWindow = 2 * MaxSkew

// delivery names a command or interaction for replay protection: its
// trigger_id, else a fallback such as the request's signature or the
// envelope's ID. The zero delivery is not checked (events, which have
// their own event_id).
type delivery struct{ trigger, fallback string }

func (d delivery) key() string {
	key := ""
	switch {
	case d.trigger != "":
		key = "trigger:" + d.trigger
	case d.fallback != "":
		key = "request:" + d.fallback
	}
	if len(key) > 128 {
		key = key[:128]
	}
	return key
}

// admitted reports whether a delivery is seen for the first time. The
// database decides, so replicas agree. When it cannot tell (the database
// is down), the delivery is refused: a replay must never pass, and the
// person is told to try again by the caller's failure path.
func (s *Slack) admitted(ctx context.Context, d delivery, what string) bool {
	key := d.key()
	if key == "" || s.Dedup == nil {
		return true
	}
	s.forgetOld(ctx)
	first, err := s.Dedup.FirstSeen(ctx, key, s.Clock.Now())
	if err != nil {
		panic(fmt.Sprintf("remember delivery %s of %s: %v", key, what, err))
	}
	if !first {
		s.refusals.log(s.Log, s.Clock.Now(), "refused replayed delivery", "what", what, "key", key)
	}
	return first
}

// forgetter drops remembered deliveries older than the replay window.
type forgetter interface {
	ForgetDeliveriesBefore(ctx context.Context, before time.Time) error
}

// forgetOld drops old delivery keys, at most once per window, so the table
// holds about one window of traffic.
func (s *Slack) forgetOld(ctx context.Context) {
	f, ok := s.Dedup.(forgetter)
	if !ok {
		return
	}
	now := s.Clock.Now()
	s.forgotMu.Lock()
	due := now.Sub(s.forgotAt) >= ReplayWindow
	if due {
		s.forgotAt = now
	}
	s.forgotMu.Unlock()
	if due {
		if err := f.ForgetDeliveriesBefore(ctx, now.Add(-ReplayWindow)); err != nil {
			s.Log.Warn("forget old deliveries", "err", err)
		}
	}
}

// recovered runs f; a panic is logged with its stack and reported as an
// error instead of ending the process.
func (s *Slack) recovered(what string, f func()) (err error) {
	defer func() {
		if p := recover(); p != nil {
			s.Log.Error("panic recovered", "in", what, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = fmt.Errorf("%s: panic: %v", what, p)
		}
	}()
	f()
	return nil
}
