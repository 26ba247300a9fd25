package metric

import (
	"testing"

	"opsbot/exact"
)

func find(t *testing.T, ds []Derived, key string) Derived {
	t.Helper()
	for _, d := range ds {
		if d.Key == key {
			return d
		}
	}
	t.Fatalf("no KPI %s", key)
	return Derived{}
}

func TestDeriveAll(t *testing.T) {
	tests := []struct {
		name string
		day  Day
		want map[string]string
	}{
		{
			name: "the README example",
			day:  Day{"uv": 12000, "paid": 240, "orders": 300, "sales": 3_600_000},
			want: map[string]string{
				KeyConversionRate: "2.00%", KeyPaymentRate: "80.0%", KeyAOV: "¥150.00",
				KeyAdSpend: Dash, KeyROI: Dash, KeyRefundRate: Dash, KeyInquiryClose: Dash, KeySellThrough: Dash,
			},
		},
		{
			name: "nothing logged shows dashes, never NaN or 0%",
			day:  Day{},
			want: map[string]string{KeyConversionRate: Dash, KeyPaymentRate: Dash, KeyAOV: Dash, KeyROI: Dash, KeyOperatingCost: Dash},
		},
		{
			name: "zero divisors show dashes",
			day:  Day{"uv": 0, "paid": 0, "orders": 0, "sales": 0, "ad_search": 0, "ad_display": 0, "ad_affiliate": 0},
			want: map[string]string{KeyConversionRate: Dash, KeyPaymentRate: Dash, KeyAOV: Dash, KeyAdSpend: "¥0.00", KeyROI: Dash},
		},
		{
			name: "a zero numerator is a real zero",
			day:  Day{"uv": 500, "paid": 0},
			want: map[string]string{KeyConversionRate: "0.00%"},
		},
		{
			name: "rounding half up",
			day:  Day{"uv": 3, "paid": 1, "orders": 3, "sales": 100},
			want: map[string]string{KeyConversionRate: "33.33%", KeyPaymentRate: "33.3%", KeyAOV: "¥1.00"},
		},
		{
			name: "ROI over ads, shipping and discounts",
			day:  Day{"sales": 4_200_000, "ad_search": 600_000, "ad_display": 300_000, "ad_affiliate": 50_000, "shipping_cost": 30_000, "discounts": 20_000},
			want: map[string]string{KeyAdSpend: "¥9,500.00", KeyOperatingCost: "¥10,000.00", KeyROI: "1:4.20"},
		},
		{
			name: "ROI with every cost logged, most of them zero",
			day:  Day{"sales": 900_000, "ad_search": 300_000, "ad_display": 0, "ad_affiliate": 0, "shipping_cost": 0, "discounts": 0},
			want: map[string]string{KeyAdSpend: "¥3,000.00", KeyROI: "1:3.00"},
		},
		{
			name: "a cost not logged is not a zero cost (issue 15, case 1)",
			day:  Day{"sales": 100_000, "ad_search": 10_000},
			want: map[string]string{KeyAdSpend: Dash, KeyOperatingCost: Dash, KeyROI: Dash},
		},
		{
			name: "inquiries and refunds",
			day:  Day{"inquiries": 200, "inquiry_orders": 50, "refunds": 3, "paid": 40},
			want: map[string]string{KeyInquiryClose: "25.0%", KeyRefundRate: "7.5%"},
		},
		{
			name: "sell-through needs ten items",
			day:  Day{"items_online": 9, "items_sold_30d": 5},
			want: map[string]string{KeySellThrough: Dash},
		},
		{
			name: "sell-through",
			day:  Day{"items_online": 40, "items_sold_30d": 30},
			want: map[string]string{KeySellThrough: "75.0%"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := DeriveAll(tt.day)
			for key, want := range tt.want {
				if got := find(t, ds, key).String(); got != want {
					t.Errorf("%s = %q, want %q", key, got, want)
				}
			}
		})
	}
}

func TestROIGrade(t *testing.T) {
	tests := []struct {
		sales, cost int64
		want        Grade
	}{
		{299, 100, GradeFail},
		{300, 100, GradePass},
		{399, 100, GradePass},
		{400, 100, GradeGood},
		{499, 100, GradeGood},
		{500, 100, GradeExcellent},
		{0, 100, GradeFail},
		{100, 0, GradeNone},
		// Exact, not rounded: 2.999… is below 1:3 even though it shows 1:3.00.
		{2_999_999, 1_000_000, GradeFail},
	}
	for _, tt := range tests {
		if got := roiGrade(exact.Frac(tt.sales, tt.cost)); got != tt.want {
			t.Errorf("roiGrade(%d, %d) = %q, want %q", tt.sales, tt.cost, got, tt.want)
		}
	}
	roi := find(t, DeriveAll(Day{"sales": 1000, "ad_search": 200, "ad_display": 0, "ad_affiliate": 0, "shipping_cost": 0, "discounts": 0}), KeyROI)
	if roi.Grade != GradeExcellent || roi.String() != "1:5.00" {
		t.Errorf("ROI = %s %s, want 1:5.00 excellent", roi, roi.Grade)
	}
}

func TestDailyTargetAndProgress(t *testing.T) {
	tests := []struct {
		monthly int64
		days    int
		want    int64
	}{
		{150_000_000, 30, 5_000_000},
		{150_000_000, 31, 4_838_710}, // 4838709.67… rounds up
		{100, 28, 4},
		{0, 30, 0},
	}
	for _, tt := range tests {
		if got := exact.RoundInt(DailyTarget(tt.monthly, tt.days)).Int64(); got != tt.want {
			t.Errorf("DailyTarget(%d, %d) = %d, want %d", tt.monthly, tt.days, got, tt.want)
		}
	}
	p := Progress(exact.Int(3_600_000), exact.Int(5_000_000))
	if got := exact.Format(UnitRate, 1, p); got != "72.0%" {
		t.Errorf("Progress = %s, want 72.0%%", got)
	}
	if !BelowHalf(exact.Int(2_499_999), exact.Int(5_000_000)) {
		t.Error("49.99998% of the daily target must count as below half")
	}
	if BelowHalf(exact.Int(2_500_000), exact.Int(5_000_000)) {
		t.Error("exactly half of the daily target is not below half")
	}
	if BelowHalf(exact.Int(0), exact.Int(0)) {
		t.Error("no target, no flag")
	}
	if Progress(exact.Int(1), exact.Int(0)).OK() {
		t.Error("progress against a zero target must not be computed")
	}
	if !targetTooSmall(15, 31) || targetTooSmall(16, 31) {
		t.Error("a monthly target whose daily share rounds to 0 is too small; 16 over 31 days is not")
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		unit     Unit
		decimals int
		v        int64
		want     string
	}{
		{UnitCount, 0, 1234567, "1,234,567"},
		{UnitCount, 0, -1200, "-1,200"},
		{UnitMoney, 0, 4_560_050, "¥45,600.50"},
		{UnitMoney, 0, -30007, "-¥300.07"},
	}
	for _, tt := range tests {
		if got := Format(tt.unit, tt.decimals, tt.v); got != tt.want {
			t.Errorf("Format(%v, %d, %d) = %q, want %q", tt.unit, tt.decimals, tt.v, got, tt.want)
		}
	}
}
