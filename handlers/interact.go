package handlers

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/kpi"
	"opsbot/routine"
	"opsbot/store"
	"opsbot/tracked"
)

// Callback and action IDs of the bot's interactive pieces.
const (
	CallbackLogMetrics = "log_metrics"      // the modal, and the global shortcut that opens it
	ActionLogMetrics   = "open_log_metrics" // a button that opens the modal
	blockDate          = "date"
	blockShop          = "shop"
	metricBlockPrefix  = "metric:"
)

// modalMeta travels in the modal's private metadata: where it was opened,
// so the confirmation is posted there.
type modalMeta struct {
	Channel string `json:"c,omitempty"`
}

// Interact answers clicks, shortcuts, modal submissions and App Home.
func (r *Router) Interact(ctx context.Context, in chat.Interaction) chat.Outcome {
	if in.At.IsZero() {
		in.At = r.clock.Now()
	}
	switch {
	case in.Kind == chat.KindShortcut && in.CallbackID == CallbackLogMetrics,
		in.Kind == chat.KindAction && in.ActionID == ActionLogMetrics:
		v := r.logMetricsModal(in)
		return chat.Outcome{OpenModal: &v}
	case in.Kind == chat.KindAction && in.ActionID == routine.ActionCheck:
		return r.checkFromButton(ctx, in)
	case in.Kind == chat.KindSubmission && in.CallbackID == CallbackLogMetrics:
		return r.submitLogMetrics(ctx, in)
	case isItemInteraction(in):
		return r.interactItem(ctx, in)
	case in.Kind == chat.KindHome:
		v, err := r.home(ctx, in)
		if err != nil {
			r.log.Error("build home", "user", in.UserID, "err", err)
			return chat.Outcome{}
		}
		return chat.Outcome{Home: &v}
	default:
		r.log.Warn("interaction not handled", "kind", in.Kind, "callback", in.CallbackID, "action", in.ActionID)
		return chat.Outcome{}
	}
}

func plainText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, chat.Truncate(s, 75), false, false)
}

// logMetricsModal is the "Log metrics" form: a date, the shop when there
// are several, and one optional field per metric.
func (r *Router) logMetricsModal(in chat.Interaction) slack.ModalViewRequest {
	today := civil.Of(in.At, r.cfg.Location)
	meta, _ := json.Marshal(modalMeta{Channel: in.ChannelID})
	date := slack.NewDatePickerBlockElement("value")
	date.InitialDate = today.AddDays(-1).String()
	blocks := []slack.Block{slack.NewInputBlock(blockDate, plainText(r.tr.T("modal.date")), nil, date)}
	if len(r.cfg.Shops) > 1 {
		var opts []*slack.OptionBlockObject
		for _, s := range r.cfg.Shops {
			opts = append(opts, slack.NewOptionBlockObject(s.ID, plainText(s.Name), nil))
		}
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText(r.tr.T("modal.shop")), "value", opts...)
		if s, ok := r.cfg.DefaultShop(in.ChannelID); ok {
			sel.InitialOption = slack.NewOptionBlockObject(s.ID, plainText(s.Name), nil)
		}
		blocks = append(blocks, slack.NewInputBlock(blockShop, plainText(r.tr.T("modal.shop")), nil, sel))
	}
	metrics := r.catalog.All()
	// A modal holds at most 100 blocks: the metrics that do not fit are
	// named with the command that logs them, never silently dropped.
	room := chat.MaxViewBlocks - len(blocks)
	if len(metrics) > room {
		room--
	}
	for i, m := range metrics {
		if i == room {
			blocks = append(blocks, chat.Context(r.tr.T("modal.more_metrics", len(metrics)-room, chat.MaxViewBlocks, m.Key)))
			break
		}
		input := slack.NewPlainTextInputBlockElement(plainText(r.tr.T("modal.placeholder_"+kindName(m.Kind))), "value")
		block := slack.NewInputBlock(metricBlockPrefix+m.Key, plainText(r.tr.Text(m.Name)), nil, input)
		block.Optional = true
		blocks = append(blocks, block)
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackLogMetrics,
		Title:           plainText(r.tr.T("modal.title")),
		Submit:          plainText(r.tr.T("modal.submit")),
		Close:           plainText(r.tr.T("modal.close")),
		PrivateMetadata: string(meta),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

func kindName(k kpi.Kind) string {
	if k == kpi.Money {
		return "money"
	}
	return "count"
}

// submitLogMetrics validates the form exactly as the command does; errors
// go under their fields and nothing is stored. On success the figures and
// the channel's confirmation commit together.
func (r *Router) submitLogMetrics(ctx context.Context, in chat.Interaction) chat.Outcome {
	var meta modalMeta
	_ = json.Unmarshal([]byte(in.Metadata), &meta) // a bad value only loses the channel
	var tokens []string
	blockIDs := make([]string, 0, len(in.Values))
	for id := range in.Values {
		blockIDs = append(blockIDs, id)
	}
	sort.Strings(blockIDs)
	for _, id := range blockIDs {
		v := strings.TrimSpace(in.Values[id])
		if v == "" {
			continue
		}
		switch {
		case id == blockDate:
			tokens = append(tokens, "date="+v)
		case id == blockShop:
			tokens = append(tokens, "shop="+v)
		case strings.HasPrefix(id, metricBlockPrefix):
			tokens = append(tokens, strings.TrimPrefix(id, metricBlockPrefix)+"="+v)
		}
	}
	cmd := chat.Command{UserID: in.UserID, UserName: in.UserName, ChannelID: meta.Channel, At: in.At}
	f, problems := r.parseFigures(cmd, tokens, false)
	if len(problems) > 0 {
		errs := map[string]string{}
		for _, p := range problems {
			id := blockDate
			switch {
			case p.field == "shop" && len(r.cfg.Shops) > 1:
				id = blockShop
			case p.field != "" && p.field != "date" && p.field != "shop":
				id = metricBlockPrefix + p.field
			}
			if _, taken := errs[id]; !taken {
				errs[id] = chat.Truncate(p.reason, 150)
			}
		}
		return chat.Outcome{FieldErrors: errs}
	}
	if len(f.keys) == 0 {
		first := metricBlockPrefix + r.catalog.All()[0].Key
		return chat.Outcome{FieldErrors: map[string]string{first: r.tr.T("modal.nothing")}}
	}
	channel := meta.Channel
	if channel == "" {
		channel = r.cfg.Channels.Team
	}
	_, err := r.logFigures(ctx, in.UserID, f, in.At, func(tx *store.Store, reply chat.Reply) error {
		_, err := tx.Enqueue(ctx, store.Outgoing{Channel: channel, Op: "post", Text: reply.Text, Blocks: reply.Blocks})
		return err
	})
	if err != nil {
		r.log.Error("log metrics from modal", "user", in.UserID, "err", err)
		return chat.Outcome{FieldErrors: map[string]string{blockDate: r.tr.T("err.internal")}}
	}
	r.notify()
	return chat.Outcome{}
}

// home is the App Home tab: yesterday's KPIs for each shop, and a button
// to log the day's figures.
func (r *Router) home(ctx context.Context, in chat.Interaction) (slack.HomeTabViewRequest, error) {
	yesterday := civil.Of(in.At, r.cfg.Location).AddDays(-1)
	blocks := []slack.Block{chat.Header(r.tr.T("home.title", r.dayLabel(yesterday)))}
	for _, shop := range r.cfg.Shops {
		day, err := r.store.DayMetrics(ctx, shop.ID, yesterday.String())
		if err != nil {
			return slack.HomeTabViewRequest{}, err
		}
		if len(day) == 0 {
			blocks = append(blocks, chat.Section("*"+chat.Escape(shop.Name)+"*\n"+r.tr.T("home.nothing")))
			continue
		}
		var lines []string
		for _, key := range []string{"sales", "uv", "paid"} {
			if m, ok := r.catalog.Lookup(key); ok {
				if v, logged := day[key]; logged {
					lines = append(lines, r.tr.Text(m.Name)+" *"+kpi.Format(kpi.UnitOf(m.Kind), 0, v)+"*")
				}
			}
		}
		for _, d := range kpi.DeriveAll(day) {
			switch d.Key {
			case kpi.KeyConversionRate, kpi.KeyAOV, kpi.KeyROI:
				lines = append(lines, r.tr.Text(d.Name)+" *"+d.String()+"*"+r.gradeSuffix(d))
			}
		}
		blocks = append(blocks, chat.Section("*"+chat.Escape(shop.Name)+"*\n"+strings.Join(lines, "  ·  ")))
	}
	open, err := r.openForUser(ctx, in)
	if err != nil {
		return slack.HomeTabViewRequest{}, err
	}
	blocks = append(blocks, slack.NewDividerBlock(), chat.Section("*"+r.tr.T("home.open_title")+"*\n"+open))
	blocks = append(blocks, slack.NewActionBlock("home_actions",
		slack.NewButtonBlockElement(ActionLogMetrics, "home", plainText(r.tr.T("home.log"))).WithStyle(slack.StylePrimary)))
	blocks = append(blocks, chat.Context(r.tr.T("home.hint")))
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}, nil
}

