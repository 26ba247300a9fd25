package slackfake

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// defaultAckWait bounds SendEnvelope when its context has no deadline, so
// a test that forgets to acknowledge fails instead of hanging.
const defaultAckWait = 10 * time.Second

// socket is one Socket Mode connection.
type socket struct {
	conn *websocket.Conn
	wmu  sync.Mutex // gorilla allows one writer at a time
	done chan struct{}
}

type ack struct {
	payload json.RawMessage
	err     error
}

// MaxAckBytes is Slack's limit on a Socket Mode message from the app: a
// larger acknowledgement is silently dropped.
const MaxAckBytes = 20 * 1024

func (sk *socket) writeJSON(v any) error {
	sk.wmu.Lock()
	defer sk.wmu.Unlock()
	_ = sk.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return sk.conn.WriteJSON(v)
}

// serveSocket upgrades to a WebSocket, greets with hello as Slack does,
// pings, and routes acknowledgements to SendEnvelope.
func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if down {
		hangUp(w)
		return
	}
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	sk := &socket{conn: conn, done: make(chan struct{})}
	// Registered before hello is written, and hello written first (the
	// writer lock is held throughout): a client that reacts to hello finds
	// this connection counted, and no envelope can overtake hello.
	sk.wmu.Lock()
	s.mu.Lock()
	s.sockets = append(s.sockets, sk)
	s.maxOpen = max(s.maxOpen, len(s.sockets))
	n := len(s.sockets)
	interval := s.pingInterval
	s.notifyLocked()
	s.mu.Unlock()
	_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	err = conn.WriteJSON(obj{
		"type":            "hello",
		"num_connections": n,
		"debug_info":      obj{"host": "applink-fake", "build_number": 1, "approximate_connection_time": 18060},
		"connection_info": obj{"app_id": AppID},
	})
	sk.wmu.Unlock()
	if err != nil {
		conn.Close()
		s.detach(sk)
		return
	}
	s.mu.Lock()
	s.opened++ // WaitConnected counts connections greeted with hello
	s.notifyLocked()
	silent, closing := s.silent, s.closing
	s.mu.Unlock()
	if silent {
		// Nothing more, not even a pong: the client must notice by itself.
		<-closing
		close(sk.done)
		conn.Close()
		return
	}

	if interval > 0 {
		go ping(sk, interval)
	}
	s.readAcks(sk)
}

// ping keeps slack-go's dead-connection timer from firing: it reconnects
// when Slack's pings stop.
func ping(sk *socket, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-sk.done:
			return
		case <-t.C:
			if err := sk.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second)); err != nil {
				return
			}
		}
	}
}

func (s *Server) readAcks(sk *socket) {
	defer func() {
		close(sk.done)
		sk.conn.Close()
		s.detach(sk)
	}()
	for {
		_, data, err := sk.conn.ReadMessage()
		if err != nil {
			return
		}
		var a struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(data, &a) != nil {
			continue
		}
		if a.EnvelopeID == "" {
			// hello, disconnect and Slack's own messages have no envelope:
			// nothing to acknowledge.
			s.mu.Lock()
			s.strayAcks++
			s.mu.Unlock()
			s.t.Errorf("slackfake: acknowledgement without an envelope_id: %s", data)
			continue
		}
		s.mu.Lock()
		ch := s.acks[a.EnvelopeID]
		delete(s.acks, a.EnvelopeID)
		s.mu.Unlock()
		if ch == nil {
			continue
		}
		switch err := checkResponse(a.Payload); {
		case len(data) >= MaxAckBytes:
			// Slack drops it without a word; say so at once rather than
			// letting the test wait out its deadline.
			ch <- ack{err: fmt.Errorf("slackfake: acknowledgement of %d bytes dropped (Slack's limit is %d)", len(data), MaxAckBytes)}
		case err != nil:
			s.t.Errorf("slackfake: acknowledgement payload: invalid message: %v", err)
			ch <- ack{payload: a.Payload}
		default:
			ch <- ack{payload: a.Payload}
		}
	}
}

// detach forgets a connection, so envelopes go to another one.
func (s *Server) detach(sk *socket) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := slices.Index(s.sockets, sk); i >= 0 {
		s.sockets = slices.Delete(s.sockets, i, i+1)
		s.notifyLocked()
	}
}

