// Package exact is the product's arithmetic: every figure the bot shows is
// computed here, on exact integers and rationals (fen, counts, basis
// points), and rounded once, at the end, for display.
//
// A Num is an exact rational number or "missing". Missing is not zero: an
// operation with a missing operand is missing, and so is a division by
// zero. Nothing overflows, because a Num is a math/big rational; a value
// the bot accepts (up to 10¹⁵) can be multiplied, summed over years and
// divided without ever printing a wrong number.
package exact

import (
	"math"
	"math/big"
)

// Num is an exact quantity, or missing. The zero Num is missing.
type Num struct{ r *big.Rat }

// Missing is the value of a figure that was not logged or cannot be
// computed.
var Missing Num

// Int is an integer quantity.
func Int(v int64) Num { return Num{new(big.Rat).SetInt64(v)} }

// Of is v when ok, else Missing: how a map lookup becomes a Num.
func Of(v int64, ok bool) Num {
	if !ok {
		return Missing
	}
	return Int(v)
}

// Frac is a ÷ b, Missing when b is zero.
func Frac(a, b int64) Num { return Int(a).Div(Int(b)) }

// BigInt is an integer quantity of any size.
func BigInt(v *big.Int) Num { return Num{new(big.Rat).SetInt(v)} }

// OK reports whether the value is known.
func (a Num) OK() bool { return a.r != nil }

// Rat is a copy of the exact value; nil when missing.
func (a Num) Rat() *big.Rat {
	if a.r == nil {
		return nil
	}
	return new(big.Rat).Set(a.r)
}

func (a Num) op(b Num, f func(z, x, y *big.Rat) *big.Rat) Num {
	if a.r == nil || b.r == nil {
		return Missing
	}
	return Num{f(new(big.Rat), a.r, b.r)}
}

// Add is a + b; missing if either is.
func (a Num) Add(b Num) Num { return a.op(b, (*big.Rat).Add) }

// Sub is a − b; missing if either is.
func (a Num) Sub(b Num) Num { return a.op(b, (*big.Rat).Sub) }

// Mul is a × b; missing if either is.
func (a Num) Mul(b Num) Num { return a.op(b, (*big.Rat).Mul) }

// MulInt is a × k.
func (a Num) MulInt(k int64) Num { return a.Mul(Int(k)) }

// Div is a ÷ b; missing if either is missing or b is zero (a ratio with no
// divisor has no value, never NaN, Inf or a made-up 0).
func (a Num) Div(b Num) Num {
	if a.r == nil || b.r == nil || b.r.Sign() == 0 {
		return Missing
	}
	return Num{new(big.Rat).Quo(a.r, b.r)}
}

// Sign is −1, 0 or +1; 0 when missing.
func (a Num) Sign() int {
	if a.r == nil {
		return 0
	}
	return a.r.Sign()
}

// Cmp compares two known values exactly; a missing value sorts first.
func (a Num) Cmp(b Num) int {
	switch {
	case a.r == nil && b.r == nil:
		return 0
	case a.r == nil:
		return -1
	case b.r == nil:
		return 1
	}
	return a.r.Cmp(b.r)
}

// Abs is |a|.
func (a Num) Abs() Num {
	if a.r == nil {
		return Missing
	}
	return Num{new(big.Rat).Abs(a.r)}
}

// Sum adds known values: the sum of the ones that are known, and how many
// were. It is how a period totals its days: a day not logged adds nothing
// and is counted as not logged (n = 0 means the total is Missing).
func Sum(xs ...Num) (Num, int) {
	total, n := new(big.Rat), 0
	for _, x := range xs {
		if x.r != nil {
			total.Add(total, x.r)
			n++
		}
	}
	if n == 0 {
		return Missing, 0
	}
	return Num{total}, n
}

