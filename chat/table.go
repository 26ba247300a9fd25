package chat

import (
	"strings"

	"golang.org/x/text/width"
)

// Table lays raw (unescaped) cells out as a monospace block. Columns flagged
// in right are right-aligned (numbers). Chinese characters count as two
// columns, as terminals and Slack's code font draw them.
func Table(rows [][]string, right []bool) string {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], DisplayWidth(cell))
		}
	}
	var b strings.Builder
	b.WriteString("```\n")
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-DisplayWidth(cell))
			if i > 0 {
				line.WriteString("  ")
			}
			if i < len(right) && right[i] {
				line.WriteString(pad + Escape(cell))
			} else {
				line.WriteString(Escape(cell) + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	b.WriteString("```")
	return b.String()
}

// DisplayWidth is the number of monospace columns s takes.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
