package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"opsbot/bot"
	"opsbot/calendar"
	"opsbot/chat"
	"opsbot/chat/chattest"
	"opsbot/handlers"
	"opsbot/handlers/handlerstest"
	"opsbot/metric"
	"opsbot/stock"
)

// replica is another process on the fixture's database, with seal key
// key set before its stock feature comes (the fixture's is set after).
func replica(t *testing.T, f *handlerstest.Fixture, key []byte) *handlers.Router {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r := handlers.New(f.Cfg, f.Store, f.Clock, log)
	r.SetSealKey(key)
	cal, err := calendar.New(f.Cfg.Calendar, f.Cfg.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	r.UseStock(stock.New(f.Cfg, f.Store, cal, f.Clock, log))
	return r
}

// confirmValue is the value of a preview's button action.
func confirmValue(t *testing.T, r chat.Reply, action string) string {
	t.Helper()
	v, ok := chattest.Buttons(t, r)[action]
	if !ok {
		t.Fatalf("no %s button in %s", action, r.Text)
	}
	return v
}

// The import previews' button values are sealed with the installation's
// key, for the metric and the stock feature alike: a replica with the same
// key acts on a preview another made (whichever order the key and the
// stock feature were given in), one with another key refuses it.
func TestImportButtonsWorkOnEveryReplica(t *testing.T) {
	key := []byte("the installation's key")
	f := withStock(t, nil)
	f.Router.SetSealKey(key)
	ctx := context.Background()
	upload := func(name, text, csv string) chat.Reply {
		return f.Router.Handle(ctx, chat.Command{UserID: "alice", UserName: "alice", ChannelID: "C1", ChannelName: "shop-ops", Name: name, Text: text, At: f.Clock.Now(),
			Upload: &chat.Upload{Name: "f.csv", Size: int64(len(csv)), Content: []byte(csv)}})
	}
	metricValue := confirmValue(t, upload("/metric", "import", "date,uv\n2026-11-22,7\n"), metric.ActionImportConfirm)
	stockValue := confirmValue(t, upload("/stock", "import", "商品编码,商品名称,库存,统计日期\nA100,Linen shirt,128,2026-11-22\n"), stock.ActionImportConfirm)
	press := func(r *handlers.Router, action, value string) string {
		t.Helper()
		out := r.Interact(ctx, chat.Interaction{Kind: chat.KindAction, ActionID: action, Value: value, UserID: "alice", UserName: "alice", At: f.Clock.Now()})
		if out.Ephemeral == nil {
			t.Fatalf("no answer to %s", action)
		}
		return bot.RenderText(out.Ephemeral.Blocks)
	}
	other := replica(t, f, []byte("another installation's key"))
	handlerstest.Contains(t, press(other, metric.ActionImportConfirm, metricValue), "was not made by opsbot", "/metric import confirm 1")
	handlerstest.Contains(t, press(other, stock.ActionImportConfirm, stockValue), "was not made by opsbot", "/stock import confirm 1")
	if d := f.Day("main", "2026-11-22"); len(d) != 0 {
		t.Fatalf("another key's replica stored %v", d)
	}
	if it, err := f.Store.StockItem(ctx, "main", "A100"); err == nil && it.Counted {
		t.Fatalf("another key's replica stored stock %+v", it)
	}
	same := replica(t, f, key)
	handlerstest.Contains(t, press(same, metric.ActionImportConfirm, metricValue), "1 value(s) stored")
	if out := press(same, stock.ActionImportConfirm, stockValue); !strings.Contains(out, "@alice imported 1 rows") {
		t.Fatalf("stock confirm on the other replica: %s", out)
	}
	if it, err := f.Store.StockItem(ctx, "main", "A100"); err != nil || it.OnHand != 128 {
		t.Fatalf("after the stock import: %+v %v", it, err)
	}
}
