package report

import (
	"strings"
	"testing"

	"opsbot/bot"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/i18n"
)

func TestDigestNamesCampaigns(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Campaigns = []config.Campaign{
		{ID: "double-12", Name: i18n.Text{En: "Double 12"}, Start: "12-01", End: "12-12", Registration: "11-25", Recurring: true},
		{ID: "far", Name: i18n.Text{En: "Far away"}, Start: "2027-03-01", End: "2027-03-05", Registration: "2027-02-01"},
	}
	b := NewBuilder(cfg)
	text := func(day civil.Date) string {
		r := b.Daily(Input{Shop: cfg.Shops[0], Period: Period{From: day, To: day}})
		var out []string
		for _, m := range b.RenderDaily(r).Messages {
			out = append(out, bot.RenderText(m.Blocks))
		}
		return strings.Join(out, "\n")
	}
	// Read on 11-23: the deadline 11-25 is 2 days away.
	if got := text(civil.Date{Year: 2026, Month: 11, Day: 22}); !strings.Contains(got, "Registration for Double 12 closes in 2 days.") {
		t.Errorf("digest read on 11-23 lacks the deadline:\n%s", got)
	}
	// Read on 11-21: 4 days away, not yet named.
	if got := text(civil.Date{Year: 2026, Month: 11, Day: 20}); strings.Contains(got, "Double 12") {
		t.Errorf("a deadline 4 days away is named:\n%s", got)
	}
	// Read on 12-05: running.
	got := text(civil.Date{Year: 2026, Month: 12, Day: 4})
	if !strings.Contains(got, "Campaign Double 12 is running (to 2026-12-12).") || strings.Contains(got, "Far away") {
		t.Errorf("digest read on 12-05:\n%s", got)
	}
}
