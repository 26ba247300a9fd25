package handlers_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers"
	"opsbot/stock"
	"opsbot/workcal"
)

// The router sends /stock, /ops stock and the sheet's buttons to the
// stock feature.
func TestStockRoutes(t *testing.T) {
	f := newFixture(t, func(c *config.Config) {
		c.Stock.Items = []config.StockItem{{SKU: "A100", Name: "Linen shirt", CasePack: 12}}
	})
	cal, err := workcal.New(f.cfg.Calendar, f.cfg.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	f.router.UseStock(stock.New(f.cfg, f.store, cal, f.clock, slog.New(slog.NewTextHandler(io.Discard, nil))))
	contains(t, f.text("amy", "/stock sold A100 12"), "@amy logged sales of My shop on 2026-11-22", "A100   12")
	contains(t, f.text("amy", "/ops stock A100"), "A100 Linen shirt", "Case pack 12")
	contains(t, f.text("amy", "/stock help"), "/stock top [N]")
	contains(t, f.text("amy", "/help"), "/stock help")
	out := f.router.Interact(context.Background(), chat.Interaction{Kind: chat.KindAction, ActionID: stock.ActionApprove, Value: "7", UserID: "boss"})
	if out.Ephemeral == nil || !strings.Contains(out.Ephemeral.Text, "no sheet #7") {
		t.Errorf("approve of an unknown sheet: %+v", out.Ephemeral)
	}
}

// Every command the router answers is in both app manifests.
func TestManifestsListEveryCommand(t *testing.T) {
	for _, path := range []string{"../slack/manifest.yml", "../slack/manifest-http.yml"} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range handlers.Commands() {
			if c == "/checklist" || c == "/help" {
				continue // answered in the console; Slack reaches them through /ops
			}
			if !strings.Contains(string(data), "- command: "+c+"\n") {
				t.Errorf("%s lacks %s", path, c)
			}
		}
	}
}

// With SKU data, /metric show takes the sell-through from it instead of
// the typed items_online and items_sold_30d.
func TestMetricShowSellThroughFromSKUs(t *testing.T) {
	f := newFixture(t, func(c *config.Config) {
		for i := 0; i < 10; i++ {
			c.Stock.Items = append(c.Stock.Items, config.StockItem{SKU: fmt.Sprintf("S%d", i)})
		}
	})
	cal, err := workcal.New(f.cfg.Calendar, f.cfg.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	f.router.UseStock(stock.New(f.cfg, f.store, cal, f.clock, slog.New(slog.NewTextHandler(io.Discard, nil))))
	contains(t, f.text("amy", "/metric uv=100 items_online=40 items_sold_30d=10"), "logged")
	contains(t, f.text("amy", "/stock sold S0 3 S1 2 S2 1 S3 4"), "logged sales")
	// 4 of 10 SKUs sold: 40.0%, not the typed 10 of 40.
	contains(t, f.text("amy", "/metric show"), "Items online               10", "Items sold in 30 days       4", "Sell-through (30 days)  40.0%")
}
