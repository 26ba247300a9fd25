package outbox

import (
	"context"
	"errors"
	"sync"

	"opsbot/store"
)

// FailMarkSent makes the next n writes that record a delivery fail, as a
// full disk or a restarting database would.
func FailMarkSent(s *Sender, n int) {
	var mu sync.Mutex
	real := s.markSent
	s.markSent = func(ctx context.Context, owner string, id uint64, r store.Sent) error {
		mu.Lock()
		fail := n > 0
		n--
		mu.Unlock()
		if fail {
			return errors.New("disk I/O error")
		}
		return real(ctx, owner, id, r)
	}
}
