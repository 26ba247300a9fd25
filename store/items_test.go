package store_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"opsbot/store"
	"opsbot/store/storetest"
	"opsbot/tracked/items"
)

var itemT0 = time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) // 09:00 in Shanghai

func newItem(order, typ, text string, at time.Time) store.NewItem {
	warn := at.Add(20 * time.Hour)
	return store.NewItem{
		Shop: "main", OrderID: order, Type: typ, Text: text, Channel: "#shop-ops", FlaggedBy: "alice",
		At: at, Deadline: at.Add(24 * time.Hour), NextAlertAt: &warn,
	}
}

func flag(t *testing.T, st *store.Store, n store.NewItem) (items.Item, bool) {
	t.Helper()
	it, created, err := st.FlagItem(context.Background(), n)
	if err != nil {
		t.Fatalf("flag %+v: %v", n, err)
	}
	return it, created
}

func TestFlagItemOncePerOpenOrderAndType(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a, created := flag(t, st, newItem("123456789012345", "refund", "wants money back", itemT0))
		if !created || a.ID == 0 || a.Status != items.StatusOpen || !a.Deadline.Equal(itemT0.Add(24*time.Hour)) {
			t.Fatalf("first flag = %+v, created %v", a, created)
		}
		b, created := flag(t, st, newItem("123456789012345", "refund", "called again", itemT0.Add(time.Hour)))
		if created || b.ID != a.ID || b.Notes != 1 || b.LastNote != "called again" || b.Text != "wants money back" {
			t.Fatalf("second flag = %+v, created %v; want the first item with a note", b, created)
		}
		if !b.FlaggedAt.Equal(a.FlaggedAt) || !b.Deadline.Equal(a.Deadline) {
			t.Errorf("flagging again moved the clock: %v %v", b.FlaggedAt, b.Deadline)
		}
		if c, created := flag(t, st, newItem("123456789012345", "ship", "", itemT0)); !created || c.ID == a.ID {
			t.Errorf("another type of the same order is another item: %+v %v", c, created)
		}
		if c, created := flag(t, st, store.NewItem{Shop: "tmall", OrderID: "123456789012345", Type: "refund", Channel: "#x", FlaggedBy: "a", At: itemT0, Deadline: itemT0}); !created || c.ID == a.ID {
			t.Errorf("another shop's order is another item: %+v %v", c, created)
		}

		if _, err := st.ResolveItem(ctx, a.ID, "bob", "refunded", itemT0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		d, created := flag(t, st, newItem("123456789012345", "refund", "again!", itemT0.Add(3*time.Hour)))
		if !created || d.ID == a.ID {
			t.Errorf("after resolving, the order may be flagged anew: %+v %v", d, created)
		}
		ev, err := st.ItemEvents(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		kinds := []string{}
		for _, e := range ev {
			kinds = append(kinds, e.Kind+":"+e.Actor+":"+e.Note)
		}
		want := []string{"flagged:alice:wants money back", "noted:alice:called again", "resolved:bob:refunded"}
		if len(kinds) != len(want) {
			t.Fatalf("history = %v, want %v", kinds, want)
		}
		for i := range want {
			if kinds[i] != want[i] {
				t.Errorf("history[%d] = %s, want %s", i, kinds[i], want[i])
			}
		}
	})
}

func TestFlagItemConcurrently(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		const n = 8
		var wg sync.WaitGroup
		ids := make(chan uint64, n)
		var createdN sync.Map
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				it, created, err := st.FlagItem(context.Background(), newItem("999999999999999", "ship", "hurry", itemT0))
				if err != nil {
					t.Errorf("flag %d: %v", i, err)
					return
				}
				if created {
					createdN.Store(i, true)
				}
				ids <- it.ID
			}()
		}
		wg.Wait()
		close(ids)
		first := uint64(0)
		for id := range ids {
			if first == 0 {
				first = id
			}
			if id != first {
				t.Errorf("racing flags made items %d and %d", first, id)
			}
		}
		count := 0
		createdN.Range(func(_, _ any) bool { count++; return true })
		if count != 1 {
			t.Errorf("%d flags created an item, want 1", count)
		}
		it, err := st.TrackedItem(context.Background(), first)
		if err != nil || it.Notes != n-1 {
			t.Errorf("item = %+v, %v; want %d notes", it, err, n-1)
		}
	})
}

