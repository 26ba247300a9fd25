package exact

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

func TestMissingIsNotZero(t *testing.T) {
	if Missing.OK() || Of(0, false).OK() || !Of(0, true).OK() {
		t.Fatal("missing and zero are confused")
	}
	for name, n := range map[string]Num{
		"missing + 1":   Missing.Add(Int(1)),
		"1 × missing":   Int(1).Mul(Missing),
		"1 ÷ 0":         Int(1).Div(Int(0)),
		"1 ÷ missing":   Int(1).Div(Missing),
		"all with one":  All(Int(1), Missing, Int(2)),
		"change from 0": Change(Int(5), Int(0)),
	} {
		if n.OK() {
			t.Errorf("%s = %v, want missing", name, n.Rat())
		}
	}
	if s, n := Sum(Missing, Int(2), Missing, Int(3)); n != 2 || s.Cmp(Int(5)) != 0 {
		t.Errorf("Sum = %v over %d, want 5 over 2", s.Rat(), n)
	}
	if s, n := Sum(Missing, Missing); s.OK() || n != 0 {
		t.Error("a sum of nothing logged must be missing, not zero")
	}
	if Format(Money, 0, Missing) != Dash || Plain(Percent, 1, Missing) != "" || Signed(Ratio, 2, Missing) != Dash {
		t.Error("missing must show as — (and blank in CSV)")
	}
}

func TestRoundHalfAwayFromZeroOnce(t *testing.T) {
	for _, tt := range []struct {
		n    Num
		dec  int
		want string
	}{
		{Frac(5, 2), 0, "3"},
		{Frac(-5, 2), 0, "-3"},
		{Frac(49, 20), 0, "2"},
		// Rounded once from the exact value: 6.164950…% is 6.16%, although
		// 61,650 ppm would round to 6.17%.
		{Frac(74708, 1211818).MulInt(100), 2, "616"},
		{Frac(999, 2_000_000).MulInt(100), 1, "0"},
	} {
		if got := Round(tt.n, tt.dec).String(); got != tt.want {
			t.Errorf("Round(%v, %d) = %s, want %s", tt.n.Rat(), tt.dec, got, tt.want)
		}
	}
}

// TestRoundSmallAgrees holds the int64 fast path to the math/big one, on
// halves, signs, the edges of int64 and random fractions.
func TestRoundSmallAgrees(t *testing.T) {
	edges := []int64{0, 1, -1, 2, -2, 5, -5, 7, 49, 50, 51, 99, 999_999, 1e15, -1e15,
		math.MaxInt64, math.MinInt64, math.MaxInt64 / 10, math.MinInt64 / 10, math.MaxInt64/2 + 1}
	dens := []int64{1, 2, 3, 7, 20, 1211818, 1e9, math.MaxInt64}
	rng := rand.New(rand.NewPCG(1, 2))
	var rats []*big.Rat
	for _, n := range edges {
		for _, d := range dens {
			rats = append(rats, big.NewRat(n, d))
		}
	}
	for range 2000 {
		n := rng.Int64N(2e12) - 1e12
		rats = append(rats, big.NewRat(n, rng.Int64N(1e6)+1), big.NewRat(n*n%1e17, rng.Int64N(1e12)+1))
	}
	rats = append(rats, new(big.Rat).SetFrac(new(big.Int).Lsh(big.NewInt(1), 70), big.NewInt(3)))
	fast := 0
	for _, r := range rats {
		for dec := -1; dec <= 19; dec++ {
			got, ok := roundSmall(r, dec)
			if !ok {
				continue
			}
			fast++
			if want := roundBig(r, dec); !want.IsInt64() || want.Int64() != got {
				t.Fatalf("roundSmall(%s, %d) = %d, math/big says %s", r.RatString(), dec, got, want)
			}
		}
	}
	if fast < len(rats)*5 {
		t.Fatalf("the fast path took only %d of %d cases", fast, len(rats)*21)
	}
}

