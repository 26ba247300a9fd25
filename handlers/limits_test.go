package handlers_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers/handlerstest"
	"opsbot/i18n"
	"opsbot/metric"
)

// Echoed user text is cut to Block Kit's limits with an ellipsis; every
// reply stays valid (fixture.do checks each one with the validator).
func TestEchoedTextIsCutToBlockKitLimits(t *testing.T) {
	f := handlerstest.New(t, nil)
	long := strings.Repeat("x", 3500)
	var items []string
	for i := range 5000 {
		items = append(items, fmt.Sprintf("x%d", i))
	}
	for _, line := range []string{
		"/ops " + long,
		"/ops item " + strings.Join(items, " "),
		"/metric " + long + "=1",
		"/nope" + long,
	} {
		r := f.Do("alice", line)
		for _, b := range r.Blocks {
			if n := utf8.RuneCountInString(handlerstest.RawText(b)); n > chat.MaxSectionText {
				t.Errorf("%.20s…: a block of %d characters", line, n)
			}
		}
		if !strings.Contains(bot.RenderText(r.Blocks), "…") {
			t.Errorf("%.20s…: the cut is not marked with an ellipsis:\n%.300s", line, bot.RenderText(r.Blocks))
		}
	}
}

func manyMetrics(n int) func(*config.Config) {
	return func(c *config.Config) {
		for i := range n {
			c.Metrics = append(c.Metrics, config.Metric{
				Key: fmt.Sprintf("extra_metric_%03d", i), Kind: "count",
				Name: i18n.Text{En: fmt.Sprintf("Extra metric number %d", i), Zh: fmt.Sprintf("额外指标 %d", i)},
			})
		}
	}
}

// 118 metrics: the help is split into sections that each fit and names
// every key; the Log-metrics modal keeps to 100 blocks and says how to log
// the rest.
func TestManyMetricsFitBlockKit(t *testing.T) {
	f := handlerstest.New(t, manyMetrics(110))
	if n := len(f.Cfg.Metrics); n < 118 {
		t.Fatalf("%d metrics", n)
	}
	for _, line := range []string{"/metric help", "/help"} {
		r := f.Do("alice", line)
		text := bot.RenderText(r.Blocks)
		for _, m := range f.Cfg.Metrics {
			if !strings.Contains(text, m.Key) {
				t.Errorf("%s does not name %s", line, m.Key)
			}
		}
	}
	out := f.Interact(chat.Interaction{Kind: chat.KindShortcut, CallbackID: metric.CallbackLogMetrics, UserID: "alice"})
	if out.OpenModal == nil {
		t.Fatal("no modal")
	}
	blocks := out.OpenModal.Blocks.BlockSet
	if len(blocks) > chat.MaxViewBlocks {
		t.Errorf("modal of %d blocks", len(blocks))
	}
	last, ok := blocks[len(blocks)-1].(*slack.ContextBlock)
	if !ok || !strings.Contains(handlerstest.RawText(last), "/metric") {
		t.Errorf("the modal does not say how to log the metrics left out: %T", blocks[len(blocks)-1])
	}
}

func TestFitNeverBreaksMarkup(t *testing.T) {
	for _, tc := range []struct{ in, notSuffix string }{
		{strings.Repeat("a", 2990) + " &amp; more text after the cut" + strings.Repeat("b", 100), "&am…"},
		{strings.Repeat("a", 2990) + " <@U0ALICE> " + strings.Repeat("b", 100), "<@U0A…"},
	} {
		got := chat.Fit(tc.in, chat.MaxSectionText)
		if utf8.RuneCountInString(got) > chat.MaxSectionText || !strings.HasSuffix(got, "…") {
			t.Errorf("Fit: %d characters, suffix %q", utf8.RuneCountInString(got), got[len(got)-10:])
		}
		if i := strings.LastIndexAny(got, "&<"); i >= 0 && !strings.ContainsAny(got[i:], ";>") {
			t.Errorf("Fit cut inside markup: …%s", got[max(0, len(got)-20):])
		}
	}
	code := "```\n" + strings.Repeat("row\n", 1000) + "```"
	got := chat.Fit(code, 3000)
	if strings.Count(got, "```")%2 != 0 || utf8.RuneCountInString(got) > 3000 {
		t.Errorf("Fit left a code block open or too long: %d characters", utf8.RuneCountInString(got))
	}
	parts := chat.Split(strings.Repeat("line of text\n", 700), 3000)
	if len(parts) < 3 {
		t.Errorf("Split made %d parts", len(parts))
	}
	for _, p := range parts {
		if utf8.RuneCountInString(p) > 3000 {
			t.Errorf("a part of %d characters", utf8.RuneCountInString(p))
		}
	}
}

// Channels are named with Slack's <#C…> mention, which Slack shows as the
// channel's name; the console, with names, shows #name.
func TestChannelsAreMentioned(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) {
		c.Channels = config.Channels{Team: "C0001", Managers: "C0002", CS: "C0003"}
		for i := range c.Shops {
			c.Shops[i].Channels = []string{"C0001"}
		}
	})
	r := f.Do("alice", "/urgent 123456789012345 type=refund customer waiting")
	raw := ""
	for _, b := range r.Blocks {
		raw += handlerstest.RawText(b)
	}
	if !strings.Contains(raw, "<#C0001>") || !strings.Contains(raw, "<#C0003>") {
		t.Errorf("flag reply names channels as %q", raw)
	}
	for ref, want := range map[string]string{"C0001": "<#C0001>", "G0PRIV": "<#G0PRIV>", "#shop-ops": "#shop-ops", "shop-ops": "#shop-ops", "#a<b": "#a&lt;b"} {
		if got := chat.ChannelMention(ref); got != want {
			t.Errorf("ChannelMention(%q) = %q, want %q", ref, got, want)
		}
	}
}
