package chat

import (
	"fmt"
	"strings"
)

// ControlChar finds the first control character no person types: C0
// controls (NUL, ESC…) other than newline and tab, DEL, and C1 controls.
// Text with one is refused whole, the same on SQLite and PostgreSQL
// (which cannot store NUL at all).
func ControlChar(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
			return r, true
		}
	}
	return 0, false
}

// CharName names a character for a message: U+0000.
func CharName(r rune) string { return fmt.Sprintf("U+%04X", r) }

// invisible reports the characters that change how text reads without
// being seen: bidi embeddings, overrides and isolates, and zero-width
// spaces and marks. The zero-width joiner (U+200D) is kept: emoji
// sequences need it and it cannot reorder text.
func invisible(r rune) bool {
	switch {
	case r >= 0x200B && r <= 0x200C, r >= 0x200E && r <= 0x200F: // ZWSP, ZWNJ, LRM, RLM
		return true
	case r >= 0x202A && r <= 0x202E: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069: // word joiner, invisible operators, isolates
		return true
	case r == 0xFEFF, r == 0x061C, r == 0x180E: // BOM/ZWNBSP, Arabic letter mark, Mongolian vowel separator
		return true
	}
	return false
}

// StripInvisible removes bidi controls and zero-width characters, so a
// name, note or product reads as it is stored.
func StripInvisible(s string) string {
	if strings.IndexFunc(s, invisible) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)
}