// All adds values that must all be known: Missing if any is not. It is how
// a derived figure adds its inputs (operating cost = ads + shipping +
// discounts): an input not logged is not a zero.
func All(xs ...Num) Num {
	total := new(big.Rat)
	for _, x := range xs {
		if x.r == nil {
			return Missing
		}
		total.Add(total, x.r)
	}
	return Num{total}
}

// Change is (v − base) ÷ base, the relative change; Missing when either
// is missing or base is not positive (a change from nothing has no
// percentage).
func Change(v, base Num) Num {
	if base.Sign() <= 0 {
		return Missing
	}
	return v.Sub(base).Div(base)
}

// Round is a × 10^decimals rounded to an integer, half away from zero: the
// one rounding rule, applied once, to an exact value.
func Round(a Num, decimals int) *big.Int {
	if a.r == nil {
		return nil
	}
	if q, ok := roundSmall(a.r, decimals); ok {
		return big.NewInt(q)
	}
	return roundBig(a.r, decimals)
}

// roundBig is Round in math/big arithmetic, for any value.
func roundBig(r *big.Rat, decimals int) *big.Int {
	num := new(big.Int).Set(r.Num())
	num.Mul(num, pow10(decimals))
	return roundQuo(num, r.Denom())
}

// powers of ten that fit an int64, for roundSmall.
var powers = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// roundSmall is Round in int64 arithmetic, for the usual case of a value
// whose numerator and denominator fit one and whose scaled numerator
// cannot overflow: every figure and KPI of a day. It reports false when
// any of that fails, and Round then takes the math/big path, so the two
// always agree (TestRoundSmallAgrees).
func roundSmall(r *big.Rat, decimals int) (int64, bool) {
	n, d := r.Num(), r.Denom()
	if decimals < 0 || decimals >= len(powers) || !n.IsInt64() || !d.IsInt64() {
		return 0, false
	}
	x, p := n.Int64(), powers[decimals]
	if x == math.MinInt64 || x > math.MaxInt64/p || x < -(math.MaxInt64/p) {
		return 0, false
	}
	x *= p
	neg := x < 0
	if neg {
		x = -x
	}
	den := d.Int64()
	q, rem := x/den, x%den
	if rem >= den-rem { // 2·rem ≥ den, half away from zero, without overflow
		q++
	}
	if neg {
		q = -q
	}
	return q, true
}

// RoundInt is a rounded to a whole unit (a fen, a visitor), half away from
// zero.
func RoundInt(a Num) *big.Int { return Round(a, 0) }

// roundQuo is n ÷ d rounded half away from zero; d > 0.
func roundQuo(n, d *big.Int) *big.Int {
	neg := n.Sign() < 0
	q, r := new(big.Int).QuoRem(new(big.Int).Abs(n), d, new(big.Int))
	if r.Lsh(r, 1).Cmp(d) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return q
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// Split divides an integer amount (fen) among n people so the parts add
// up to it exactly: everyone gets the floor, and the remainder goes one
// unit each to the first people. A negative amount is split the same way
// on its magnitude.
func Split(total *big.Int, n int) []*big.Int {
	if n <= 0 || total == nil {
		return nil
	}
	neg := total.Sign() < 0
	q, rem := new(big.Int).QuoRem(new(big.Int).Abs(total), big.NewInt(int64(n)), new(big.Int))
	out := make([]*big.Int, n)
	for i := range out {
		v := new(big.Int).Set(q)
		if big.NewInt(int64(i)).Cmp(rem) < 0 {
			v.Add(v, big.NewInt(1))
		}
		if neg {
			v.Neg(v)
		}
		out[i] = v
	}
	return out
}

// Share is a monthly target's exact share for some days of a month of
// daysInMonth days: monthly × days ÷ daysInMonth, not rounded, so that the
// shares of every day of a month add up to the month's target exactly.
func Share(monthly int64, days, daysInMonth int) Num {
	if daysInMonth <= 0 {
		return Missing
	}
	return Int(monthly).MulInt(int64(days)).Div(Int(int64(daysInMonth)))
}
