package config

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Commission is how one role's monthly commission is computed (提成,
// DOMAIN.md): a share of the month's sales, a fixed amount per paid order,
// or both. The role's members come from roles; the bot does not know who
// closed which sale, so each role's amount is a pool split evenly among its
// members, exact to the fen.
type Commission struct {
	// Rate is a percentage of the month's sales, e.g. "2%" or "2.5"; at
	// most two decimals.
	Rate string `yaml:"rate"`
	// PerOrder is yuan per paid order of the month, e.g. "1.00"; at most
	// two decimals (fen).
	PerOrder string `yaml:"per_order"`
	// TargetMet pays only when the month's sales target was set and met.
	TargetMet bool `yaml:"target_met"`
}

// RateBP is Rate in basis points (2% is 200); ok is false when no rate
// is set.
func (c Commission) RateBP() (bp int64, ok bool, err error) {
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(c.Rate), "%"))
	if s == "" {
		return 0, false, nil
	}
	v, err := hundredths(s)
	if err != nil || v > 100_00 {
		return 0, false, fmt.Errorf("%q is not a percentage; use a number from 0 to 100 with at most two decimals, e.g. \"2%%\" or \"1.5%%\"", c.Rate)
	}
	return v, true, nil
}

// PerOrderFen is PerOrder in fen; ok is false when it is not set.
func (c Commission) PerOrderFen() (fen int64, ok bool, err error) {
	s := strings.TrimSpace(c.PerOrder)
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(s, "¥"), "￥"), "元")
	if s == "" {
		return 0, false, nil
	}
	v, err := hundredths(strings.TrimSpace(s))
	if err != nil || v > 1_000_000_00 {
		return 0, false, fmt.Errorf("%q is not an amount of yuan; use e.g. \"1.00\" or \"0.5\" (at most two decimals)", c.PerOrder)
	}
	return v, true, nil
}

// hundredths reads a non-negative decimal with at most two decimals as a
// whole number of hundredths, exactly (no floating point).
func hundredths(s string) (int64, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || strings.HasPrefix(whole, "+") || strings.HasPrefix(whole, "-") {
		return 0, fmt.Errorf("bad decimal %q", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 1<<40 {
		return 0, fmt.Errorf("bad decimal %q", s)
	}
	f := int64(0)
	if frac != "" {
		for len(frac) < 2 {
			frac += "0"
		}
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil || strings.ContainsAny(frac, "+-") {
			return 0, fmt.Errorf("bad decimal %q", s)
		}
	}
	return w*100 + f, nil
}

// CommissionRoles lists the roles with a commission, in the order reports
// show them: the DOMAIN.md roles first, then the rest by name.
func (c *Config) CommissionRoles() []string {
	order := []string{"cs", "warehouse", "data", "marketing"}
	var out, rest []string
	for _, r := range order {
		if _, ok := c.Commissions[r]; ok {
			out = append(out, r)
		}
	}
	for r := range c.Commissions {
		if !slices.Contains(order, r) {
			rest = append(rest, r)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

func (r *report) checkCommissions(c *Config) {
	roleRe := regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)
	for _, role := range c.CommissionRoles() {
		com := c.Commissions[role]
		p := "commissions." + role
		// A role the file's commissions name must be listed under roles,
		// so a typo (sc for cs) is not paid to nobody in silence; a team
		// that sets the rules before hiring lists the role with no
		// members (cs: []). The built-in commissions are not checked
		// against a file's own roles.
		if !roleRe.MatchString(role) {
			r.add(p, "%q is not a role name; use lower-case letters, digits, - or _ (e.g. cs, warehouse)", role)
		} else if _, known := c.Roles[role]; !known && r.hasPath("commissions") {
			r.add(p, "role %q is not under roles (%s); add it there, with its members or none yet (%s: [])", role, strings.Join(sortedKeys(c.Roles), ", "), role)
		}
		_, hasRate, err := com.RateBP()
		if err != nil {
			r.add(p+".rate", "%v", err)
		}
		_, hasPerOrder, err := com.PerOrderFen()
		if err != nil {
			r.add(p+".per_order", "%v", err)
		}
		if com.Rate == "" && com.PerOrder == "" && !hasRate && !hasPerOrder {
			r.add(p, "has neither rate nor per_order; set rate: \"2%%\" (of the month's sales) or per_order: \"1.00\" (yuan per paid order)")
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
