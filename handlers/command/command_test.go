package command

import (
	"slices"
	"testing"
)

func TestTakeShop(t *testing.T) {
	tests := []struct {
		args     []string
		wantShop string
		wantRest []string
	}{
		{nil, "", []string{}},
		{[]string{"2026-11-01", "2026-11-22"}, "", []string{"2026-11-01", "2026-11-22"}},
		{[]string{"shop=main", "yesterday"}, "main", []string{"yesterday"}},
		{[]string{"uv=1", "店铺=tmall", "pv=2"}, "tmall", []string{"uv=1", "pv=2"}},
		{[]string{"SHOP＝main"}, "main", []string{}},
		{[]string{"shop=a", "x", "shop=b"}, "b", []string{"x"}}, // the last one named
		{[]string{"shop=", "x"}, "", []string{"x"}},             // empty: the channel's shop
		{[]string{"shopping=1", "shop"}, "", []string{"shopping=1", "shop"}},
	}
	for _, tt := range tests {
		shop, rest := TakeShop(tt.args)
		if shop != tt.wantShop || !slices.Equal(rest, tt.wantRest) {
			t.Errorf("TakeShop(%q) = %q, %q; want %q, %q", tt.args, shop, rest, tt.wantShop, tt.wantRest)
		}
	}
}
