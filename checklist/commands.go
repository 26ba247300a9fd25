package checklist

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/checklist/checkrun"
	"opsbot/config"
	"opsbot/handlers/command"
	"opsbot/store"
)

// Command answers /checklist: today's runs, and checking items off.
func (r *Commands) Command(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if len(args) == 0 {
		return r.checklistToday(ctx, cmd)
	}
	switch strings.ToLower(args[0]) {
	case "done", "check", "完成":
		return r.checklistSet(ctx, cmd, args[1:], true)
	case "undo", "uncheck", "撤销":
		return r.checklistSet(ctx, cmd, args[1:], false)
	case "late", "补登":
		return r.checklistLate(ctx, cmd, args[1:])
	case "help", "帮助", "?":
		return chat.Note(r.Tr.T("checklist.help"))
	default:
		return chat.Error(r.Tr.T("err.checklist_sub", chat.Escape(args[0])))
	}
}

func (r *Commands) checklistToday(ctx context.Context, cmd chat.Command) chat.Reply {
	today := r.Today(cmd)
	runs, err := r.store.RunsOn(ctx, today.String())
	if err != nil {
		return r.Fail(cmd, "read runs", err)
	}
	header := r.Tr.T("checklist.today", r.DayLabel(today))
	if len(runs) == 0 {
		return chat.Reply{Ephemeral: true, Text: header, Blocks: []slack.Block{chat.Header(header), chat.Section(r.Tr.T("checklist.none_yet"))}}
	}
	views, err := r.views(ctx, runs)
	if err != nil {
		return r.Fail(cmd, "read run items", err)
	}
	var lines []string
	for _, v := range views {
		lines = append(lines, "• "+summary(r.Cfg, r.Tr, v, cmd.At))
	}
	return chat.Reply{Ephemeral: true, Text: header, Blocks: []slack.Block{
		chat.Header(header), chat.Section(chat.Truncate(strings.Join(lines, "\n"), 2900)), chat.Context(r.Tr.T("checklist.hint")),
	}}
}

func (r *Commands) views(ctx context.Context, runs []checkrun.Run) ([]View, error) {
	ids := make([]uint64, len(runs))
	for i, run := range runs {
		ids[i] = run.ID
	}
	items, err := r.store.Items(ctx, ids...)
	if err != nil {
		return nil, err
	}
	out := make([]View, 0, len(runs))
	for _, run := range runs {
		cl, _ := r.findChecklist(run.Checklist)
		out = append(out, newView(run, cl, items[run.ID]))
	}
	return out, nil
}

func (r *Commands) findChecklist(ref string) (config.Checklist, bool) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	for _, cl := range r.Cfg.Checklists {
		if strings.ToLower(cl.ID) == ref {
			return cl, true
		}
	}
	for _, cl := range r.Cfg.Checklists {
		if ref != "" && (strings.HasPrefix(strings.ToLower(cl.Title.En), ref) || strings.HasPrefix(cl.Title.Zh, ref)) {
			return cl, true
		}
	}
	return config.Checklist{}, false
}

