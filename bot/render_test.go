package bot

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"opsbot/chat"
)

func TestMrkdwn(t *testing.T) {
	tests := []struct{ in, want string }{
		{"*bold* and plain", "bold and plain"},
		{"<@U123> took it", "@U123 took it"},
		{"<@U123|alice> took it", "@alice took it"},
		{"see <#C1|shop-ops>", "see #shop-ops"},
		{"<!here> look", "@here look"},
		{"<https://example.com|the docs>", "the docs (https://example.com)"},
		{":warning: careful", "⚠️ careful"},
		{":unknown_emoji:", ":unknown_emoji:"},
		// Escaped user text shows literally and never turns into a link.
		{chat.Escape("<!channel> & <https://evil|click>"), "<!channel> & <https://evil|click>"},
		{"```\n*a*  1\n```", "*a*  1"},
	}
	for _, tt := range tests {
		if got := Mrkdwn(tt.in); got != tt.want {
			t.Errorf("Mrkdwn(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRenderText(t *testing.T) {
	blocks := []slack.Block{
		chat.Header("Daily — 日报"),
		chat.Section("*Sales* ¥1.00"),
		slack.NewDividerBlock(),
		chat.Context("small print"),
		slack.NewActionBlock("a",
			slack.NewButtonBlockElement("take", "1", slack.NewTextBlockObject(slack.PlainTextType, "Take", false, false)),
			slack.NewButtonBlockElement("done", "1", slack.NewTextBlockObject(slack.PlainTextType, "Resolve", false, false))),
	}
	want := "Daily — 日报\n" + strings.Repeat("─", 12) + "\n" + "Sales ¥1.00\n" + "────────────────────\n" + "  small print\n" + "[ Take ] [ Resolve ]"
	if got := RenderText(blocks); got != want {
		t.Errorf("RenderText =\n%s\nwant\n%s", got, want)
	}
}

func TestTableWidths(t *testing.T) {
	got := chat.Table([][]string{{"访客数", "1"}, {"uv", "12,000"}}, []bool{false, true})
	want := "```\n访客数       1\nuv      12,000\n```"
	if got != want {
		t.Errorf("Table =\n%s\nwant\n%s", got, want)
	}
}
