package chart_test

import (
	"bytes"
	"testing"

	"opsbot/civil"
	"opsbot/exact"
	"opsbot/report/chart"
)

// Issue 16, item 24: the daily target is drawn as a line.
func TestTargetLineIsDrawn(t *testing.T) {
	c := chart.Chart{Labels: chart.Labels{Title: "My shop daily", Axes: []string{"Sales (CNY)", "Unique visitors"}, Target: "daily target"}}
	sales := chart.Series{Unit: exact.Money}
	uv := chart.Series{Unit: exact.Count}
	for i := range 14 {
		c.Dates = append(c.Dates, civil.Date{Year: 2026, Month: 11, Day: 10 + i})
		sales.Values = append(sales.Values, exact.Int(int64(1_000_000+i*10_000)))
		uv.Values = append(uv.Values, exact.Int(1000))
	}
	c.Series = []chart.Series{sales, uv}
	c.Fallback = c.Labels
	d := chart.New(chart.Options{Search: []string{t.TempDir()}})
	plain, err := d.PNG(c)
	if err != nil {
		t.Fatal(err)
	}
	for range c.Dates {
		c.Series[0].Target = append(c.Series[0].Target, exact.Int(1_666_667))
	}
	withTarget, err := d.PNG(c)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(plain, withTarget) {
		t.Error("the chart with a daily target looks the same as without")
	}
}
