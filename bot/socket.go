package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
)

// SocketOpener calls apps.connections.open with the app-level token;
// *slack.Client is one.
type SocketOpener interface {
	StartSocketModeContext(ctx context.Context) (*slack.SocketModeConnection, string, error)
}

// ErrLinkDisabled ends Run when Slack says Socket Mode was turned off for
// the app: reconnecting cannot help, a person must act, so the process
// exits non-zero for its supervisor to notice.
var ErrLinkDisabled = errors.New("slack disabled socket mode for this app (disconnect reason link_disabled); turn Socket Mode on again under the app's settings, or run in HTTP mode")

// Socket Mode defaults.
const (
	// DefaultOpenTimeout bounds apps.connections.open and the WebSocket
	// handshake: a hung call is abandoned and retried.
	DefaultOpenTimeout = 10 * time.Second
	// DefaultDeadAfter is how long a connection may stay silent (no
	// message, ping or pong) before it is replaced. The bot pings every
	// third of it, so a live connection always answers in time.
	DefaultDeadAfter = 20 * time.Second
	// DefaultMaxBackoff caps the wait between failed connection attempts.
	DefaultMaxBackoff = 30 * time.Second
	// maxAckBytes is Slack's limit on a message sent over the socket;
	// larger ones are dropped without a word.
	maxAckBytes = 20 * 1024
)

