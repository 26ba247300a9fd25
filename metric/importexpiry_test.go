package metric_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/handlers/handlerstest"
	"opsbot/jobs"
	"opsbot/metric"
	"opsbot/store"
)

// press clicks an import preview's button at ts in C1.
func press(f *handlerstest.Fixture, user, action, value, ts string) string {
	f.T.Helper()
	out := f.Interact(chat.Interaction{Kind: chat.KindAction, ActionID: action, Value: value, UserID: user, ChannelID: "C1", MessageTS: ts})
	if out.Ephemeral == nil {
		f.T.Fatalf("no answer to %s", action)
	}
	return bot.RenderText(out.Ephemeral.Blocks)
}

// Issue 18: the Import and Cancel buttons act only on the preview the bot
// posted for that import; a click naming another import, or from no
// recorded message, is refused and changes nothing.
func TestImportButtonsActOnlyOnTheirPreview(t *testing.T) {
	f := handlerstest.New(t, nil)
	ctx := context.Background()
	one := upload(f, "alice", "one.csv", []byte("date,uv\n2026-11-21,5\n"), "")
	two := upload(f, "alice", "two.csv", []byte("date,uv\n2026-11-22,7\n"), "")
	if one.Ref != metric.ImportRef(1) || two.Ref != metric.ImportRef(2) {
		t.Fatalf("refs %q %q", one.Ref, two.Ref)
	}
	for ref, ts := range map[string]string{one.Ref: "1700000001.000100", two.Ref: "1700000002.000200"} {
		if err := f.Store.RecordMessage(ctx, ref, "C1", ts, f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	for _, forged := range []struct{ action, value, ts string }{
		{metric.ActionImportConfirm, "2", "1700000001.000100"}, // import 2 pressed on import 1's preview
		{metric.ActionImportCancel, "2", "1700000001.000100"},
		{metric.ActionImportConfirm, "2", ""},                  // no message at all
		{metric.ActionImportConfirm, "2", "1700000002.000999"}, // another message
	} {
		out := press(f, "alice", forged.action, forged.value, forged.ts)
		handlerstest.Contains(t, out, "was not made by opsbot for this message", "/metric import confirm 2")
	}
	if d := f.Day("main", "2026-11-22"); len(d) != 0 {
		t.Fatalf("a forged click stored %v", d)
	}
	if imp, err := f.Store.Import(ctx, 2); err != nil || imp.Status != store.ImportPending {
		t.Fatalf("import 2 after forged clicks: %+v %v", imp, err)
	}
	// On their own previews: another member is refused, the uploader and
	// a manager are not.
	handlerstest.Contains(t, press(f, "mallory", metric.ActionImportConfirm, "2", "1700000002.000200"), "Import 2 was uploaded by @alice; only they or a manager may confirm or cancel it.")
	handlerstest.Contains(t, press(f, "alice", metric.ActionImportConfirm, "2", "1700000002.000200"), "1 value(s) stored")
	if f.Day("main", "2026-11-22")["uv"] != 7 {
		t.Error("the preview's own button did not store it")
	}
	handlerstest.Contains(t, press(f, "boss", metric.ActionImportCancel, "1", "1700000001.000100"), "Import 1 of “one.csv” cancelled")
}

// Issue 18: an import preview (or an annual target split) expires 24
// hours after it was made: confirming it then says so and stores nothing,
// and the import job, ticked on the clock, deletes what can no longer be
// confirmed, keeping applied imports.
func TestPendingImportsExpire(t *testing.T) {
	f := handlerstest.New(t, nil)
	ctx := context.Background()
	runner := jobs.NewRunner(f.Clock, f.Cfg.Location, slog.New(slog.NewTextHandler(io.Discard, nil)), metric.NewImportJob(f.Store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	tick := func() {
		t.Helper()
		if err := runner.TickAll(ctx, f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	gone := func(id uint64) bool {
		t.Helper()
		_, err := f.Store.Import(ctx, id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		return errors.Is(err, store.ErrNotFound)
	}
	upload(f, "alice", "a.csv", []byte("date,uv\n2026-11-20,1\n"), "") // 1: applied
	handlerstest.Contains(t, f.Text("alice", "/metric import confirm 1"), "1 value(s) stored")
	upload(f, "alice", "b.csv", []byte("date,uv\n2026-11-21,2\n"), "") // 2: cancelled
	f.Do("alice", "/metric import cancel 2")
	upload(f, "alice", "c.csv", []byte("date,uv\n2026-11-22,3\n"), "")                                                       // 3: left pending
	f.Do("boss", "/metric target sales=1,200,000 year=2027")                                                                 // 4: a split left pending
	f.Router.Handle(ctx, chat.Command{UserID: "alice", ChannelID: "C1", Name: "/metric", Text: "import", At: f.Clock.Now()}) // 5: awaiting a file

	f.Clock.Advance(metric.ImportExpiry - time.Minute)
	tick()
	for id := uint64(1); id <= 5; id++ {
		if gone(id) {
			t.Fatalf("import %d was deleted before it expired", id)
		}
	}
	f.Clock.Advance(2 * time.Minute)
	handlerstest.Contains(t, f.Text("alice", "/metric import confirm 3"),
		"Import 3 expired: a preview can be confirmed for 24 hours after the file was shared, and nothing was stored. Share the file again for a fresh preview.")
	handlerstest.Contains(t, f.Text("alice", "/metric import cancel 3"), "Import 3 expired")
	handlerstest.Contains(t, f.Text("boss", "/metric target confirm 4"), "Split 4 expired: a split can be applied for 24 hours after it was shown")
	if d := f.Day("main", "2026-11-22"); len(d) != 0 {
		t.Errorf("an expired preview stored %v", d)
	}
	if tg, _ := f.Store.Targets(ctx, "main", "2027-01"); len(tg) != 0 {
		t.Errorf("an expired split set %v", tg)
	}
	// The job sweeps at most hourly: not two minutes after the last sweep,
	// then everything that can no longer be confirmed goes.
	tick()
	if gone(3) {
		t.Fatal("swept within the hour of the last sweep")
	}
	f.Clock.Advance(time.Hour)
	tick()
	for id, want := range map[uint64]bool{1: false, 2: true, 3: true, 4: true, 5: true} {
		if got := gone(id); got != want {
			t.Errorf("import %d deleted = %v, want %v", id, got, want)
		}
	}
	handlerstest.Contains(t, f.Text("alice", "/metric import confirm 3"),
		"There is no import preview number 3. Previews expire 24 hours after the file was shared and are then deleted: share the file again for a fresh one.")
	// The applied import is still the record that its file was imported.
	handlerstest.Contains(t, bot.RenderText(upload(f, "alice", "a.csv", []byte("date,uv\n2026-11-20,1\n"), "").Blocks), "was imported already")
}
