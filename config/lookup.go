package config

import "strings"

// ShopByRef finds a shop by id or name, ignoring case and surrounding
// space. Ids win over names so that a shop named like another's id cannot
// hide it.
func (c *Config) ShopByRef(ref string) (Shop, bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return Shop{}, false
	}
	for _, s := range c.Shops {
		if strings.EqualFold(s.ID, ref) {
			return s, true
		}
	}
	for _, s := range c.Shops {
		if strings.EqualFold(strings.TrimSpace(s.Name), ref) {
			return s, true
		}
	}
	return Shop{}, false
}

// DefaultShop is the shop a command in channel refers to when it names
// none: the shop that lists the channel (with or without '#', any case),
// else the only shop when there is just one.
func (c *Config) DefaultShop(channel string) (Shop, bool) {
	if key := normChannel(channel); key != "" {
		for _, s := range c.Shops {
			for _, ch := range s.Channels {
				if normChannel(ch) == key {
					return s, true
				}
			}
		}
	}
	if len(c.Shops) == 1 {
		return c.Shops[0], true
	}
	return Shop{}, false
}

// IsManager reports whether the user is a manager. Authority comes from
// the Slack user ID alone: user_name, display and real names are chosen by
// the user and never count. Names in the config are turned into IDs at
// start (bot.Resolve); in the console the user's ID is the name typed with
// --user. managers: and roles.manager are one list (see UnifyManagers).
func (c *Config) IsManager(userID string) bool {
	return c.Is(userID, c.Managers)
}

// Is reports whether the user ID is one of refs: a user ID (or, in the
// console, a name), or a role whose members are listed in roles:.
func (c *Config) Is(userID string, refs []string) bool {
	id := normUser(userID)
	if id == "" {
		return false
	}
	for _, ref := range refs {
		ref = normUser(ref)
		if members, ok := c.Roles[ref]; ok {
			for _, m := range members {
				if normUser(m) == id {
					return true
				}
			}
			continue
		}
		if ref == id {
			return true
		}
	}
	return false
}

// UnifyManagers makes managers: and roles.manager one list, their union in
// order, so that every check and every mention sees the same people.
func (c *Config) UnifyManagers() {
	var all []string
	seen := map[string]bool{}
	for _, m := range append(append([]string{}, c.Managers...), c.Roles["manager"]...) {
		if k := normUser(m); k != "" && !seen[k] {
			seen[k] = true
			all = append(all, m)
		}
	}
	if len(all) == 0 {
		return
	}
	c.Managers = all
	if c.Roles == nil {
		c.Roles = map[string][]string{}
	}
	c.Roles["manager"] = append([]string{}, all...)
}

// ChecklistEnabled reports whether the scheduler should post cl; checklists
// are on unless the file says enabled: false.
func (c *Config) ChecklistEnabled(cl Checklist) bool {
	return cl.Enabled == nil || *cl.Enabled
}

// ShopChannel is where a shop's items and alerts are posted: the shop's
// first channel, else the team channel. A Tmall item flagged in
// #tmall-ops belongs to the Tmall team, not to #shop-ops.
func (c *Config) ShopChannel(s Shop) string {
	for _, ch := range s.Channels {
		if strings.TrimSpace(ch) != "" {
			return ch
		}
	}
	return c.Channels.Team
}

// ChannelFor resolves a checklist channel: team, managers and cs name the
// channels of the channels section; anything else is a channel already.
func (c *Config) ChannelFor(ref string) string {
	switch ref {
	case "team":
		return c.Channels.Team
	case "managers":
		return c.Channels.Managers
	case "cs":
		return c.Channels.CS
	}
	return ref
}

// MetricByRef finds a metric by key or alias, ignoring case.
func (c *Config) MetricByRef(ref string) (Metric, bool) {
	ref = strings.TrimSpace(ref)
	for _, m := range c.Metrics {
		if strings.EqualFold(m.Key, ref) {
			return m, true
		}
		for _, a := range m.Aliases {
			if strings.EqualFold(a, ref) {
				return m, true
			}
		}
	}
	return Metric{}, false
}

func normChannel(s string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "#"))
}

func normUser(s string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "@"))
}

// MayWrite reports whether a user may log figures for a shop: when the
// shop lists writers, only they (by user ID or role) and the managers
// may. No list: anyone may, as a small team expects.
func (c *Config) MayWrite(s Shop, userID string) bool {
	return len(s.Writers) == 0 || c.IsManager(userID) || c.Is(userID, s.Writers)
}

// WritesIn reports whether figures for a shop may be logged in a channel:
// when the shop lists write_channels, only there (by ID or name).
func (c *Config) WritesIn(s Shop, channel string) bool {
	if len(s.WriteChannels) == 0 {
		return true
	}
	for _, ch := range s.WriteChannels {
		if key := normChannel(channel); key != "" && normChannel(ch) == key {
			return true
		}
	}
	return false
}
