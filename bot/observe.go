package bot

import (
	"sync/atomic"
	"time"

	"opsbot/chat"
)

// Observer hears each command and interaction with its outcome and how
// long its acknowledgement took, and the Socket Mode connection's state;
// telemetry.Metrics has it. Outcomes: "in_channel" or "ephemeral" when
// answered in time, "late" when the answer followed through response_url;
// for interactions "ok", "field_errors", "panic" or "late".
type Observer interface {
	Command(name, outcome string, ack time.Duration)
	Interaction(kind, outcome string, ack time.Duration)
	SocketConnected(up, reconnect bool)
}

type noObserver struct{}

func (noObserver) Command(string, string, time.Duration)     {}
func (noObserver) Interaction(string, string, time.Duration) {}
func (noObserver) SocketConnected(bool, bool)                {}

func (s *Slack) observer() Observer {
	if s.Observer == nil {
		return noObserver{}
	}
	return s.Observer
}

// commandLabel bounds the command label: Slack sends only the manifest's
// commands, but a label must never grow with input.
func commandLabel(name string) string {
	if len(name) > 32 {
		return "other"
	}
	return name
}

func kindLabel(kind string) string {
	switch kind {
	case chat.KindShortcut, chat.KindAction, chat.KindSubmission, chat.KindHome:
		return kind
	}
	return "other"
}

// connections counts Socket Mode connections, so a reconnect can be told
// from the first connection.
type connections struct{ n atomic.Int64 }

func (c *connections) connected() (reconnect bool) { return c.n.Add(1) > 1 }
