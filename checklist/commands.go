package checklist

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"opsbot/chat"
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
	case "help", "帮助", "?":
		return chat.Reply{Ephemeral: true, Text: r.Tr.T("checklist.help"), Blocks: []slack.Block{chat.Section(r.Tr.T("checklist.help"))}}
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

func (r *Commands) views(ctx context.Context, runs []store.ChecklistRun) ([]View, error) {
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

// checklistSet checks items off (or back on) in today's latest run of a
// checklist: /checklist done NAME ITEM [ITEM…], items by number or by the
// start of their text.
func (r *Commands) checklistSet(ctx context.Context, cmd chat.Command, args []string, done bool) chat.Reply {
	if len(args) < 2 {
		return chat.Error(r.Tr.T("err.checklist_usage"))
	}
	cl, ok := r.findChecklist(args[0])
	if !ok {
		return chat.Error(r.Tr.T("err.checklist_unknown", chat.Escape(args[0])))
	}
	run, err := r.latestRun(ctx, cmd, cl)
	if err != nil {
		return r.Fail(cmd, "read runs", err)
	}
	if run == nil {
		return chat.Error(r.Tr.T("err.checklist_no_run", chat.Escape(r.Tr.Text(cl.Title))))
	}
	idxs, problems := r.parseItems(cl, args[1:])
	if len(problems) > 0 {
		return r.ProblemListAs("err.nothing_changed", problems)
	}
	v, err := r.setItems(ctx, *run, cl, idxs, done, cmd.UserID, cmd)
	if err != nil {
		return r.Fail(cmd, "check items", err)
	}
	return r.checkedReply(cl, v, idxs, done)
}

// latestRun is today's latest run of a checklist that has started and was
// not missed; nil if there is none.
func (r *Commands) latestRun(ctx context.Context, cmd chat.Command, cl config.Checklist) (*store.ChecklistRun, error) {
	runs, err := r.store.RunsOn(ctx, r.Today(cmd).String())
	if err != nil {
		return nil, err
	}
	var run *store.ChecklistRun
	for i := range runs {
		if runs[i].Checklist == cl.ID && runs[i].State != store.RunMissed && !runs[i].ScheduledAt.After(cmd.At) {
			run = &runs[i]
		}
	}
	return run, nil
}

// parseItems reads the items to check: numbers, or else the start of an
// item's text in either language.
func (r *Commands) parseItems(cl config.Checklist, toks []string) (idxs []int, problems []string) {
	allNumbers := true
	for _, tok := range toks {
		if _, err := strconv.Atoi(tok); err != nil {
			allNumbers = false
		}
	}
	n := min(len(cl.Items), maxItems)
	if allNumbers {
		for _, tok := range toks {
			i, _ := strconv.Atoi(tok)
			if i < 1 || i > n {
				problems = append(problems, r.Tr.T("err.checklist_item_range", command.TokenRef(tok), n))
				continue
			}
			idxs = append(idxs, i-1)
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
	return chat.Reply{Ephemeral: true, Text: text, Blocks: []slack.Block{chat.Section(text)}}
}

// setItems records items done or open and queues the in-place update of
// the run's message, in one transaction.
func (r *Commands) setItems(ctx context.Context, run store.ChecklistRun, cl config.Checklist, idxs []int, done bool, user string, cmd chat.Command) (View, error) {
	var v View
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
		v = newView(run, cl, items[run.ID])
		if !changed {
			return nil
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
	if !ok || idx >= len(cl.Items) {
		return chat.Outcome{Ephemeral: command.Ptr(chat.Error(r.Tr.T("err.button")))}
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
