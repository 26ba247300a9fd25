package report

import (
	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/config"
	"opsbot/exact"
	"opsbot/metric"
)

// defaultLimits apply when the config sets none for a key: the seeds'
// rule that a conversion rate below 1% signals a problem.
var defaultLimits = map[string]config.Limit{metric.KeyConversionRate: {Floor: "1%"}}

// OutOfLimit is a figure of the day outside its configured floor or
// ceiling.
type OutOfLimit struct {
	Figure Figure
	Bound  exact.Num
	Below  bool // under the floor; else over the ceiling
}

// limitValue reads a floor or ceiling in the figure's unit.
// config check refuses a value its unit cannot read (metric.CheckLimits).
func limitValue(s string, f Figure) (exact.Num, bool) {
	v, err := metric.ParseLimit(s, f.Unit)
	return v, err == nil && v.OK()
}

// outOfLimits checks the day's figures against their limits. A figure
// not logged (or not computable) is never out of limits: missing is not
// zero.
func (b *Builder) outOfLimits(fs []Figure) []OutOfLimit {
	var out []OutOfLimit
	for _, f := range fs {
		if !f.OK || !f.Value.OK() {
			continue
		}
		lim, ok := b.cfg.Reports.Limits[f.Key]
		if !ok {
			if lim, ok = defaultLimits[f.Key]; !ok {
				continue
			}
		}
		if floor, ok := limitValue(lim.Floor, f); ok && f.Value.Cmp(floor) < 0 {
			out = append(out, OutOfLimit{Figure: f, Bound: floor, Below: true})
		} else if ceil, ok := limitValue(lim.Ceiling, f); ok && f.Value.Cmp(ceil) > 0 {
			out = append(out, OutOfLimit{Figure: f, Bound: ceil})
		}
	}
	return out
}

// limitBlocks names each figure outside its limits as a problem.
func (b *Builder) limitBlocks(r DailyReport) []slack.Block {
	if len(r.OutOfLimits) == 0 {
		return nil
	}
	tr := b.tr
	lines := []string{tr.T("report.limits")}
	for _, o := range r.OutOfLimits {
		f := o.Figure
		key := "report.limit_above"
		if o.Below {
			key = "report.limit_below"
		}
		lines = append(lines, "• "+tr.T(key, chat.Escape(tr.Text(f.Name)), exact.Format(f.Unit, f.Decimals, f.Value), exact.Format(f.Unit, f.Decimals, o.Bound)))
	}
	return textSections(lines)
}
