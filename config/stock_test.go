package config

import (
	"strings"
	"testing"
)

func TestStockSectionChecked(t *testing.T) {
	yaml := `stock:
  channel: ""
  sheet: "thursday 25:00"
  on_holiday: later
  review_days: 0
  lead_days: -1
  slow_days: 400
  items:
    - {sku: A100, name: Shirt, case_pack: -12}
    - {sku: a100}
    - {sku: "bad code", shop: nowhere, min_order: -5}
`
	_, err := Parse([]byte(yaml), "opsbot.yaml")
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{
		"opsbot.yaml:3: stock.sheet: ",
		"opsbot.yaml:4: stock.on_holiday: \"later\" is not one of before, after, skip",
		"opsbot.yaml:5: stock.review_days: 0 is out of range; use whole days from 1 to 90",
		"opsbot.yaml:6: stock.lead_days: -1 is out of range",
		"opsbot.yaml:7: stock.slow_days: 400 is out of range",
		"stock.items[0].case_pack: -12 is out of range",
		"stock.items[1].sku: \"a100\" is listed twice for shop main",
		"stock.items[2].shop: \"nowhere\" is not a shop",
		"stock.items[2].sku: \"bad code\" is not an SKU code",
		"stock.items[2].min_order: -5 is out of range",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}

func TestStockDefaults(t *testing.T) {
	cfg, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Stock
	if s.Sheet != "thu 10:00" || s.OnHoliday != "before" || s.ReviewDays != 7 || s.LeadDays != 7 || s.SafetyDays != 3 || s.SlowDays != 30 || s.Channel != "team" {
		t.Errorf("defaults: %+v", s)
	}
	// A section that sets one key keeps the other defaults.
	cfg, err = Parse([]byte("stock:\n  review_days: 14\n"), "x.yaml")
	if err != nil || cfg.Stock.ReviewDays != 14 || cfg.Stock.Sheet != "thu 10:00" {
		t.Errorf("partial section: %+v, %v", cfg.Stock, err)
	}
}
