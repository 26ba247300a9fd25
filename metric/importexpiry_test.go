package metric_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/chat/chattest"
	"opsbot/handlers/command"
	"opsbot/handlers/handlerstest"
	"opsbot/jobs"
	"opsbot/metric"
	"opsbot/store"
)

// press clicks an import preview's button with value, from no recorded
// message: a preview is a reply only its asker sees, and its buttons do
// not depend on where Slack says it is.
func press(f *handlerstest.Fixture, user, action, value string) string {
	f.T.Helper()
	out := f.Interact(chat.Interaction{Kind: chat.KindAction, ActionID: action, Value: value, UserID: user, ChannelID: "C1"})
	if out.Ephemeral == nil {
		f.T.Fatalf("no answer to %s", action)
	}
	return bot.RenderText(out.Ephemeral.Blocks)
}

// buttons are the values of a reply's buttons by action ID; both buttons
// of a preview must carry the same value, within Slack's 2,000 characters.
func buttons(t *testing.T, r chat.Reply) map[string]string {
	t.Helper()
	out := chattest.Buttons(t, r)
	if out[metric.ActionImportConfirm] == "" || out[metric.ActionImportConfirm] != out[metric.ActionImportCancel] {
		t.Fatalf("buttons %v: want Import and Cancel with one value", out)
	}
	return out
}

// Issue 18: the Import and Cancel buttons act only with the value the bot
// sealed for that import: a click whose value names another import (typed,
// edited, or sealed with another key, for a person or for another
// feature) is refused and changes nothing. Who may press stays checked:
// the uploader or a manager.
func TestImportButtonsActOnlyOnTheirPreview(t *testing.T) {
	f := handlerstest.New(t, nil)
	ctx := context.Background()
	one := buttons(t, upload(f, "alice", "one.csv", []byte("date,uv\n2026-11-21,5\n"), ""))
	two := buttons(t, upload(f, "alice", "two.csv", []byte("date,uv\n2026-11-22,7\n"), ""))
	genuine := one[metric.ActionImportConfirm]
	if id, ok := command.ClaimedRef(genuine); !ok || id != 1 || genuine == two[metric.ActionImportConfirm] {
		t.Fatalf("values %q %q", genuine, two[metric.ActionImportConfirm])
	}
	// Import 1's value edited to name import 2, keeping its seal.
	edited := strings.Replace(genuine, `"id":1`, `"id":2`, 1)
	if edited == genuine {
		t.Fatalf("value %q does not carry the id as expected", genuine)
	}
	for name, forged := range map[string]string{
		"the bare id":                "2",
		"an edited value":            edited,
		"sealed with another key":    command.Seal([]byte("someone else's key"), "", map[string]any{"k": "metric_import", "id": 2}),
		"sealed for a person":        f.Router.Seal("alice", map[string]any{"k": "metric_import", "id": 2}),
		"sealed for stock's buttons": f.Router.SealRef("stock_import", 2),
	} {
		for _, action := range []string{metric.ActionImportConfirm, metric.ActionImportCancel} {
			out := press(f, "alice", action, forged)
			if !strings.Contains(out, "was not made by opsbot for this message") || !strings.Contains(out, "/metric import confirm 2") {
				t.Errorf("%s, %s: %s", name, action, out)
			}
		}
	}
	handlerstest.Contains(t, press(f, "alice", metric.ActionImportConfirm, "{nonsense"), "was not made by opsbot", "Name the import by its number")
	if d := f.Day("main", "2026-11-22"); len(d) != 0 {
		t.Fatalf("a forged click stored %v", d)
	}
	for _, id := range []uint64{1, 2} {
		if imp, err := f.Store.Import(ctx, id); err != nil || imp.Status != store.ImportPending {
			t.Fatalf("import %d after forged clicks: %+v %v", id, imp, err)
		}
	}
	// With their own values: another member is refused, the uploader and
	// a manager are not.
	handlerstest.Contains(t, press(f, "mallory", metric.ActionImportConfirm, two[metric.ActionImportConfirm]), "Import 2 was uploaded by @alice; only they or a manager may confirm or cancel it.")
	handlerstest.Contains(t, press(f, "alice", metric.ActionImportConfirm, two[metric.ActionImportConfirm]), "1 value(s) stored")
	if f.Day("main", "2026-11-22")["uv"] != 7 {
		t.Error("the preview's own button did not store it")
	}
	handlerstest.Contains(t, press(f, "boss", metric.ActionImportCancel, one[metric.ActionImportCancel]), "Import 1 of “one.csv” cancelled")
	if d := f.Day("main", "2026-11-21"); len(d) != 0 {
		t.Errorf("a cancelled import stored %v", d)
	}
	// An annual target split's buttons are sealed the same way.
	split := buttons(t, f.Do("boss", "/metric target sales=1,200,000 year=2027"))
	handlerstest.Contains(t, press(f, "boss", metric.ActionImportConfirm, "3"), "was not made by opsbot", "/metric import confirm 3")
	if tg, _ := f.Store.Targets(ctx, "main", "2027-01"); len(tg) != 0 {
		t.Fatalf("a forged click applied the split: %v", tg)
	}
	press(f, "boss", metric.ActionImportConfirm, split[metric.ActionImportConfirm])
	if tg, _ := f.Store.Targets(ctx, "main", "2027-01"); tg["sales"] == 0 {
		t.Fatalf("the split's own button did not apply it: %v", tg)
	}
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
