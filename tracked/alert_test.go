package tracked_test

import (
	"strings"
	"testing"
	"time"

	"opsbot/config"
	"opsbot/i18n"
	"opsbot/tracked"
	"opsbot/tracked/items"
)

// Issue 16, item 8: an alert for an item nobody has taken says so once,
// as one sentence, in both languages.
func TestAlertForAnUntakenItemReadsAsOneSentence(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2026, 11, 24, 7, 0, 0, 0, time.UTC)
	it := items.Item{ID: 2, OrderID: "123456789012345", Type: "refund", Channel: "#shop-ops", Deadline: due.Add(4 * time.Hour)}
	for _, tt := range []struct {
		locale, hint string
		garbled      []string
	}{
		{"en", "Nobody has taken it: press *Take* on its message.", []string{"nobody yet", ". Nobody has taken it: press *Take* on its message. Nobody"}},
		{"zh", "还没有人认领:请在消息上点 *认领*。", []string{"暂无人认领"}},
	} {
		tr := i18n.New(tt.locale)
		for _, kind := range []tracked.AlertKind{tracked.Warn, tracked.Remind} {
			_, r := tracked.Alert(cfg, tr, it, kind, due, due, false)
			if strings.Count(r.Text, tt.hint) != 1 {
				t.Errorf("%s %v: want the take hint once:\n%s", tt.locale, kind, r.Text)
			}
			for _, g := range tt.garbled {
				if strings.Contains(r.Text, g) {
					t.Errorf("%s %v: garbled %q in:\n%s", tt.locale, kind, g, r.Text)
				}
			}
		}
		taken := it
		taken.Assignee = "U123"
		_, r := tracked.Alert(cfg, tr, taken, tracked.Warn, due, due, false)
		if strings.Contains(r.Text, tt.hint) || !strings.Contains(r.Text, "<@U123>") {
			t.Errorf("%s: a taken item's warning calls its assignee only:\n%s", tt.locale, r.Text)
		}
	}
}
