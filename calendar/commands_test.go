package calendar_test

import (
	"strings"
	"testing"
	"time"

	"opsbot/config"
	"opsbot/handlers/handlerstest"
	"opsbot/i18n"
)

func TestCalendarMonth(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) {
		c.Campaigns = append(c.Campaigns, config.Campaign{ID: "golden-week", Name: i18n.Text{En: "Golden week sale"}, Start: "2026-10-02", End: "2026-10-04", Registration: "2026-09-25"})
	})
	got := f.Text("amy", "/ops calendar 2026-10")
	handlerstest.Contains(t, got, "Working calendar 2026-10 — 18 working days",
		"Thu 2026-10-01 – Wed 2026-10-07 — holiday: National Day",
		"Sat 2026-10-10 — makeup workday for National Day",
		"2026-10-02 to 2026-10-04 — campaign: Golden week sale",
		"  1H   2H*")
	if strings.Contains(got, "registration deadline: Golden") {
		t.Error("September's deadline listed in October")
	}
	handlerstest.Contains(t, f.Text("amy", "/ops calendar 2026-09"), "Sun 2026-09-20 — makeup workday for National Day", "registration deadline: Golden week sale")
	handlerstest.Contains(t, f.Text("amy", "/ops calendar 2027-01"), "No official schedule for 2027 yet")
	handlerstest.Contains(t, f.Text("amy", "/ops calendar"), "Working calendar 2026-11")
	for _, bad := range []string{"/ops calendar 2026-13", "/ops calendar x", "/ops calendar 2026-10 2026-11"} {
		if r := f.Do("amy", bad); !r.Ephemeral || !strings.Contains(f.Text("amy", bad), "⚠️") {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestCampaignList(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) {
		for i := range c.Campaigns {
			if c.Campaigns[i].ID == "double-12" {
				c.Campaigns[i].Registration = "11-28"
			}
		}
	})
	f.Clock.Advance(24 * time.Hour) // 2026-11-24
	got := f.Text("amy", "/ops campaigns")
	handlerstest.Contains(t, got, "Double 12", "2026-12-01 to 2026-12-12 (in 7 days)", "registration closes Sat 2026-11-28, 4 days left",
		"no registration deadline set (add `registration:` to campaign `618`)")
	if strings.Index(got, "Double 12") > strings.Index(got, "618") {
		t.Error("campaigns are not in date order")
	}
}
