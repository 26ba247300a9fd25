package handlers_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"opsbot/calendar"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers/handlerstest"
	"opsbot/stock"
)

// withStock is a fixture whose router has the stock feature.
func withStock(t *testing.T, edit func(*config.Config)) *handlerstest.Fixture {
	t.Helper()
	f := handlerstest.New(t, edit)
	cal, err := calendar.New(f.Cfg.Calendar, f.Cfg.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	f.Router.UseStock(stock.New(f.Cfg, f.Store, cal, f.Clock, slog.New(slog.NewTextHandler(io.Discard, nil))))
	return f
}

// The router sends /stock, /ops stock and the sheet's buttons to the
// stock feature.
func TestStockRoutes(t *testing.T) {
	f := withStock(t, func(c *config.Config) {
		c.Stock.Items = []config.StockItem{{SKU: "A100", Name: "Linen shirt", CasePack: 12}}
	})
	handlerstest.Contains(t, f.Text("amy", "/stock sold A100 12"), "@amy logged sales of My shop on 2026-11-22", "A100   12")
	handlerstest.Contains(t, f.Text("amy", "/ops stock A100"), "A100 Linen shirt", "Case pack 12")
	handlerstest.Contains(t, f.Text("amy", "/stock help"), "/stock top [N]")
	handlerstest.Contains(t, f.Text("amy", "/help"), "/stock help")
	out := f.Router.Interact(context.Background(), chat.Interaction{Kind: chat.KindAction, ActionID: stock.ActionApprove, Value: "7", UserID: "boss"})
	// No sheet #7 was posted, so no button of its can have been pressed.
	if out.Ephemeral == nil || !strings.Contains(out.Ephemeral.Text, "not made by opsbot") {
		t.Errorf("approve of a sheet never posted: %+v", out.Ephemeral)
	}
}

// With SKU data, /metric show takes the sell-through from it instead of
// the typed items_online and items_sold_30d.
func TestMetricShowSellThroughFromSKUs(t *testing.T) {
	f := withStock(t, func(c *config.Config) {
		for i := 0; i < 10; i++ {
			c.Stock.Items = append(c.Stock.Items, config.StockItem{SKU: fmt.Sprintf("S%d", i)})
		}
	})
	handlerstest.Contains(t, f.Text("amy", "/metric uv=100 items_online=40 items_sold_30d=10"), "logged")
	handlerstest.Contains(t, f.Text("amy", "/stock sold S0 3 S1 2 S2 1 S3 4"), "logged sales")
	// 4 of 10 SKUs sold: 40.0%, not the typed 10 of 40.
	handlerstest.Contains(t, f.Text("amy", "/metric show"), "Items online               10", "Items sold in 30 days       4", "Sell-through (30 days)  40.0%")
}