// openForUser lists today's unchecked checklist items that are the user's:
// owned by them, or by a role they are in.
func (r *Router) openForUser(ctx context.Context, in chat.Interaction) (string, error) {
	today := civil.Of(in.At, r.cfg.Location)
	runs, err := r.store.RunsOn(ctx, today.String())
	if err != nil {
		return "", err
	}
	views, err := r.views(ctx, runs)
	if err != nil {
		return "", err
	}
	var lines []string
	more := 0
	// Problem orders the user has taken, nearest deadline first.
	items, err := r.store.OpenItems(ctx, store.ItemFilter{Assignee: in.UserID, Limit: 11})
	if err != nil {
		return "", err
	}
	for _, it := range items {
		if len(lines) == 10 {
			more++
			continue
		}
		lines = append(lines, tracked.Line(r.cfg, r.tr, it, in.At))
	}
	for _, v := range views {
		if v.Run.State == store.RunMissed {
			continue
		}
		for i, item := range v.Checklist.Items {
			if _, done := v.Done[i]; done || i >= routine.MaxItems || !r.owns(item.Owner, in.UserID, in.UserName) {
				continue
			}
			if len(lines) == 10 {
				more++
				continue
			}
			lines = append(lines, r.tr.T("home.open_item", chat.Escape(r.tr.Text(item.Text)), chat.Escape(r.tr.Text(v.Checklist.Title)), v.Run.DueAt.In(r.cfg.Location).Format("15:04")))
		}
	}
	if len(lines) == 0 {
		return r.tr.T("home.open_none"), nil
	}
	if more > 0 {
		lines = append(lines, r.tr.T("home.open_more", more))
	}
	return strings.Join(lines, "\n"), nil
}

// owns reports whether an item's owner is the user, directly or by role.
func (r *Router) owns(owner, userID, userName string) bool {
	owner = strings.TrimPrefix(strings.TrimSpace(owner), "@")
	if owner == "" {
		return false
	}
	match := func(m string) bool {
		m = strings.TrimPrefix(m, "@")
		return strings.EqualFold(m, userID) || (userName != "" && strings.EqualFold(m, userName))
	}
	if members, ok := r.cfg.Roles[owner]; ok {
		for _, m := range members {
			if match(m) {
				return true
			}
		}
		return false
	}
	return match(owner)
}
