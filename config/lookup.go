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

// IsManager reports whether the user, by Slack ID or name, is listed in
// managers or in the manager role. Either argument may be empty.
func (c *Config) IsManager(userID, userName string) bool {
	id, name := normUser(userID), normUser(userName)
	if id == "" && name == "" {
		return false
	}
	match := func(list []string) bool {
		for _, m := range list {
			if m := normUser(m); m != "" && (m == id || m == name) {
				return true
			}
		}
		return false
	}
	return match(c.Managers) || match(c.Roles["manager"])
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
