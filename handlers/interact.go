package handlers

import (
	"context"
	"slices"

	"opsbot/chat"
)

// Interact answers clicks, shortcuts, modal submissions and App Home.
func (r *Router) Interact(ctx context.Context, in chat.Interaction) chat.Outcome {
	if in.At.IsZero() {
		in.At = r.Clock.Now()
	}
	if in.Kind == chat.KindSubmission {
		if errs := r.cleanForm(&in); errs != nil {
			return chat.Outcome{FieldErrors: errs}
		}
	}
	for _, it := range interactions {
		if it.kind != in.Kind {
			continue
		}
		id := in.CallbackID
		if in.Kind == chat.KindAction {
			id = in.ActionID
		}
		if in.Kind != chat.KindHome && !slices.Contains(it.ids, id) {
			continue
		}
		return it.run(r, ctx, in)
	}
	r.Log.Warn("interaction not handled", "kind", in.Kind, "callback", in.CallbackID, "action", in.ActionID)
	return chat.Outcome{}
}

// homeTab is App Home.
func (r *Router) homeTab(ctx context.Context, in chat.Interaction) chat.Outcome {
	v, err := r.home(ctx, in)
	if err != nil {
		r.Log.Error("build home", "user", in.UserID, "err", err)
		return chat.Outcome{}
	}
	return chat.Outcome{Home: &v}
}