// checklistSet checks items off (or back on) in today's run of a
// checklist: /checklist done NAME ITEM [ITEM…], items by number, list
// (6,7), range (1-3) or the start of their text. NAME may be quoted.
func (r *Commands) checklistSet(ctx context.Context, cmd chat.Command, args []string, done bool) chat.Reply {
	if len(args) < 2 {
		return chat.Error(r.Tr.T("err.checklist_usage"))
	}
	matches := checklistMatches(r.Cfg.Checklists, args[0])
	if len(matches) == 0 {
		return chat.Error(r.Tr.T("err.checklist_unknown", chat.Escape(args[0])))
	}
	runs, err := r.store.RunsOn(ctx, r.Today(cmd).String())
	if err != nil {
		return r.Fail(cmd, "read runs", err)
	}
	pick, candidates := pickRun(matches, runs, cmd.At)
	switch {
	case pick == nil && len(candidates) > 1:
		return chat.Error(r.checklistAmbiguous(args[0], candidates))
	case pick == nil && len(matches) > 1:
		return chat.Error(r.checklistAmbiguous(args[0], runChoicesOf(matches)))
	case pick == nil:
		return chat.Error(r.Tr.T("err.checklist_no_run", chat.Escape(r.Tr.Text(matches[0].Title))))
	}
	// A run missed while the bot was down (never posted) is ticked like
	// any other: someone who starts mid-day records the work done for
	// it, and it is recorded late, as /checklist late does.
	run, cl := pick.run, pick.cl
	idxs, problems := r.parseItems(cl, args[1:])
	if len(problems) > 0 {
		return r.ProblemListAs("err.nothing_changed", problems)
	}
	var already []string
	if done {
		// Ticking what someone already ticked says who and when, and
		// changes nothing for it.
		if idxs, already, err = r.notDoneYet(ctx, run, cl, idxs); err != nil {
			return r.Fail(cmd, "read run items", err)
		}
		if len(idxs) == 0 {
			text := strings.Join(already, "\n")
			return chat.Note(text)
		}
	}
	v, err := r.setItems(ctx, run, cl, idxs, done, cmd.UserID, cmd)
	if err != nil {
		return r.Fail(cmd, "check items", err)
	}
	reply := r.checkedReply(cl, v, idxs, done)
	var extra []string
	switch {
	case done && run.State == checkrun.Missed:
		reply = r.lateReply(cl, v, idxs)
		extra = append(extra, r.Tr.T("checklist.late", run.DueAt.In(r.Cfg.Location).Format("15:04")))
	case done && cmd.At.After(run.DueAt):
		extra = append(extra, r.Tr.T("checklist.late", run.DueAt.In(r.Cfg.Location).Format("15:04")))
	}
	if extra = append(extra, already...); len(extra) > 0 {
		reply.Text += "\n" + strings.Join(extra, "\n")
		reply.Blocks = []slack.Block{chat.Section(reply.Text)}
	}
	return reply
}

// checklistLate ticks items of today's latest missed run (never posted,
// because the bot was down at its time), marked late: /checklist late NAME
// ITEM…, even when a later run of the checklist is open now (which
// /checklist done would pick). Nothing is queued, as the run has no
// message.
func (r *Commands) checklistLate(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if len(args) < 2 {
		return chat.Error(r.Tr.T("err.checklist_usage"))
	}
	cl, ok := r.findChecklist(args[0])
	if !ok {
		return chat.Error(r.Tr.T("err.checklist_unknown", chat.Escape(args[0])))
	}
	_, missed, err := r.latestRun(ctx, cmd, cl)
	if err != nil {
		return r.Fail(cmd, "read runs", err)
	}
	if missed == nil {
		return chat.Error(r.Tr.T("access.err_no_missed", chat.Escape(r.Tr.Text(cl.Title))))
	}
	idxs, problems := r.parseItems(cl, args[1:])
	if len(problems) > 0 {
		return r.ProblemListAs("err.nothing_changed", problems)
	}
	var v View
	err = r.store.Tx(ctx, func(tx *store.Store) error {
		for _, i := range idxs {
			if _, err := tx.SetItemLate(ctx, missed.ID, i, cmd.UserID, cmd.At); err != nil {
				return err
			}
		}
		items, err := tx.Items(ctx, missed.ID)
		v = newView(*missed, cl, items[missed.ID])
		return err
	})
	if err != nil {
		return r.Fail(cmd, "check items late", err)
	}
	return r.lateReply(cl, v, idxs)
}

// lateReply says which items were recorded late on a missed run, and the
// run's progress.
func (r *Commands) lateReply(cl config.Checklist, v View, idxs []int) chat.Reply {
	d, total := v.Progress()
	var names []string
	for _, i := range idxs {
		names = append(names, "“"+chat.Escape(r.Tr.Text(cl.Items[i].Text))+"”")
	}
	text := r.Tr.T("access.late_checked", strings.Join(names, ", "), chat.Escape(r.Tr.Text(cl.Title)), d, total)
	return chat.Note(text)
}

