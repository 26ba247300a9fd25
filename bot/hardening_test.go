package bot_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"opsbot/bot"
)

// nested is depth levels of JSON arrays around a number.
func nested(depth int) string {
	return strings.Repeat("[", depth) + "1" + strings.Repeat("]", depth)
}

// TestBadInputIsRefusedQuickly sends what no Slack sends: bodies over the
// limit, text that is not UTF-8, a command with 10,000 keys, JSON nested
// deeper than any decoder should follow. Each gets a clear answer within
// a second; nothing panics, nothing stalls, and the bot keeps answering.
func TestBadInputIsRefusedQuickly(t *testing.T) {
	const form = "application/x-www-form-urlencoded"
	var keys strings.Builder
	for i := 1; i <= 10_000; i++ {
		fmt.Fprintf(&keys, "k%d=%d ", i, i)
	}
	tests := []struct {
		name        string
		path, ctype string
		body        string
		status      int
		want        string // in the answer's body
	}{
		{"oversized command", "/slack/commands", form, slashBody("/metric", strings.Repeat("a", bot.MaxBody), ""), http.StatusRequestEntityTooLarge, "too large"},
		{"oversized interaction", "/slack/interactions", form, "payload=" + strings.Repeat("x", bot.MaxBody+1), http.StatusRequestEntityTooLarge, "too large"},
		{"oversized event", "/slack/events", "application/json", `{"type":"` + strings.Repeat("x", bot.MaxBody) + `"}`, http.StatusRequestEntityTooLarge, "too large"},
		{"invalid UTF-8 text", "/slack/commands", form, slashBody("/metric", "uv=\xff\xfe1", ""), http.StatusOK, "not UTF-8 text"},
		{"10,000-key command", "/slack/commands", form, slashBody("/metric", keys.String(), ""), http.StatusOK, "opsbot reads at most 40000"},
		{"form that does not parse", "/slack/commands", form, "command=%zz", http.StatusBadRequest, "not a slash command"},
		{"no command", "/slack/commands", form, "text=uv%3D1", http.StatusBadRequest, "not a slash command"},
		{"event nested too deep", "/slack/events", "application/json", `{"type":"event_callback","event":` + nested(200_000) + `}`, http.StatusBadRequest, "not valid JSON"},
		{"interaction nested too deep", "/slack/interactions", form, url.Values{"payload": {`{"type":"block_actions","actions":` + nested(100_000) + `}`}}.Encode(), http.StatusBadRequest, "not valid JSON"},
		{"interaction that is not JSON", "/slack/interactions", form, "payload=%7Bnope", http.StatusBadRequest, "not valid JSON"},
		{"event nested deep but within the limit", "/slack/events", "application/json", `{"type":"event_callback","event_id":"Ev0DEEP","event":` + nested(9_000) + `}`, http.StatusOK, ""},
		{"interaction of the wrong shape", "/slack/interactions", form, url.Values{"payload": {`{"type":"view_submission","view":{"state":{"values":[1,2]}}}`}}.Encode(), http.StatusBadRequest, "not valid JSON"},
		{"unknown interaction type", "/slack/interactions", form, url.Values{"payload": {`{"type":"` + strings.Repeat("z", 500) + `"}`}}.Encode(), http.StatusOK, ""},
	}
	r := newRig(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := r.post(tt.path, tt.ctype, tt.body, nil)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d: %.200s", resp.StatusCode, tt.status, body)
			}
			if !strings.Contains(string(body), tt.want) {
				t.Errorf("answer lacks %q: %.300s", tt.want, body)
			}
		})
	}
	// Still answering, and nothing was stored along the way.
	resp := r.post("/slack/commands", form, slashBody("/metric", "uv=5", ""), nil)
	if m := readJSON(t, resp); !strings.Contains(fmt.Sprint(m["text"]), "Logged 1") {
		t.Errorf("after the bad input, a good command got %v", m)
	}
}
