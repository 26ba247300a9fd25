package report

import (
	"math/big"
	"slices"

	"opsbot/config"
	"opsbot/exact"
)

// Why a commission is not paid.
const (
	UnpaidNoTarget  = "no_target"      // paid only on target, and no target was set
	UnpaidTarget    = "target_not_met" // paid only on target, which was missed
	UnpaidNoMembers = "no_members"     // the role has nobody to pay
	UnpaidNotLogged = "not_logged"     // what the rule is a share of was never logged
)

// Share is one person's part of a role's commission, in fen.
type Share struct {
	Who    string
	Amount *big.Int
}

// Basis is what a month's commissions are computed on: the month's sales
// (fen) and paid orders, each Missing when never logged, and on how many
// of the month's Days each was logged.
type Basis struct {
	Sales, Paid         exact.Num
	SalesDays, PaidDays int
	Days                int
}

// Commission is one role's commission for a month, exact to the fen.
type Commission struct {
	Role string
	// The rule, from the configuration.
	RateBP      int64 // basis points of the month's sales
	HasRate     bool
	PerOrder    int64 // fen per paid order
	HasPerOrder bool
	OnTarget    bool // paid only when the sales target is met
	// Pool is what the rule gives the role, rounded once to the fen;
	// Missing when what it is a share of was not logged. Shares split it
	// among the members. Unpaid says why nothing is paid ("" when it is).
	Pool   exact.Num
	Unpaid string
	// NotLogged names the basis that was not logged ("sales", "paid").
	NotLogged []string
	Shares    []Share
}

// Commissions applies the configured rules to a month of one shop. The
// pool is computed exactly (math/big: a per-order rule on 10¹⁵ orders
// cannot overflow) and rounded once to the fen; the target is compared
// exactly.
func Commissions(cfg *config.Config, basis Basis, target exact.Num) []Commission {
	var out []Commission
	for _, role := range cfg.CommissionRoles() {
		rule := cfg.Commissions[role]
		c := Commission{Role: role, OnTarget: rule.TargetMet}
		// The config was validated; a bad value here counts as unset.
		c.RateBP, c.HasRate, _ = rule.RateBP()
		c.PerOrder, c.HasPerOrder, _ = rule.PerOrderFen()
		pool := exact.Int(0)
		if c.HasRate {
			if !basis.Sales.OK() {
				c.NotLogged = append(c.NotLogged, "sales")
			}
			pool = pool.Add(basis.Sales.MulInt(c.RateBP).Div(exact.Int(10_000)))
		}
		if c.HasPerOrder {
			if !basis.Paid.OK() {
				c.NotLogged = append(c.NotLogged, "paid")
			}
			pool = pool.Add(basis.Paid.MulInt(c.PerOrder))
		}
		if c.OnTarget && !basis.Sales.OK() && !slices.Contains(c.NotLogged, "sales") {
			c.NotLogged = append(c.NotLogged, "sales")
		}
		if pool.OK() {
			c.Pool = exact.BigInt(exact.RoundInt(pool))
		}
		members := cfg.Roles[role]
		switch {
		case len(c.NotLogged) > 0:
			c.Unpaid = UnpaidNotLogged
		case c.OnTarget && !target.OK():
			c.Unpaid = UnpaidNoTarget
		case c.OnTarget && basis.Sales.Cmp(target) < 0:
			c.Unpaid = UnpaidTarget
		case len(members) == 0:
			c.Unpaid = UnpaidNoMembers
		}
		if c.Unpaid == "" {
			for i, amount := range exact.Split(exact.RoundInt(c.Pool), len(members)) {
				c.Shares = append(c.Shares, Share{Who: members[i], Amount: amount})
			}
		}
		out = append(out, c)
	}
	return out
}
