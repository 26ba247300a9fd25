package metric

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// parsePercent reads a share as 31.71%, 31.71 or 31.71％ into basis
// points, exactly: more than two decimals of a percent is refused.
func parsePercent(input, s string) (int64, error) {
	fail := func(code string) (int64, error) { return 0, &ValueError{Code: code, Input: input} }
	s = strings.NewReplacer("％", "%", "．", ".", "，", ",").Replace(s)
	s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	if rest, ok := cutAnyPrefix(s, "-", "−", "－"); ok && plainNumber.MatchString(rest) {
		return fail("negative")
	}
	if !plainNumber.MatchString(s) {
		return fail("not_number")
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return fail("percent_decimals")
	}
	frac += strings.Repeat("0", 2-len(frac))
	v, ok := new(big.Int).SetString(whole+frac, 10)
	if !ok || v.Cmp(big.NewInt(maxValue)) > 0 {
		return fail("too_large")
	}
	return v.Int64(), nil
}

var (
	clockDuration = regexp.MustCompile(`^(?:([0-9]+):)?([0-9]{1,2}):([0-9]{2})(?:\.([0-9]+))?$`)
	unitDuration  = regexp.MustCompile(`^(?:([0-9]+)\s*(?:小时|时|h))?\s*(?:([0-9]+)\s*(?:分钟|分|min|m))?\s*(?:([0-9]+(?:\.[0-9]+)?)\s*(?:秒钟|秒|sec|s))?$`)
)

// parseDuration reads a length of time into whole seconds: 00:01:35,
// 1:35, 95, 95秒, 95s, 1分35秒, 1m35s. Back offices export averages with
// decimals of a second (12.35); they are rounded half up to the second,
// the unit the figure is kept in.
func parseDuration(input, s string) (int64, error) {
	fail := func(code string) (int64, error) { return 0, &ValueError{Code: code, Input: input} }
	s = strings.NewReplacer("：", ":", "．", ".").Replace(strings.ToLower(s))
	if rest, ok := cutAnyPrefix(s, "-", "−", "－"); ok && rest != "" {
		return fail("negative")
	}
	var h, m int64
	var sec string
	switch {
	case plainNumber.MatchString(s):
		sec = s
	case clockDuration.MatchString(s):
		p := clockDuration.FindStringSubmatch(s)
		h, _ = strconv.ParseInt("0"+p[1], 10, 64)
		m, _ = strconv.ParseInt(p[2], 10, 64)
		sec = p[3]
		if p[4] != "" {
			sec += "." + p[4]
		}
		if m >= 60 && p[1] != "" {
			return fail("not_duration")
		}
		if s2, _ := strconv.ParseInt(p[3], 10, 64); s2 >= 60 {
			return fail("not_duration")
		}
	case s != "" && unitDuration.MatchString(s):
		p := unitDuration.FindStringSubmatch(s)
		h, _ = strconv.ParseInt("0"+p[1], 10, 64)
		m, _ = strconv.ParseInt("0"+p[2], 10, 64)
		sec = "0" + p[3]
	default:
		return fail("not_duration")
	}
	whole, frac, _ := strings.Cut(sec, ".")
	if len(whole) > 15 || h > 1e12 || m > 1e12 {
		return fail("too_large")
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	if frac != "" && frac[0] >= '5' {
		w++
	}
	total := h*3600 + m*60 + w
	if total > maxValue {
		return fail("too_large")
	}
	return total, nil
}

// FormatBasisPoints shows basis points as a percentage: 3171 is 31.71%.
func FormatBasisPoints(bp int64) string {
	sign := ""
	if bp < 0 {
		sign, bp = "-", -bp
	}
	return fmt.Sprintf("%s%d.%02d%%", sign, bp/100, bp%100)
}
