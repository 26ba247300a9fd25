package report

import (
	"strings"
	"testing"

	"opsbot/config"
	"opsbot/metric"
)

// Issue 15, case 6: a target whose share rounds to nothing (stored before
// such targets were refused) shows no progress, never "of 0 — 0.0% ✅".
func TestTargetShareTooSmallToShow(t *testing.T) {
	b := NewBuilder(testConfig(t, nil))
	days := map[string]metric.Day{"2026-10-22": {"orders": 5}, "2026-10-20": {"orders": 6_643}}
	targets := map[string]map[string]int64{"2026-10": {"orders": 1}}
	daily := texts(b.RenderDaily(b.Daily(Input{Kind: Daily, Shop: config.Shop{ID: "main", Name: "M"}, Period: dayOf(date("2026-10-22")),
		Days: days, Targets: targets})).Messages)
	contains(t, daily, "• Orders placed: 5 (the monthly target 1 is too small to split into days)")
	weekly := texts(b.RenderPeriodic(b.Periodic(Input{Kind: Weekly, Shop: config.Shop{ID: "main", Name: "M"}, Period: weekOf(date("2026-10-22")),
		Days: days, Targets: targets})).Messages)
	contains(t, weekly, "• Orders placed: 6,648 — the target rounds to nothing over this period, so progress is not shown")
	for _, bad := range []string{"of 0 —", "daily target 0 ", "✅", ":white_check_mark:"} {
		if strings.Contains(daily+weekly, bad) {
			t.Errorf("shows %q:\n%s\n%s", bad, daily, weekly)
		}
	}
}

// A KPI whose inputs were each logged, but never on the same day, is not
// computed from mismatched days, and the report says why.
func TestPeriodKPIInputsNeverTogether(t *testing.T) {
	b := NewBuilder(testConfig(t, nil))
	in := Input{Kind: Weekly, Shop: config.Shop{ID: "main", Name: "M"}, Period: weekOf(date("2026-11-16")), Days: map[string]metric.Day{
		"2026-11-16": {"paid": 10},
		"2026-11-17": {"orders": 20},
	}}
	r := b.Periodic(in)
	if pr, _ := r.Total(metric.KeyPaymentRate); pr.OK || !pr.Apart {
		t.Errorf("payment rate = %+v, want not computed", pr)
	}
	contains(t, texts(b.RenderPeriodic(r).Messages), "Payment rate (Orders paid, Orders placed were never logged on the same day)")
}
