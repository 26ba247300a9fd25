package metric

import (
	"context"
	"fmt"

	"opsbot/civil"
	"opsbot/config"
)

// Span is the days a command reads: one shop's, From to To inclusive.
// /metric export and /ops chart both parse one, then read what was
// logged in it.
type Span struct {
	From, To civil.Date
	Shop     config.Shop
}

// RangeReader reads the figures logged over a range of days, by day.
type RangeReader interface {
	RangeMetrics(ctx context.Context, shop, from, to string) (map[string]map[string]int64, error)
}

// Logged reads the figures logged in the span, by YYYY-MM-DD; a day with
// nothing logged is absent.
func (s Span) Logged(ctx context.Context, st RangeReader) (map[string]Day, error) {
	days, err := st.RangeMetrics(ctx, s.Shop.ID, s.From.String(), s.To.String())
	if err != nil {
		return nil, fmt.Errorf("read the metrics of %s from %s to %s: %w", s.Shop.ID, s.From, s.To, err)
	}
	out := make(map[string]Day, len(days))
	for d, v := range days {
		out[d] = v
	}
	return out, nil
}
