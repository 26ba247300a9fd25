package report

import (
	"testing"

	"opsbot/metric"
)

// SKU data replaces the typed items_online and items_sold_30d in the
// digest's sell-through, and the stock section is shown.
func TestDailyStockSection(t *testing.T) {
	b := NewBuilder(testConfig(t, nil))
	in := dailyFixture()
	in.Stock = &StockSection{Lines: []string{":rotating_light: Out of stock (1): `A100`"}, Online: 50, Sold: 31}
	r := b.Daily(in)
	f, ok := r.Figure(metric.KeySellThrough)
	want := metric.DeriveAll(metric.Day{"items_online": 50, "items_sold_30d": 31})
	var st metric.Derived
	for _, d := range want {
		if d.Key == metric.KeySellThrough {
			st = d
		}
	}
	if !ok || !f.OK || !st.OK || f.Value.Cmp(st.Value) != 0 {
		t.Errorf("sell-through %+v, want %+v", f, st)
	}
	out, err := b.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	contains(t, texts(out.Messages), "*Stock*\n:rotating_light: Out of stock (1): `A100`")
}
