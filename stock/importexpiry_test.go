package stock

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/jobs"
	"opsbot/store"
)

// preview imports a small file as amy and returns the reply.
func (h *harness) preview(name, csv string) chat.Reply {
	h.t.Helper()
	path := h.file(name, []byte(csv))
	return h.f.Command(context.Background(), chat.Command{UserID: "amy", ChannelName: "shop-ops", Name: "/stock", Text: "import " + path, At: h.clock.Now()}, []string{"import", path})
}

// press clicks a button of the import previews at ts in C1.
func (h *harness) press(user, action, value, ts string) string {
	h.t.Helper()
	out := h.f.Interact(context.Background(), chat.Interaction{Kind: chat.KindAction, ActionID: action, Value: value, UserID: user, ChannelID: "C1", MessageTS: ts, At: h.clock.Now()})
	if out.Ephemeral == nil {
		h.t.Fatalf("no answer to %s", action)
	}
	return bot.RenderText(out.Ephemeral.Blocks)
}

// Issue 18: the Import and Cancel buttons act only on the preview the bot
// posted for that import, by its importer or a manager.
func TestImportButtonsActOnlyOnTheirPreview(t *testing.T) {
	h := newHarness(t, testConfig(t, shirt), "2026-11-26 09:00")
	h.f.EnableFileImport()
	ctx := context.Background()
	one := h.preview("one.csv", "商品编码,库存\nA100,128\n")
	two := h.preview("two.csv", "商品编码,库存\nA100,77\n")
	if one.Ref != "stock_import:1" || two.Ref != "stock_import:2" {
		t.Fatalf("refs %q %q", one.Ref, two.Ref)
	}
	// The transport posted both and recorded where.
	for ref, ts := range map[string]string{one.Ref: "1700000001.000100", two.Ref: "1700000002.000200"} {
		if err := h.st.RecordMessage(ctx, ref, "C1", ts, h.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	// A forged Import naming import 2 on the message of import 1, and one
	// with no message, are refused: nothing is stored.
	for _, ts := range []string{"1700000001.000100", ""} {
		if out := h.press("amy", ActionImportConfirm, "2", ts); !strings.Contains(out, "was not made by opsbot for this message") || !strings.Contains(out, "/stock import confirm 2") {
			t.Errorf("forged click: %s", out)
		}
	}
	if it, err := h.st.StockItem(ctx, "main", "A100"); err != nil || it.Counted {
		t.Fatalf("a forged click stored stock: %+v %v", it, err)
	}
	// On its own message: someone else's import is refused, even to
	// cancel; the importer's click applies it.
	if out := h.press("bob", ActionImportCancel, "2", "1700000002.000200"); !strings.Contains(out, "someone else's") {
		t.Errorf("bob cancelled amy's import: %s", out)
	}
	if out := h.run("bob", "import cancel 2"); !strings.Contains(out, "someone else's") {
		t.Errorf("bob cancelled amy's import by command: %s", out)
	}
	if out := h.press("amy", ActionImportConfirm, "2", "1700000002.000200"); !strings.Contains(out, "@amy imported 1 rows") {
		t.Fatalf("confirm: %s", out)
	}
	if it, _ := h.st.StockItem(ctx, "main", "A100"); it.OnHand != 77 {
		t.Errorf("after import: %+v", it)
	}
	if out := h.press("boss", ActionImportCancel, "1", "1700000001.000100"); !strings.Contains(out, "cancelled") {
		t.Errorf("a manager's cancel: %s", out)
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
