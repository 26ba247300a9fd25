package metric

import (
	"errors"
	"testing"
)

func TestParseValue(t *testing.T) {
	tests := []struct {
		in   string
		kind Kind
		want int64
		code string
	}{
		{"12000", Count, 12000, ""},
		{"12,000", Count, 12000, ""},
		{"1,234,567", Count, 1234567, ""},
		{"1.2万", Count, 12000, ""},
		{"1.2w", Count, 12000, ""},
		{"3亿", Count, 300_000_000, ""},
		{"1.5k", Count, 1500, ""},
		{"0", Count, 0, ""},
		{"12000.00", Count, 12000, ""},
		{"45600.50", Money, 4_560_050, ""},
		{"¥45,600.50", Money, 4_560_050, ""},
		{"￥300", Money, 30000, ""},
		{"300元", Money, 30000, ""},
		{"4.56万", Money, 4_560_000, ""},
		{"RMB 12.3", Money, 1230, ""},
		{"0.01", Money, 1, ""},
		{"12，000", Count, 12000, ""},
		{"", Count, 0, "empty"},
		{"abc", Count, 0, "not_number"},
		{"12a", Count, 0, "not_number"},
		{"1.2.3", Count, 0, "not_number"},
		{"-5", Count, 0, "negative"},
		{"-¥5", Money, 0, "negative"},
		{"¥-5", Money, 0, "negative"},
		{"1.5", Count, 0, "fraction"},
		{"1.23456万", Count, 0, "fraction"},
		{"1.234", Money, 0, "decimals"},
		{"¥12", Count, 0, "currency"},
		{"1,2,3", Count, 0, "grouping"},
		{"12,00", Count, 0, "grouping"},
		{"99999999999999999999", Count, 0, "too_large"},
		{"1亿亿", Count, 0, "not_number"},
		{"NaN", Money, 0, "not_number"},
		{"Inf", Money, 0, "not_number"},
		{"1e5", Count, 0, "not_number"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseValue(tt.in, tt.kind)
			if tt.code == "" {
				if err != nil || got != tt.want {
					t.Fatalf("ParseValue(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
				}
				return
			}
			var ve *ValueError
			if !errors.As(err, &ve) || ve.Code != tt.code {
				t.Fatalf("ParseValue(%q) = %d, %v; want error %s", tt.in, got, err, tt.code)
			}
		})
	}
}

func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"12000", "1.2万", "¥45,600.50", "-1", "1,2", "", "99999999999999999999"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, money bool) {
		kind := Count
		if money {
			kind = Money
		}
		v, err := parseValue(s, kind)
		if err == nil && (v < 0 || v > maxValue) {
			t.Fatalf("ParseValue(%q) = %d, out of range", s, v)
		}
	})
}
