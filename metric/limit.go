package metric

import "strings"

// ParseLimit reads a floor or ceiling of the config in a figure's unit, as
// a person types it: a rate as a percentage ("1%", "0.8%"), money in yuan
// ("¥3,000"), a count as a number ("1.2万").
func ParseLimit(s string, unit Unit) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	switch unit {
	case UnitRate:
		bp, err := parseValue(s, Percent)
		return bp * 100, err == nil // basis points → parts per million
	case UnitMoney:
		v, err := parseValue(s, Money)
		return v, err == nil
	}
	v, err := parseValue(s, Count)
	return v, err == nil
}
