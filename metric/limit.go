package metric

import (
	"strings"

	"opsbot/exact"
)

// ParseLimit reads a floor or ceiling of the config in a figure's unit, as
// a person types it: a rate as a percentage ("1%", "0.8%"), money in yuan
// ("¥3,000"), a share in percent, a length of time as m:ss or seconds
// ("1:30", "90秒"), a count as a number ("1.2万").
func ParseLimit(s string, unit Unit) (exact.Num, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return exact.Missing, false
	}
	switch unit {
	case UnitRate:
		bp, err := parseValue(s, Percent)
		return exact.Frac(bp, 10_000), err == nil // basis points → a fraction
	case UnitMoney:
		v, err := parseValue(s, Money)
		return exact.Int(v), err == nil
	case exact.BasisPoints:
		v, err := parseValue(s, Percent)
		return exact.Int(v), err == nil
	case exact.Seconds:
		v, err := parseValue(s, Duration)
		return exact.Int(v), err == nil
	}
	v, err := parseValue(s, Count)
	return exact.Int(v), err == nil
}
