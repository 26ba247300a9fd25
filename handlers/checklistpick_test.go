package handlers_test

import (
	"context"
	"testing"
	"time"

	"opsbot/checklist/checkrun"
	"opsbot/config"
	"opsbot/handlers/handlerstest"
)

// runAt records a run of a checklist today at hh:mm, due 30 minutes later.
func runAt(f *handlerstest.Fixture, id string, hh, mm int, state string) checkrun.Run {
	f.T.Helper()
	now := f.Clock.Now()
	at := time.Date(now.Year(), now.Month(), now.Day(), hh, mm, 0, 0, f.Cfg.Location)
	run := checkrun.Run{Key: id + "@" + at.Format("15:04"), Checklist: id, Date: now.Format("2006-01-02"), ScheduledAt: at,
		DueAt: at.Add(30 * time.Minute), State: state, Channel: "#shop-ops", Items: 7, CreatedAt: now}
	if _, err := f.Store.ClaimRun(context.Background(), &run); err != nil {
		f.T.Fatal(err)
	}
	return run
}

func doneIdx(f *handlerstest.Fixture, run checkrun.Run) map[int]string {
	f.T.Helper()
	items, err := f.Store.Items(context.Background(), run.ID)
	if err != nil {
		f.T.Fatal(err)
	}
	out := map[int]string{}
	for _, it := range items[run.ID] {
		out[it.Idx] = it.DoneBy
	}
	return out
}

func at(f *handlerstest.Fixture, hh, mm int) {
	now := f.Clock.Now()
	f.Clock.Advance(time.Date(now.Year(), now.Month(), now.Day(), hh, mm, 0, 0, f.Cfg.Location).Sub(now))
}

// Item 2: an ambiguous name prefers the run open now; when still
// ambiguous it lists the candidates and ticks nothing; quoted titles work.
func TestChecklistNamePrefersTheRunOpenNow(t *testing.T) {
	for _, loc := range []string{"en", "zh"} {
		f := handlerstest.New(t, func(c *config.Config) { c.Locale = loc })
		midday := runAt(f, "reviews-midday", 13, 0, checkrun.Posted)
		evening := runAt(f, "reviews-evening", 20, 0, checkrun.Posted)
		at(f, 20, 5)
		f.Text("amy", "/checklist done reviews 1")
		if len(doneIdx(f, midday)) != 0 || doneIdx(f, evening)[0] != "amy" {
			t.Fatalf("%s: midday %v evening %v; want the evening run ticked", loc, doneIdx(f, midday), doneIdx(f, evening))
		}
		// At 21:00 neither is open: ask, tick nothing.
		at(f, 21, 0)
		got := f.Text("amy", "/checklist done reviews 2")
		if loc == "en" {
			handlerstest.Contains(t, got, "`reviews` could mean more than one checklist", "`reviews-midday`", "`reviews-evening`", "Nothing was ticked")
		} else {
			handlerstest.Contains(t, got, "`reviews` 可能指多个清单", "未勾选任何事项")
		}
		if len(doneIdx(f, midday)) != 0 || len(doneIdx(f, evening)) != 1 {
			t.Errorf("%s: an ambiguous name ticked something", loc)
		}
		// A quoted title names one list exactly.
		f.Text("amy", `/checklist done "Reviews and Q&A (midday)" 2`)
		f.Text("amy", `/checklist done “评价与问大家(晚上)” 2`)
		if doneIdx(f, midday)[1] != "amy" || doneIdx(f, evening)[1] != "amy" {
			t.Errorf("%s: quoted titles: midday %v evening %v", loc, doneIdx(f, midday), doneIdx(f, evening))
		}
	}
}

// Items 11 and 17: a missed run can be ticked with /checklist done or
// late, marked late; lists 6,7 and ranges 1-3 work; item 15: ticking
// again says who did it and when.
func TestChecklistLateListsAndAlreadyDone(t *testing.T) {
	for _, loc := range []string{"en", "zh"} {
		f := handlerstest.New(t, func(c *config.Config) { c.Locale = loc })
		run := runAt(f, "shop-checks", 8, 0, checkrun.Missed) // 09:00 now: due at 08:30, missed
		got := f.Text("amy", "/checklist done shop-checks 1-3")
		if loc == "en" {
			handlerstest.Contains(t, got, "Marked late on the missed run of Shop and competitor checks:", "(3/7)", "⏰ Recorded late: the run was due at 08:30.")
		} else {
			handlerstest.Contains(t, got, "已在错过的 店铺与对手检查 上补登(标记为迟到)", "(3/7)", "⏰ 已记为补做:该清单原定 08:30 截止。")
		}
		lacks(t, got, "has not run yet", "还没有开始")
		f.Text("amy", "/checklist late shop-checks 6,7")
		done := doneIdx(f, run)
		for _, i := range []int{0, 1, 2, 5, 6} {
			if done[i] != "amy" {
				t.Errorf("%s: item %d not ticked: %v", loc, i+1, done)
			}
		}
		if len(done) != 5 {
			t.Errorf("%s: %d items ticked, want 5", loc, len(done))
		}
		if m := f.Queued("#shop-ops"); len(m) != 0 {
			t.Errorf("%s: a missed run has no message to update, yet %d were queued", loc, len(m))
		}
		// A posted run, open now: ticking again says who did it and when.
		run = runAt(f, "paid-search", 9, 0, checkrun.Posted)
		f.Text("amy", "/checklist done paid-search 1-2")
		got = f.Text("bob", "/checklist done paid-search 2")
		if loc == "en" {
			handlerstest.Contains(t, got, "was already done by @amy at 09:00")
			lacks(t, got, "✅ Checked")
		} else {
			handlerstest.Contains(t, got, "已由 @amy 于 09:00 完成")
		}
		if doneIdx(f, run)[1] != "amy" {
			t.Errorf("%s: ticking again changed who did it", loc)
		}
		got = f.Text("bob", "/checklist done paid-search 3-9")
		handlerstest.Contains(t, got, "`3-9`")
		if len(doneIdx(f, run)) != 2 {
			t.Errorf("%s: an out-of-range list ticked something", loc)
		}
	}
}