// SendEnvelope sends a request over the newest Socket Mode connection
// (waiting for one if there is none yet) and returns the payload of the
// client's acknowledgement, which is nil when it sent none. typ is
// "slash_commands", "interactive" or "events_api". It fails when ctx ends
// (or after 10 s when ctx has no deadline) or the connection closes first.
func (s *Server) SendEnvelope(ctx context.Context, typ string, payload any, acceptsResponsePayload bool) (json.RawMessage, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("slackfake: encode payload: %w", err)
	}
	if _, has := ctx.Deadline(); !has {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultAckWait)
		defer cancel()
	}
	id := newUUID()
	env := obj{"envelope_id": id, "type": typ, "payload": json.RawMessage(body), "accepts_response_payload": acceptsResponsePayload}
	if typ == "events_api" {
		env["retry_attempt"] = 0
		env["retry_reason"] = ""
	}
	acked := make(chan ack, 1)
	var sk *socket
	for sk == nil {
		s.mu.Lock()
		if n := len(s.sockets); n > 0 {
			sk = s.sockets[n-1]
			s.acks[id] = acked
		}
		changed := s.changed
		s.mu.Unlock()
		if sk == nil {
			if err := s.waitChange(ctx, changed); err != nil {
				return nil, fmt.Errorf("slackfake: no socket mode connection to send %s on: %w", typ, err)
			}
		}
	}
	defer func() {
		s.mu.Lock()
		delete(s.acks, id)
		s.mu.Unlock()
	}()
	if err := sk.writeJSON(env); err != nil {
		return nil, fmt.Errorf("slackfake: send %s envelope: %w", typ, err)
	}
	select {
	case a := <-acked:
		return a.payload, a.err
	case <-sk.done:
		return nil, errors.New("slackfake: the connection closed before the envelope was acknowledged")
	case <-ctx.Done():
		return nil, fmt.Errorf("slackfake: waiting for the ack of %s envelope %s: %w", typ, id, ctx.Err())
	}
}

// DropSocket ends the newest Socket Mode connection the way Slack
// refreshes one: a disconnect message, then the close, so the client must
// reconnect. It waits up to 2 s for the client to hang up first.
func (s *Server) DropSocket() {
	s.mu.Lock()
	n := len(s.sockets)
	if n == 0 {
		s.mu.Unlock()
		return
	}
	sk := s.sockets[n-1]
	s.sockets = s.sockets[:n-1]
	s.notifyLocked()
	s.mu.Unlock()

	_ = sk.writeJSON(obj{"type": "disconnect", "reason": "refresh_requested", "debug_info": obj{"host": "applink-fake"}})
	select {
	case <-sk.done:
	case <-time.After(2 * time.Second):
	}
	sk.conn.Close()
}

// WaitConnected waits until n Socket Mode connections have been opened in
// total (each greeted with hello).
func (s *Server) WaitConnected(ctx context.Context, n int) error {
	for {
		s.mu.Lock()
		opened, changed := s.opened, s.changed
		s.mu.Unlock()
		if opened >= n {
			return nil
		}
		if err := s.waitChange(ctx, changed); err != nil {
			return fmt.Errorf("slackfake: %d of %d socket mode connections opened: %w", opened, n, err)
		}
	}
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Disconnect sends Slack's disconnect message with a reason ("warning",
// "refresh_requested", "link_disabled", "too_many_websockets") on the
// newest connection and leaves it open, as Slack does before it closes a
// connection (about 10 s after a warning). close additionally closes it
// afterwards with a close frame.
func (s *Server) Disconnect(reason string, close bool) {
	sk := s.newest(close)
	if sk == nil {
		return
	}
	_ = sk.writeJSON(obj{"type": "disconnect", "reason": reason, "debug_info": obj{"host": "applink-fake"}})
	if close {
		sk.wmu.Lock()
		_ = sk.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		sk.wmu.Unlock()
		sk.conn.Close()
	}
}

// DropTCP ends the newest connection without a close frame, as a dead
// network or a crashed load balancer would.
func (s *Server) DropTCP() {
	if sk := s.newest(true); sk != nil {
		sk.conn.Close()
	}
}

// newest is the newest open connection, detached first when detach.
func (s *Server) newest(detach bool) *socket {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.sockets)
	if n == 0 {
		return nil
	}
	sk := s.sockets[n-1]
	if detach {
		s.sockets = s.sockets[:n-1]
		s.notifyLocked()
	}
	return sk
}

// OpenSockets is how many Socket Mode connections are open now.
func (s *Server) OpenSockets() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sockets)
}

// WaitOpen waits until exactly n connections are open.
func (s *Server) WaitOpen(ctx context.Context, n int) error {
	for {
		s.mu.Lock()
		open, changed := len(s.sockets), s.changed
		s.mu.Unlock()
		if open == n {
			return nil
		}
		if err := s.waitChange(ctx, changed); err != nil {
			return fmt.Errorf("slackfake: %d socket mode connections open, waiting for %d: %w", open, n, err)
		}
	}
}
