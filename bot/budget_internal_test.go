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

// The budget counts from the request's arrival: a request that took 1.9 s
// to read and check has 0.1 s left, not 2 s.
func TestAckBudgetCountsFromArrival(t *testing.T) {
	clock := clockwork.NewFakeClock()
	app := blockedApp{release: make(chan struct{})}
	s := &Slack{App: app, Clock: clock, Log: slog.New(slog.DiscardHandler), HTTP: nil}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	arrived := Arrived(ctx, clock.Now().Add(-1900*time.Millisecond))
	done := make(chan Response, 1)
	go func() { done <- s.command(arrived, chat.Command{Name: "/metric"}) }()
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(100 * time.Millisecond)
	select {
	case m := <-done:
		if m.Text != "⏳ Working on it…" {
			t.Errorf("ack = %+v", m)
		}
	case <-ctx.Done():
		t.Fatal("not acknowledged when the budget counted from arrival ran out")
	}
	close(app.release)
	s.Wait(ctx)
}
