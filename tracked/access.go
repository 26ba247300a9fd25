package tracked

import (
	"strings"

	"opsbot/config"
	"opsbot/tracked/items"
)

// Act is something a person does to a tracked item.
type Act string

// What people do to items.
const (
	ActTake     Act = "take"      // take an item nobody holds
	ActTakeOver Act = "take_over" // take an item somebody else holds, explicitly
	ActResolve  Act = "resolve"
	ActEscalate Act = "escalate"
)

// everyone in a take list lets any member of the workspace take.
const everyone = "everyone"

// May reports whether user (a Slack user ID) may do act to it. The rules,
// per item kind (sla.policies.KIND.take and .leads):
//   - managers may do anything;
//   - take and take over: whoever the kind's take list names (default
//     everyone); taking over is a separate, explicit act, and its caller
//     tells the previous holder;
//   - resolve and escalate: the holder, or while nobody holds the item
//     whoever flagged it, and the kind's leads.
//
// Authority is by user ID only, never by a name the user can edit.
func May(cfg *config.Config, it items.Item, user string, act Act) bool {
	if user == "" {
		return false
	}
	if cfg.IsManager(user) {
		return true
	}
	p := cfg.SLA.Policies[config.ItemKind(it.Type)]
	switch act {
	case ActTake, ActTakeOver:
		return len(p.Take) == 0 || containsFold(p.Take, everyone) || cfg.Is(user, p.Take)
	case ActResolve, ActEscalate:
		holder := it.Assignee
		if holder == "" {
			holder = it.FlaggedBy
		}
		return strings.EqualFold(holder, user) || cfg.Is(user, p.Leads)
	}
	return false
}

// Allowed names who may do act to items of a kind besides the holder and the
// managers, as configured: the roles and users, raw (unescaped).
func Allowed(cfg *config.Config, kind string, act Act) []string {
	p := cfg.SLA.Policies[config.ItemKind(kind)]
	if act == ActTake || act == ActTakeOver {
		return p.Take
	}
	return p.Leads
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), s) {
			return true
		}
	}
	return false
}
