// The message renders the team's scheduled checklists: the message a
// run posts (one button per item, progress, who did what) and the nudge
// that lists what is still open at the due time. Posting (jobs) and
// checking off (handlers) share it, so the message looks the same however
// it changed.

package checklist

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/checklist/checkrun"
	"opsbot/config"
	"opsbot/handlers/command"
	"opsbot/i18n"
)

// ActionCheck is the action ID of an item's button; its value is
// "RUN:INDEX" (compact, as Slack limits values to 2,000 characters).
const ActionCheck = "check_item"

// maxItems keeps a checklist message inside Block Kit's 50 blocks.
const maxItems = 45

// View is a run with its checklist and the items checked so far.
type View struct {
	Run       checkrun.Run
	Checklist config.Checklist
	Done      map[int]checkrun.Check
}

// newView indexes a run's checked items.
func newView(run checkrun.Run, cl config.Checklist, items []checkrun.Check) View {
	v := View{Run: run, Checklist: cl, Done: map[int]checkrun.Check{}}
	for _, it := range items {
		v.Done[it.Idx] = it
	}
	return v
}

// Progress counts the items done and in all.
func (v View) Progress() (done, total int) {
	total = min(len(v.Checklist.Items), maxItems)
	for i := 0; i < total; i++ {
		if _, ok := v.Done[i]; ok {
			done++
		}
	}
	return done, total
}

// buttonValue is the compact value an item's button carries.
func buttonValue(runID uint64, idx int) string { return fmt.Sprintf("%d:%d", runID, idx) }

// parseButtonValue reads a button value back.
func parseButtonValue(v string) (runID uint64, idx int, ok bool) {
	a, b, found := strings.Cut(v, ":")
	if !found {
		return 0, 0, false
	}
	id, err1 := strconv.ParseUint(a, 10, 64)
	i, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || i < 0 || i >= maxItems {
		return 0, 0, false
	}
	return id, i, true
}

// Message is the run's message: title, time and progress, one line and
// button per item, and who checked what.
func Message(cfg *config.Config, tr i18n.Printer, v View) chat.Reply {
	loc := cfg.Location
	title := tr.Text(v.Checklist.Title)
	done, total := v.Progress()
	blocks := []slack.Block{chat.Header(title)}
	meta := tr.T("routine.meta", v.Run.ScheduledAt.In(loc).Format("15:04"), v.Run.DueAt.In(loc).Format("15:04"), done, total)
	if v.Run.State == checkrun.Late {
		meta += " · " + tr.T("routine.late")
	}
	if v.Run.Note != "" {
		meta += " · " + chat.Escape(v.Run.Note)
	}
	blocks = append(blocks, chat.Context(meta))
	for i, item := range v.Checklist.Items {
		if i >= maxItems {
			break
		}
		text := chat.Escape(tr.Text(item.Text))
		line := "☐ " + text
		label, style := tr.T("routine.done_button"), slack.StylePrimary
		if it, ok := v.Done[i]; ok {
			line = "✅ ~" + text + "~ — " + chat.Mention(it.DoneBy) + " " + it.DoneAt.In(loc).Format("15:04")
			label, style = tr.T("routine.undo_button"), slack.StyleDefault
		} else if o := command.OwnerMention(cfg, tr, item.Owner); o != "" {
			line += "  ·  " + o
		}
		btn := slack.NewButtonBlockElement(ActionCheck, buttonValue(v.Run.ID, i), slack.NewTextBlockObject(slack.PlainTextType, label, false, false))
		btn.Style = style
		blocks = append(blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, chat.Fit(line, chat.MaxSectionText), false, false), nil, slack.NewAccessory(btn)))
	}
	if done == total && total > 0 {
		blocks = append(blocks, chat.Context(tr.T("routine.all_done")))
	}
	return chat.Reply{Blocks: blocks, Text: tr.T("routine.plain", title, done, total)}
}

// Nudge lists the items still open when a run is due, with their owners;
// ok is false when nothing is open.
func Nudge(cfg *config.Config, tr i18n.Printer, v View) (chat.Reply, bool) {
	var lines []string
	for i, item := range v.Checklist.Items {
		if i >= maxItems {
			break
		}
		if _, ok := v.Done[i]; ok {
			continue
		}
		line := "• " + chat.Escape(tr.Text(item.Text))
		if o := command.OwnerMention(cfg, tr, item.Owner); o != "" {
			line += " — " + o
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return chat.Reply{}, false
	}
	title := tr.Text(v.Checklist.Title)
	head := tr.T("routine.nudge", chat.Escape(title), v.Run.DueAt.In(cfg.Location).Format("15:04"), len(lines))
	text := head + "\n" + strings.Join(lines, "\n")
	return chat.Reply{Text: tr.T("routine.nudge_plain", title, len(lines)), Blocks: []slack.Block{chat.Section(chat.Truncate(text, 2900))}}, true
}

// summary is one line about a run for lists (/checklist).
func summary(cfg *config.Config, tr i18n.Printer, v View, now time.Time) string {
	done, total := v.Progress()
	s := fmt.Sprintf("*%s* %s — %d/%d", chat.Escape(tr.Text(v.Checklist.Title)), v.Run.ScheduledAt.In(cfg.Location).Format("15:04"), done, total)
	switch {
	case v.Run.State == checkrun.Missed:
		s += " · " + tr.T("routine.missed")
	case done < total && !now.Before(v.Run.DueAt):
		s += " · " + tr.T("routine.overdue")
	}
	return s
}
