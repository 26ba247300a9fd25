package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"
)

// PrintAPI stands in for Slack's chat.postMessage and chat.update where
// there is no Slack: the console and `opsbot simulate` print what the bot
// would post, with its time and channel.
type PrintAPI struct {
	Out   io.Writer
	Clock clockwork.Clock
	Loc   *time.Location
	// Layout formats the time in each heading; default 15:04.
	Layout string

	mu sync.Mutex
	n  int
}

// PostMessageContext prints a new message.
func (p *PrintAPI) PostMessageContext(_ context.Context, channel string, options ...slack.MsgOption) (string, string, error) {
	ts := p.print(channel, "", options)
	return channel, ts, nil
}

// UpdateMessageContext prints an edited message.
func (p *PrintAPI) UpdateMessageContext(_ context.Context, channel, timestamp string, options ...slack.MsgOption) (string, string, string, error) {
	p.print(channel, timestamp, options)
	return channel, timestamp, "", nil
}

func (p *PrintAPI) print(channel, edited string, options []slack.MsgOption) string {
	_, values, err := slack.UnsafeApplyMsgOptions("", channel, "", options...)
	text := ""
	if err == nil {
		text = renderValues(values.Get("blocks"), values.Get("text"))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	ts := fmt.Sprintf("%d.%06d", p.Clock.Now().Unix(), p.n)
	layout := p.Layout
	if layout == "" {
		layout = "15:04"
	}
	head := fmt.Sprintf("── %s %s", p.Clock.Now().In(p.Loc).Format(layout), channel)
	if edited != "" {
		head += " (message updated)"
	}
	fmt.Fprintf(p.Out, "%s ──\n%s\n\n", head, strings.TrimRight(text, "\n"))
	return ts
}

// renderValues draws a posted message's blocks (JSON) as text, falling back
// to its plain text.
func renderValues(blocksJSON, text string) string {
	if blocksJSON != "" {
		var blocks slack.Blocks
		if err := json.Unmarshal([]byte(blocksJSON), &blocks); err == nil && len(blocks.BlockSet) > 0 {
			return RenderText(blocks.BlockSet)
		}
	}
	return Mrkdwn(text)
}
