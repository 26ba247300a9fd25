package outbox_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/bot/outbox"
	"opsbot/store"
)

// Slack took the post, then the write that records it failed once: it is
// retried at once, so the message is posted once and marked sent.
func TestRecordingAPostIsRetried(t *testing.T) {
	e := newEnv(t)
	e.fake.AddChannel("C0OPS", "shop-ops")
	e.enqueue(store.Outgoing{Channel: "C0OPS", Text: "daily report"})
	s := e.sender(e.st, clockwork.NewFakeClockAt(simStart), outbox.Options{})
	outbox.FailMarkSent(s, 1)
	if n, err := s.Flush(context.Background()); err != nil || n != 1 {
		t.Fatalf("flush = %d, %v", n, err)
	}
	if msgs := e.fake.Messages("C0OPS"); len(msgs) != 1 {
		t.Fatalf("posted %d times", len(msgs))
	}
	pending, _, _, err := e.st.OutboxStats(context.Background())
	if err != nil || pending != 0 {
		t.Errorf("pending = %d, %v; want it recorded as sent", pending, err)
	}
	if !strings.Contains(e.logs.String(), "recording a delivered message failed; retrying") {
		t.Errorf("retry not logged:\n%s", e.logs)
	}
	// Later flushes find nothing to post again.
	if n, err := s.Flush(context.Background()); err != nil || n != 0 {
		t.Errorf("second flush = %d, %v", n, err)
	}
}

// When the write keeps failing until the lease is nearly gone, the log
// says what docs/OUTBOX.md promises.
func TestRecordingAPostThatKeepsFailingIsLogged(t *testing.T) {
	e := newEnv(t)
	e.fake.AddChannel("C0OPS", "shop-ops")
	e.enqueue(store.Outgoing{Channel: "C0OPS", Text: "confirmation"})
	s := e.sender(e.st, clockwork.NewFakeClockAt(simStart), outbox.Options{Lease: 600 * time.Millisecond})
	outbox.FailMarkSent(s, 1000)
	if _, err := s.Flush(context.Background()); err == nil {
		t.Error("flush hid the failed write")
	}
	if !strings.Contains(e.logs.String(), "Slack may show it twice") {
		t.Errorf("the documented line is missing:\n%s", e.logs)
	}
}
