package report_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"testing"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers/handlerstest"
	"opsbot/i18n"
	"opsbot/report"
)

func TestDigestOnDemand(t *testing.T) {
	f := handlerstest.New(t, nil)
	f.Do("boss", "/metric target sales=1,500,000 month=2026-11")
	for i := 15; i <= 21; i++ {
		f.Do("alice", fmt.Sprintf("/metric date=2026-11-%d uv=20000 paid=400 sales=60000", i))
	}
	f.Do("alice", "/metric uv=12400 orders=310 paid=248 sales=45,600.50")

	r := f.Do("alice", "/ops digest")
	text := bot.RenderText(r.Blocks)
	handlerstest.Contains(t, text,
		"Daily report · My shop · 2026-11-22 (Sun)",
		"Sales ¥45,600.50 · −24.0% vs the day before · −24.0% vs the 7-day average",
		"⚠️ Anomalies",
		"• Unique visitors (UV) −38% vs 7-day average (12,400 vs 20,000)",
		"• Sales: ¥45,600.50 against the daily target ¥50,000.00 — 91.2% of the daily target",
		"Not logged (missing is not zero): Page views (PV)",
		"Tracked items (11-22): opened 0 · resolved 0 · still open 0",
	)
	if !r.Ephemeral || len(r.Files) != 1 {
		t.Fatalf("ephemeral %v, %d files", r.Ephemeral, len(r.Files))
	}
	img, err := png.Decode(bytes.NewReader(r.Files[0].Content))
	if err != nil || img.Bounds().Dx() != 1200 || img.Bounds().Dy() != 600 {
		t.Errorf("chart: %v %v", err, img)
	}
	if err := report.CheckLimits([]chat.Reply{r}); err != nil {
		t.Fatal(err)
	}

	// Another day, in Chinese words, by the key.
	handlerstest.Contains(t, f.Text("alice", "/ops digest date=前天 shop=main"), "Daily report · My shop · 2026-11-21 (Sat)")
	handlerstest.Contains(t, f.Text("alice", "/ops 日报 2026-11-20"), "2026-11-20 (Fri)")
}

func TestReportsOnDemand(t *testing.T) {
	f := handlerstest.New(t, nil)
	f.Do("alice", "/metric date=2026-11-16 sales=30000 uv=1000 paid=10")
	f.Do("alice", "/metric date=2026-11-19 sales=90000 uv=3000 paid=30")
	tests := []struct {
		line  string
		wants []string
	}{
		{"/ops report weekly", []string{"Weekly report · My shop · 2026-11-16 to 2026-11-22 (week 47)", "Figures logged on 2 of 7 days.",
			"Sales ¥120,000.00 · daily average ¥60,000.00", "Best day 2026-11-19 (Thu) ¥90,000.00 · worst day 2026-11-16 (Mon) ¥30,000.00"}},
		{"/ops report week 2026-11-23", []string{"Weekly report · My shop · 2026-11-23 to 2026-11-23 (week 48) (so far)", "Figures logged on 0 of 1 days."}},
		{"/ops report monthly", []string{"Monthly report · My shop · 2026-10", "Figures logged on 0 of 31 days.", "Commissions"}},
		{"/ops report 月报 2026-11", []string{"Monthly report · My shop · 2026-11 (to 2026-11-22)", "Figures logged on 2 of 22 days.",
			"(the month is not over: figures so far)"}},
		{"/ops report daily 2026-11-19", []string{"Daily report · My shop · 2026-11-19 (Thu)", "Sales ¥90,000.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			handlerstest.Contains(t, f.Text("alice", tt.line), tt.wants...)
		})
	}
}

func TestReportRefusals(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) {
		c.Shops = append(c.Shops, config.Shop{ID: "tmall", Name: "Tmall"})
	})
	tests := []struct {
		line  string
		wants []string
	}{
		{"/ops report", []string{"/ops digest [DATE] [shop=…]"}},
		{"/ops report hourly", []string{"`hourly` is not a kind of report", "quarterly or yearly"}},
		{"/ops digest 2026-12-01", []string{"2026-12-01 is in the future"}},
		{"/ops report monthly 2027-01", []string{"2027-01 has not started yet (today is 2026-11-23)"}},
		{"/ops report weekly colour=red", []string{"`colour=red` — a report takes a date"}},
		{"/ops digest shop=nope", []string{"Unknown shop `nope`"}},
		{"/ops digest <!channel>", []string{"`&lt;!channel&gt;` is not a date"}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			r := f.Do("alice", tt.line)
			if !r.Ephemeral {
				t.Error("a refusal is shown to the asker only")
			}
			raw := ""
			for _, b := range r.Blocks {
				raw += handlerstest.RawText(b) + "\n"
			}
			handlerstest.Contains(t, raw, tt.wants...)
		})
	}
}

// TestLongReportContinuesInDM: a report too long for one message answers
// with its first part and queues the rest to the asker's DMs.
func TestLongReportContinuesInDM(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) {
		for i := range 1000 {
			c.Metrics = append(c.Metrics, config.Metric{Key: fmt.Sprintf("extra_%04d", i), Kind: "count",
				Name: i18n.Text{En: fmt.Sprintf("An extra metric with a rather long name %03d", i)}})
		}
	})
	// Every metric doubles against its 3-day average: 1,000 anomalies,
	// 1,000 table rows. Stored directly: one command takes far fewer
	// figures.
	for day, base := range map[string]int64{"2026-11-19": 1000, "2026-11-20": 1000, "2026-11-21": 1000, "2026-11-22": 2000} {
		values, keys := map[string]int64{}, []string{}
		for i := range 1000 {
			k := fmt.Sprintf("extra_%04d", i)
			values[k], keys = base+2*int64(i), append(keys, k)
		}
		if _, err := f.Store.SetMetrics(context.Background(), "alice", "main", day, values, keys, f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	r := f.Do("alice", "/ops digest")
	if err := report.CheckLimits([]chat.Reply{r}); err != nil {
		t.Fatal(err)
	}
	handlerstest.Contains(t, bot.RenderText(r.Blocks), "other part follows in your direct messages")
	msgs, err := f.Store.OutboxMessages(context.Background(), "alice")
	if err != nil || len(msgs) == 0 {
		t.Fatalf("queued to alice: %d, %v", len(msgs), err)
	}
}
