package config

import (
	"fmt"
	"regexp"
	"strings"
)

// Stock is the stock and replenishment section: where warnings and the
// weekly replenishment sheet (补货需求表) go, when the sheet is built, and
// the defaults of the order-up-to formula.
type Stock struct {
	Channel string `yaml:"channel"` // team (default), managers, cs or a channel name/ID
	// Sheet is when the replenishment sheet is built: "<weekday> HH:MM".
	Sheet string `yaml:"sheet"`
	// OnHoliday says where the sheet goes when its day is not a working
	// day: "before" (the working day before, the default), "after" or "skip".
	OnHoliday  string `yaml:"on_holiday"`
	ReviewDays int    `yaml:"review_days"` // the review period: days between two sheets
	LeadDays   int    `yaml:"lead_days"`   // supplier lead time of SKUs that set none
	SafetyDays int    `yaml:"safety_days"` // safety days of SKUs that set none
	// HotItems is how many SKUs, by 7-day sales, the digest counts as hot.
	HotItems int `yaml:"hot_items"`
	// SlowDays is how long without a sale makes an SKU slow (滞销).
	SlowDays int         `yaml:"slow_days"`
	Items    []StockItem `yaml:"items"`
}

// StockItem is an SKU declared in the config; zero fields take the
// section's defaults.
type StockItem struct {
	Shop       string `yaml:"shop"` // default: the only shop
	SKU        string `yaml:"sku"`
	Name       string `yaml:"name"`
	CasePack   int64  `yaml:"case_pack"`
	MinOrder   int64  `yaml:"min_order"`
	LeadDays   int    `yaml:"lead_days"`
	SafetyDays int    `yaml:"safety_days"`
}

// SKUPattern is what an SKU code may look like: letters, digits and
// - _ . / up to 64 characters.
var SKUPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$`)

// StockHolidayRules are the accepted values of stock.on_holiday.
var StockHolidayRules = []string{"before", "after", "skip"}

func (r *report) checkStock(c *Config) {
	s := c.Stock
	if s.Channel != "" {
		r.checkChannel(c.Channels, "stock.channel", s.Channel)
	}
	if _, _, _, err := ParseWeekly(s.Sheet); err != nil {
		r.add("stock.sheet", "%v", err)
	}
	ok := false
	for _, v := range StockHolidayRules {
		ok = ok || s.OnHoliday == v
	}
	if !ok {
		r.add("stock.on_holiday", "%q is not one of %s", s.OnHoliday, strings.Join(StockHolidayRules, ", "))
	}
	days := func(path string, v, lo, hi int) {
		if v < lo || v > hi {
			r.add(path, "%d is out of range; use whole days from %d to %d", v, lo, hi)
		}
	}
	days("stock.review_days", s.ReviewDays, 1, 90)
	days("stock.lead_days", s.LeadDays, 0, 365)
	days("stock.safety_days", s.SafetyDays, 0, 365)
	days("stock.hot_items", s.HotItems, 0, 1000)
	days("stock.slow_days", s.SlowDays, 1, 365)
	seen := map[string]bool{}
	for i, it := range s.Items {
		p := fmt.Sprintf("stock.items[%d]", i)
		shop := it.Shop
		if shop == "" {
			if len(c.Shops) != 1 {
				r.add(p+".shop", "is empty and there are %d shops; name the shop of the SKU", len(c.Shops))
			} else {
				shop = c.Shops[0].ID
			}
		} else if _, found := c.ShopByRef(shop); !found {
			r.add(p+".shop", "%q is not a shop of the shops section", shop)
		}
		if !SKUPattern.MatchString(it.SKU) {
			r.add(p+".sku", "%q is not an SKU code; use letters, digits and - _ . / (at most 64), e.g. A100", it.SKU)
		} else if seen[shop+"\x00"+strings.ToUpper(it.SKU)] {
			r.add(p+".sku", "%q is listed twice for shop %s", it.SKU, shop)
		}
		seen[shop+"\x00"+strings.ToUpper(it.SKU)] = true
		if len([]rune(it.Name)) > 200 {
			r.add(p+".name", "is longer than 200 characters")
		}
		if it.CasePack < 0 || it.CasePack > 100000 {
			r.add(p+".case_pack", "%d is out of range; use whole units from 1 to 100000 (0 or left out: 1)", it.CasePack)
		}
		if it.MinOrder < 0 || it.MinOrder > 10000000 {
			r.add(p+".min_order", "%d is out of range; use whole units from 0 to 10000000", it.MinOrder)
		}
		days(p+".lead_days", it.LeadDays, 0, 365)
		days(p+".safety_days", it.SafetyDays, 0, 365)
	}
}
