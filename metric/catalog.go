package metric

import (
	"strings"

	"opsbot/config"
	"opsbot/i18n"
)

// Metric is a figure the team logs: one entry of the configured catalog.
type Metric struct {
	Key        string
	Kind       Kind
	Name       i18n.Text
	Aliases    []string
	AnomalyPct int
}

// Catalog finds metrics by key or alias, in either language and any case.
type Catalog struct {
	list   []Metric
	byName map[string]int
}

// NewCatalog builds the catalog from the configuration's metric list, in
// its order (the order tables and exports show).
func NewCatalog(ms []config.Metric) *Catalog {
	c := &Catalog{byName: make(map[string]int)}
	for _, m := range ms {
		kind := KindOf(m.Kind)
		c.byName[fold(m.Key)] = len(c.list)
		for _, a := range m.Aliases {
			c.byName[fold(a)] = len(c.list)
		}
		c.list = append(c.list, Metric{Key: m.Key, Kind: kind, Name: m.Name, Aliases: m.Aliases, AnomalyPct: m.AnomalyPct})
	}
	return c
}

// Lookup finds a metric by its key or one of its aliases.
func (c *Catalog) Lookup(name string) (Metric, bool) {
	i, ok := c.byName[fold(name)]
	if !ok {
		return Metric{}, false
	}
	return c.list[i], true
}

// All lists the metrics in catalog order.
func (c *Catalog) All() []Metric { return c.list }

func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
