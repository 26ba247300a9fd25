package metric_test

import (
	"strings"
	"testing"

	"opsbot/config"
	"opsbot/exact"
	"opsbot/metric"
)

// TestParseLimit reads floors and ceilings in each unit, in the forms an
// English or a Chinese team writes them, exactly.
func TestParseLimit(t *testing.T) {
	for _, tt := range []struct {
		in   string
		unit metric.Unit
		want exact.Num // Missing: no limit
		bad  bool
	}{
		{"1%", metric.UnitRate, exact.Frac(1, 100), false},
		{"0.8", metric.UnitRate, exact.Frac(8, 1000), false},
		{"１％", metric.UnitRate, exact.Frac(1, 100), false},
		{"abc", metric.UnitRate, exact.Missing, true},
		{"1.234%", metric.UnitRate, exact.Missing, true},
		{"¥3,000.50", metric.UnitMoney, exact.Int(300_050), false},
		{"1.5万", metric.UnitMoney, exact.Int(1_500_000), false},
		{"3000元", metric.UnitMoney, exact.Int(300_000), false},
		{"1%", metric.UnitMoney, exact.Missing, true},
		{"1.2万", metric.UnitCount, exact.Int(12_000), false},
		{"２００", metric.UnitCount, exact.Int(200), false},
		{"2.5", metric.UnitCount, exact.Missing, true},
		{"¥500", metric.UnitCount, exact.Missing, true},
		{"2.5", metric.UnitRatio, exact.Frac(5, 2), false},
		{"1:2.5", metric.UnitRatio, exact.Frac(5, 2), false},
		{"1：3", metric.UnitRatio, exact.Int(3), false},
		{"good", metric.UnitRatio, exact.Missing, true},
		{"1分35秒", metric.UnitDuration, exact.Int(95), false},
		{"1:35", metric.UnitDuration, exact.Int(95), false},
		{"95", metric.UnitDuration, exact.Int(95), false},
		{"soon", metric.UnitDuration, exact.Missing, true},
		{"35%", metric.UnitPercent, exact.Int(3500), false},
		{"  ", metric.UnitCount, exact.Missing, false},
	} {
		got, err := metric.ParseLimit(tt.in, tt.unit)
		if (err != nil) != tt.bad {
			t.Errorf("ParseLimit(%q, %v) error %v, want error %v", tt.in, tt.unit, err, tt.bad)
			continue
		}
		if !tt.bad && (got.OK() != tt.want.OK() || (got.OK() && got.Cmp(tt.want) != 0)) {
			t.Errorf("ParseLimit(%q, %v) = %v, want %v", tt.in, tt.unit, got.Rat(), tt.want.Rat())
		}
	}
}

// TestCheckLimits: config check refuses a limit on a key no figure has, a
// value its figure's unit cannot read, and a floor above its ceiling,
// naming the key and what is accepted; good limits, written as an English
// or a Chinese team would, pass.
func TestCheckLimits(t *testing.T) {
	for _, tt := range []struct {
		name   string
		limits map[string]config.Limit
		want   map[string]string // path → part of the message; empty: no problem
	}{
		{"good, English forms", map[string]config.Limit{
			"conversion_rate": {Floor: "1%"}, "refund_rate": {Ceiling: "10%"}, "sales": {Floor: "¥3,000", Ceiling: "1,000,000"},
			"roi": {Floor: "1:2.5"}, "avg_visit": {Floor: "1:30"}, "bounce_rate": {Ceiling: "70%"}, "uv": {Floor: "500", Ceiling: "5000"},
		}, nil},
		{"good, Chinese forms", map[string]config.Limit{
			"uv": {Floor: "1.2万"}, "sales": {Floor: "3000元", Ceiling: "50万"}, "avg_visit": {Floor: "1分30秒"}, "conversion_rate": {Floor: "１％"},
		}, nil},
		{"unknown key", map[string]config.Limit{"visitors": {Floor: "5"}}, map[string]string{
			"reports.limits.visitors": `"visitors" is not a metric or KPI; use one of pv, uv, orders`,
		}},
		{"an alias, not the key", map[string]config.Limit{"访客数": {Floor: "5"}}, map[string]string{
			"reports.limits.访客数": `"访客数" is not a key; write the figure's key "uv"`,
		}},
		{"a KPI's name, not its key", map[string]config.Limit{"转化率": {Floor: "1%"}, "Refund Rate": {Ceiling: "5%"}}, map[string]string{
			"reports.limits.转化率":         `"转化率" is not a key; write the figure's key "conversion_rate"`,
			"reports.limits.Refund Rate": `"Refund Rate" is not a key; write the figure's key "refund_rate"`,
		}},
		{"not a percentage", map[string]config.Limit{"conversion_rate": {Floor: "abc"}}, map[string]string{
			"reports.limits.conversion_rate.floor": `"abc" is not a value of Conversion rate (conversion_rate); write a percentage such as "1%"`,
		}},
		{"a percentage on money", map[string]config.Limit{"sales": {Ceiling: "1%"}}, map[string]string{
			"reports.limits.sales.ceiling": `"1%" is not a value of Sales (sales); write an amount of yuan such as "3000"`,
		}},
		{"a fraction of a count", map[string]config.Limit{"paid": {Floor: "2.5"}}, map[string]string{
			"reports.limits.paid.floor": `write a whole number such as "500" or "1.2万"`,
		}},
		{"an ROI grade", map[string]config.Limit{"roi": {Floor: "good"}}, map[string]string{
			"reports.limits.roi.floor": `write an ROI such as "2.5" or "1:2.5"`,
		}},
		{"floor above ceiling", map[string]config.Limit{"refund_rate": {Floor: "10%", Ceiling: "5%"}}, map[string]string{
			"reports.limits.refund_rate": `the floor "10%" is above the ceiling "5%"`,
		}},
		{"neither", map[string]config.Limit{"uv": {}}, map[string]string{
			"reports.limits.uv": `sets neither a floor nor a ceiling`,
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Default()
			if err != nil {
				t.Fatal(err)
			}
			cfg.Reports.Limits = tt.limits
			got := map[string]string{}
			for _, p := range metric.CheckLimits(cfg) {
				got[p.Path] = p.Msg
			}
			for path, w := range tt.want {
				if !strings.Contains(got[path], w) {
					t.Errorf("%s: %q, want %q", path, got[path], w)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("problems %v, want %d", got, len(tt.want))
			}
		})
	}
}

// TestBuiltInLimitsPass: the built-in playbook passes its own check.
func TestBuiltInLimitsPass(t *testing.T) {
	if _, err := config.Default(metric.CheckLimits); err != nil {
		t.Fatal(err)
	}
}
