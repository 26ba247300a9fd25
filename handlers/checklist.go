package handlers

import (
	"context"
	"errors"
	"strconv"
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
		return r.checklistSet(ctx, cmd, args[1:], true, false)
	case "undo", "uncheck", "撤销":
		return r.checklistSet(ctx, cmd, args[1:], false, false)
	case "late", "补登":
		return r.checklistSet(ctx, cmd, args[1:], true, true)
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
//
// With late, it ticks items of today's latest missed run instead (a run
// that was never posted because the bot was down), marked late: the only
// way a missed run is ticked.
func (r *Router) checklistSet(ctx context.Context, cmd chat.Command, args []string, done, late bool) chat.Reply {
	if len(args) < 2 {
		return chat.Error(r.tr.T("err.checklist_usage"))
	}
	cl, ok := r.findChecklist(args[0])
	if !ok {
		return chat.Error(r.tr.T("err.checklist_unknown", chat.Escape(args[0])))
	}
	runs, err := r.store.RunsOn(ctx, r.today(cmd).String())
	if err != nil {
		return r.fail(cmd, "read runs", err)
	}
	var run, missed *store.ChecklistRun
	for i := range runs {
		if runs[i].Checklist != cl.ID || runs[i].ScheduledAt.After(cmd.At) {
			continue
		}
		if runs[i].State == store.RunMissed {
			missed = &runs[i]
		} else {
			run = &runs[i]
		}
	}
	switch {
	case late && missed == nil:
		return chat.Error(r.tr.T("access.err_no_missed", chat.Escape(r.tr.Text(cl.Title))))
	case late:
		run = missed
	case run == nil && missed != nil:
		return chat.Error(r.tr.T("access.err_missed_run", chat.Escape(r.tr.Text(cl.Title)), cl.ID))
	case run == nil:
		return chat.Error(r.tr.T("err.checklist_no_run", chat.Escape(r.tr.Text(cl.Title))))
	}
	var idxs []int
	var problems []string
	rest := strings.Join(args[1:], " ")
	allNumbers := true
	for _, tok := range args[1:] {
		if _, err := strconv.Atoi(tok); err != nil {
			allNumbers = false
		}
	}
	n := min(len(cl.Items), routine.MaxItems)
	if allNumbers {
		for _, tok := range args[1:] {
			i, _ := strconv.Atoi(tok)
			if i < 1 || i > n {
				problems = append(problems, r.tr.T("err.checklist_item_range", tokenRef(tok), n))
				continue
			}
			idxs = append(idxs, i-1)
		}
	} else {
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
	var v routine.View
	if late {
		v, err = r.setLate(ctx, *run, cl, idxs, cmd)
	} else {
		v, err = r.setItems(ctx, *run, cl, idxs, done, cmd.UserID, cmd)
	}
	if err != nil {
		return r.fail(cmd, "check items", err)
	}
	d, total := v.Progress()
	var names []string
	for _, i := range idxs {
		names = append(names, "“"+chat.Escape(r.tr.Text(cl.Items[i].Text))+"”")
	}
	if late {
		text := r.tr.T("access.late_checked", strings.Join(names, ", "), chat.Escape(r.tr.Text(cl.Title)), d, total)
		return chat.Reply{Ephemeral: true, Text: text, Blocks: []slack.Block{chat.Section(text)}}
	}
	key := "checklist.checked"
	if !done {
		key = "checklist.unchecked"
	}
	text := r.tr.T(key, strings.Join(names, ", "), chat.Escape(r.tr.Text(cl.Title)), d, total)
	return chat.Reply{Ephemeral: true, Text: text, Blocks: []slack.Block{chat.Section(text)}}
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
		if !changed {
			return nil
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

// setLate records items of a missed run as done late. The run has no
// message (it was never posted), so nothing is queued.
func (r *Router) setLate(ctx context.Context, run store.ChecklistRun, cl config.Checklist, idxs []int, cmd chat.Command) (routine.View, error) {
	var v routine.View
	err := r.store.Tx(ctx, func(tx *store.Store) error {
		for _, i := range idxs {
			if _, err := tx.SetItemLate(ctx, run.ID, i, cmd.UserID, cmd.At); err != nil {
				return err
			}
		}
		items, err := tx.Items(ctx, run.ID)
		v = routine.NewView(run, cl, items[run.ID])
		return err
	})
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
	if !ok || idx >= len(cl.Items) || idx >= routine.MaxItems {
		return chat.Outcome{Ephemeral: ptr(chat.Error(r.tr.T("err.button")))}
	}
	// Only the run's own posted message carries its buttons; a missed run
	// was never posted, and is ticked only by /checklist late.
	if run.State == store.RunMissed {
		return chat.Outcome{Ephemeral: ptr(chat.Error(r.tr.T("access.err_missed_run", chat.Escape(r.tr.Text(cl.Title)), cl.ID)))}
	}
	if posted, err := r.postedAt(ctx, in, run.Ref()); err != nil {
		r.log.Error("check a button's message", "run", runID, "err", err)
		return chat.Outcome{Ephemeral: ptr(chat.Error(r.tr.T("err.internal")))}
	} else if !posted {
		r.log.Warn("refused a button not on the run's message", "run", runID, "user", in.UserID, "channel", in.ChannelID, "ts", in.MessageTS)
		return chat.Outcome{Ephemeral: ptr(chat.Error(r.tr.T("access.err_provenance")))}
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