func TestFormat(t *testing.T) {
	big15 := Int(1_000_000_000_000_000)
	for _, tt := range []struct {
		unit Unit
		dec  int
		n    Num
		want string
	}{
		{Count, 0, Int(1234567), "1,234,567"},
		{Count, 0, Int(-1200), "-1,200"},
		{Count, 0, Frac(5, 2), "3"},
		{Money, 0, Int(4_560_050), "¥45,600.50"},
		{Money, 0, Int(-30007), "-¥300.07"},
		{Money, 0, Frac(1, 2), "¥0.01"},
		{Money, 0, big15.MulInt(31).MulInt(300), "¥93,000,000,000,000,000.00"},
		{Percent, 2, Frac(2, 100), "2.00%"},
		{Percent, 1, Frac(8, 10), "80.0%"},
		{Percent, 2, Frac(74708, 1211818), "6.16%"},
		{Percent, 1, Frac(999, 2_000_000), "0.0%"},
		{Percent, 1, big15, "100,000,000,000,000,000.0%"},
		{Percent, 0, Frac(1_234_567, 1_000_000), "123%"},
		{Ratio, 2, Frac(42, 10), "1:4.20"},
		{Ratio, 2, Frac(29_995, 10_000), "1:3.00"},
	} {
		if got := Format(tt.unit, tt.dec, tt.n); got != tt.want {
			t.Errorf("Format(%v, %d, %v) = %q, want %q", tt.unit, tt.dec, tt.n.Rat(), got, tt.want)
		}
	}
	for _, tt := range []struct {
		unit Unit
		dec  int
		n    Num
		want string
	}{
		{Money, 0, Int(4_560_050), "45600.50"},
		{Percent, 2, Frac(74708, 1211818), "6.16"},
		{Ratio, 2, Frac(29_995, 10_000), "3.00"},
		{Count, 0, Int(1234567), "1234567"},
	} {
		if got := Plain(tt.unit, tt.dec, tt.n); got != tt.want {
			t.Errorf("Plain(%v, %d, %v) = %q, want %q", tt.unit, tt.dec, tt.n.Rat(), got, tt.want)
		}
	}
}

// TestSigned: one formatter for every change. A sign only when what is
// shown is not zero; a falling ROI is −1.00, never +-1.00 (issue 15,
// case 7; issue 12).
func TestSigned(t *testing.T) {
	for _, tt := range []struct {
		unit Unit
		dec  int
		n    Num
		want string
	}{
		{Ratio, 2, Int(-1), "−1.00"},
		{Ratio, 2, Frac(1, 1000), "0.00"},
		{Ratio, 2, Frac(-1, 1000), "0.00"},
		{Ratio, 2, Frac(5, 4), "+1.25"},
		{Percent, 2, Frac(1, 10_000_000), "0.00 pp"},
		{Percent, 2, Frac(-1, 10_000_000), "0.00 pp"},
		{Percent, 1, Frac(21, 1000), "+2.1 pp"},
		{Percent, 1, Frac(-37, 1000), "−3.7 pp"},
		{Count, 0, Int(-7600), "−7,600"},
		{Count, 0, Int(0), "0"},
		{Money, 0, Int(1_600_000), "+¥16,000.00"},
		{Money, 0, Int(-1_439_950), "−¥14,399.50"},
	} {
		if got := Signed(tt.unit, tt.dec, tt.n); got != tt.want {
			t.Errorf("Signed(%v, %d, %v) = %q, want %q", tt.unit, tt.dec, tt.n.Rat(), got, tt.want)
		}
	}
	for _, tt := range []struct {
		n    Num
		dec  int
		want string
	}{
		{Frac(1, 20), 1, "+5.0%"},
		{Frac(-38, 100), 0, "−38%"},
		{Frac(-1, 100_000_000), 1, "0.0%"},
		{Frac(1, 100_000_000), 1, "0.0%"},
		{Int(0), 1, "0.0%"},
		{Int(999_999_999_999_999), 0, "+99,999,999,999,999,900%"},
	} {
		if got := SignedPercent(tt.n, tt.dec); got != tt.want {
			t.Errorf("SignedPercent(%v, %d) = %q, want %q", tt.n.Rat(), tt.dec, got, tt.want)
		}
	}
}

func TestSplitAndShare(t *testing.T) {
	for _, tt := range []struct {
		total int64
		n     int
		want  string
	}{{100, 3, "[34 33 33]"}, {2, 3, "[1 1 0]"}, {0, 2, "[0 0]"}, {5, 0, "[]"}, {-100, 3, "[-34 -33 -33]"}} {
		if got := fmt.Sprint(Split(big.NewInt(tt.total), tt.n)); got != tt.want {
			t.Errorf("Split(%d, %d) = %s, want %s", tt.total, tt.n, got, tt.want)
		}
	}
	huge, _ := new(big.Int).SetString("9300000000000000000", 10) // over int64
	sum := new(big.Int)
	for _, p := range Split(huge, 7) {
		sum.Add(sum, p)
	}
	if sum.Cmp(huge) != 0 {
		t.Errorf("shares of %s add up to %s", huge, sum)
	}
	// Every day's share of a month adds up to the month's target exactly.
	total, _ := Sum(Share(150_000_000, 1, 31), Share(150_000_000, 30, 31))
	if total.Cmp(Int(150_000_000)) != 0 {
		t.Errorf("shares add up to %v", total.Rat())
	}
	if Share(1, 1, 0).OK() {
		t.Error("a month of no days has no share")
	}
}
