package store_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"opsbot/checklist/checkrun"
	"opsbot/store"
	"opsbot/store/storetest"
)

func TestClaimReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := store.ReportPost{Key: "report:daily:main:2026-11-22", Kind: "daily", Shop: "main", PeriodFrom: "2026-11-22", PostedAt: time.Now()}
		for i, want := range []bool{true, false} {
			got, err := st.ClaimReport(ctx, p)
			if err != nil || got != want {
				t.Errorf("claim %d = %v, %v; want %v", i+1, got, err, want)
			}
		}
		posted, err := st.PostedReports(ctx, []string{p.Key, "report:daily:main:2026-11-23"})
		if err != nil || !posted[p.Key] || posted["report:daily:main:2026-11-23"] || len(posted) != 1 {
			t.Errorf("posted = %v, %v", posted, err)
		}
		// A claim rolled back with its transaction leaves nothing behind.
		q := store.ReportPost{Key: "report:weekly:main:2026-11-16", Kind: "weekly", Shop: "main", PeriodFrom: "2026-11-16", PostedAt: time.Now()}
		_ = st.Tx(ctx, func(tx *store.Store) error {
			if _, err := tx.ClaimReport(ctx, q); err != nil {
				return err
			}
			return fmt.Errorf("enqueue failed")
		})
		if posted, _ := st.PostedReports(ctx, []string{q.Key}); posted[q.Key] {
			t.Error("a rolled-back claim stuck")
		}
	})
}

func TestChecklistActivity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		at := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
		for i, date := range []string{"2026-11-15", "2026-11-16", "2026-11-22", "2026-11-23"} {
			r := &checkrun.Run{Key: fmt.Sprint("run-", i), Checklist: "shop-checks", Date: date, ScheduledAt: at, DueAt: at, State: checkrun.Posted, Channel: "c", Items: 3}
			if _, err := st.ClaimRun(ctx, r); err != nil {
				t.Fatal(err)
			}
			if _, err := st.SetItem(ctx, r.ID, i%3, true, "alice", at); err != nil {
				t.Fatal(err)
			}
		}
		acts, err := st.ChecklistActivity(ctx, "2026-11-16", "2026-11-22")
		if err != nil {
			t.Fatal(err)
		}
		if len(acts) != 2 || acts[0].Run.Date != "2026-11-16" || acts[1].Run.Date != "2026-11-22" {
			t.Fatalf("activity = %+v", acts)
		}
		if len(acts[0].Items) != 1 || acts[0].Items[0].Idx != 1 || len(acts[1].Items) != 1 || acts[1].Items[0].Idx != 2 {
			t.Errorf("items = %+v / %+v", acts[0].Items, acts[1].Items)
		}
		if acts, err := st.ChecklistActivity(ctx, "2027-01-01", "2027-01-31"); err != nil || len(acts) != 0 {
			t.Errorf("empty period = %v, %v", acts, err)
		}
	})
}

// TestUploadKeepsItsFileUntilSent: an upload's bytes survive the database
// (bytea, blob) and are dropped once it is sent.
func TestUploadKeepsItsFileUntilSent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		data := []byte{0x89, 'P', 'N', 'G', 0, 1, 2, 0xff}
		id, err := st.Enqueue(ctx, store.Outgoing{Channel: "C1", Op: store.OpUpload, Ref: "report:x", File: &store.Attachment{Name: "c.png", Title: "Chart", Data: data}})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		msgs, err := st.ClaimDue(ctx, "me", now, time.Minute, 10)
		if err != nil || len(msgs) != 1 || msgs[0].ID != id {
			t.Fatalf("claimed %+v, %v", msgs, err)
		}
		m := msgs[0]
		if m.Op != store.OpUpload || m.FileName != "c.png" || m.FileTitle != "Chart" || !bytes.Equal(m.FileData, data) {
			t.Errorf("claimed %+v", m)
		}
		if err := st.MarkSent(ctx, "me", id, store.Sent{Channel: "C1", At: now}); err != nil {
			t.Fatal(err)
		}
		all, _ := st.OutboxMessages(ctx, "C1")
		if len(all) != 1 || all[0].State != store.OutboxSent || len(all[0].FileData) != 0 {
			t.Errorf("after sending: %+v", all)
		}
	})
}
