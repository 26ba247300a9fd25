package metric

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"opsbot/config"
	"opsbot/exact"
	"opsbot/handlers/command"
)

// ParseLimit reads a floor or ceiling of the config in a figure's unit, as
// a person types it: a rate or a share as a percentage ("1%", "0.8%"),
// money in yuan ("¥3,000", "1.5万"), a count as a whole number ("1.2万"),
// an ROI as "2.5" or "1:2.5", a length of time as "95", "1:35" or "1m35s".
// Full-width digits read as ASCII. An empty text is no limit (Missing,
// nil); a text the unit cannot read is an error.
func ParseLimit(s string, unit Unit) (exact.Num, error) {
	s = strings.TrimSpace(command.FoldWidth(s))
	if s == "" {
		return exact.Missing, nil
	}
	switch unit {
	case UnitRate:
		bp, err := parseValue(s, Percent)
		return exact.Frac(bp, 10_000), err // basis points → a fraction
	case UnitPercent:
		v, err := parseValue(s, Percent)
		return exact.Int(v), err
	case UnitMoney:
		v, err := parseValue(s, Money)
		return exact.Int(v), err
	case UnitDuration:
		v, err := parseValue(s, Duration)
		return exact.Int(v), err
	case UnitRatio:
		return parseRatio(s)
	}
	v, err := parseValue(s, Count)
	return exact.Int(v), err
}

// parseRatio reads an ROI: "2.5" or "1:2.5" (sales per yuan of cost),
// exactly.
func parseRatio(s string) (exact.Num, error) {
	in := s
	s = strings.NewReplacer("：", ":", "．", ".").Replace(s)
	if rest, ok := strings.CutPrefix(s, "1:"); ok {
		s = strings.TrimSpace(rest)
	}
	if !plainNumber.MatchString(s) {
		return exact.Missing, &ValueError{Code: "not_number", Input: in}
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(whole) > 15 || len(frac) > 4 {
		return exact.Missing, &ValueError{Code: "too_large", Input: in}
	}
	num, _ := new(big.Int).SetString(whole+frac, 10)
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(frac))), nil)
	return exact.BigInt(num).Div(exact.BigInt(den)), nil
}

// limitForms says, per unit, how a floor or ceiling is written.
func limitForms(u Unit) string {
	switch u {
	case UnitRate, UnitPercent:
		return `a percentage such as "1%" or "0.8%" (at most two decimals)`
	case UnitMoney:
		return `an amount of yuan such as "3000", "¥3,000.50" or "1.5万" (at most two decimals)`
	case UnitDuration:
		return `a length of time such as "95" (seconds), "1:35" or "1m35s"`
	case UnitRatio:
		return `an ROI such as "2.5" or "1:2.5"`
	}
	return `a whole number such as "500" or "1.2万"`
}

// LimitKeys lists every key a limit can name, with its figure's unit and
// name: the configured metrics, then the KPIs computed from them.
func LimitKeys(ms []config.Metric) []LimitKey {
	var out []LimitKey
	for _, m := range NewCatalog(ms).All() {
		out = append(out, LimitKey{Key: m.Key, Unit: UnitOf(m.Kind), Name: m.Name.En})
	}
	for _, f := range formulas {
		out = append(out, LimitKey{Key: f.key, Unit: f.unit, Name: f.name.En})
	}
	return out
}

// LimitKey is a figure a limit can apply to.
type LimitKey struct {
	Key  string
	Unit Unit
	Name string
}

// CheckLimits validates reports.limits against the metric catalog and
// the KPIs, for `opsbot config check` and start-up (a config.Check): each
// key must name a figure the daily report has, each floor and ceiling be
// written in a form its unit reads, and a floor not be above its ceiling.
// Left unchecked, a wrong key or value is silently never applied.
func CheckLimits(c *config.Config) []config.Problem {
	keys := LimitKeys(c.Metrics)
	byKey := map[string]LimitKey{}
	var names []string
	for _, k := range keys {
		byKey[k.Key] = k
		names = append(names, k.Key)
	}
	cat := NewCatalog(c.Metrics)
	var out []config.Problem
	bad := func(path, format string, args ...any) {
		out = append(out, config.Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	ids := make([]string, 0, len(c.Reports.Limits))
	for id := range c.Reports.Limits {
		ids = append(ids, id)
	}
	slices.Sort(ids) // one order of problems on every run
	for _, id := range ids {
		lim := c.Reports.Limits[id]
		path := "reports.limits." + id
		k, ok := byKey[id]
		if !ok {
			if key := limitKeyOf(cat, id); key != "" {
				bad(path, "%q is not a key; write the figure's key %q (names and aliases are for commands)", id, key)
			} else {
				bad(path, "%q is not a metric or KPI; use one of %s", id, strings.Join(names, ", "))
			}
			continue
		}
		if strings.TrimSpace(lim.Floor) == "" && strings.TrimSpace(lim.Ceiling) == "" {
			bad(path, "sets neither a floor nor a ceiling; give floor:, ceiling: or both, as %s", limitForms(k.Unit))
			continue
		}
		floor, ferr := ParseLimit(lim.Floor, k.Unit)
		if ferr != nil {
			bad(path+".floor", "%q is not a value of %s (%s); write %s", lim.Floor, k.Name, id, limitForms(k.Unit))
		}
		ceil, cerr := ParseLimit(lim.Ceiling, k.Unit)
		if cerr != nil {
			bad(path+".ceiling", "%q is not a value of %s (%s); write %s", lim.Ceiling, k.Name, id, limitForms(k.Unit))
		}
		if ferr == nil && cerr == nil && floor.OK() && ceil.OK() && floor.Cmp(ceil) > 0 {
			bad(path, "the floor %q is above the ceiling %q, so every day would be out of limits; swap them or correct one", lim.Floor, lim.Ceiling)
		}
	}
	return out
}

// limitKeyOf finds the key a limit meant by a metric's name or alias, or
// a KPI's name, in either language and any case; "" when none.
func limitKeyOf(cat *Catalog, id string) string {
	if m, ok := cat.Lookup(id); ok {
		return m.Key
	}
	for _, f := range formulas {
		if w := fold(id); w == fold(f.key) || w == fold(f.name.En) || w == fold(f.name.Zh) {
			return f.key
		}
	}
	return ""
}
