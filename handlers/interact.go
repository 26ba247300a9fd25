package handlers

import (
	"context"

	"opsbot/chat"
	"opsbot/checklist"
	"opsbot/metric"
	"opsbot/tracked"
)

// Interact answers clicks, shortcuts, modal submissions and App Home.
func (r *Router) Interact(ctx context.Context, in chat.Interaction) chat.Outcome {
	if in.At.IsZero() {
		in.At = r.Clock.Now()
	}
	switch {
	case in.Kind == chat.KindShortcut && in.CallbackID == metric.CallbackLogMetrics,
		in.Kind == chat.KindAction && in.ActionID == metric.ActionLogMetrics:
		v := r.metric.Modal(in)
		return chat.Outcome{OpenModal: &v}
	case in.Kind == chat.KindAction && in.ActionID == checklist.ActionCheck:
		return r.checklist.Check(ctx, in)
	case in.Kind == chat.KindSubmission && in.CallbackID == metric.CallbackLogMetrics:
		return r.metric.Submit(ctx, in)
	case tracked.IsInteraction(in):
		return r.tracked.Interact(ctx, in)
	case in.Kind == chat.KindHome:
		v, err := r.home(ctx, in)
		if err != nil {
			r.Log.Error("build home", "user", in.UserID, "err", err)
			return chat.Outcome{}
		}
		return chat.Outcome{Home: &v}
	default:
		r.Log.Warn("interaction not handled", "kind", in.Kind, "callback", in.CallbackID, "action", in.ActionID)
		return chat.Outcome{}
	}
}
