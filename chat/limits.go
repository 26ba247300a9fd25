package chat

import (
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// Block Kit's published limits that the builders enforce (the validator
// in bot/blockkit checks them in tests).
const (
	MaxSectionText = 3000 // a section's text, in characters
	MaxFieldText   = 2000 // one section field
	MaxBlocks      = 50   // blocks in one message
	MaxViewBlocks  = 100  // blocks in a modal or Home tab
)

// Fit cuts mrkdwn to at most n characters, ending with "…" when cut. It
// never cuts inside an entity (&amp;) or a <…> mention or link, and closes
// a code block it cut open, so the rest still renders as meant.
func Fit(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	const fence = "\n```"
	r := []rune(s)
	cut := n - 1 - utf8.RuneCountInString(fence)
	// Step back out of an entity or a <…> that the cut would split.
	for i := cut - 1; i >= 0 && i >= cut-300; i-- {
		c := r[i]
		if c == ';' || c == '>' || c == ' ' || c == '\n' {
			break
		}
		if c == '&' || c == '<' {
			cut = i
			break
		}
	}
	out := string(r[:cut]) + "…"
	if strings.Count(out, "```")%2 == 1 {
		out += fence
	}
	return out
}

// Split breaks mrkdwn into pieces of at most n characters, at line ends
// where it can (a single longer line is cut with Fit), so a long text
// becomes several sections instead of one Slack refuses.
func Split(s string, n int) []string {
	var out []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if curLen > 0 {
			out = append(out, cur.String())
			cur.Reset()
			curLen = 0
		}
	}
	for _, line := range strings.Split(s, "\n") {
		l := utf8.RuneCountInString(line)
		if l > n {
			line, l = Fit(line, n), n
		}
		if curLen > 0 && curLen+1+l > n {
			flush()
		}
		if curLen > 0 {
			cur.WriteByte('\n')
			curLen++
		}
		cur.WriteString(line)
		curLen += l
	}
	flush()
	return out
}

// Sections is mrkdwn as one or more sections, split at line ends.
func Sections(mrkdwn string) []slack.Block {
	var out []slack.Block
	for _, part := range Split(mrkdwn, MaxSectionText) {
		out = append(out, Section(part))
	}
	return out
}

// Cap keeps a message within max blocks: when there are more, the last
// kept block says how many were left out, and where to see them.
func Cap(blocks []slack.Block, max int, more func(n int) string) []slack.Block {
	if len(blocks) <= max {
		return blocks
	}
	kept := append([]slack.Block{}, blocks[:max-1]...)
	return append(kept, Context(more(len(blocks)-(max-1))))
}
