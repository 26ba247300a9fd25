package chat

import "testing"

func TestControlCharAndStripInvisible(t *testing.T) {
	for _, tt := range []struct {
		in   string
		bad  rune
		ok   bool
		want string
	}{
		{"plain\nlines\tand tabs", 0, true, "plain\nlines\tand tabs"},
		{"nul\x00", 0x00, false, ""},
		{"esc\x1b[31m", 0x1b, false, ""},
		{"cr\r\n", '\r', false, ""},
		{"del\x7f", 0x7f, false, ""},
		{"c1\u0085", 0x85, false, ""},
		{"ab\u202ecd", 0, true, "abcd"},                 // right-to-left override
		{"a\u200bb\u2066c\u2069\ufeff", 0, true, "abc"}, // zero-width space, isolates, BOM
		{"👨\u200d👩", 0, true, "👨\u200d👩"},               // the joiner stays: emoji need it
		{"中文订单", 0, true, "中文订单"},
	} {
		r, bad := ControlChar(tt.in)
		if bad == tt.ok || (bad && r != tt.bad) {
			t.Errorf("ControlChar(%q) = %U, %v", tt.in, r, bad)
		}
		if tt.ok {
			if got := StripInvisible(tt.in); got != tt.want {
				t.Errorf("StripInvisible(%q) = %q, want %q", tt.in, got, tt.want)
			}
		}
	}
}
