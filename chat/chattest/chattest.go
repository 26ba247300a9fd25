// Package chattest reads what a reply shows, for the tests of every
// feature (a feature's own tests cannot import the router's test support,
// which imports the feature).
package chattest

import (
	"testing"

	"github.com/slack-go/slack"

	"opsbot/chat"
)

// maxButtonValue is Slack's limit on a button's value: a longer one makes
// Slack refuse the whole message.
const maxButtonValue = 2000

// Buttons are the values of a reply's buttons by action ID. A value over
// Slack's limit fails the test.
func Buttons(t testing.TB, r chat.Reply) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, blk := range r.Blocks {
		a, ok := blk.(*slack.ActionBlock)
		if !ok {
			continue
		}
		for _, el := range a.Elements.ElementSet {
			if btn, ok := el.(*slack.ButtonBlockElement); ok {
				if len(btn.Value) > maxButtonValue {
					t.Errorf("button %s value is %d characters, Slack allows %d", btn.ActionID, len(btn.Value), maxButtonValue)
				}
				out[btn.ActionID] = btn.Value
			}
		}
	}
	return out
}