// SocketReceiver takes Slack's requests over a Socket Mode WebSocket: no
// public URL needed. It runs its own connection loop rather than
// slack-go's socketmode.Client, because that one hides the reason of each
// disconnect (so link_disabled cannot be told from a refresh), closes the
// old socket before the new one is up, calls apps.connections.open without
// a deadline, and notices a dead connection only after up to twice its
// ping interval. Every envelope except hello is acknowledged within the
// budget, on the connection it came from.
type SocketReceiver struct {
	*Slack
	Opener SocketOpener
	// Dialer opens the WebSocket; nil means a default one.
	Dialer      *websocket.Dialer
	OpenTimeout time.Duration
	DeadAfter   time.Duration
	MaxBackoff  time.Duration

	conns   connections // counts connections, to tell a reconnect
	mu      sync.Mutex
	current *smConn
	seq     int // numbers connections in the logs
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Run connects and serves until ctx is done (nil) or Slack disables the
// link (ErrLinkDisabled), or the app token is refused.
func (s *SocketReceiver) Run(ctx context.Context) error {
	cur, err := s.connect(ctx)
	if err != nil {
		return s.stopped(ctx, err)
	}
	for {
		select {
		case <-ctx.Done():
			cur.close("shutting down")
			return nil
		case reason := <-cur.ended:
			if reason == "link_disabled" {
				cur.close(reason)
				s.Log.Error("socket mode link disabled by Slack; stopping", "conn", cur.id)
				return ErrLinkDisabled
			}
			s.Log.Warn("socket mode connection ended; reconnecting", "conn", cur.id, "reason", reason)
			s.observer().SocketConnected(false, false)
			cur.close(reason)
			if cur, err = s.connect(ctx); err != nil {
				return s.stopped(ctx, err)
			}
		case reason := <-cur.replace:
			// Slack will close this connection soon (warning) or asks for
			// a new one (refresh_requested): open the new one first, so
			// no envelope finds the bot offline, then let the old one
			// finish the acks it owes before closing it.
			s.Log.Info("socket mode replacing connection", "conn", cur.id, "reason", reason)
			next, err := s.connect(ctx)
			if err != nil {
				cur.close("shutting down")
				return s.stopped(ctx, err)
			}
			old := cur
			cur = next
			go old.drainAndClose(reason, orDefault(s.OpenTimeout, DefaultOpenTimeout))
		}
	}
}

func (s *SocketReceiver) stopped(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// fatalOpenErrors are apps.connections.open answers that retrying cannot
// fix.
var fatalOpenErrors = map[string]bool{
	"invalid_auth": true, "not_authed": true, "account_inactive": true, "token_revoked": true,
	"not_allowed_token_type": true, "missing_scope": true,
}

// connect opens a connection, retrying with capped, jittered exponential
// backoff; every failed attempt is logged with its cause.
func (s *SocketReceiver) connect(ctx context.Context) (*smConn, error) {
	maxBackoff := orDefault(s.MaxBackoff, DefaultMaxBackoff)
	for attempt := 1; ; attempt++ {
		c, err := s.open(ctx)
		if err == nil {
			s.mu.Lock()
			s.current = c
			s.mu.Unlock()
			return c, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && fatalOpenErrors[se.Err] || fatalOpenErrors[err.Error()] {
			return nil, fmt.Errorf("socket mode: apps.connections.open refused the app token (SLACK_APP_TOKEN): %w", err)
		}
		wait := Backoff(attempt, maxBackoff, rand.Float64())
		var rl *slack.RateLimitedError
		if errors.As(err, &rl) && rl.RetryAfter > wait {
			wait = rl.RetryAfter
		}
		s.Log.Warn("socket mode connection attempt failed", "attempt", attempt, "err", err, "retry_in", wait.Round(time.Millisecond))
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-s.Clock.After(wait):
		}
	}
}

// Backoff is the wait before retry number attempt (1, 2, …): exponential
// from 1 s, capped at max, with jitter (r in [0,1)) taking up to half of
// it off so replicas do not reconnect in lockstep.
func Backoff(attempt int, max time.Duration, r float64) time.Duration {
	d := time.Second
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	return d - time.Duration(float64(d)/2*r)
}

// open makes one attempt: apps.connections.open and the handshake, each
// bounded by OpenTimeout.
func (s *SocketReceiver) open(ctx context.Context) (*smConn, error) {
	timeout := orDefault(s.OpenTimeout, DefaultOpenTimeout)
	octx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	_, url, err := s.Opener.StartSocketModeContext(octx)
	if err != nil {
		if octx.Err() != nil && ctx.Err() == nil {
			return nil, fmt.Errorf("apps.connections.open gave no answer within %v: %w", timeout, err)
		}
		return nil, fmt.Errorf("apps.connections.open: %w", err)
	}
	dialer := s.Dialer
	if dialer == nil {
		dialer = &websocket.Dialer{Proxy: http.ProxyFromEnvironment, HandshakeTimeout: timeout, WriteBufferSize: 32 * 1024}
	}
	ws, resp, err := dialer.DialContext(octx, url, http.Header{"Origin": {"https://api.slack.com"}})
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("open the socket mode websocket: %w", err)
	}
	s.mu.Lock()
	s.seq++
	id := s.seq
	s.mu.Unlock()
	c := &smConn{
		id: id, ws: ws, recv: s,
		ended: make(chan string, 1), replace: make(chan string, 1), done: make(chan struct{}), hello: make(chan struct{}),
		deadAfter: orDefault(s.DeadAfter, DefaultDeadAfter),
	}
	c.start()
	return c.greeted(octx, timeout)
}

// greeted waits for Slack's hello: the connection is up when it arrives.
// A disconnect can follow hello at once (link_disabled does), and when
// both are waiting select picks one at random; hello wins, and the end
// goes back for Run to act on, so link_disabled is never mistaken for a
// failed attempt and retried.
func (c *smConn) greeted(octx context.Context, timeout time.Duration) (*smConn, error) {
	select {
	case <-c.hello:
		return c, nil
	case reason := <-c.ended:
		select {
		case <-c.hello:
			c.end(reason)
			return c, nil
		default:
		}
		c.close(reason)
		return nil, fmt.Errorf("socket mode connection ended before hello: %s", reason)
	case <-octx.Done():
		c.close("no hello")
		return nil, fmt.Errorf("no hello within %v of opening the socket mode connection", timeout)
	}
}

// now is the connection the bot treats as current.
func (s *SocketReceiver) now() *smConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current
}

// smConn is one Socket Mode WebSocket.
type smConn struct {
	id        int
	ws        *websocket.Conn
	recv      *SocketReceiver
	wmu       sync.Mutex // one writer at a time
	ended     chan string
	replace   chan string
	done      chan struct{}
	hello     chan struct{} // closed when Slack's hello arrives
	helloOnce sync.Once
	closeOnce sync.Once
	inflight  sync.WaitGroup
	deadAfter time.Duration
}

