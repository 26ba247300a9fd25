package report

import (
	"context"
	"fmt"
	"time"

	"opsbot/civil"
	"opsbot/config"
	"opsbot/metric"
	"opsbot/store"
	"opsbot/tracked"
)

// Input is everything one report is built from. Building is pure: the
// same input gives the same report, so tests feed it directly.
type Input struct {
	Kind   Kind
	Shop   config.Shop
	Period Period // what the report is about
	// Partial marks a period that is not over yet (asked for on demand).
	Partial bool
	// Days holds the logged figures of every date of Window(Kind, Period),
	// by YYYY-MM-DD; a date or key that is absent was not logged.
	Days map[string]metric.Day
	// Targets holds the monthly targets of every month the period touches,
	// by YYYY-MM.
	Targets map[string]map[string]int64
	// Runs is the checklist activity of the period (the team's, not the
	// shop's: checklists are not per shop).
	Runs []Run
	// SLA is the tracked items' record over the period; nil when items are
	// not tracked, which the report says rather than showing zeros.
	SLA *tracked.Stats
	// Now is when the report is built, for the note of a partial period.
	Now time.Time
	// Stock is the stock section of a daily digest; nil when the shop
	// keeps no SKUs.
	Stock *StockSection
}

// StockSection is the stock part of a shop's digest, from the stock
// feature: lines to show, and the SKU counts behind the sell-through,
// which replace the typed items_online and items_sold_30d when set.
type StockSection struct {
	Lines        []string // mrkdwn
	Online, Sold int64
}

// StockSource gives a shop's stock section for the digest of a day.
type StockSource interface {
	DigestSection(ctx context.Context, shop string, day civil.Date) (*StockSection, error)
}

// Run is one checklist run of the period.
type Run struct {
	Checklist string
	Date      civil.Date
	State     string // checkrun.Posted, RunLate or RunMissed
	Items     int
	Due       time.Time
	Done      []Done
}

// Done is an item checked off.
type Done struct {
	Idx int
	By  string
	At  time.Time
}

// Source is the storage a report reads; *store.Store has it.
type Source interface {
	RangeMetrics(ctx context.Context, shop, from, to string) (map[string]map[string]int64, error)
	Targets(ctx context.Context, shop, month string) (map[string]int64, error)
	ChecklistActivity(ctx context.Context, from, to string) ([]store.RunActivity, error)
}

// SLASource gives the tracked items' record of a shop over [from, to) as
// of now (tracked.StatsOf).
type SLASource interface {
	Stats(ctx context.Context, shop string, from, to, now time.Time) (tracked.Stats, error)
}

// Loader reads the inputs of reports.
type Loader struct {
	Src Source
	SLA SLASource // nil: items are not tracked
	Loc *time.Location
	// Stock gives the digest's stock section; nil: no stock feature.
	Stock StockSource
}

// Load reads one shop's report input; runs are the period's checklist
// activity (LoadRuns), read once for every shop.
func (l Loader) Load(ctx context.Context, k Kind, shop config.Shop, p Period, partial bool, runs []Run, now time.Time) (Input, error) {
	in := Input{Kind: k, Shop: shop, Period: p, Partial: partial, Runs: runs, Now: now, Targets: map[string]map[string]int64{}}
	w := Window(k, p)
	days, err := l.Src.RangeMetrics(ctx, shop.ID, w.From.String(), w.To.String())
	if err != nil {
		return in, fmt.Errorf("%s report of %s: %w", k, shop.ID, err)
	}
	in.Days = make(map[string]metric.Day, len(days))
	for d, v := range days {
		in.Days[d] = v
	}
	for _, month := range months(p) {
		t, err := l.Src.Targets(ctx, shop.ID, month)
		if err != nil {
			return in, fmt.Errorf("%s report of %s: %w", k, shop.ID, err)
		}
		if len(t) > 0 {
			in.Targets[month] = t
		}
	}
	if l.SLA != nil {
		st, err := l.SLA.Stats(ctx, shop.ID, p.Start(l.Loc), p.End(l.Loc), now)
		if err != nil {
			return in, fmt.Errorf("%s report of %s: %w", k, shop.ID, err)
		}
		in.SLA = &st
	}
	if l.Stock != nil && k == Daily {
		if in.Stock, err = l.Stock.DigestSection(ctx, shop.ID, p.To); err != nil {
			return in, fmt.Errorf("%s report of %s: %w", k, shop.ID, err)
		}
	}
	return in, nil
}

// LoadRuns reads the checklist activity of a period.
func (l Loader) LoadRuns(ctx context.Context, p Period) ([]Run, error) {
	acts, err := l.Src.ChecklistActivity(ctx, p.From.String(), p.To.String())
	if err != nil {
		return nil, err
	}
	runs := make([]Run, 0, len(acts))
	for _, a := range acts {
		d, err := civil.Parse(a.Run.Date)
		if err != nil {
			return nil, fmt.Errorf("run %s: %w", a.Run.Key, err)
		}
		r := Run{Checklist: a.Run.Checklist, Date: d, State: a.Run.State, Items: a.Run.Items, Due: a.Run.DueAt}
		for _, it := range a.Items {
			r.Done = append(r.Done, Done{Idx: it.Idx, By: it.DoneBy, At: it.DoneAt})
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// months lists the YYYY-MM of every month a period touches.
func months(p Period) []string {
	var out []string
	for m := p.From.FirstOfMonth(); !m.After(p.To); m = m.AddDays(m.DaysInMonth()) {
		out = append(out, m.MonthString())
	}
	return out
}
