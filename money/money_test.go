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
