package report

import (
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"opsbot/chat"
)

// Test-only exports.

// CheckLimits checks messages against Block Kit's limits; the error lists
// every breach. Tests run every report built from a large fixture through
// it.
func CheckLimits(msgs []chat.Reply) error {
	var errs []error
	for i, m := range msgs {
		if len(m.Blocks) > maxBlocks {
			errs = append(errs, fmt.Errorf("message %d: %d blocks (at most %d)", i+1, len(m.Blocks), maxBlocks))
		}
		if runes(m.Text) > maxFallbackText {
			errs = append(errs, fmt.Errorf("message %d: text of %d characters (at most %d)", i+1, runes(m.Text), maxFallbackText))
		}
		for j, b := range m.Blocks {
			where := fmt.Sprintf("message %d block %d", i+1, j+1)
			switch b := b.(type) {
			case *slack.HeaderBlock:
				if b.Text == nil || runes(b.Text.Text) > maxHeaderText {
					errs = append(errs, fmt.Errorf("%s: header over %d characters", where, maxHeaderText))
				}
			case *slack.SectionBlock:
				if b.Text != nil && runes(b.Text.Text) > maxSectionText {
					errs = append(errs, fmt.Errorf("%s: section of %d characters (at most %d)", where, runes(b.Text.Text), maxSectionText))
				}
				if len(b.Fields) > maxFields {
					errs = append(errs, fmt.Errorf("%s: %d fields (at most %d)", where, len(b.Fields), maxFields))
				}
				for _, f := range b.Fields {
					if runes(f.Text) > maxFieldText {
						errs = append(errs, fmt.Errorf("%s: field of %d characters (at most %d)", where, runes(f.Text), maxFieldText))
					}
				}
				if b.Text == nil && len(b.Fields) == 0 {
					errs = append(errs, fmt.Errorf("%s: empty section", where))
				}
			case *slack.ContextBlock:
				if n := len(b.ContextElements.Elements); n > maxContextElements || n == 0 {
					errs = append(errs, fmt.Errorf("%s: %d context elements (1 to %d)", where, n, maxContextElements))
				}
				for _, e := range b.ContextElements.Elements {
					if t, ok := e.(*slack.TextBlockObject); ok && runes(t.Text) > maxSectionText {
						errs = append(errs, fmt.Errorf("%s: context text of %d characters (at most %d)", where, runes(t.Text), maxSectionText))
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}

// Kinds lists the kinds in the order they are posted when due together
// (a Monday the 1st posts all three).
func Kinds() []Kind { return []Kind{Daily, Weekly, Monthly} }
