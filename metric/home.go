package metric

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/config"
)

// HomeSection is a shop's part of App Home: the day's sales, UV and paid
// buyers, and its conversion, average order value and ROI.
func (r *Commands) HomeSection(ctx context.Context, shop config.Shop, day civil.Date) (*slack.SectionBlock, error) {
	figures, err := r.store.DayMetrics(ctx, shop.ID, day.String())
	if err != nil {
		return nil, err
	}
	if len(figures) == 0 {
		return chat.Section("*" + chat.Escape(shop.Name) + "*\n" + r.Tr.T("home.nothing")), nil
	}
	var lines []string
	for _, key := range []string{"sales", "uv", "paid"} {
		if m, ok := r.catalog.Lookup(key); ok {
			if v, logged := figures[key]; logged {
				lines = append(lines, r.Tr.Text(m.Name)+" *"+Format(UnitOf(m.Kind), 0, v)+"*")
			}
		}
	}
	for _, d := range DeriveAll(figures) {
		switch d.Key {
		case KeyConversionRate, KeyAOV, KeyROI:
			lines = append(lines, r.Tr.Text(d.Name)+" *"+d.String()+"*"+r.gradeSuffix(d))
		}
	}
	return chat.Section("*" + chat.Escape(shop.Name) + "*\n" + strings.Join(lines, "  ·  ")), nil
}
