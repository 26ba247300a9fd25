package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"opsbot/store"
	"opsbot/store/storetest"
)

var outboxT0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

const lease = 30 * time.Second

func enqueue(t *testing.T, st *store.Store, m store.Outgoing) uint64 {
	t.Helper()
	id, err := st.Enqueue(context.Background(), m)
	if err != nil {
		t.Fatalf("enqueue %+v: %v", m, err)
	}
	return id
}

func claim(t *testing.T, st *store.Store, owner string, now time.Time, ops ...string) []uint64 {
	t.Helper()
	ms, err := st.ClaimDue(context.Background(), owner, now, lease, 100, ops...)
	if err != nil {
		t.Fatalf("claim by %s: %v", owner, err)
	}
	ids := []uint64{}
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	return ids
}

func markSent(t *testing.T, st *store.Store, owner string, id uint64, now time.Time) {
	t.Helper()
	err := st.MarkSent(context.Background(), owner, id, store.Sent{Channel: "C", TS: fmt.Sprintf("1.%06d", id), At: now, NextSend: now.Add(time.Second)})
	if err != nil {
		t.Fatalf("mark %d sent: %v", id, err)
	}
}

func TestEnqueueValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		block, err := json.Marshal([]slack.Block{slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "*hi*", false, false), nil, nil)})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name    string
			m       store.Outgoing
			wantErr string
		}{
			{"post", store.Outgoing{Channel: "C1", Text: "hi"}, ""},
			{"blocks only", store.Outgoing{Channel: "#ops", Op: store.OpPost, Blocks: block}, ""},
			{"update", store.Outgoing{Channel: "C1", Op: store.OpUpdate, Ref: "checklist:1", Text: "done"}, ""},
			{"no channel", store.Outgoing{Text: "hi"}, "no channel"},
			{"bad op", store.Outgoing{Channel: "C1", Op: "delete", Text: "hi"}, `op "delete"`},
			{"update without ref", store.Outgoing{Channel: "C1", Op: store.OpUpdate, Text: "hi"}, "needs the ref"},
			{"empty", store.Outgoing{Channel: "C1"}, "no text and no blocks"},
			{"long channel", store.Outgoing{Channel: strings.Repeat("c", 101), Text: "hi"}, "longer than"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id, err := st.Enqueue(ctx, tt.m)
				if tt.wantErr == "" {
					if err != nil || id == 0 {
						t.Fatalf("enqueue = %d, %v", id, err)
					}
					return
				}
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
			})
		}
		msgs, err := st.OutboxMessages(ctx, "#ops")
		if err != nil || len(msgs) != 1 {
			t.Fatalf("#ops outbox = %+v, %v", msgs, err)
		}
		m := msgs[0]
		if m.Op != store.OpPost || m.State != store.OutboxPending || !strings.Contains(m.Blocks, `"*hi*"`) || !strings.HasPrefix(m.Blocks, "[") {
			t.Errorf("stored = %+v", m)
		}
	})
}

func TestTxCommitsTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := st.Tx(ctx, func(tx *store.Store) error {
			if _, err := tx.SetMetrics(ctx, "alice", "main", "2026-11-22", map[string]int64{"uv": 1}, []string{"uv"}, outboxT0); err != nil {
				return err
			}
			if _, err := tx.Enqueue(ctx, store.Outgoing{Channel: "C1", Text: "uv logged"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Tx = %v, want boom", err)
		}
		day, _ := st.DayMetrics(ctx, "main", "2026-11-22")
		pending, _, _, _ := st.OutboxStats(ctx)
		if len(day) != 0 || pending != 0 {
			t.Fatalf("after a failed Tx: metrics %v, %d pending messages", day, pending)
		}

		err = st.Tx(ctx, func(tx *store.Store) error {
			if _, err := tx.SetMetrics(ctx, "alice", "main", "2026-11-22", map[string]int64{"uv": 1}, []string{"uv"}, outboxT0); err != nil {
				return err
			}
			_, err := tx.Enqueue(ctx, store.Outgoing{Channel: "C1", Text: "uv logged"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		day, _ = st.DayMetrics(ctx, "main", "2026-11-22")
		pending, _, oldest, _ := st.OutboxStats(ctx)
		if day["uv"] != 1 || pending != 1 || oldest == nil {
			t.Errorf("after a Tx: metrics %v, %d pending (oldest %v)", day, pending, oldest)
		}
	})
}

func TestClaimOldestPerChannel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a1 := enqueue(t, st, store.Outgoing{Channel: "A", Text: "a1"})
		a2 := enqueue(t, st, store.Outgoing{Channel: "A", Text: "a2"})
		b1 := enqueue(t, st, store.Outgoing{Channel: "B", Text: "b1"})

		if got := claim(t, st, "one", outboxT0); !slices.Equal(got, []uint64{a1, b1}) {
			t.Fatalf("first claim = %v, want [%d %d]", got, a1, b1)
		}
		if got := claim(t, st, "two", outboxT0); len(got) != 0 {
			t.Fatalf("a second owner got %v while the channels are held", got)
		}
		if got := claim(t, st, "one", outboxT0); len(got) != 0 {
			t.Fatalf("the holder got %v again", got)
		}
		markSent(t, st, "one", a1, outboxT0)
		if got := claim(t, st, "two", outboxT0.Add(999*time.Millisecond)); len(got) != 0 {
			t.Fatalf("claimed %v before the channel's pacing allows", got)
		}
		if got := claim(t, st, "two", outboxT0.Add(time.Second)); !slices.Equal(got, []uint64{a2}) {
			t.Fatalf("after pacing = %v, want [%d]", got, a2)
		}
	})
}

func TestClaimLeaseExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a1 := enqueue(t, st, store.Outgoing{Channel: "A", Text: "a1", Ref: "r1"})
		if got := claim(t, st, "dead-sender", outboxT0); !slices.Equal(got, []uint64{a1}) {
			t.Fatalf("claim = %v", got)
		}
		if got := claim(t, st, "two", outboxT0.Add(lease-time.Millisecond)); len(got) != 0 {
			t.Fatalf("taken %v before the lease ran out", got)
		}
		later := outboxT0.Add(lease)
		if got := claim(t, st, "two", later); !slices.Equal(got, []uint64{a1}) {
			t.Fatalf("after the lease = %v, want [%d]", got, a1)
		}
		markSent(t, st, "two", a1, later)
		// The first sender wakes up late: its outcome is refused and it
		// must not free the channel for anyone.
		err := st.MarkSent(ctx, "dead-sender", a1, store.Sent{Channel: "C", TS: "9.9", At: later, NextSend: later})
		if !errors.Is(err, store.ErrNotPending) {
			t.Errorf("late MarkSent = %v, want ErrNotPending", err)
		}
		ch, ts, ok, err := st.SlackTS(ctx, "r1")
		if err != nil || !ok || ch != "C" || ts != fmt.Sprintf("1.%06d", a1) {
			t.Errorf("SlackTS = %q %q %v %v", ch, ts, ok, err)
		}
	})
}

func TestRetryKeepsChannelOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a1 := enqueue(t, st, store.Outgoing{Channel: "A", Text: "a1"})
		a2 := enqueue(t, st, store.Outgoing{Channel: "A", Text: "a2"})
		claim(t, st, "one", outboxT0)
		if err := st.MarkRetry(ctx, "one", a1, "internal_error", outboxT0.Add(5*time.Second)); err != nil {
			t.Fatal(err)
		}
		if got := claim(t, st, "one", outboxT0.Add(4*time.Second)); len(got) != 0 {
			t.Fatalf("claimed %v while the oldest waits for its retry", got)
		}
		if got := claim(t, st, "one", outboxT0.Add(5*time.Second)); !slices.Equal(got, []uint64{a1}) {
			t.Fatalf("retry claim = %v, want [%d]", got, a1)
		}
		if err := st.MarkDead(ctx, "one", a1, "channel_not_found"); err != nil {
			t.Fatal(err)
		}
		if got := claim(t, st, "one", outboxT0.Add(5*time.Second)); !slices.Equal(got, []uint64{a2}) {
			t.Fatalf("after a dead letter = %v, want [%d]", got, a2)
		}
		pending, dead, oldest, err := st.OutboxStats(ctx)
		if err != nil || pending != 1 || dead != 1 || oldest == nil {
			t.Errorf("stats = %d pending, %d dead, oldest %v, %v", pending, dead, oldest, err)
		}
		letters, err := st.DeadLetters(ctx, 10)
		if err != nil || len(letters) != 1 || letters[0].ID != a1 || letters[0].LastError != "channel_not_found" || letters[0].Attempts != 2 {
			t.Errorf("dead letters = %+v, %v", letters, err)
		}
	})
}

func TestClaimByOperation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		enqueue(t, st, store.Outgoing{Channel: "A", Text: "a1"})
		u := enqueue(t, st, store.Outgoing{Channel: "B", Op: store.OpUpdate, Ref: "x", Text: "b1"})
		enqueue(t, st, store.Outgoing{Channel: "B", Text: "b2"})
		if got := claim(t, st, "one", outboxT0, store.OpUpdate); !slices.Equal(got, []uint64{u}) {
			t.Fatalf("updates only = %v, want [%d]", got, u)
		}
		if got := claim(t, st, "two", outboxT0, store.OpUpdate); len(got) != 0 {
			t.Fatalf("got %v; a post must not overtake", got)
		}
	})
}

// TestConcurrentClaims runs several senders against one database at once:
// each message is claimed exactly once, and within a channel in order.
func TestConcurrentClaims(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		const channels, perChannel, senders = 5, 6, 6
		for i := range perChannel {
			for c := range channels {
				enqueue(t, st, store.Outgoing{Channel: fmt.Sprintf("C%d", c), Text: fmt.Sprint(i)})
			}
		}
		var (
			mu    sync.Mutex
			order = map[string][]uint64{}
			seen  = map[uint64]string{}
			wg    sync.WaitGroup
		)
		errs := make(chan error, senders)
		for n := range senders {
			owner := fmt.Sprintf("sender-%d", n)
			wg.Go(func() {
				for idle := 0; idle < 50; {
					ms, err := st.ClaimDue(ctx, owner, outboxT0, lease, 2)
					if err != nil {
						errs <- err
						return
					}
					if len(ms) == 0 {
						idle++
						time.Sleep(2 * time.Millisecond)
						continue
					}
					for _, m := range ms {
						mu.Lock()
						if prev, dup := seen[m.ID]; dup {
							errs <- fmt.Errorf("message %d claimed by %s and %s", m.ID, prev, owner)
						}
						seen[m.ID] = owner
						order[m.Channel] = append(order[m.Channel], m.ID)
						mu.Unlock()
						err := st.MarkSent(ctx, owner, m.ID, store.Sent{Channel: m.Channel, TS: "1", At: outboxT0, NextSend: outboxT0})
						if err != nil {
							errs <- err
							return
						}
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if len(seen) != channels*perChannel {
			t.Errorf("%d messages claimed, want %d", len(seen), channels*perChannel)
		}
		for ch, ids := range order {
			if !slices.IsSorted(ids) {
				t.Errorf("%s delivered out of order: %v", ch, ids)
			}
		}
		if pending, _, _, _ := st.OutboxStats(ctx); pending != 0 {
			t.Errorf("%d still pending", pending)
		}
	})
}
