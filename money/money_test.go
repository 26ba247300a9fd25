package money

import "testing"

func TestFen(t *testing.T) {
	tests := []struct {
		f         Fen
		str, yuan string
	}{
		{0, "¥0.00", "0.00"},
		{5, "¥0.05", "0.05"},
		{4_560_050, "¥45,600.50", "45600.50"},
		{100_000_000_00, "¥100,000,000.00", "100000000.00"},
		{-307, "-¥3.07", "-3.07"},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.str {
			t.Errorf("Fen(%d).String() = %q, want %q", tt.f, got, tt.str)
		}
		if got := tt.f.Yuan(); got != tt.yuan {
			t.Errorf("Fen(%d).Yuan() = %q, want %q", tt.f, got, tt.yuan)
		}
	}
}

func TestMulRate(t *testing.T) {
	tests := []struct {
		f        Fen
		num, den int64
		want     Fen
	}{
		{10_000_000, 2, 100, 200_000}, // 2% of ¥100,000 is ¥2,000
		{333, 1, 2, 167},              // 1.665 rounds half up
		{-333, 1, 2, -167},
		{1, 1, 3, 0},
		{100, 1, 0, 0},
		{9_000_000_000_000_000, 3, 7, 3_857_142_857_142_857}, // no overflow in between
	}
	for _, tt := range tests {
		if got := MulRate(tt.f, tt.num, tt.den); got != tt.want {
			t.Errorf("MulRate(%d, %d, %d) = %d, want %d", tt.f, tt.num, tt.den, got, tt.want)
		}
	}
}
