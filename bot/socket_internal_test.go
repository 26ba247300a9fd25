package bot

import (
	"context"
	"testing"
	"time"
)

// A disconnect read right after hello reaches Run, whichever of the two
// channels select happens to take first.
func TestGreetedKeepsAnEndThatFollowsHello(t *testing.T) {
	for i := range 200 {
		c := &smConn{ended: make(chan string, 1), hello: make(chan struct{})}
		close(c.hello)
		c.end("link_disabled")
		got, err := c.greeted(context.Background(), time.Second)
		if err != nil || got != c {
			t.Fatalf("try %d: greeted = %v, %v; want the connection", i, got, err)
		}
		select {
		case reason := <-c.ended:
			if reason != "link_disabled" {
				t.Fatalf("try %d: end reason %q", i, reason)
			}
		default:
			t.Fatalf("try %d: the end that followed hello was lost", i)
		}
	}
}
