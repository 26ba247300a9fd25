package chart_test

import (
	"bytes"
	"testing"

	"opsbot/civil"
	"opsbot/report/chart"
)

// Issue 16, item 24: the daily target is drawn as a line.
func TestTargetLineIsDrawn(t *testing.T) {
	var days []chart.Day
	for i := range 14 {
		days = append(days, chart.Day{Date: civil.Date{Year: 2026, Month: 11, Day: 10 + i}, Sales: int64(1_000_000 + i*10_000), HasSales: true, UV: 1000, HasUV: true})
	}
	plain, err := chart.PNG("My shop daily", days)
	if err != nil {
		t.Fatal(err)
	}
	for i := range days {
		days[i].SalesTarget, days[i].HasTarget = 1_666_667, true
	}
	withTarget, err := chart.PNG("My shop daily", days)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(plain, withTarget) {
		t.Error("the chart with a daily target looks the same as without")
	}
}
