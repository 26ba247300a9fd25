package exact

import (
	"fmt"
	"math/big"
	"strings"

	"opsbot/money"
)

// Unit says how a value is scaled and shown.
type Unit int

// Units of figures.
const (
	Count       Unit = iota // a number of things: 12,000
	Money                   // fen, shown as yuan: ¥45,600.50
	Percent                 // a fraction, shown as a percentage: 0.0616 is 6.16%
	Ratio                   // sales per unit of cost, shown as 1:4.20
	BasisPoints             // a logged share in basis points: 3171 is 31.71%
	Seconds                 // a length of time in seconds: 95 is 1:35
)

// Dash is what a value that is missing or cannot be computed shows.
const Dash = "—"

// Minus is the sign of a negative change. A real minus (U+2212), so that
// "−38%" reads as a minus in every font and is not taken for a hyphen.
const Minus = "−"

// Format writes a value for people, rounded once to what its unit shows:
// counts to the unit, money to the fen, percentages and ratios to
// decimals (two for ratios). Missing shows "—". A negative value carries
// an ASCII minus, like a plain number.
func Format(u Unit, decimals int, a Num) string {
	if !a.OK() {
		return Dash
	}
	s, sign := digits(u, decimals, a)
	if sign < 0 {
		return "-" + s
	}
	return s
}

// Signed writes a change: "+" when what is shown is above zero, a minus
// when it is below, and no sign at all when the value rounds to zero (so
// never "+0.0%", "−0.00" or "+-1.00"). Percent changes of rates are
// percentage points ("+0.25 pp"); a ratio's change is a plain difference
// ("−1.00").
func Signed(u Unit, decimals int, a Num) string {
	if !a.OK() {
		return Dash
	}
	s, sign := digits(u, decimals, a)
	switch u {
	case Percent, BasisPoints:
		s = strings.TrimSuffix(s, "%") + " pp"
	case Ratio:
		s = strings.TrimPrefix(s, "1:")
	}
	return signOf(sign) + s
}

// SignedPercent writes a relative change (a fraction) as a signed
// percentage: "+5.0%", "−38%", "0.0%".
func SignedPercent(change Num, decimals int) string {
	if !change.OK() {
		return Dash
	}
	s, sign := digits(Percent, decimals, change)
	return signOf(sign) + s
}

func signOf(sign int) string {
	switch {
	case sign > 0:
		return "+"
	case sign < 0:
		return Minus
	}
	return ""
}

// Plain writes a value as a spreadsheet reads it: money in yuan
// (45600.50), percentages as their number (6.16), ratios as sales per unit
// of cost (4.20), counts as integers; "" when missing. Rounded like Format.
func Plain(u Unit, decimals int, a Num) string {
	if !a.OK() {
		return ""
	}
	q, dec := rounded(u, decimals, a)
	return decimal(q, dec)
}

// rounded is the value rounded once to what the unit shows, as an integer
// of 10^-dec units.
func rounded(u Unit, decimals int, a Num) (*big.Int, int) {
	switch u {
	case Money:
		// fen: rounded to the fen, shown in yuan with two decimals.
		return Round(a, 0), 2
	case Percent:
		return Round(a, decimals+2), decimals
	case Ratio:
		return Round(a, 2), 2
	case BasisPoints:
		return Round(a, 0), 2
	}
	return Round(a, 0), 0
}

// digits is the magnitude as shown, and the sign of what is shown (zero
// when it rounds to zero).
func digits(u Unit, decimals int, a Num) (string, int) {
	q, dec := rounded(u, decimals, a)
	sign := q.Sign()
	q.Abs(q)
	switch u {
	case Money:
		return "¥" + grouped(q, dec), sign
	case Percent:
		return grouped(q, dec) + "%", sign
	case Ratio:
		return "1:" + grouped(q, dec), sign
	case BasisPoints:
		return grouped(q, dec) + "%", sign
	case Seconds:
		return clock(q), sign
	}
	return grouped(q, 0), sign
}

// decimal writes q × 10^-dec as a plain decimal.
func decimal(q *big.Int, dec int) string {
	s := new(big.Int).Abs(q).String()
	neg := ""
	if q.Sign() < 0 {
		neg = "-"
	}
	if dec == 0 {
		return neg + s
	}
	if len(s) <= dec {
		s = strings.Repeat("0", dec-len(s)+1) + s
	}
	return neg + s[:len(s)-dec] + "." + s[len(s)-dec:]
}

// grouped writes a non-negative q × 10^-dec with thousands separators.
func grouped(q *big.Int, dec int) string {
	whole, frac, hasFrac := strings.Cut(decimal(q, dec), ".")
	if hasFrac {
		return money.GroupDigits(whole) + "." + frac
	}
	return money.GroupDigits(whole)
}

// clock writes non-negative seconds as m:ss, or h:mm:ss from an hour.
func clock(q *big.Int) string {
	if !q.IsInt64() {
		return q.String() + "s"
	}
	s := q.Int64()
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s%3600/60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
