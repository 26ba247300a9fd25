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

// serveEnvelope checks that a command or interaction comes from the
// installation, as the HTTP receiver does, then serves it on its own
// goroutine and acknowledges it with what serve returns. A refused
// envelope is acknowledged empty, so Slack does not send it again, and
// nothing else happens.
func (s *SocketReceiver) serveEnvelope(evt socketmode.Event, team, enterprise, app string, serve func() any) {
	if err := s.Workspace.check(team, enterprise, app); err != nil {
		s.refusals.log(s.Log, s.Clock.Now(), "refused socket mode envelope", "envelope_id", evt.Request.EnvelopeID, "reason", err)
		s.ack(evt, nil)
		return
	}
	go func() {
		var payload any
		if err := s.recovered("socket mode envelope", func() { payload = serve() }); err != nil {
			payload = nil
		}
		s.ack(evt, payload)
	}()
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
			// A panic in one envelope's handling must not stop the loop
			// that serves all the others.
			_ = s.recovered("socket mode event "+string(evt.Type), func() { s.handle(ctx, evt) })
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
		s.serveEnvelope(evt, sc.TeamID, sc.EnterpriseID, sc.APIAppID, func() any {
			return s.command(ctx, fromSlash(sc, s.Clock.Now()), delivery{sc.TriggerID, "envelope:" + evt.Request.EnvelopeID})
		})
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok || evt.Request == nil {
			s.ack(evt, nil)
			return
		}
		s.serveEnvelope(evt, callbackTeam(cb), cb.Enterprise.ID, cb.APIAppID, func() any {
			return s.interact(ctx, fromCallback(cb, s.Clock.Now()), delivery{cb.TriggerID, "envelope:" + evt.Request.EnvelopeID})
		})
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
		if err := s.Workspace.check(cb.TeamID, cb.enterprise(), cb.APIAppID); err != nil {
			s.refusals.log(s.Log, s.Clock.Now(), "refused socket mode event", "reason", err)
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