func (c *smConn) start() {
	extend := func() { _ = c.ws.SetReadDeadline(time.Now().Add(c.deadAfter)) }
	extend()
	c.ws.SetPongHandler(func(string) error { extend(); return nil })
	c.ws.SetPingHandler(func(data string) error {
		extend()
		c.wmu.Lock()
		defer c.wmu.Unlock()
		err := c.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(5*time.Second))
		if errors.Is(err, websocket.ErrCloseSent) {
			return nil
		}
		return err
	})
	go c.pinger()
	go c.read(extend)
}

// pinger pings every third of deadAfter, so a live peer's pongs keep the
// read deadline ahead and a dead one is noticed within deadAfter.
func (c *smConn) pinger() {
	t := time.NewTicker(c.deadAfter / 3)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			c.wmu.Lock()
			err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second))
			c.wmu.Unlock()
			if err != nil {
				return
			}
		}
	}
}

func (c *smConn) end(reason string) {
	select {
	case c.ended <- reason:
	default:
	}
}

// envelope is a Socket Mode message from Slack.
type envelope struct {
	Type                   string          `json:"type"`
	EnvelopeID             string          `json:"envelope_id"`
	Payload                json.RawMessage `json:"payload"`
	AcceptsResponsePayload bool            `json:"accepts_response_payload"`
	RetryAttempt           int             `json:"retry_attempt"`
	RetryReason            string          `json:"retry_reason"`
	Reason                 string          `json:"reason"`
	NumConnections         int             `json:"num_connections"`
	DebugInfo              struct {
		Host string `json:"host"`
	} `json:"debug_info"`
}

func (c *smConn) read(extend func()) {
	log := c.recv.Log.With("conn", c.id)
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			var ne interface{ Timeout() bool }
			switch {
			case errors.As(err, &ne) && ne.Timeout():
				c.end(fmt.Sprintf("no message, ping or pong for %v: dead connection", c.deadAfter))
			default:
				c.end(fmt.Sprintf("read: %v", err))
			}
			return
		}
		extend()
		var env envelope
		if err := json.Unmarshal(data, &env); err != nil {
			log.Warn("undecodable socket mode message", "err", err, "bytes", len(data))
			continue
		}
		switch env.Type {
		case "hello":
			// hello carries no envelope_id: it is not acknowledged.
			log.Info("socket mode connected", "connections", env.NumConnections, "host", env.DebugInfo.Host)
			c.helloOnce.Do(func() {
				c.recv.observer().SocketConnected(true, c.recv.conns.connected())
				close(c.hello)
			})
		case "disconnect":
			log.Info("socket mode disconnect requested", "reason", env.Reason, "host", env.DebugInfo.Host)
			if env.Reason == "link_disabled" {
				c.end(env.Reason)
				return
			}
			select {
			case c.replace <- env.Reason:
			default:
			}
		case "slash_commands", "interactive", "events_api":
			c.inflight.Add(1)
			at := c.recv.Clock.Now()
			go func() {
				defer c.inflight.Done()
				// A panic in one envelope's handling must not stop the
				// loop that serves all the others.
				if err := c.recv.recovered("socket mode envelope", func() {
					c.recv.dispatch(Arrived(context.Background(), at), c, env)
				}); err != nil {
					c.recv.ack(c, env, nil)
				}
			}()
		default:
			log.Warn("unknown socket mode message", "type", env.Type, "envelope_id", env.EnvelopeID)
			if env.EnvelopeID != "" {
				c.recv.ack(c, env, nil)
			}
		}
	}
}

// close sends a close frame and closes the connection.
func (c *smConn) close(reason string) {
	c.closeOnce.Do(func() {
		close(c.done)
		c.wmu.Lock()
		_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, reason), time.Now().Add(time.Second))
		c.wmu.Unlock()
		c.ws.Close()
	})
}

// drainAndClose waits for the acks this connection owes (at most wait),
// then closes it.
func (c *smConn) drainAndClose(reason string, wait time.Duration) {
	select {
	case <-waited(&c.inflight):
	case <-time.After(wait):
	}
	c.close(reason)
}

// write sends one message; gorilla allows one writer at a time.
func (c *smConn) write(data []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	defer c.ws.SetWriteDeadline(time.Time{})
	return c.ws.WriteMessage(websocket.TextMessage, data)
}

