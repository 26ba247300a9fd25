package config

import (
	"slices"
	"strings"
	"testing"
)

func TestDefaultCommissions(t *testing.T) {
	c := mustDefault(t)
	if got := c.CommissionRoles(); !slices.Equal(got, []string{"cs", "warehouse", "data", "marketing"}) {
		t.Fatalf("roles = %v", got)
	}
	bp, ok, err := c.Commissions["cs"].RateBP()
	if err != nil || !ok || bp != 200 {
		t.Errorf("cs rate = %d %v %v, want 200 bp", bp, ok, err)
	}
	fen, ok, err := c.Commissions["data"].PerOrderFen()
	if err != nil || !ok || fen != 50 {
		t.Errorf("data per order = %d %v %v, want 50 fen", fen, ok, err)
	}
	if !c.Commissions["marketing"].TargetMet {
		t.Error("marketing is paid only when the target is met")
	}
}

func TestCommissionValues(t *testing.T) {
	tests := []struct {
		rate, perOrder string
		bp, fen        int64
		bad            bool
	}{
		{rate: "2%", bp: 200},
		{rate: "2.5", bp: 250},
		{rate: " 0.05% ", bp: 5},
		{rate: "100%", bp: 10000},
		{perOrder: "1", fen: 100},
		{perOrder: "0.5", fen: 50},
		{perOrder: "¥1.25", fen: 125},
		{perOrder: "2元", fen: 200},
		{rate: "2.555%", bad: true},
		{rate: "-1%", bad: true},
		{rate: "101%", bad: true},
		{rate: "abc", bad: true},
		{rate: ".5", bad: true},
		{perOrder: "1.001", bad: true},
		{perOrder: "1.-1", bad: true},
	}
	for _, tt := range tests {
		c := Commission{Rate: tt.rate, PerOrder: tt.perOrder}
		bp, _, err1 := c.RateBP()
		fen, _, err2 := c.PerOrderFen()
		if gotBad := err1 != nil || err2 != nil; gotBad != tt.bad {
			t.Errorf("%q/%q: errors %v %v, want bad=%v", tt.rate, tt.perOrder, err1, err2, tt.bad)
			continue
		}
		if !tt.bad && (bp != tt.bp || fen != tt.fen) {
			t.Errorf("%q/%q = %d bp, %d fen; want %d, %d", tt.rate, tt.perOrder, bp, fen, tt.bp, tt.fen)
		}
	}
}

func TestCommissionsSectionReplacesDefault(t *testing.T) {
	c := mustParse(t, "commissions:\n  cs:\n    rate: \"3%\"\n")
	if got := c.CommissionRoles(); !slices.Equal(got, []string{"cs"}) {
		t.Errorf("roles = %v, want the file's only", got)
	}
}

func TestCommissionProblems(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		path, msg string
	}{
		{"bad role", "commissions:\n  Sales Team:\n    rate: \"2%\"\n", 2, "commissions.Sales Team", `"Sales Team" is not a role name`},
		{"bad rate", "commissions:\n  cs:\n    rate: \"2.555%\"\n", 3, "commissions.cs.rate", "at most two decimals"},
		{"bad amount", "commissions:\n  data:\n    per_order: \"half\"\n", 3, "commissions.data.per_order", "is not an amount of yuan"},
		{"nothing", "commissions:\n  cs:\n    target_met: true\n", 2, "commissions.cs", "has neither rate nor per_order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseProblems(t, tt.src)
			if len(got) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(got), (&Problems{File: "test.yaml", List: got}).Error())
			}
			g := got[0]
			if g.Line != tt.line || g.Path != tt.path || !strings.Contains(g.Msg, tt.msg) {
				t.Errorf("got %d %q: %s\nwant %d %q: …%s…", g.Line, g.Path, g.Msg, tt.line, tt.path, tt.msg)
			}
		})
	}
}
