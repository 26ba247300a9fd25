// Package metric is the arithmetic of the shop's daily numbers: the metric
// catalog, parsing the values people type, and the KPIs derived from them.
// It is pure: no storage, no transport, no clock.
package metric

import (
	"math/big"
	"regexp"
	"strings"
)

// Kind says how a metric's value is typed and stored.
type Kind int

const (
	// Count is a whole number of things (visitors, orders).
	Count Kind = iota
	// Money is an amount of yuan, stored as integer fen.
	Money
	// Percent is a share such as a bounce rate, stored exactly in basis
	// points: 31.71% is 3171.
	Percent
	// Duration is a length of time such as the average visit, stored in
	// whole seconds: 00:01:35 is 95.
	Duration
)

// KindOf reads a configured kind name; unknown names are counts (the
// configuration is validated before).
func KindOf(name string) Kind {
	switch name {
	case "money":
		return Money
	case "percent":
		return Percent
	case "duration":
		return Duration
	}
	return Count
}

// String is the kind's configured name.
func (k Kind) String() string {
	return [...]string{"count", "money", "percent", "duration"}[k]
}

// maxValue bounds any stored value (counts, or fen: ¥10,000,000,000,000),
// far above any shop's day and far below int64 overflow in sums.
const maxValue = 1_000_000_000_000_000

// ValueError says why a typed value was refused. Code is stable and is
// what messages are chosen by.
type ValueError struct {
	Code  string // empty, not_number, negative, fraction, decimals, too_large, currency, grouping
	Input string
}

func (e *ValueError) Error() string { return "invalid value " + e.Input + ": " + e.Code }

var (
	plainNumber   = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	groupedNumber = regexp.MustCompile(`^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$`)
)

// parseValue reads a value as a person types it: 12000, 12,000, 1.2万,
// 3亿, 1.5k; money also ¥45,600.50, ￥300 or 300元. It returns a count, or
// fen for Money. The result is exact: a count with a fraction or money
// with more than two decimals is refused rather than rounded.
func parseValue(input string, kind Kind) (int64, error) {
	s := strings.TrimSpace(input)
	fail := func(code string) (int64, error) { return 0, &ValueError{Code: code, Input: input} }
	if s == "" {
		return fail("empty")
	}
	switch kind {
	case Percent:
		return parsePercent(input, s)
	case Duration:
		return parseDuration(input, s)
	}
	s = strings.ReplaceAll(s, "，", ",")
	s = strings.ReplaceAll(s, "．", ".")
	negative := false
	if rest, ok := cutAnyPrefix(s, "-", "−", "－"); ok {
		negative, s = true, rest
	}
	currency := false
	if rest, ok := cutAnyPrefix(s, "¥", "￥", "RMB", "rmb", "CNY", "cny"); ok {
		currency, s = true, strings.TrimSpace(rest)
	}
	if rest, ok := cutAnyPrefix(s, "-", "−", "－"); ok {
		negative, s = true, rest
	}
	if rest, ok := cutAnySuffix(s, "元", "块"); ok {
		currency, s = true, strings.TrimSpace(rest)
	}
	mult := int64(1)
	for _, m := range []struct {
		suffix string
		mult   int64
	}{{"万", 10_000}, {"w", 10_000}, {"W", 10_000}, {"亿", 100_000_000}, {"k", 1000}, {"K", 1000}, {"千", 1000}} {
		if rest, ok := strings.CutSuffix(s, m.suffix); ok {
			s, mult = strings.TrimSpace(rest), m.mult
			break
		}
	}
	switch {
	case plainNumber.MatchString(s):
	case groupedNumber.MatchString(s):
		s = strings.ReplaceAll(s, ",", "")
	case strings.Contains(s, ",") && plainNumber.MatchString(strings.ReplaceAll(s, ",", "")):
		return fail("grouping")
	default:
		return fail("not_number")
	}
	if negative {
		return fail("negative")
	}
	if currency && kind == Count {
		return fail("currency")
	}
	whole, frac, _ := strings.Cut(s, ".")
	num, ok := new(big.Int).SetString(whole+frac, 10)
	if !ok {
		return fail("not_number")
	}
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(frac))), nil)
	scale := int64(1)
	if kind == Money {
		scale = 100
	}
	num.Mul(num, big.NewInt(mult*scale))
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	if r.Sign() != 0 {
		if kind == Money {
			return fail("decimals")
		}
		return fail("fraction")
	}
	if q.Cmp(big.NewInt(maxValue)) > 0 {
		return fail("too_large")
	}
	return q.Int64(), nil
}

func cutAnyPrefix(s string, prefixes ...string) (string, bool) {
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return rest, true
		}
	}
	return s, false
}

func cutAnySuffix(s string, suffixes ...string) (string, bool) {
	for _, p := range suffixes {
		if rest, ok := strings.CutSuffix(s, p); ok {
			return rest, true
		}
	}
	return s, false
}
