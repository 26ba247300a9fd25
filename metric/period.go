package metric

import (
	"math/big"

	"opsbot/exact"
)

// IsLevel tells the metrics that hold a state at the end of a day rather
// than count what happened in it: summing them over days means nothing, so
// over a period they keep their last logged value.
func IsLevel(key string) bool {
	switch key {
	case "items_online", "items_sold_30d":
		return true
	}
	return false
}

// Aggregate totals days given in date order: flows add up, levels keep
// their last value. It returns the totals by key (only keys logged at
// least once) and on how many days each key was logged.
func Aggregate(days []Day) (map[string]exact.Num, map[string]int) {
	sums, n := map[string]*big.Int{}, map[string]int{}
	for _, d := range days {
		for k, v := range d {
			n[k]++
			if t, ok := sums[k]; ok && !IsLevel(k) {
				t.Add(t, big.NewInt(v))
			} else {
				sums[k] = big.NewInt(v)
			}
		}
	}
	totals := make(map[string]exact.Num, len(sums))
	for k, t := range sums {
		totals[k] = exact.BigInt(t)
	}
	return totals, n
}

// Over is a KPI computed over several days, and how many days it was
// computed over.
type Over struct {
	Derived
	Days int
}

// DeriveOver computes each KPI over several days (a week, a month, the
// days before a day) as the ratio of totals: the totals of the days that
// logged every input of that KPI. A day whose divisor is zero counts (its
// zero was logged); a day that did not log an input does not, so a day
// that logged paid orders but not orders cannot push the payment rate
// past 100%. Days says how many days each KPI is over; with none, the
// KPI is not computed and Missing names the inputs never logged together.
func DeriveOver(days []Day) []Over {
	out := make([]Over, len(formulas))
	for i, f := range formulas {
		var with []Day
		for _, d := range days {
			if hasAll(d, f.inputs) {
				with = append(with, d)
			}
		}
		totals, _ := Aggregate(with)
		if len(with) == 0 {
			// Nothing to compute from: report what was never logged at all.
			totals, _ = Aggregate(days)
		}
		d := Derive(totals)[i]
		if len(with) == 0 && len(d.Missing) == 0 {
			// Every input was logged on some day, but never all on one.
			d.Missing, d.Apart = f.inputs, true
			d.OK, d.Value, d.Grade, d.JustUnder = false, exact.Missing, GradeNone, 0
		}
		out[i] = Over{Derived: d, Days: len(with)}
	}
	return out
}

func hasAll(d Day, keys []string) bool {
	for _, k := range keys {
		if _, ok := d[k]; !ok {
			return false
		}
	}
	return true
}
