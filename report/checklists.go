package report

import (
	"cmp"
	"slices"

	"opsbot/checklist/checkrun"
	"opsbot/exact"

	"opsbot/i18n"
)

// ChecklistLine is one checklist's record over a period.
type ChecklistLine struct {
	ID    string
	Title i18n.Text
	Runs  int // scheduled runs, posted or not
	Late  int // posted late (the bot was down at the time)
	// Missed runs were never posted (the bot was down until they were
	// due); their items are not counted below.
	Missed int
	Items  int // items of the posted runs
	Done   int // of them checked off
	// DoneLate were checked off after the run was due.
	DoneLate int
}

// Completion is the part of the items checked off, exact; Missing when
// there were no items.
func (l ChecklistLine) Completion() exact.Num { return exact.Frac(int64(l.Done), int64(l.Items)) }

// PersonLine is what one person checked off over a period.
type PersonLine struct {
	User   string
	Done   int
	OnTime int // checked off by the run's due time
}

// Checklists is the routine's record over a period: per checklist, per
// person, and in all.
type Checklists struct {
	Lines  []ChecklistLine
	People []PersonLine
	Total  ChecklistLine
}

// tally sums the runs of a period. Checklists are listed in the
// configuration's order, people by items checked off, most first.
func (b *Builder) tally(runs []Run) Checklists {
	byID := map[string]*ChecklistLine{}
	people := map[string]*PersonLine{}
	var out Checklists
	for _, r := range runs {
		l := byID[r.Checklist]
		if l == nil {
			l = &ChecklistLine{ID: r.Checklist, Title: i18n.Text{En: r.Checklist}}
			if t, ok := b.titles[r.Checklist]; ok {
				l.Title = t
			}
			byID[r.Checklist] = l
		}
		l.Runs++
		switch r.State {
		case checkrun.Missed:
			l.Missed++
			continue
		case checkrun.Late:
			l.Late++
		}
		l.Items += r.Items
		for _, d := range r.Done {
			if d.Idx >= r.Items {
				continue // the checklist lost items since
			}
			l.Done++
			p := people[d.By]
			if p == nil {
				p = &PersonLine{User: d.By}
				people[d.By] = p
			}
			p.Done++
			if d.At.After(r.Due) {
				l.DoneLate++
			} else {
				p.OnTime++
			}
		}
	}
	for _, l := range byID {
		out.Lines = append(out.Lines, *l)
		out.Total.Runs += l.Runs
		out.Total.Late += l.Late
		out.Total.Missed += l.Missed
		out.Total.Items += l.Items
		out.Total.Done += l.Done
		out.Total.DoneLate += l.DoneLate
	}
	slices.SortFunc(out.Lines, func(a, c ChecklistLine) int {
		return cmp.Or(cmp.Compare(b.order(a.ID), b.order(c.ID)), cmp.Compare(a.ID, c.ID))
	})
	for _, p := range people {
		out.People = append(out.People, *p)
	}
	slices.SortFunc(out.People, func(a, c PersonLine) int {
		return cmp.Or(cmp.Compare(c.Done, a.Done), cmp.Compare(a.User, c.User))
	})
	return out
}

// order is a checklist's place in the configuration (unknown ones last).
func (b *Builder) order(id string) int {
	if i, ok := b.rank[id]; ok {
		return i
	}
	return len(b.rank)
}