// latestRun is today's latest run of a checklist that has started and was
// not missed, and the latest that was missed; nil for none.
func (r *Commands) latestRun(ctx context.Context, cmd chat.Command, cl config.Checklist) (run, missed *checkrun.Run, err error) {
	runs, err := r.store.RunsOn(ctx, r.Today(cmd).String())
	if err != nil {
		return nil, nil, err
	}
	for i := range runs {
		if runs[i].Checklist != cl.ID || runs[i].ScheduledAt.After(cmd.At) {
			continue
		}
		if runs[i].State == checkrun.Missed {
			missed = &runs[i]
		} else {
			run = &runs[i]
		}
	}
	return run, missed, nil
}

// notDoneYet splits items into those still open and lines saying who did
// the others, and when.
func (r *Commands) notDoneYet(ctx context.Context, run checkrun.Run, cl config.Checklist, idxs []int) ([]int, []string, error) {
	before, err := r.store.Items(ctx, run.ID)
	if err != nil {
		return nil, nil, err
	}
	var fresh []int
	var already []string
	for _, i := range idxs {
		if it, ok := doneItem(before[run.ID], i); ok {
			already = append(already, r.Tr.T("checklist.already", chat.Escape(r.Tr.Text(cl.Items[i].Text)), it.DoneBy, it.DoneAt.In(r.Cfg.Location).Format("15:04")))
			continue
		}
		fresh = append(fresh, i)
	}
	return fresh, already, nil
}

// checklistAmbiguous answers a name that could mean several runs.
func (r *Commands) checklistAmbiguous(ref string, cs []runChoice) string {
	var names []string
	for _, c := range cs {
		names = append(names, "`"+chat.Escape(c.cl.ID)+"` (“"+chat.Escape(r.Tr.Text(c.cl.Title))+"”)")
	}
	return r.Tr.T("err.checklist_ambiguous", chat.Escape(ref), strings.Join(names, ", "), chat.Escape(cs[0].cl.ID))
}

func runChoicesOf(cls []config.Checklist) []runChoice {
	out := make([]runChoice, len(cls))
	for i, cl := range cls {
		out[i] = runChoice{cl: cl}
	}
	return out
}

// doneItem is the record of item idx of a run, if it was checked off.
func doneItem(items []checkrun.Check, idx int) (checkrun.Check, bool) {
	for _, it := range items {
		if it.Idx == idx {
			return it, true
		}
	}
	return checkrun.Check{}, false
}

// parseItems reads the items to check: numbers, lists and ranges, or else
// the start of an item's text in either language.
func (r *Commands) parseItems(cl config.Checklist, toks []string) (idxs []int, problems []string) {
	n := min(len(cl.Items), maxItems)
	if idxs, outOfRange, numbers := parseItemRefs(toks, n); numbers {
		for _, tok := range outOfRange {
			problems = append(problems, r.Tr.T("err.checklist_item_range", command.TokenRef(tok), n))
		}
		return idxs, problems
	}
	rest := strings.Join(toks, " ")
	needle := strings.ToLower(rest)
	for i, it := range cl.Items[:n] {
		if strings.HasPrefix(strings.ToLower(it.Text.En), needle) || strings.HasPrefix(it.Text.Zh, rest) {
			return []int{i}, nil
		}
	}
	return nil, []string{r.Tr.T("err.checklist_item_unknown", chat.Escape(rest))}
}

// checkedReply says which items were checked (or opened) and the progress.
func (r *Commands) checkedReply(cl config.Checklist, v View, idxs []int, done bool) chat.Reply {
	d, total := v.Progress()
	var names []string
	for _, i := range idxs {
		names = append(names, "“"+chat.Escape(r.Tr.Text(cl.Items[i].Text))+"”")
	}
	key := "checklist.checked"
	if !done {
		key = "checklist.unchecked"
	}
	text := r.Tr.T(key, strings.Join(names, ", "), chat.Escape(r.Tr.Text(cl.Title)), d, total)
	return chat.Note(text)
}

