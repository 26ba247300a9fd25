package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// SocketReceiver takes Slack's requests over a Socket Mode websocket: no
// public URL needed. Every envelope is acknowledged, within the budget.
type SocketReceiver struct {
	*Slack
	Client *socketmode.Client
	conns  connections
	// MaxBackoff caps the wait between failed connection attempts.
	MaxBackoff time.Duration
}

// Run connects and serves until ctx is done, reconnecting on its own:
// slack-go reconnects after a dropped connection but gives up when a
// connection attempt fails, so failed attempts are retried here with a
// capped exponential backoff.
func (s *SocketReceiver) Run(ctx context.Context) error {
	go s.serve(ctx)
	backoff := time.Second
	maxBackoff := s.MaxBackoff
	if maxBackoff <= 0 {
		maxBackoff = time.Minute
	}
	for {
		started := s.Clock.Now()
		err := s.Client.RunContext(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if s.Clock.Since(started) > time.Minute {
			backoff = time.Second
		}
		s.Log.Warn("socket mode connection failed; retrying", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-s.Clock.After(backoff):
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

func (s *SocketReceiver) serve(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case evt, ok := <-s.Client.Events:
			if !ok {
				return
			}
			s.handle(ctx, evt)
		}
	}
}

func (s *SocketReceiver) handle(ctx context.Context, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		s.Log.Info("socket mode connecting")
		s.observer().SocketConnected(false, false)
	case socketmode.EventTypeConnected:
		s.Log.Info("socket mode connected")
		s.observer().SocketConnected(true, s.conns.connected())
	case socketmode.EventTypeConnectionError:
		s.Log.Warn("socket mode connection error", "data", fmt.Sprint(evt.Data))
		s.observer().SocketConnected(false, false)
	case socketmode.EventTypeSlashCommand:
		sc, ok := evt.Data.(slack.SlashCommand)
		if !ok || evt.Request == nil {
			s.ack(evt, nil)
			return
		}
		// Each envelope is served on its own goroutine so a slow command
		// cannot hold up the acknowledgement of the next.
		go func() { s.ack(evt, s.command(ctx, fromSlash(sc, s.Clock.Now()))) }()
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok || evt.Request == nil {
			s.ack(evt, nil)
			return
		}
		go func() { s.ack(evt, s.interact(ctx, fromCallback(cb, s.Clock.Now()))) }()
	case socketmode.EventTypeEventsAPI:
		s.ack(evt, nil)
		if evt.Request == nil {
			return
		}
		var cb eventCallback
		if err := json.Unmarshal(evt.Request.Payload, &cb); err != nil {
			s.Log.Warn("undecodable events_api payload", "err", err)
			return
		}
		s.later(func() { s.event(context.WithoutCancel(ctx), cb) })
	default:
		if evt.Request != nil {
			s.ack(evt, nil)
		}
	}
}

func (s *SocketReceiver) ack(evt socketmode.Event, payload any) {
	if evt.Request == nil {
		return
	}
	var err error
	if payload == nil {
		err = s.Client.Ack(*evt.Request)
	} else {
		err = s.Client.Ack(*evt.Request, payload)
	}
	if err != nil {
		s.Log.Error("acknowledge envelope", "envelope_id", evt.Request.EnvelopeID, "err", err)
	}
}