func TestTakeEscalateResolve(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a, _ := flag(t, st, newItem("123456789012345", "invoice", "", itemT0))
		it, changed, err := st.TakeItem(ctx, a.ID, "bob", "", itemT0.Add(time.Minute))
		if err != nil || !changed || it.Assignee != "bob" || it.TakenAt == nil {
			t.Fatalf("take = %+v %v %v", it, changed, err)
		}
		if _, changed, err := st.TakeItem(ctx, a.ID, "bob", "", itemT0.Add(2*time.Minute)); err != nil || changed {
			t.Errorf("taking one's own item again changed it: %v %v", changed, err)
		}
		if it, changed, err := st.TakeItem(ctx, a.ID, "carol", "bob", itemT0.Add(3*time.Minute)); err != nil || !changed || it.Assignee != "carol" {
			t.Errorf("carol taking over = %+v %v %v", it, changed, err)
		}
		if it, changed, err := st.TakeItem(ctx, a.ID, "dave", "bob", itemT0.Add(3*time.Minute)); err != nil || changed || it.Assignee != "carol" {
			t.Errorf("a take authorised against a former holder changed the item: %+v %v %v", it, changed, err)
		}
		if it, changed, err := st.EscalateItem(ctx, a.ID, "carol", "customer threatens a complaint", itemT0.Add(4*time.Minute)); err != nil || !changed || it.EscalatedBy != "carol" {
			t.Errorf("escalate = %+v %v %v", it, changed, err)
		}
		if _, changed, err := st.EscalateItem(ctx, a.ID, "bob", "", itemT0.Add(5*time.Minute)); err != nil || changed {
			t.Errorf("escalating twice changed it: %v %v", changed, err)
		}
		it, err = st.ResolveItem(ctx, a.ID, "carol", "invoice reissued", itemT0.Add(6*time.Hour))
		if err != nil || it.Status != items.StatusResolved || it.ResolvedBy != "carol" || it.Resolution != "invoice reissued" || it.NextAlertAt != nil {
			t.Fatalf("resolve = %+v, %v", it, err)
		}
		if key, err := store.OpenKeyOf(ctx, st, a.ID); err != nil || key != nil {
			t.Fatalf("open key after resolve = %v, %v", key, err)
		}
		if _, err := st.ResolveItem(ctx, a.ID, "bob", "again", itemT0.Add(7*time.Hour)); !errors.Is(err, items.ErrClosed) {
			t.Errorf("resolving twice = %v, want items.ErrClosed", err)
		}
		if _, _, err := st.TakeItem(ctx, a.ID, "bob", "carol", itemT0.Add(7*time.Hour)); !errors.Is(err, items.ErrClosed) {
			t.Errorf("taking a resolved item = %v, want items.ErrClosed", err)
		}
		if _, _, err := st.TakeItem(ctx, 4242, "bob", "", itemT0); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("taking a missing item = %v, want ErrNotFound", err)
		}
		ev, _ := st.ItemEvents(ctx, a.ID)
		if len(ev) != 5 { // flagged, taken ×2, escalated, resolved
			t.Errorf("history has %d events: %+v", len(ev), ev)
		}
	})
}

func TestOpenItemsByDeadline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		late, _ := flag(t, st, newItem("100000000000001", "review", "meh", itemT0.Add(2*time.Hour)))
		early, _ := flag(t, st, newItem("100000000000002", "ship", "", itemT0))
		gone, _ := flag(t, st, newItem("100000000000003", "ship", "", itemT0))
		if _, err := st.ResolveItem(ctx, gone.ID, "bob", "shipped", itemT0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.TakeItem(ctx, late.ID, "bob", "", itemT0); err != nil {
			t.Fatal(err)
		}
		got, err := st.OpenItems(ctx, store.ItemFilter{})
		if err != nil || len(got) != 2 || got[0].ID != early.ID || got[1].ID != late.ID {
			t.Fatalf("open = %+v, %v; want early then late", got, err)
		}
		for _, tt := range []struct {
			f    store.ItemFilter
			want int
		}{
			{store.ItemFilter{Assignee: "bob"}, 1}, {store.ItemFilter{Type: "ship"}, 1}, {store.ItemFilter{Shop: "tmall"}, 0}, {store.ItemFilter{Limit: 1}, 1},
		} {
			got, err := st.OpenItems(ctx, tt.f)
			if err != nil || len(got) != tt.want {
				t.Errorf("open %+v = %d items, %v; want %d", tt.f, len(got), err, tt.want)
			}
		}
		if n, err := st.CountOpenItems(ctx, store.ItemFilter{}); n != 2 || err != nil {
			t.Errorf("count = %d, %v", n, err)
		}
	})
}

func TestAlertsAreClaimedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a, _ := flag(t, st, newItem("123456789012345", "refund", "", itemT0))
		b, _ := flag(t, st, newItem("123456789012346", "refund", "", itemT0.Add(time.Hour)))
		if due, err := st.DueItems(ctx, itemT0.Add(19*time.Hour), 10); err != nil || len(due) != 0 {
			t.Fatalf("due before the warning = %+v, %v", due, err)
		}
		next, ok, err := st.NextItemAlert(ctx, itemT0)
		if err != nil || !ok || !next.Equal(itemT0.Add(20*time.Hour)) {
			t.Fatalf("next alert = %v %v %v", next, ok, err)
		}
		due, err := st.DueItems(ctx, itemT0.Add(21*time.Hour), 10)
		if err != nil || len(due) != 2 || due[0].ID != a.ID {
			t.Fatalf("due = %+v, %v", due, err)
		}

		breach := itemT0.Add(24 * time.Hour)
		warn := store.Alert{Seq: 0, Kind: items.EventWarned, At: itemT0.Add(20 * time.Hour), NextSeq: 1, NextAt: &breach}
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := st.ClaimItemAlert(ctx, a.ID, 0, warn)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if wins != 1 {
			t.Fatalf("%d claims of one alert won, want 1", wins)
		}
		it, _ := st.TrackedItem(ctx, a.ID)
		if it.AlertSeq != 1 || it.NextAlertAt == nil || !it.NextAlertAt.Equal(breach) {
			t.Errorf("after the warning: seq %d next %v", it.AlertSeq, it.NextAlertAt)
		}
		if ok, err := st.ClaimItemAlert(ctx, a.ID, 1, store.Alert{Kind: items.EventBreached, At: breach, Late: true, NextSeq: 2}); !ok || err != nil {
			t.Fatalf("claim breach = %v %v", ok, err)
		}
		it, _ = st.TrackedItem(ctx, a.ID)
		if it.NextAlertAt != nil || it.BreachedAt == nil || !it.BreachedAt.Equal(breach) {
			t.Errorf("after the last alert: next %v breached %v", it.NextAlertAt, it.BreachedAt)
		}
		ev, _ := st.ItemEvents(ctx, a.ID)
		if len(ev) != 3 || ev[1].Kind != items.EventWarned || ev[1].Late || ev[2].Kind != items.EventBreached || !ev[2].Late {
			t.Errorf("history = %+v", ev)
		}

		if _, err := st.ResolveItem(ctx, b.ID, "bob", "done", itemT0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if ok, err := st.ClaimItemAlert(ctx, b.ID, 0, warn); ok || err != nil {
			t.Errorf("claimed an alert of a resolved item: %v %v", ok, err)
		}
		if due, _ := st.DueItems(ctx, itemT0.Add(100*time.Hour), 10); len(due) != 0 {
			t.Errorf("due after all = %+v", due)
		}
		if _, ok, _ := st.NextItemAlert(ctx, itemT0); ok {
			t.Error("a next alert remains")
		}
	})
}

func TestItemRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		day := itemT0.Add(-time.Hour) // 08:00 Shanghai… a day's range
		// Five items resolved after 1h, 2h, 3h, 10h and 30h; the last breached.
		for i, h := range []int{30, 2, 3, 10, 1} {
			it, _ := flag(t, st, newItem("20000000000000"+string(rune('0'+i)), "refund", "", itemT0))
			if _, err := st.ResolveItem(ctx, it.ID, "bob", "ok", itemT0.Add(time.Duration(h)*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		flag(t, st, newItem("300000000000001", "ship", "", itemT0))                     // open, breaching at +24h
		flag(t, st, newItem("300000000000002", "review", "", itemT0.Add(30*time.Hour))) // flagged the day after
		now := itemT0.Add(48 * time.Hour)

		got, err := st.ItemRecord(ctx, "main", "", day, day.Add(24*time.Hour), now)
		if err != nil {
			t.Fatal(err)
		}
		// Resolution times come shortest first, whatever order they were resolved in.
		if got.Opened != 6 || got.Open != 2 || got.Breached != 0 || !slices.Equal(got.Resolutions, []time.Duration{time.Hour, 2 * time.Hour, 3 * time.Hour, 10 * time.Hour}) {
			t.Errorf("first day = %+v", got)
		}
		got, err = st.ItemRecord(ctx, "main", "", day.Add(24*time.Hour), day.Add(48*time.Hour), now)
		if err != nil {
			t.Fatal(err)
		}
		// Day two: the 30h one resolved late and the open ship item breached.
		if got.Opened != 1 || got.Open != 2 || got.Breached != 2 || !slices.Equal(got.Resolutions, []time.Duration{30 * time.Hour}) {
			t.Errorf("second day = %+v", got)
		}
		got, _ = st.ItemRecord(ctx, "main", "refund", day, day.Add(48*time.Hour), now)
		if got.Opened != 5 || got.Breached != 1 || got.Open != 0 {
			t.Errorf("refunds = %+v", got)
		}
		if got, _ := st.ItemRecord(ctx, "tmall", "", day, now, now); got.Opened+got.Open+got.Breached != 0 || len(got.Resolutions) != 0 {
			t.Errorf("another shop = %+v", got)
		}
	})
}