// setItems records items done or open and queues the in-place update of
// the run's message, in one transaction.
func (r *Commands) setItems(ctx context.Context, run checkrun.Run, cl config.Checklist, idxs []int, done bool, user string, cmd chat.Command) (View, error) {
	var v View
	err := r.store.Tx(ctx, func(tx *store.Store) error {
		changed := false
		for _, i := range idxs {
			set := tx.SetItem
			if done && run.State == checkrun.Missed {
				// Work for a run missed while the bot was down is recorded late.
				set = func(ctx context.Context, runID uint64, idx int, _ bool, user string, at time.Time) (bool, error) {
					return tx.SetItemLate(ctx, runID, idx, user, at)
				}
			}
			c, err := set(ctx, run.ID, i, done, user, cmd.At.UTC())
			if err != nil {
				return err
			}
			changed = changed || c
		}
		items, err := tx.Items(ctx, run.ID)
		if err != nil {
			return err
		}
		v = newView(run, cl, items[run.ID])
		if !changed || run.State == checkrun.Missed {
			return nil // a missed run was never posted: there is no message to update
		}
		msg := Message(r.Cfg, r.Tr, v)
		_, err = chat.Enqueue(ctx, tx, store.Outgoing{Channel: run.Channel, Ref: run.Ref(), Op: store.OpUpdate}, msg)
		return err
	})
	if err == nil {
		r.Notify()
	}
	return v, err
}

// Check toggles the item a checklist button stands for.
func (r *Commands) Check(ctx context.Context, in chat.Interaction) chat.Outcome {
	runID, idx, ok := parseButtonValue(in.Value)
	if !ok {
		return chat.Outcome{Ephemeral: command.Ptr(chat.Error(r.Tr.T("err.button")))}
	}
	run, err := r.store.Run(ctx, runID)
	if errors.Is(err, store.ErrNotFound) {
		return chat.Outcome{Ephemeral: command.Ptr(chat.Error(r.Tr.T("err.button")))}
	}
	if err != nil {
		r.Log.Error("read run", "run", runID, "err", err)
		return chat.Outcome{Ephemeral: command.Ptr(chat.Error(r.Tr.T("err.internal")))}
	}
	cl, ok := r.findChecklist(run.Checklist)
	if !ok || idx >= len(cl.Items) || idx >= maxItems {
		return chat.Outcome{Ephemeral: command.Ptr(chat.Error(r.Tr.T("err.button")))}
	}
	// Only the run's own posted message carries its buttons; a missed run
	// was never posted, and is ticked by /checklist done or late.
	if run.State == checkrun.Missed {
		return chat.Outcome{Ephemeral: command.Ptr(chat.Error(r.Tr.T("access.err_missed_run", chat.Escape(r.Tr.Text(cl.Title)), cl.ID)))}
	}
	if posted, err := command.PostedAt(ctx, r.store, in, run.Ref()); err != nil {
		r.Log.Error("check a button's message", "run", runID, "err", err)
		return chat.Outcome{Ephemeral: command.Ptr(chat.Error(r.Tr.T("err.internal")))}
	} else if !posted {
		r.Log.Warn("refused a button not on the run's message", "run", runID, "user", in.UserID, "channel", in.ChannelID, "ts", in.MessageTS)
		return chat.Outcome{Ephemeral: command.Ptr(chat.Error(r.Tr.T("access.err_provenance")))}
	}
	items, err := r.store.Items(ctx, run.ID)
	if err != nil {
		r.Log.Error("read items", "run", runID, "err", err)
		return chat.Outcome{Ephemeral: command.Ptr(chat.Error(r.Tr.T("err.internal")))}
	}
	done := true
	for _, it := range items[run.ID] {
		if it.Idx == idx {
			done = false
		}
	}
	if _, err := r.setItems(ctx, run, cl, []int{idx}, done, in.UserID, chat.Command{At: in.At}); err != nil {
		r.Log.Error("check item", "run", runID, "err", err)
		return chat.Outcome{Ephemeral: command.Ptr(chat.Error(r.Tr.T("err.internal")))}
	}
	return chat.Outcome{}
}
