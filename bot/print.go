package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"

	"opsbot/bot/blockkit"
)

// PrintAPI stands in for Slack's chat.postMessage and chat.update where
// there is no Slack: the console and `opsbot simulate` print what the bot
// would post, with its time and channel.
type PrintAPI struct {
	Out   io.Writer
	Clock clockwork.Clock
	Loc   *time.Location
	// Layout formats the time in each heading; default 15:04. Stamp, when
	// set, formats it instead (in the team's language: 周日 for Sun).
	Layout string
	Stamp  func(time.Time) string
	// Updated marks the heading of an edited message; default "(message
	// updated)".
	Updated string

	mu   sync.Mutex
	n    int
	once sync.Once
	api  *slack.Client
}

// PostMessageContext prints a new message.
func (p *PrintAPI) PostMessageContext(ctx context.Context, channel string, options ...slack.MsgOption) (string, string, error) {
	return p.client().PostMessageContext(ctx, channel, options...)
}

// UpdateMessageContext prints an edited message.
func (p *PrintAPI) UpdateMessageContext(ctx context.Context, channel, timestamp string, options ...slack.MsgOption) (string, string, string, error) {
	return p.client().UpdateMessageContext(ctx, channel, timestamp, options...)
}

// client is a slack-go client whose HTTP calls never leave the process:
// slack-go builds the request from the message options (the only public
// way to read them), and Do prints it and answers as Slack would.
func (p *PrintAPI) client() *slack.Client {
	p.once.Do(func() { p.api = slack.New("xoxb-print", slack.OptionHTTPClient(printDoer{p})) })
	return p.api
}

type printDoer struct{ p *PrintAPI }

func (d printDoer) Do(req *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, err
	}
	channel, edited := values.Get("channel"), ""
	if strings.HasSuffix(req.URL.Path, "chat.update") {
		edited = values.Get("ts")
	}
	ts := d.p.print(channel, edited, renderValues(values.Get("blocks"), values.Get("text")))
	answer, _ := json.Marshal(map[string]any{"ok": true, "channel": channel, "ts": ts})
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(answer)), Request: req}, nil
}

func (p *PrintAPI) print(channel, edited, text string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	ts := fmt.Sprintf("%d.%06d", p.Clock.Now().Unix(), p.n)
	if edited != "" {
		ts = edited
	}
	layout := p.Layout
	if layout == "" {
		layout = "15:04"
	}
	now := p.Clock.Now().In(p.Loc)
	stamp := now.Format(layout)
	if p.Stamp != nil {
		stamp = p.Stamp(now)
	}
	head := fmt.Sprintf("── %s %s", stamp, channel)
	if edited != "" {
		updated := p.Updated
		if updated == "" {
			updated = "(message updated)"
		}
		head += " " + updated
	}
	fmt.Fprintf(p.Out, "%s ──\n%s\n\n", head, strings.TrimRight(text, "\n"))
	return ts
}

// renderValues draws a posted message's blocks (JSON) as text, falling back
// to its plain text.
func renderValues(blocksJSON, text string) string {
	if err := blockkit.CheckMessage(text, json.RawMessage(blocksJSON)); err != nil {
		// What the console shows must be what Slack would accept.
		return renderBlocks(blocksJSON, text) + "\n❌ Slack would refuse this message: " + err.Error()
	}
	return renderBlocks(blocksJSON, text)
}

func renderBlocks(blocksJSON, text string) string {
	if blocksJSON != "" {
		var blocks slack.Blocks
		if err := json.Unmarshal([]byte(blocksJSON), &blocks); err == nil && len(blocks.BlockSet) > 0 {
			return RenderText(blocks.BlockSet)
		}
	}
	return Mrkdwn(text)
}
