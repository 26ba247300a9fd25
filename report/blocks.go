package report

import (
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"opsbot/chat"
)

// Block Kit's limits (https://api.slack.com/reference/block-kit): a
// message over them is refused by Slack, so reports are split to fit.
const (
	maxBlocks          = 50
	maxSectionText     = 3000
	maxHeaderText      = 150
	maxContextElements = 10
	maxFields          = 10
	maxFieldText       = 2000
	// maxFallbackText keeps the notification text short; Slack truncates
	// message text far beyond this, and nobody reads it there anyway.
	maxFallbackText = 3000
)

// runes counts characters as Slack's limits do.
func runes(s string) int { return utf8.RuneCountInString(s) }

// textSections packs lines into as few sections as fit the section
// limit, never splitting a line; a line too long for any section is cut.
func textSections(lines []string) []slack.Block {
	var out []slack.Block
	var cur strings.Builder
	n := 0
	flush := func() {
		if n > 0 {
			out = append(out, chat.Section(cur.String()))
		}
		cur.Reset()
		n = 0
	}
	for _, l := range lines {
		l = chat.Truncate(l, maxSectionText)
		if n > 0 && n+1+runes(l) > maxSectionText {
			flush()
		}
		if n > 0 {
			cur.WriteByte('\n')
			n++
		}
		cur.WriteString(l)
		n += runes(l)
	}
	flush()
	return out
}

// tableSections lays rows out as monospace tables, as many rows per
// section as fit, repeating the header row (rows[0]) in each. A title, if
// any, heads the first section.
func tableSections(title string, rows [][]string, right []bool) []slack.Block {
	if len(rows) == 0 {
		return nil
	}
	header, body := rows[0], rows[1:]
	prefix := ""
	if title != "" {
		prefix = title + "\n"
	}
	var out []slack.Block
	for len(body) > 0 {
		// Grow the chunk while it fits; tables are at most a few hundred
		// rows, so the quadratic worst case does not matter.
		n := 1
		text := prefix + chat.Table([][]string{header, body[0]}, right)
		for n < len(body) {
			next := prefix + chat.Table(append([][]string{header}, body[:n+1]...), right)
			if runes(next) > maxSectionText {
				break
			}
			text, n = next, n+1
		}
		if runes(text) > maxSectionText {
			// One row too wide for a section: shorten its cells.
			text = chat.Truncate(text, maxSectionText-3) + "```"
		}
		out = append(out, chat.Section(text))
		body, prefix = body[n:], ""
	}
	if len(out) == 0 {
		out = append(out, chat.Section(prefix+chat.Table([][]string{header}, right)))
	}
	return out
}

// paginate splits a report's blocks into messages of at most
// maxBlocks − 1 blocks: the first starts with the report's header, the others with
// "title (2/3)". Blocks stay in order, so the messages read as one
// report when posted one after the other.
func paginate(title, plain string, blocks []slack.Block, continued func(i, n int) string) []chat.Reply {
	// Each message has its header, and room for one note after the
	// report (e.g. where the rest of it went).
	per := maxBlocks - 2
	n := max(1, (len(blocks)+per-1)/per)
	out := make([]chat.Reply, 0, n)
	for i := 0; i < n; i++ {
		head := title
		text := plain
		if i > 0 {
			head = continued(i+1, n)
			text = head
		}
		end := min(len(blocks), (i+1)*per)
		page := append([]slack.Block{chat.Header(head)}, blocks[i*per:end]...)
		out = append(out, chat.Reply{Blocks: page, Text: chat.Truncate(text, maxFallbackText)})
	}
	return out
}
