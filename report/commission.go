package report

import (
	"opsbot/config"
	"opsbot/money"
)

// Why a commission is not paid.
const (
	unpaidNoTarget  = "no_target"      // paid only on target, and no target was set
	unpaidTarget    = "target_not_met" // paid only on target, which was missed
	unpaidNoMembers = "no_members"     // the role has nobody to pay
)

// Share is one person's part of a role's commission, in fen.
type Share struct {
	Who    string
	Amount int64
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
	// The basis: the month's sales (fen) and paid orders.
	Sales, Orders int64
	// Pool is what the rule gives the role; Shares split it among the
	// members. Unpaid says why nothing is paid ("" when it is).
	Pool   int64
	Unpaid string
	Shares []Share
}

// Commissions applies the configured rules to a month of one shop: sales
// and paid orders as logged, and the month's sales target (targetOK false
// when none was set).
func Commissions(cfg *config.Config, sales, orders, target int64, targetOK bool) []Commission {
	var out []Commission
	for _, role := range cfg.CommissionRoles() {
		rule := cfg.Commissions[role]
		c := Commission{Role: role, OnTarget: rule.TargetMet, Sales: sales, Orders: orders}
		// The config was validated; a bad value here counts as unset.
		c.RateBP, c.HasRate, _ = rule.RateBP()
		c.PerOrder, c.HasPerOrder, _ = rule.PerOrderFen()
		if c.HasRate {
			c.Pool += int64(money.MulRate(money.Fen(sales), c.RateBP, 10_000))
		}
		if c.HasPerOrder {
			c.Pool += int64(money.MulRate(money.Fen(c.PerOrder), orders, 1))
		}
		members := cfg.Roles[role]
		switch {
		case c.OnTarget && !targetOK:
			c.Unpaid = unpaidNoTarget
		case c.OnTarget && sales < target:
			c.Unpaid = unpaidTarget
		case len(members) == 0:
			c.Unpaid = unpaidNoMembers
		}
		if c.Unpaid == "" {
			for i, amount := range Split(c.Pool, len(members)) {
				c.Shares = append(c.Shares, Share{Who: members[i], Amount: amount})
			}
		}
		out = append(out, c)
	}
	return out
}

// Split divides an amount of fen among n people so the parts add up to it
// exactly: everyone gets the floor, and the remainder goes a fen each to
// the first people.
func Split(total int64, n int) []int64 {
	if n <= 0 {
		return nil
	}
	out := make([]int64, n)
	q, rem := total/int64(n), total%int64(n)
	for i := range out {
		out[i] = q
		if int64(i) < rem {
			out[i]++
		}
	}
	return out
}
