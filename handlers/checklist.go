package handlers

import (
	"context"
	"errors"
	"strings"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/config"
	"opsbot/routine"
	"opsbot/store"
)

// ChecklistStore is what the checklist commands and buttons need.
type ChecklistStore interface {
	RunsOn(ctx context.Context, date string) ([]store.ChecklistRun, error)
	Run(ctx context.Context, id uint64) (store.ChecklistRun, error)
	Items(ctx context.Context, runIDs ...uint64) (map[uint64][]store.RunItem, error)
}

// checklist answers /checklist: today's runs, and checking items off.
func (r *Router) checklist(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if len(args) == 0 {
		return r.checklistToday(ctx, cmd)
	}
	switch strings.ToLower(args[0]) {
	case "done", "check", "完成":
		return r.checklistSet(ctx, cmd, args[1:], true)
	case "undo", "uncheck", "撤销":
		return r.checklistSet(ctx, cmd, args[1:], false)
	case "help", "帮助", "?":
		return chat.Reply{Ephemeral: true, Text: r.tr.T("checklist.help"), Blocks: []slack.Block{chat.Section(r.tr.T("checklist.help"))}}
	default:
		return chat.Error(r.tr.T("err.checklist_sub", chat.Escape(args[0])))
	}
}

func (r *Router) checklistToday(ctx context.Context, cmd chat.Command) chat.Reply {
	today := r.today(cmd)
	runs, err := r.store.RunsOn(ctx, today.String())
	if err != nil {
		return r.fail(cmd, "read runs", err)
	}
	header := r.tr.T("checklist.today", r.dayLabel(today))
	if len(runs) == 0 {
		return chat.Reply{Ephemeral: true, Text: header, Blocks: []slack.Block{chat.Header(header), chat.Section(r.tr.T("checklist.none_yet"))}}
	}
	views, err := r.views(ctx, runs)
	if err != nil {
		return r.fail(cmd, "read run items", err)
	}
	var lines []string
	for _, v := range views {
		lines = append(lines, "• "+routine.Summary(r.cfg, r.tr, v, cmd.At))
	}
	return chat.Reply{Ephemeral: true, Text: header, Blocks: []slack.Block{
		chat.Header(header), chat.Section(chat.Truncate(strings.Join(lines, "\n"), 2900)), chat.Context(r.tr.T("checklist.hint")),
	}}
}

func (r *Router) views(ctx context.Context, runs []store.ChecklistRun) ([]routine.View, error) {
	ids := make([]uint64, len(runs))
	for i, run := range runs {
		ids[i] = run.ID
	}
	items, err := r.store.Items(ctx, ids...)
	if err != nil {
		return nil, err
	}
	out := make([]routine.View, 0, len(runs))
	for _, run := range runs {
		cl, _ := r.findChecklist(run.Checklist)
		out = append(out, routine.NewView(run, cl, items[run.ID]))
	}
	return out, nil
}

func (r *Router) findChecklist(ref string) (config.Checklist, bool) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	for _, cl := range r.cfg.Checklists {
		if strings.ToLower(cl.ID) == ref {
			return cl, true
		}
	}
	for _, cl := range r.cfg.Checklists {
		if ref != "" && (strings.HasPrefix(strings.ToLower(cl.Title.En), ref) || strings.HasPrefix(cl.Title.Zh, ref)) {
			return cl, true
		}
	}
	return config.Checklist{}, false
}

// checklistSet checks items off (or back on) in today's latest run of a
// checklist: /checklist done NAME ITEM [ITEM…], items by number or by the
// start of their text.
func (r *Router) checklistSet(ctx context.Context, cmd chat.Command, args []string, done bool) chat.Reply {
	if len(args) < 2 {
		return chat.Error(r.tr.T("err.checklist_usage"))
	}
	matches := checklistMatches(r.cfg.Checklists, args[0])
	if len(matches) == 0 {
		return chat.Error(r.tr.T("err.checklist_unknown", chat.Escape(args[0])))
	}
	runs, err := r.store.RunsOn(ctx, r.today(cmd).String())
	if err != nil {
		return r.fail(cmd, "read runs", err)
	}
	pick, candidates := pickRun(matches, runs, cmd.At)
	if pick == nil && len(candidates) > 1 {
		return chat.Error(r.checklistAmbiguous(args[0], candidates))
	}
	if pick == nil {
		if len(matches) > 1 {
			return chat.Error(r.checklistAmbiguous(args[0], runChoicesOf(matches)))
		}
		return chat.Error(r.tr.T("err.checklist_no_run", chat.Escape(r.tr.Text(matches[0].Title))))
	}
	run, cl := &pick.run, pick.cl
	var problems []string
	rest := strings.Join(args[1:], " ")
	n := min(len(cl.Items), routine.MaxItems)
	idxs, outOfRange, allNumbers := parseItemRefs(args[1:], n)
	if allNumbers {
		for _, tok := range outOfRange {
			problems = append(problems, r.tr.T("err.checklist_item_range", tokenRef(tok), n))
		}
	} else {
		idxs = nil
		// Not numbers: the start of an item's text, in either language.
		needle := strings.ToLower(rest)
		for i, it := range cl.Items[:n] {
			if strings.HasPrefix(strings.ToLower(it.Text.En), needle) || strings.HasPrefix(it.Text.Zh, rest) {
				idxs = append(idxs, i)
				break
			}
		}
		if len(idxs) == 0 {
			problems = append(problems, r.tr.T("err.checklist_item_unknown", chat.Escape(rest)))
		}
	}
	if len(problems) > 0 {
		return r.problemListAs("err.nothing_changed", problems)
	}
	before, err := r.store.Items(ctx, run.ID)
	if err != nil {
		return r.fail(cmd, "read run items", err)
	}
	var already []string
	if done {
		// Ticking what someone already ticked says who and when, and
		// changes nothing for it.
		var fresh []int
		for _, i := range idxs {
			if it, ok := doneItem(before[run.ID], i); ok {
				already = append(already, r.tr.T("checklist.already", chat.Escape(r.tr.Text(cl.Items[i].Text)), it.DoneBy, it.DoneAt.In(r.cfg.Location).Format("15:04")))
				continue
			}
			fresh = append(fresh, i)
		}
		if len(fresh) == 0 {
			text := strings.Join(already, "\n")
			return chat.Reply{Ephemeral: true, Text: text, Blocks: []slack.Block{chat.Section(text)}}
		}
		idxs = fresh
	}
	v, err := r.setItems(ctx, *run, cl, idxs, done, cmd.UserID, cmd)
	if err != nil {
		return r.fail(cmd, "check items", err)
	}
	d, total := v.Progress()
	var names []string
	for _, i := range idxs {
		names = append(names, "“"+chat.Escape(r.tr.Text(cl.Items[i].Text))+"”")
	}
	key := "checklist.checked"
	if !done {
		key = "checklist.unchecked"
	}
	text := r.tr.T(key, strings.Join(names, ", "), chat.Escape(r.tr.Text(cl.Title)), d, total)
	if done && (run.State == store.RunMissed || cmd.At.After(run.DueAt)) {
		text += "\n" + r.tr.T("checklist.late", run.DueAt.In(r.cfg.Location).Format("15:04"))
	}
	if len(already) > 0 {
		text += "\n" + strings.Join(already, "\n")
	}
	return chat.Reply{Ephemeral: true, Text: text, Blocks: []slack.Block{chat.Section(text)}}
}

