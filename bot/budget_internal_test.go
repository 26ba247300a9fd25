package bot

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/chat"
)

// blockedApp answers nothing until released.
type blockedApp struct{ release chan struct{} }

func (b blockedApp) Handle(context.Context, chat.Command) chat.Reply {
	<-b.release
	return chat.Reply{Text: "late"}
}

func (b blockedApp) Interact(context.Context, chat.Interaction) chat.Outcome {
	<-b.release
	return chat.Outcome{}
}

// The budget counts from the request's arrival: a request that took the
// whole 2 s to read and check has nothing left, so it is acknowledged at
// once, although the fake clock never moves and the command still runs.
func TestAckBudgetCountsFromArrival(t *testing.T) {
	clock := clockwork.NewFakeClock()
	app := blockedApp{release: make(chan struct{})}
	s := &Slack{App: app, Clock: clock, Log: slog.New(slog.DiscardHandler), HTTP: nil}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // failure bound only
	defer cancel()
	arrived := Arrived(ctx, clock.Now().Add(-DefaultAckBudget))
	done := make(chan any, 1)
	go func() { done <- s.command(arrived, chat.Command{Name: "/metric"}, delivery{}) }()
	select {
	case m := <-done:
		if r, ok := m.(Response); !ok || r.Text != "⏳ Working on it…" {
			t.Errorf("ack = %+v", m)
		}
	case <-ctx.Done():
		t.Fatal("not acknowledged when the budget counted from arrival ran out")
	}
	close(app.release)
	s.Wait(ctx)
}
