package calendar_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/bot"
	"opsbot/bot/outbox"
	"opsbot/calendar"
	"opsbot/config"
	"opsbot/jobs"
	"opsbot/store"
)

// runCampaigns simulates only the calendar job over a range, restarting
// (a fresh job on the same database) at each of the given moments.
func runCampaigns(t *testing.T, cfg *config.Config, from, to time.Time, restarts ...time.Time) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cal.db")
	var out bytes.Buffer
	bounds := append([]time.Time{from}, restarts...)
	bounds = append(bounds, to)
	for i := 0; i+1 < len(bounds); i++ {
		st, err := store.Open(context.Background(), "sqlite:"+path)
		if err != nil {
			t.Fatal(err)
		}
		cal, err := calendar.New(cfg.Calendar, cfg.Timezone)
		if err != nil {
			t.Fatal(err)
		}
		clock := clockwork.NewFakeClockAt(bounds[i])
		job := calendar.NewCampaigns(cfg, st, cal, quiet)
		sender := outbox.New(st, &bot.PrintAPI{Out: &out, Clock: clock, Loc: cfg.Location, Layout: "2006-01-02 15:04"}, clock, quiet, outbox.Options{ChannelInterval: time.Millisecond})
		sim := &jobs.Simulation{Clock: clock, Runner: jobs.NewRunner(clock, cfg.Location, quiet, job), Planners: []jobs.Planner{job}, Outbox: sender}
		if err := sim.Run(context.Background(), bounds[i+1]); err != nil {
			t.Fatal(err)
		}
		st.Close()
	}
	return out.String()
}

func TestCampaignReminders(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	for i := range cfg.Campaigns {
		if cfg.Campaigns[i].ID == "double-12" {
			cfg.Campaigns[i].Registration = "11-25"
			cfg.Campaigns[i].Owner = "U0MKT"
		}
	}
	out := runCampaigns(t, cfg, sh(t, "2026-11-15 00:00"), sh(t, "2026-12-02 00:00"))
	for _, want := range []string{
		"── 2026-11-18 10:00 #shop-ops ──\n⏰ Double 12: registration closes in 7 days, on Wed 2026-11-25",
		"── 2026-11-22 10:00 #shop-ops ──\n⏰ Double 12: registration closes in 3 days",
		"── 2026-11-24 10:00 #shop-ops ──\n⏰ Double 12: registration closes in 1 day",
		"── 2026-12-01 09:00 #shop-ops ──\n🚨 Double 12 starts today and runs to Sat 2026-12-12. @U0MKT",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "registration closes"); n != 3 {
		t.Errorf("%d registration reminders, want 3", n)
	}
}

// TestCampaignOwnerRoleWithNobody: a campaign owned by a role with no
// one listed names the role as the one in charge, in the team's
// language, rather than ending the sentence with a stray word.
func TestCampaignOwnerRoleWithNobody(t *testing.T) {
	for _, tt := range []struct{ locale, want, bad string }{
		{"en", "🚨 Double 12 starts today and runs to Sat 2026-12-12. (in charge: marketing)", "2026-12-12. marketing"},
		{"zh", "今天开始,持续到 周六 2026-12-12。 (负责:推广)", "2026-12-12。 推广"},
	} {
		t.Run(tt.locale, func(t *testing.T) {
			cfg, err := config.Default()
			if err != nil {
				t.Fatal(err)
			}
			cfg.Locale = tt.locale
			cfg.Roles["marketing"] = nil
			for i := range cfg.Campaigns {
				if cfg.Campaigns[i].ID == "double-12" {
					cfg.Campaigns[i].Owner = "marketing"
				}
			}
			out := runCampaigns(t, cfg, sh(t, "2026-12-01 08:00"), sh(t, "2026-12-01 10:00"))
			if !strings.Contains(out, tt.want) || strings.Contains(out, tt.bad) {
				t.Errorf("want %q in:\n%s", tt.want, out)
			}
		})
	}
}

func TestMissingCalendarWarningOncePerDay(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Campaigns = nil
	// From 2026-12-03 the next 30 days reach 2027, which the library lacks.
	// A restart at noon on the 4th must not repeat that day's warning.
	out := runCampaigns(t, cfg, sh(t, "2026-12-01 00:00"), sh(t, "2026-12-06 00:00"), sh(t, "2026-12-04 12:00"))
	if n := strings.Count(out, "no official holiday schedule for 2027"); n != 3 {
		t.Errorf("%d warnings from the 3rd to the 5th, want one a day (3):\n%s", n, out)
	}
	if !strings.Contains(out, "── 2026-12-03 09:00 #shop-managers ──") || strings.Contains(out, "2026-12-02 09:00") {
		t.Errorf("warnings on the wrong days:\n%s", out)
	}

	// With the year's official schedule in the config, no warning.
	cfg.Calendar.Official = map[int]config.OfficialYear{2027: {Holidays: []config.CalendarDay{{Date: "2027-01-01"}}}}
	if out := runCampaigns(t, cfg, sh(t, "2026-12-01 00:00"), sh(t, "2026-12-06 00:00")); strings.Contains(out, "no official") {
		t.Errorf("warned although calendar.official has 2027:\n%s", out)
	}
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func sh(t *testing.T, s string) time.Time {
	t.Helper()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	at, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return at
}
