package config

import (
	"fmt"
	"strings"
	"testing"
)

// config check refuses texts that cannot fit in Slack, and says the limit.
func TestTextsThatCannotFitSlackAreRefused(t *testing.T) {
	var items []string
	for i := range 46 {
		items = append(items, fmt.Sprintf("{text: {en: item %d}}", i))
	}
	src := "checklists:\n" +
		"  - id: long-item\n    title: {en: Long item}\n    channel: team\n    at: \"09:00\"\n" +
		"    items: [{text: {en: \"" + strings.Repeat("x", 3150) + "\"}}, {text: {en: \"fine\", zh: \"" + strings.Repeat("&", 600) + "\"}}]\n" +
		"  - id: many-items\n    title: {en: \"" + strings.Repeat("T", 151) + "\"}\n    channel: team\n    at: \"10:00\"\n" +
		"    items: [" + strings.Join(items, ", ") + "]\n"
	want := map[string]string{
		"checklists[0].items[0].text.en": "is 3150 characters; the limit is 2800",
		"checklists[0].items[1].text.zh": "is 3000 characters; the limit is 2800",
		"checklists[1].title.en":         "is 151 characters; the limit is 150",
		"checklists[1].items":            "has 46 items; a checklist message holds at most 45",
	}
	for _, p := range parseProblems(t, src) {
		if w, ok := want[p.Path]; ok {
			if !strings.Contains(p.Msg, w) {
				t.Errorf("%s: %q, want %q", p.Path, p.Msg, w)
			}
			delete(want, p.Path)
		}
	}
	for path, w := range want {
		t.Errorf("no problem at %s (%s)", path, w)
	}
}
