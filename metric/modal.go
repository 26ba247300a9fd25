package metric

import (
	"context"
	"sort"
	"strings"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/handlers/command"
	"opsbot/store"
)

// Callback and action IDs of the bot's interactive pieces.
const (
	CallbackLogMetrics = "log_metrics"      // the modal, and the global shortcut that opens it
	ActionLogMetrics   = "open_log_metrics" // a button that opens the modal
	blockDate          = "date"
	metricBlockPrefix  = "metric:"
)

// logMetricsModal is the "Log metrics" form: a date, the shop when there
// are several, and one optional field per metric.
func (r *Commands) Modal(in chat.Interaction) slack.ModalViewRequest {
	today := civil.Of(in.At, r.Cfg.Location)
	meta := r.Seal(in.UserID, command.ModalMeta{Channel: in.ChannelID})
	date := slack.NewDatePickerBlockElement("value")
	date.InitialDate = today.AddDays(-1).String()
	blocks := []slack.Block{slack.NewInputBlock(blockDate, chat.PlainText(r.Tr.T("modal.date")), nil, date)}
	if picker := r.ShopPicker(in.ChannelID); picker != nil {
		blocks = append(blocks, picker)
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
			blocks = append(blocks, chat.Context(r.Tr.T("modal.more_metrics", len(metrics)-room, chat.MaxViewBlocks, m.Key)))
			break
		}
		input := slack.NewPlainTextInputBlockElement(chat.PlainText(r.Tr.T("modal.placeholder_"+kindName(m.Kind))), "value")
		block := slack.NewInputBlock(metricBlockPrefix+m.Key, chat.PlainText(r.Tr.Text(m.Name)), nil, input)
		block.Optional = true
		blocks = append(blocks, block)
	}
	return chat.Modal(CallbackLogMetrics, r.Tr.T("modal.title"), r.Tr.T("modal.submit"), r.Tr.T("modal.close"), meta, blocks)
}

func kindName(k Kind) string { return k.String() }

// submitLogMetrics validates the form exactly as the command does; errors
// go under their fields and nothing is stored. On success the figures and
// the channel's confirmation commit together.
func (r *Commands) Submit(ctx context.Context, in chat.Interaction) chat.Outcome {
	var meta command.ModalMeta
	if !r.Unseal(in.UserID, in.Metadata, &meta) {
		return chat.Outcome{FieldErrors: map[string]string{blockDate: chat.Truncate(r.Tr.T("access.err_form_stale"), 150)}}
	}
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
		case id == command.BlockShop:
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
			case p.Field == "shop" && len(r.Cfg.Shops) > 1:
				id = command.BlockShop
			case p.Field != "" && p.Field != "date" && p.Field != "shop":
				id = metricBlockPrefix + p.Field
			}
			if _, taken := errs[id]; !taken {
				errs[id] = chat.Truncate(p.Reason, 150)
			}
		}
		return chat.Outcome{FieldErrors: errs}
	}
	if len(f.keys) == 0 {
		first := metricBlockPrefix + r.catalog.All()[0].Key
		return chat.Outcome{FieldErrors: map[string]string{first: r.Tr.T("modal.nothing")}}
	}
	channel := meta.Channel
	if channel == "" {
		channel = r.Cfg.Channels.Team
	}
	_, err := r.logFigures(ctx, in.UserID, f, in.At, func(tx *store.Store, reply chat.Reply) error {
		_, err := chat.Enqueue(ctx, tx, store.Outgoing{Channel: channel, Op: "post"}, reply)
		return err
	})
	if err != nil {
		r.Log.Error("log metrics from modal", "user", in.UserID, "err", err)
		return chat.Outcome{FieldErrors: map[string]string{blockDate: r.Tr.T("err.internal")}}
	}
	r.Notify()
	return chat.Outcome{}
}
