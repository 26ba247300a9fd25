package handlers

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/metric"
	"opsbot/store"
	"opsbot/tracked"
)

// home is the App Home tab: yesterday's KPIs for each shop, and a button
// to log the day's figures.
func (r *Router) home(ctx context.Context, in chat.Interaction) (slack.HomeTabViewRequest, error) {
	yesterday := civil.Of(in.At, r.Cfg.Location).AddDays(-1)
	blocks := []slack.Block{chat.Header(r.Tr.T("home.title", r.DayLabel(yesterday)))}
	for _, shop := range r.Cfg.Shops {
		b, err := r.metric.HomeSection(ctx, shop, yesterday)
		if err != nil {
			return slack.HomeTabViewRequest{}, err
		}
		blocks = append(blocks, b)
	}
	open, err := r.openForUser(ctx, in)
	if err != nil {
		return slack.HomeTabViewRequest{}, err
	}
	blocks = append(blocks, slack.NewDividerBlock(), chat.Section("*"+r.Tr.T("home.open_title")+"*\n"+open))
	blocks = append(blocks, slack.NewActionBlock("home_actions",
		slack.NewButtonBlockElement(metric.ActionLogMetrics, "home", chat.PlainText(r.Tr.T("home.log"))).WithStyle(slack.StylePrimary)))
	blocks = append(blocks, chat.Context(r.Tr.T("home.hint")))
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}, nil
}

// openForUser lists what is the user's to do: the problem orders they
// have taken, nearest deadline first, then today's unchecked checklist
// items that are theirs.
func (r *Router) openForUser(ctx context.Context, in chat.Interaction) (string, error) {
	var lines []string
	more := 0
	add := func(l string) {
		if len(lines) == 10 {
			more++
			return
		}
		lines = append(lines, l)
	}
	items, err := r.store.OpenItems(ctx, store.ItemFilter{Assignee: in.UserID, Limit: 11})
	if err != nil {
		return "", err
	}
	for _, it := range items {
		add(tracked.Line(r.Cfg, r.Tr, it, in.At))
	}
	todo, err := r.checklist.OpenFor(ctx, in)
	if err != nil {
		return "", err
	}
	for _, l := range todo {
		add(l)
	}
	if len(lines) == 0 {
		return r.Tr.T("home.open_none"), nil
	}
	if more > 0 {
		lines = append(lines, r.Tr.T("home.open_more", more))
	}
	return strings.Join(lines, "\n"), nil
}