// dispatch checks that an envelope comes from the installation, as the
// HTTP receiver does, handles it and acknowledges it. A refused envelope
// is acknowledged empty, so Slack does not send it again, and nothing else
// happens.
func (s *SocketReceiver) dispatch(ctx context.Context, c *smConn, env envelope) {
	refuse := func(err error) {
		s.refusals.log(s.Log, s.Clock.Now(), "refused socket mode envelope", "envelope_id", env.EnvelopeID, "type", env.Type, "reason", err)
		s.ack(c, env, nil)
	}
	switch env.Type {
	case "slash_commands":
		var sc slack.SlashCommand
		if err := json.Unmarshal(env.Payload, &sc); err != nil {
			s.Log.Warn("undecodable slash command", "envelope_id", env.EnvelopeID, "err", err)
			s.ack(c, env, nil)
			return
		}
		if err := s.Workspace.check(sc.TeamID, sc.EnterpriseID, sc.APIAppID); err != nil {
			refuse(err)
			return
		}
		cmd := fromSlash(sc, s.Clock.Now())
		m := s.command(ctx, cmd, delivery{sc.TriggerID, "envelope:" + env.EnvelopeID})
		if !s.ack(c, env, m) {
			// Too big for an ack: acknowledge empty, answer through
			// response_url, which takes a full message.
			if r, ok := m.(Response); ok {
				s.later(func() {
					if err := s.respond(ctx, cmd.ResponseURL, r); err != nil {
						s.Log.Error("deliver answer too big for the ack", "command", cmd.Name, "user", cmd.UserID, "err", err)
					}
				})
			}
			s.ack(c, env, nil)
		}
	case "interactive":
		var cb slack.InteractionCallback
		if err := json.Unmarshal(env.Payload, &cb); err != nil {
			s.Log.Warn("undecodable interaction", "envelope_id", env.EnvelopeID, "err", err)
			s.ack(c, env, nil)
			return
		}
		if err := s.Workspace.check(callbackTeam(cb), cb.Enterprise.ID, cb.APIAppID); err != nil {
			refuse(err)
			return
		}
		if ack := s.interact(ctx, fromCallback(cb, s.Clock.Now()), delivery{cb.TriggerID, "envelope:" + env.EnvelopeID}); !s.ack(c, env, ack) {
			s.Log.Error("interaction answer too big for the ack; sent empty", "envelope_id", env.EnvelopeID)
			s.ack(c, env, nil)
		}
	case "events_api":
		if env.RetryAttempt > 0 {
			s.Log.Info("retried event delivery", "retry", env.RetryAttempt, "reason", env.RetryReason)
		}
		var cb eventCallback
		if err := json.Unmarshal(env.Payload, &cb); err != nil {
			s.Log.Warn("undecodable events_api payload", "err", err)
		} else if err := s.Workspace.check(cb.TeamID, cb.enterprise(), cb.APIAppID); err != nil {
			refuse(err)
			return
		} else {
			// Tracked before the ack, so whoever sees the ack can Wait.
			s.later(func() { s.event(ctx, cb) })
		}
		s.ack(c, env, nil)
	}
}

// ack acknowledges an envelope with a payload (nil for none) on the
// connection it came from, or on the current one if that one is gone. It
// returns false, sending nothing, when the ack would exceed Slack's 20 KB.
func (s *SocketReceiver) ack(c *smConn, env envelope, payload any) bool {
	msg := map[string]any{"envelope_id": env.EnvelopeID}
	if payload != nil && env.Type != "events_api" {
		msg["payload"] = payload
	}
	data, err := json.Marshal(msg)
	if err != nil {
		s.Log.Error("encode ack", "envelope_id", env.EnvelopeID, "err", err)
		return true
	}
	if len(data) >= maxAckBytes {
		return false
	}
	if err := c.write(data); err != nil {
		if cur := s.now(); cur != nil && cur != c {
			err = cur.write(data)
		}
		if err != nil {
			s.Log.Error("acknowledge envelope", "envelope_id", env.EnvelopeID, "type", env.Type, "err", err)
		}
	}
	return true
}
