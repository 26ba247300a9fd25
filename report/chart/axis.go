package chart

import (
	"bytes"
	"fmt"
	"math"
	"math/big"

	"opsbot/exact"
)

// axis is how a unit's values are placed on a panel and labelled. A float
// is only a position on the chart; the labels people read are worked out
// from round numbers of the unit (basis points, seconds, fen).
type axis struct {
	pos   func(exact.Num) float64   // where a value is plotted
	top   func(max float64) float64 // the axis' top: a round number above max
	label func(float64) string      // a tick's label
}

func axisFor(u exact.Unit) axis {
	switch u {
	case exact.Money:
		// Yuan; a UV value or an order value is small, so cents show
		// below a thousand.
		return axis{pos: scaled(1, 100), top: niceMax, label: func(v float64) string {
			if math.Abs(v) < 1000 {
				return trim(fmt.Sprintf("%.2f", v))
			}
			return compact(v)
		}}
	case exact.Percent:
		return axis{pos: scaled(100, 1), top: niceMax, label: func(v float64) string { return percent(v) }}
	case exact.BasisPoints:
		return axis{pos: scaled(1, 100), top: niceMax, label: func(v float64) string { return basisPoints(v) }}
	case exact.Seconds:
		return axis{pos: scaled(1, 1), top: durationTop, label: func(v float64) string { return clock(v) }}
	case exact.Ratio:
		return axis{pos: scaled(1, 1), top: niceMax, label: func(v float64) string { return "1:" + trim(fmt.Sprintf("%.2f", v)) }}
	default:
		return axis{pos: scaled(1, 1), top: countTop, label: func(v float64) string { return compact(v) }}
	}
}

// scaled places a value times mul over div.
func scaled(mul, div int64) func(exact.Num) float64 {
	return func(v exact.Num) float64 {
		f, _ := new(big.Rat).Mul(v.Rat(), big.NewRat(mul, div)).Float64()
		return f
	}
}

// niceMax rounds a maximum up to 1, 2, 2.5 or 5 times a power of ten, so
// the top tick is a round number.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	v *= 1.1
	pow := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*pow >= v {
			return m * pow
		}
	}
	return 10 * pow
}

// countTop is niceMax whose four steps are whole numbers: a panel of 3 bad
// reviews is labelled 0 1 2 3 4, not 0 1.25 2.5.
func countTop(v float64) float64 {
	top := niceMax(v)
	if step := top / 4; step == math.Trunc(step) {
		return top
	}
	return 4 * math.Max(1, math.Ceil(v*1.1/4))
}

// durationSteps are round lengths of time between ticks, in seconds.
var durationSteps = []float64{1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400}

// durationTop is the top of a time axis: four round steps (0:30, 1:00,
// 1:30, 2:00) above the maximum, with headroom.
func durationTop(v float64) float64 {
	need := v * 1.1 / 4
	for _, s := range durationSteps {
		if s >= need && s > 0 {
			return 4 * s
		}
	}
	day := durationSteps[len(durationSteps)-1]
	return 4 * day * math.Ceil(need/day)
}

// clock writes seconds as m:ss, or h:mm:ss from an hour.
func clock(v float64) string {
	s := int64(math.Round(v))
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s%3600/60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// basisPoints writes a tick of a share logged in basis points, from the
// whole basis point it stands on: 3171 is 31.71%, 2500 is 25%.
func basisPoints(v float64) string {
	bp := int64(math.Round(v * 100))
	return trim(fmt.Sprintf("%d.%02d", bp/100, bp%100)) + "%"
}

// compact writes 1234567 as 1.23M and 45600 as 45.6k.
func compact(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return trim(fmt.Sprintf("%.2f", v/1e6)) + "M"
	case a >= 1e3:
		return trim(fmt.Sprintf("%.1f", v/1e3)) + "k"
	default:
		return trim(fmt.Sprintf("%.1f", v))
	}
}

func percent(v float64) string { return trim(fmt.Sprintf("%.2f", v)) + "%" }

// trim drops trailing zeros of a decimal: 2.50 → 2.5, 3.0 → 3.
func trim(s string) string {
	for len(s) > 1 && s[len(s)-1] == '0' && bytes.ContainsRune([]byte(s), '.') {
		s = s[:len(s)-1]
	}
	if len(s) > 1 && s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}
