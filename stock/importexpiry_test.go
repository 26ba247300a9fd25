package stock

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/chat/chattest"
	"opsbot/handlers/command"
	"opsbot/jobs"
	"opsbot/store"
)

// preview imports a small file as amy and returns the reply.
func (h *harness) preview(name, csv string) chat.Reply {
	h.t.Helper()
	path := h.file(name, []byte(csv))
	return h.f.Command(context.Background(), chat.Command{UserID: "amy", ChannelName: "shop-ops", Name: "/stock", Text: "import " + path, At: h.clock.Now()}, []string{"import", path})
}

// press clicks a button of an import preview with value, from no
// recorded message: a preview is a reply only its asker sees, and its
// buttons do not depend on where Slack says it is.
func (h *harness) press(user, action, value string) string {
	h.t.Helper()
	out := h.f.Interact(context.Background(), chat.Interaction{Kind: chat.KindAction, ActionID: action, Value: value, UserID: user, ChannelID: "C1", At: h.clock.Now()})
	if out.Ephemeral == nil {
		h.t.Fatalf("no answer to %s", action)
	}
	return bot.RenderText(out.Ephemeral.Blocks)
}

// buttons are the values of a preview's Import and Cancel buttons, which
// must be one value within Slack's 2,000 characters.
func buttons(t *testing.T, r chat.Reply) string {
	t.Helper()
	values := chattest.Buttons(t, r)
	v := values[ActionImportConfirm]
	if v == "" || v != values[ActionImportCancel] || len(v) > 2000 {
		t.Fatalf("buttons %v: want Import and Cancel with one value of at most 2,000 characters", values)
	}
	return v
}

// Issue 18: the Import and Cancel buttons act only with the value the bot
// sealed for that import: a click whose value names another import
// (typed, edited, sealed with another key or for the metric import's
// buttons) is refused and changes nothing. Who may press stays checked:
// the importer or a manager.
func TestImportButtonsActOnlyOnTheirPreview(t *testing.T) {
	h := newHarness(t, testConfig(t, shirt), "2026-11-26 09:00")
	h.f.EnableFileImport()
	ctx := context.Background()
	one := buttons(t, h.preview("one.csv", "商品编码,库存\nA100,128\n"))
	two := buttons(t, h.preview("two.csv", "商品编码,库存\nA100,77\n"))
	edited := strings.Replace(one, `"id":1`, `"id":2`, 1)
	if one == two || edited == one {
		t.Fatalf("values %q %q", one, two)
	}
	for name, forged := range map[string]string{
		"the bare id":                 "2",
		"an edited value":             edited,
		"sealed with another key":     command.Seal([]byte("someone else's key"), "", map[string]any{"k": "stock_import", "id": 2}),
		"sealed for a person":         h.f.Seal("amy", map[string]any{"k": "stock_import", "id": 2}),
		"sealed for metric's buttons": h.f.SealRef("metric_import", 2),
	} {
		for _, action := range []string{ActionImportConfirm, ActionImportCancel} {
			if out := h.press("amy", action, forged); !strings.Contains(out, "was not made by opsbot for this message") || !strings.Contains(out, "/stock import confirm 2") {
				t.Errorf("%s, %s: %s", name, action, out)
			}
		}
	}
	if it, err := h.st.StockItem(ctx, "main", "A100"); err != nil || it.Counted {
		t.Fatalf("a forged click stored stock: %+v %v", it, err)
	}
	for _, id := range []uint64{1, 2} {
		if im, err := h.st.StockImportByID(ctx, id); err != nil || im.State != store.ImportPending {
			t.Fatalf("import %d after forged clicks: %+v %v", id, im, err)
		}
	}
	// With its own value: someone else's import is refused, even to
	// cancel; the importer's click applies it.
	if out := h.press("bob", ActionImportCancel, two); !strings.Contains(out, "someone else's") {
		t.Errorf("bob cancelled amy's import: %s", out)
	}
	if out := h.run("bob", "import cancel 2"); !strings.Contains(out, "someone else's") {
		t.Errorf("bob cancelled amy's import by command: %s", out)
	}
	if out := h.press("amy", ActionImportConfirm, two); !strings.Contains(out, "@amy imported 1 rows") {
		t.Fatalf("confirm: %s", out)
	}
	if it, _ := h.st.StockItem(ctx, "main", "A100"); it.OnHand != 77 {
		t.Errorf("after import: %+v", it)
	}
	if out := h.press("boss", ActionImportCancel, one); !strings.Contains(out, "cancelled") {
		t.Errorf("a manager's cancel: %s", out)
	}
	if im, err := h.st.StockImportByID(ctx, 1); err != nil || im.State != store.ImportCancelled {
		t.Errorf("import 1 after the manager's cancel: %+v %v", im, err)
	}
}

// Issue 18: a preview expires after 24 hours (a clear answer, nothing
// stored), and the stock job deletes what expired or was cancelled,
// keeping applied imports.
func TestPendingStockImportsExpire(t *testing.T) {
	cfg := testConfig(t, shirt)
	cfg.Managers = []string{"boss"}
	h := newHarness(t, cfg, "2026-11-26 09:00")
	h.f.EnableFileImport()
	ctx := context.Background()
	runner := jobs.NewRunner(h.clock, cfg.Location, quiet, h.f)
	h.preview("a.csv", "商品编码,库存\nA100,10\n") // 1: applied
	h.must("amy", "import confirm 1")
	h.preview("b.csv", "商品编码,库存\nA100,20\n") // 2: cancelled
	h.must("amy", "import cancel 2")
	h.preview("c.csv", "商品编码,库存\nA100,30\n") // 3: left pending

	h.clock.Advance(ImportExpiry - time.Minute)
	if err := runner.TickAll(ctx, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := h.st.StockImportByID(ctx, 3); err != nil {
		t.Fatalf("a preview was deleted before it expired: %v", err)
	}
	h.clock.Advance(2 * time.Minute)
	if out := h.run("amy", "import confirm 3"); !strings.Contains(out, "Import #3 expired: a preview can be confirmed for 24 hours after the file was shared, and nothing was stored. Share the file again") {
		t.Errorf("late confirm: %s", out)
	}
	if it, _ := h.st.StockItem(ctx, "main", "A100"); it.OnHand != 10 {
		t.Errorf("an expired preview was applied: %+v", it)
	}
	// Within the hour of the last sweep, the job waits; then it deletes.
	if err := runner.TickAll(ctx, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := h.st.StockImportByID(ctx, 3); err != nil {
		t.Fatalf("swept within the hour of the last sweep: %v", err)
	}
	h.clock.Advance(time.Hour)
	if err := runner.TickAll(ctx, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	for id, gone := range map[uint64]bool{1: false, 2: true, 3: true} {
		_, err := h.st.StockImportByID(ctx, id)
		if gone != errors.Is(err, store.ErrNotFound) {
			t.Errorf("import %d: deleted %v, want %v (%v)", id, !gone, gone, err)
		}
	}
	if out := h.run("amy", "import confirm 3"); !strings.Contains(out, "There is no import #3. Previews expire 24 hours after the file was shared and are then deleted") {
		t.Errorf("confirm after the sweep: %s", out)
	}
	// The applied import still says the file was imported.
	if out := h.run("amy", "import "+h.file("a.csv", []byte("商品编码,库存\nA100,10\n"))); !strings.Contains(out, "imported before") {
		t.Errorf("the same file again: %s", out)
	}
}
