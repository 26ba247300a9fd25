package report

import (
	"testing"

	"opsbot/config"
)

// Issue 16, item 24: the chart names the shop, not its ID, when its font
// can draw the name.
func TestChartNamesTheShop(t *testing.T) {
	for _, tt := range []struct {
		shop config.Shop
		want string
	}{
		{config.Shop{ID: "main", Name: "My shop"}, "My shop"},
		{config.Shop{ID: "main", Name: "我的店铺"}, "main"},
		{config.Shop{ID: "main"}, "main"},
	} {
		if got := chartName(tt.shop); got != tt.want {
			t.Errorf("chartName(%+v) = %q, want %q", tt.shop, got, tt.want)
		}
	}
}
