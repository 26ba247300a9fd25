// Package money keeps amounts of yuan as integer fen, so that sums and
// commissions are exact to the fen.
package money

import (
	"fmt"
	"strconv"
	"strings"
)

// Fen is an amount in fen (1/100 yuan).
type Fen int64

// Yuan formats the amount as a plain decimal: 45600.50, -3.07.
func (f Fen) Yuan() string { return Hundredths(int64(f)) }

// Hundredths writes v/100 with two decimals: 4560050 → 45600.50, -307 →
// -3.07 (an amount in yuan, a ratio such as ROI).
func Hundredths(v int64) string {
	sign, abs := signAbs(v)
	return fmt.Sprintf("%s%d.%02d", sign, abs/100, abs%100)
}

// signAbs splits v into its minus sign (or nothing) and its magnitude.
func signAbs(v int64) (string, int64) {
	if v < 0 {
		return "-", -v
	}
	return "", v
}

// String formats the amount for people: ¥45,600.50.
func (f Fen) String() string {
	sign, v := signAbs(int64(f))
	return fmt.Sprintf("%s¥%s.%02d", sign, Group(v/100), v%100)
}

// Group writes an integer with thousands separators.
func Group(n int64) string {
	if n < 0 {
		return "-" + Group(-n)
	}
	return GroupDigits(strconv.FormatInt(n, 10))
}

// GroupDigits puts thousands separators into a run of decimal digits,
// however long: exact figures may not fit an int64.
func GroupDigits(s string) string {
	var b strings.Builder
	head := len(s) % 3
	if head > 0 {
		b.WriteString(s[:head])
	}
	for i := head; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