// lateFlags is which items of a run were recorded late, by index.
func lateFlags(f *handlerstest.Fixture, run checkrun.Run) map[int]bool {
	f.T.Helper()
	items, err := f.Store.Items(context.Background(), run.ID)
	if err != nil {
		f.T.Fatal(err)
	}
	out := map[int]bool{}
	for _, it := range items[run.ID] {
		out[it.Idx] = it.Late
	}
	return out
}

// Item 11: a person who starts mid-day records the work of a run missed
// while the bot was down with /checklist done, recorded late, and the
// name rules still hold: the run open now wins over a missed one, and a
// name that still fits several runs asks.
func TestChecklistDoneOnAMissedRun(t *testing.T) {
	for _, loc := range []string{"en", "zh"} {
		t.Run(loc, func(t *testing.T) {
			lateText := map[string]string{"en": "Marked late on the missed run", "zh": "上补登(标记为迟到)"}[loc]

			// A missed earlier run and nothing current: done records it late.
			f := handlerstest.New(t, func(c *config.Config) { c.Locale = loc })
			missed := runAt(f, "paid-search", 9, 0, checkrun.Missed)
			at(f, 11, 0)
			handlerstest.Contains(t, f.Text("amy", "/checklist done paid-search 1"), lateText)
			if doneIdx(f, missed)[0] != "amy" || !lateFlags(f, missed)[0] {
				t.Errorf("the missed run: done %v late %v; want item 1 by amy, late", doneIdx(f, missed), lateFlags(f, missed))
			}
			if m := f.Queued("#shop-ops"); len(m) != 0 {
				t.Errorf("a missed run has no message to update, yet %d were queued", len(m))
			}

			// The same checklist missed at 08:00 and open again at 10:00:
			// done ticks the open run, on time; late still reaches the
			// missed one.
			f = handlerstest.New(t, func(c *config.Config) { c.Locale = loc })
			missed = runAt(f, "shop-checks", 8, 0, checkrun.Missed)
			open := runAt(f, "shop-checks", 10, 0, checkrun.Posted)
			at(f, 10, 10)
			got := f.Text("amy", "/checklist done shop-checks 2")
			lacks(t, got, lateText)
			if doneIdx(f, open)[1] != "amy" || lateFlags(f, open)[1] || len(doneIdx(f, missed)) != 0 {
				t.Errorf("open %v missed %v; want item 2 of the open run, on time", doneIdx(f, open), doneIdx(f, missed))
			}
			handlerstest.Contains(t, f.Text("amy", "/checklist late shop-checks 3"), lateText)
			if doneIdx(f, missed)[2] != "amy" || !lateFlags(f, missed)[2] || len(doneIdx(f, open)) != 1 {
				t.Errorf("late: missed %v open %v; want item 3 of the missed run", doneIdx(f, missed), doneIdx(f, open))
			}

			// "reviews" fits the midday run, missed, and the evening run,
			// open now: the open one wins.
			f = handlerstest.New(t, func(c *config.Config) { c.Locale = loc })
			midday := runAt(f, "reviews-midday", 13, 0, checkrun.Missed)
			evening := runAt(f, "reviews-evening", 20, 0, checkrun.Posted)
			at(f, 20, 5)
			f.Text("amy", "/checklist done reviews 1")
			if len(doneIdx(f, midday)) != 0 || doneIdx(f, evening)[0] != "amy" {
				t.Errorf("midday %v evening %v; want the open evening run", doneIdx(f, midday), doneIdx(f, evening))
			}
			// At 21:00 neither is open: a missed run and a past one are
			// equally likely, so the bot asks and ticks nothing.
			at(f, 21, 0)
			got = f.Text("amy", "/checklist done reviews 2")
			handlerstest.Contains(t, got, "`reviews-midday`", "`reviews-evening`")
			if len(doneIdx(f, midday)) != 0 || len(doneIdx(f, evening)) != 1 {
				t.Errorf("an ambiguous name ticked something: midday %v evening %v", doneIdx(f, midday), doneIdx(f, evening))
			}
			// Named exactly, the missed midday run is recorded late.
			handlerstest.Contains(t, f.Text("amy", "/checklist done reviews-midday 2"), lateText)
			if !lateFlags(f, midday)[1] {
				t.Errorf("midday item 2 not recorded late: %v", lateFlags(f, midday))
			}
		})
	}
}
