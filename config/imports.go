package config

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Import is how files from the shop back office are read into metrics
// (/metric import).
type Import struct {
	// MaxMB and MaxRows bound an uploaded file (default 5 MB, 5,000 rows).
	MaxMB   int `yaml:"max_mb"`
	MaxRows int `yaml:"max_rows"`
	// Headers maps a file's exact column names to a metric key, or to
	// "date" or "shop": the back office's Chinese column names
	// (统计日期 → date, 访客数 → uv). Metric keys, names and aliases are
	// recognised as column names without being listed here.
	Headers map[string]string `yaml:"headers"`
	// Check names columns that opsbot derives itself (客单价 → aov): they
	// are compared with opsbot's own figure, never stored.
	Check map[string]string `yaml:"check"`
}

// Import limits when the config leaves them out.
const (
	DefaultImportMaxMB   = 5
	DefaultImportMaxRows = 5000
)

// ImportMaxBytes is the size limit in bytes.
func (c *Config) ImportMaxBytes() int64 {
	if c.Import.MaxMB > 0 {
		return int64(c.Import.MaxMB) << 20
	}
	return DefaultImportMaxMB << 20
}

// ImportMaxRows is the row limit.
func (c *Config) ImportMaxRows() int {
	if c.Import.MaxRows > 0 {
		return c.Import.MaxRows
	}
	return DefaultImportMaxRows
}

// Derived KPIs a file may carry for checking (see kpi.DeriveAll).
var checkable = []string{"payment_rate", "conversion_rate", "aov", "inquiry_close_rate", "refund_rate", "ad_spend", "operating_cost", "roi", "sell_through", "uv_value"}

func (r *report) checkImport(c *Config) {
	if c.Import.MaxMB < 0 || c.Import.MaxMB > 50 {
		r.add("import.max_mb", "%d is out of range; use 1 to 50 (megabytes), or leave it out for %d", c.Import.MaxMB, DefaultImportMaxMB)
	}
	if c.Import.MaxRows < 0 || c.Import.MaxRows > 100000 {
		r.add("import.max_rows", "%d is out of range; use 1 to 100000, or leave it out for %d", c.Import.MaxRows, DefaultImportMaxRows)
	}
	keyRe := regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
	names := make([]string, 0, len(c.Import.Headers))
	for h := range c.Import.Headers {
		names = append(names, h)
	}
	sort.Strings(names)
	seen := map[string]string{}
	for _, h := range names {
		to := c.Import.Headers[h]
		p := fmt.Sprintf("import.headers[%q]", h)
		if strings.TrimSpace(h) == "" {
			r.add(p, "is an empty column name")
			continue
		}
		// A key the catalog lacks is not an error: the built-in headers
		// stay valid for a team that drops a metric; such a column is
		// shown as ignored in the preview.
		if !keyRe.MatchString(to) {
			r.add(p, "%q is not a metric key, date or shop; map the column to one of the keys under metrics", to)
		}
		f := strings.ToLower(strings.TrimSpace(h))
		if prev, dup := seen[f]; dup {
			r.add(p, "is the same column as %q (ignoring case and spaces)", prev)
		}
		seen[f] = h
	}
	for h, to := range c.Import.Check {
		if !slices.Contains(checkable, to) {
			r.add(fmt.Sprintf("import.check[%q]", h), "%q is not a derived figure; use one of %s", to, strings.Join(checkable, ", "))
		}
		if _, both := c.Import.Headers[h]; both {
			r.add(fmt.Sprintf("import.check[%q]", h), "is also under import.headers; a column is either stored or checked")
		}
	}
}
