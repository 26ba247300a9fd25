package checklist

import (
	"strconv"
	"strings"
	"time"

	"opsbot/checklist/checkrun"
	"opsbot/config"
)

// runChoice is a run of today and the checklist it belongs to.
type runChoice struct {
	run checkrun.Run
	cl  config.Checklist
}

// checklistMatches returns the checklists a name may mean: the one whose
// id or full title (either language) it is; else every one whose id or
// title starts with it.
func checklistMatches(cls []config.Checklist, ref string) []config.Checklist {
	ref = strings.TrimSpace(ref)
	low := strings.ToLower(ref)
	if low == "" {
		return nil
	}
	for _, cl := range cls {
		if strings.ToLower(cl.ID) == low || strings.ToLower(cl.Title.En) == low || cl.Title.Zh == ref {
			return []config.Checklist{cl}
		}
	}
	var out []config.Checklist
	for _, cl := range cls {
		if strings.HasPrefix(strings.ToLower(cl.ID), low) || strings.HasPrefix(strings.ToLower(cl.Title.En), low) ||
			(cl.Title.Zh != "" && strings.HasPrefix(cl.Title.Zh, ref)) {
			out = append(out, cl)
		}
	}
	return out
}

// pickRun finds the run a person means by a checklist name at a time.
// Among today's runs of the checklists the name may mean that have
// started, it prefers the one open now (started, not yet due); else the
// only one started. Several equally likely runs are returned as
// candidates, and none is picked: ambiguous input asks, never guesses.
// A run missed while the bot was down counts: work done for it is
// recorded late.
func pickRun(matches []config.Checklist, runs []checkrun.Run, at time.Time) (pick *runChoice, candidates []runChoice) {
	var started, open []runChoice
	for _, cl := range matches {
		var latest *checkrun.Run
		for i := range runs {
			if runs[i].Checklist == cl.ID && !runs[i].ScheduledAt.After(at) {
				latest = &runs[i]
			}
		}
		if latest == nil {
			continue
		}
		c := runChoice{*latest, cl}
		started = append(started, c)
		if latest.State != checkrun.Missed && at.Before(latest.DueAt) {
			open = append(open, c)
		}
	}
	switch {
	case len(open) == 1:
		return &open[0], nil
	case len(open) > 1:
		return nil, open
	case len(started) == 1:
		return &started[0], nil
	}
	return nil, started
}

// parseItemRefs reads item numbers as people list them: 1 2, 6,7, 1-3,
// 1、2 (the numbers of a checklist of n items, 1-based, in order given,
// without repeats). ok is false when a token is not a number or a range;
// bad lists the numbers out of range.
func parseItemRefs(tokens []string, n int) (idxs []int, bad []string, ok bool) {
	seen := map[int]bool{}
	add := func(i int, tok string) {
		if i < 1 || i > n {
			bad = append(bad, tok)
			return
		}
		if !seen[i] {
			seen[i] = true
			idxs = append(idxs, i-1)
		}
	}
	for _, tok := range tokens {
		for _, part := range strings.FieldsFunc(tok, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
			lo, hi, isRange := strings.Cut(strings.ReplaceAll(part, "~", "-"), "-")
			a, errA := strconv.Atoi(lo)
			if !isRange {
				if errA != nil {
					return nil, nil, false
				}
				add(a, part)
				continue
			}
			b, errB := strconv.Atoi(hi)
			if errA != nil || errB != nil {
				return nil, nil, false
			}
			if a > b || a < 1 || b > n {
				bad = append(bad, part)
				continue
			}
			for i := a; i <= b; i++ {
				add(i, part)
			}
		}
	}
	return idxs, bad, len(idxs)+len(bad) > 0
}