// checklistAmbiguous answers a name that could mean several runs.
func (r *Router) checklistAmbiguous(ref string, cs []runChoice) string {
	var names []string
	for _, c := range cs {
		title := r.tr.Text(c.cl.Title)
		names = append(names, "`"+chat.Escape(c.cl.ID)+"` (“"+chat.Escape(title)+"”)")
	}
	return r.tr.T("err.checklist_ambiguous", chat.Escape(ref), strings.Join(names, ", "), chat.Escape(cs[0].cl.ID))
}

func runChoicesOf(cls []config.Checklist) []runChoice {
	out := make([]runChoice, len(cls))
	for i, cl := range cls {
		out[i] = runChoice{cl: cl}
	}
	return out
}

// doneItem is the record of item idx of a run, if it was checked off.
func doneItem(items []store.RunItem, idx int) (store.RunItem, bool) {
	for _, it := range items {
		if it.Idx == idx {
			return it, true
		}
	}
	return store.RunItem{}, false
}

// setItems records items done or open and queues the in-place update of
// the run's message, in one transaction.
func (r *Router) setItems(ctx context.Context, run store.ChecklistRun, cl config.Checklist, idxs []int, done bool, user string, cmd chat.Command) (routine.View, error) {
	var v routine.View
	err := r.store.Tx(ctx, func(tx *store.Store) error {
		changed := false
		for _, i := range idxs {
			c, err := tx.SetItem(ctx, run.ID, i, done, user, cmd.At.UTC())
			if err != nil {
				return err
			}
			changed = changed || c
		}
		items, err := tx.Items(ctx, run.ID)
		if err != nil {
			return err
		}
		v = routine.NewView(run, cl, items[run.ID])
		if !changed || run.State == store.RunMissed {
			return nil // a missed run was never posted: there is no message to update
		}
		msg := routine.Message(r.cfg, r.tr, v)
		_, err = tx.Enqueue(ctx, store.Outgoing{Channel: run.Channel, Ref: run.Ref(), Op: store.OpUpdate, Text: msg.Text, Blocks: msg.Blocks})
		return err
	})
	if err == nil {
		r.notify()
	}
	return v, err
}

// checkFromButton toggles the item a checklist button stands for.
func (r *Router) checkFromButton(ctx context.Context, in chat.Interaction) chat.Outcome {
	runID, idx, ok := routine.ParseButtonValue(in.Value)
	if !ok {
		return chat.Outcome{Ephemeral: ptr(chat.Error(r.tr.T("err.button")))}
	}
	run, err := r.store.Run(ctx, runID)
	if errors.Is(err, store.ErrNotFound) {
		return chat.Outcome{Ephemeral: ptr(chat.Error(r.tr.T("err.button")))}
	}
	if err != nil {
		r.log.Error("read run", "run", runID, "err", err)
		return chat.Outcome{Ephemeral: ptr(chat.Error(r.tr.T("err.internal")))}
	}
	cl, ok := r.findChecklist(run.Checklist)
	if !ok || idx >= len(cl.Items) {
		return chat.Outcome{Ephemeral: ptr(chat.Error(r.tr.T("err.button")))}
	}
	items, err := r.store.Items(ctx, run.ID)
	if err != nil {
		r.log.Error("read items", "run", runID, "err", err)
		return chat.Outcome{Ephemeral: ptr(chat.Error(r.tr.T("err.internal")))}
	}
	done := true
	for _, it := range items[run.ID] {
		if it.Idx == idx {
			done = false
		}
	}
	if _, err := r.setItems(ctx, run, cl, []int{idx}, done, in.UserID, chat.Command{At: in.At}); err != nil {
		r.log.Error("check item", "run", runID, "err", err)
		return chat.Outcome{Ephemeral: ptr(chat.Error(r.tr.T("err.internal")))}
	}
	return chat.Outcome{}
}

func ptr[T any](v T) *T { return &v }
