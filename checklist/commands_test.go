package checklist_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/handlers/handlerstest"
	"opsbot/store"
)

func TestCheckOffByCommand(t *testing.T) {
	f := handlerstest.New(t, nil)
	handlerstest.Contains(t, f.Text("amy", "/checklist done shop-checks 1"), "has not run yet today")
	run := f.StartRun("shop-checks")
	got := f.Text("amy", "/checklist done shop-checks 1 3")
	handlerstest.Contains(t, got, "Checked “Own main images, videos and discounts”", "2/7 done")
	items, _ := f.Store.Items(context.Background(), run.ID)
	if len(items[run.ID]) != 2 || items[run.ID][0].DoneBy != "amy" {
		t.Errorf("items = %+v", items[run.ID])
	}
	q := f.Queued("#shop-ops")
	if len(q) != 1 || q[0].Op != store.OpUpdate || q[0].Ref != run.Ref() || !strings.Contains(q[0].Text, "2/7") {
		t.Fatalf("queued = %+v, want one in-place update of %s", q, run.Ref())
	}
	// The same items again change nothing and queue nothing.
	f.Text("amy", "/checklist done shop-checks 1 3")
	if len(f.Queued("#shop-ops")) != 1 {
		t.Error("checking a checked item queued another update")
	}
	handlerstest.Contains(t, f.Text("amy", "/checklist undo shop-checks 3"), "Reopened", "1/7 done")
	handlerstest.Contains(t, f.Text("amy", "/checklist done shop-checks The 400"), "“The 400 phone line gets through”")
	handlerstest.Contains(t, f.Text("amy", "/checklist"), "Shop and competitor checks", "2/7")
	for _, bad := range []string{"/checklist done shop-checks 99", "/checklist done nosuch 1", "/checklist done shop-checks zzz", "/checklist done", "/checklist frob"} {
		if r := f.Do("amy", bad); !r.Ephemeral || !strings.Contains(bot.RenderText(r.Blocks), "⚠️") {
			t.Errorf("%s: %s", bad, bot.RenderText(r.Blocks))
		}
	}
}

func TestCheckOffByButton(t *testing.T) {
	f := handlerstest.New(t, nil)
	run := f.StartRun("morning-meeting")
	// The sender posted the run's message: C0OPS at ts 1.0001.
	if err := f.Store.RecordMessage(context.Background(), run.Ref(), "C0OPS", "1.0001", f.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	click := func(value string) chat.Outcome {
		return f.Router.Interact(context.Background(), chat.Interaction{Kind: chat.KindAction, ActionID: "check_item", Value: value, UserID: "U0BEN", At: f.Clock.Now(), ChannelID: "C0OPS", MessageTS: "1.0001"})
	}
	click(fmt.Sprintf("%d:1", run.ID))
	items, _ := f.Store.Items(context.Background(), run.ID)
	if len(items[run.ID]) != 1 || items[run.ID][0].Idx != 1 || items[run.ID][0].DoneBy != "U0BEN" {
		t.Fatalf("items after a click = %+v", items[run.ID])
	}
	q := f.Queued("#shop-ops")
	if len(q) != 1 || q[0].Op != store.OpUpdate || !strings.Contains(q[0].Blocks, "\\u003c@U0BEN\\u003e") && !strings.Contains(q[0].Blocks, "<@U0BEN>") {
		t.Fatalf("queued = %+v", q)
	}
	click(fmt.Sprintf("%d:1", run.ID)) // a second click undoes it
	items, _ = f.Store.Items(context.Background(), run.ID)
	if len(items[run.ID]) != 0 {
		t.Errorf("a second click did not undo: %+v", items[run.ID])
	}
	for _, bad := range []string{"x", "999999:0", fmt.Sprintf("%d:44", run.ID)} {
		if out := click(bad); out.Ephemeral == nil {
			t.Errorf("button %q accepted", bad)
		}
	}
}
