package blockkit_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"opsbot/bot/blockkit"
)

func section(text string) string {
	b, _ := json.Marshal(text)
	return `{"type":"section","text":{"type":"mrkdwn","text":` + string(b) + `}}`
}

func button(text, actionID, value string) string {
	t, _ := json.Marshal(text)
	return fmt.Sprintf(`{"type":"button","action_id":%q,"value":%q,"text":{"type":"plain_text","text":%s}}`, actionID, value, t)
}

func repeat(s string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = strings.ReplaceAll(s, "#", fmt.Sprint(i))
	}
	return strings.Join(parts, ",")
}

func option(i int) string {
	return fmt.Sprintf(`{"text":{"type":"plain_text","text":"o%d"},"value":"v%d"}`, i, i)
}

// Each of Slack's published limits, just within and just over.
func TestMessageLimits(t *testing.T) {
	x := strings.Repeat
	for _, tc := range []struct {
		name, text, blocks string
		ok                 bool
	}{
		{"section 3000", "t", "[" + section(x("a", 3000)) + "]", true},
		{"section 3001", "t", "[" + section(x("a", 3001)) + "]", false},
		{"characters, not bytes", "t", "[" + section(x("汉", 3000)) + "]", true},
		{"50 blocks", "t", "[" + repeat(`{"type":"divider"}`, 50) + "]", true},
		{"51 blocks", "t", "[" + repeat(`{"type":"divider"}`, 51) + "]", false},
		{"no fallback text", "", "[" + section("a") + "]", false},
		{"text only", "hello", "", true},
		{"text 40001", x("a", 40001), "", false},
		{"header 150", "t", `[{"type":"header","text":{"type":"plain_text","text":"` + x("h", 150) + `"}}]`, true},
		{"header 151", "t", `[{"type":"header","text":{"type":"plain_text","text":"` + x("h", 151) + `"}}]`, false},
		{"header mrkdwn", "t", `[{"type":"header","text":{"type":"mrkdwn","text":"h"}}]`, false},
		{"fields 10 x 2000", "t", `[{"type":"section","fields":[` + repeat(`{"type":"mrkdwn","text":"`+x("f", 2000)+`"}`, 10) + `]}]`, true},
		{"11 fields", "t", `[{"type":"section","fields":[` + repeat(`{"type":"mrkdwn","text":"f"}`, 11) + `]}]`, false},
		{"field 2001", "t", `[{"type":"section","fields":[{"type":"mrkdwn","text":"` + x("f", 2001) + `"}]}]`, false},
		{"button 75", "t", `[{"type":"actions","elements":[` + button(x("b", 75), "a", "v") + `]}]`, true},
		{"button 76", "t", `[{"type":"actions","elements":[` + button(x("b", 76), "a", "v") + `]}]`, false},
		{"action_id 256", "t", `[{"type":"actions","elements":[` + button("b", x("a", 256), "v") + `]}]`, false},
		{"value 2001", "t", `[{"type":"actions","elements":[` + button("b", "a", x("v", 2001)) + `]}]`, false},
		{"block_id 256", "t", `[{"type":"divider","block_id":"` + x("i", 256) + `"}]`, false},
		{"block_id twice", "t", `[{"type":"divider","block_id":"i"},{"type":"divider","block_id":"i"}]`, false},
		{"26 buttons", "t", `[{"type":"actions","elements":[` + repeat(button("b", "a#", "v"), 26) + `]}]`, false},
		{"11 context elements", "t", `[{"type":"context","elements":[` + repeat(`{"type":"mrkdwn","text":"c"}`, 11) + `]}]`, false},
		{"empty text", "t", "[" + section("") + "]", false},
		{"unknown block", "t", `[{"type":"sparkles"}]`, false},
		{"100 options", "t", `[{"type":"section","text":{"type":"mrkdwn","text":"s"},"accessory":{"type":"static_select","action_id":"s","options":[` + optionList(100) + `]}}]`, true},
		{"101 options", "t", `[{"type":"section","text":{"type":"mrkdwn","text":"s"},"accessory":{"type":"static_select","action_id":"s","options":[` + optionList(101) + `]}}]`, false},
	} {
		err := blockkit.CheckMessage(tc.text, json.RawMessage(tc.blocks))
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func optionList(n int) string {
	var parts []string
	for i := range n {
		parts = append(parts, option(i))
	}
	return strings.Join(parts, ",")
}

func TestViewLimits(t *testing.T) {
	input := `{"type":"input","block_id":"b#","label":{"type":"plain_text","text":"L"},"element":{"type":"plain_text_input","action_id":"v"}}`
	modal := func(title string, blocks int, submit bool) string {
		v := `{"type":"modal","callback_id":"c","title":{"type":"plain_text","text":"` + title + `"},"blocks":[` + repeat(input, blocks) + `]`
		if submit {
			v += `,"submit":{"type":"plain_text","text":"Save"}`
		}
		return v + "}"
	}
	for _, tc := range []struct {
		name, view string
		ok         bool
	}{
		{"100 blocks", modal("Log", 100, true), true},
		{"101 blocks", modal("Log", 101, true), false},
		{"title 24", modal(strings.Repeat("t", 24), 1, true), true},
		{"title 25", modal(strings.Repeat("t", 25), 1, true), false},
		{"inputs without submit", modal("Log", 1, false), false},
		{"home", `{"type":"home","blocks":[` + section("hi") + `]}`, true},
		{"metadata 3001", `{"type":"home","private_metadata":"` + strings.Repeat("m", 3001) + `","blocks":[]}`, false},
	} {
		err := blockkit.CheckView(json.RawMessage(tc.view))
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}
