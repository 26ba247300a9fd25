package stock

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"

	"opsbot/bot"
	"opsbot/calendar"
	"opsbot/chat"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/store"
	"opsbot/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// harness is the feature on a real SQLite file and a fake clock.
type harness struct {
	t     *testing.T
	cfg   *config.Config
	st    *store.Store
	clock *clockwork.FakeClock
	f     *Feature
}

func sh(t *testing.T, s string) time.Time {
	t.Helper()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	at, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func testConfig(t *testing.T, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte("managers: [boss]\n"+yaml), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// openStore is the database of the harness: SQLite, or PostgreSQL in
// TestOnPostgres.
var openStore = func(t *testing.T) *store.Store { return storetest.SQLite(t) }

func newHarness(t *testing.T, cfg *config.Config, at string) *harness {
	t.Helper()
	st := openStore(t)
	cal, err := calendar.New(cfg.Calendar, cfg.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	clock := clockwork.NewFakeClockAt(sh(t, at))
	return &harness{t: t, cfg: cfg, st: st, clock: clock, f: New(cfg, st, cal, clock, quiet)}
}

// run types a /stock command as a user and returns the reply as text.
func (h *harness) run(user, text string) string {
	h.t.Helper()
	r := h.f.Command(context.Background(), chat.Command{UserID: user, ChannelName: "shop-ops", Name: "/stock", Text: text, At: h.clock.Now()}, strings.Fields(text))
	return bot.RenderText(r.Blocks)
}

// must runs a command that has to be stored.
func (h *harness) must(user, text string) string {
	h.t.Helper()
	out := h.run(user, text)
	if strings.Contains(out, "Nothing was stored") || strings.Contains(out, "⚠️") && !strings.Contains(out, "low") {
		h.t.Fatalf("/stock %s refused:\n%s", text, out)
	}
	return out
}

// posted is every message queued to the team channel, as text.
func (h *harness) posted() []string {
	h.t.Helper()
	msgs, err := h.st.OutboxMessages(context.Background(), h.cfg.Channels.Team)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.Op == store.OpUpload {
			out = append(out, "upload "+m.FileName)
			continue
		}
		var blocks slack.Blocks
		if err := json.Unmarshal([]byte(`{"blocks":`+m.Blocks+`}`), &struct {
			Blocks *slack.Blocks `json:"blocks"`
		}{&blocks}); err != nil {
			h.t.Fatal(err)
		}
		out = append(out, m.Op+" "+bot.RenderText(blocks.BlockSet))
	}
	return out
}

// history logs 28 days of sales before the harness's day, alternating
// the two quantities given.
func (h *harness) history(code string, a, b int64) {
	h.t.Helper()
	today := civil.Of(h.clock.Now(), h.cfg.Location)
	for i := 28; i >= 1; i-- {
		q := a
		if i%2 == 0 {
			q = b
		}
		h.must("amy", fmt.Sprintf("sold %s %d date=%s", code, q, today.AddDays(-i)))
	}
}

const shirt = `stock:
  items:
    - {sku: A100, name: Linen shirt, case_pack: 12, min_order: 50, lead_days: 7, safety_days: 3}
`

func TestSuggestionFrom28DaysOfSales(t *testing.T) {
	h := newHarness(t, testConfig(t, shirt), "2026-11-26 09:00")
	h.history("A100", 12, 13) // 14 × 12 + 14 × 13 = 350 units in 28 days: 12.5 a day
	h.must("amy", "set A100 140")
	h.must("amy", "order A100 60 eta=2026-12-01")

	today := civil.Of(h.clock.Now(), h.cfg.Location)
	lines, nothing, err := h.f.sheetLines(context.Background(), "main", today)
	if err != nil || len(lines) != 1 || nothing != 0 {
		t.Fatalf("sheet lines %+v, %d, %v", lines, nothing, err)
	}
	l := lines[0]
	// 12.5 × (7 + 7 + 3) = 212.5, − 140 − 60 = 12.5 → 13 units; 24 in
	// cases of 12; the minimum order of 50 is 5 cases: 60.
	if l.Sold28 != 350 || l.Days28 != 28 || l.Suggested != 60 || l.Qty != 60 {
		t.Errorf("line = %+v, want 350 sold over 28 days and 60 suggested", l)
	}
	want := "28-day avg 12.5/day × 17 days − 140 on hand − 60 in transit = 13 → 24 (case 12) → 60 (min 50)"
	if l.Explain != want {
		t.Errorf("explain = %q\nwant      %q", l.Explain, want)
	}
	view := h.run("amy", "A100")
	for _, s := range []string{"On hand 140", "in transit 60 (12-01)", "12.5/day (28d)", "cover 11.2 days (warns under 10)", "· ok"} {
		if !strings.Contains(view, s) {
			t.Errorf("/stock A100 lacks %q:\n%s", s, view)
		}
	}
}

func TestSuggestArithmetic(t *testing.T) {
	base := Position{Counted: true, Days28: 28, Lead: 7, Review: 7, Safety: 3, CasePack: 12, MinOrder: 50}
	for _, c := range []struct {
		name                    string
		onHand, transit, sold28 int64
		days                    int
		need, packed, qty       int64
		cover                   string
	}{
		{"min order wins", 140, 60, 350, 28, 13, 24, 60, "11.2"},
		{"case pack rounds up", 0, 0, 350, 28, 213, 216, 216, "0.0"},
		{"enough stock", 300, 0, 350, 28, -87, 0, 0, "24.0"},
		{"exactly at the level", 238, 0, 392, 28, 0, 0, 0, "17.0"},
		{"a new SKU averages over its days", 20, 0, 100, 10, 150, 156, 156, "2.0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := base
			p.OnHand, p.InTransit, p.Sold28, p.Days28 = c.onHand, c.transit, c.sold28, c.days
			s, ok := p.Suggest()
			if !ok || s.Need != c.need || s.Packed != c.packed || s.Qty != c.qty {
				t.Errorf("Suggest = %+v, %v; want need %d, packed %d, qty %d", s, ok, c.need, c.packed, c.qty)
			}
			if got := p.CoverText(); got != c.cover {
				t.Errorf("cover = %s, want %s", got, c.cover)
			}
		})
	}
	if _, ok := (Position{Counted: true, OnHand: 5}).Suggest(); ok {
		t.Error("a suggestion without sales history")
	}
}

func TestNoHistorySaysSoInsteadOfZero(t *testing.T) {
	h := newHarness(t, testConfig(t, shirt), "2026-11-26 09:00")
	h.must("amy", "set A100 10")
	out := h.run("amy", "sheet now")
	if !strings.Contains(out, "No sales history yet for 1 SKUs, so no suggestion: A100") || strings.Contains(out, "Approve") {
		t.Errorf("preview without history:\n%s", out)
	}
}

// lowConfig: 10 a day, warnings under 7 + 3 = 10 days of cover.
const lowConfig = `stock:
  items:
    - {sku: A100, name: Linen shirt, lead_days: 7, safety_days: 3}
`

func TestWarnsOncePerCrossing(t *testing.T) {
	h := newHarness(t, testConfig(t, lowConfig), "2026-11-26 09:00")
	h.history("A100", 10, 10)
	steps := []struct {
		cmd   string
		posts int
	}{
		{"set A100 200", 0},             // 20 days of cover
		{"sold A100 120 date=today", 1}, // 80 on hand: 8 days, crosses under 10
		{"set A100 85", 1},              // still low: no second warning
		{"set A100 95", 1},              // still low
		{"set A100 150", 1},             // recovered: nothing posted, the crossing is reset
		{"set A100 90", 2},              // crosses again: warns again
		{"set A100 0", 3},               // out of stock: posted at once
		{"set A100 0", 3},               // still out
		{"set A100 50", 3},              // back to low from out: not a new crossing
	}
	for _, s := range steps {
		h.must("amy", s.cmd)
		if got := len(h.posted()); got != s.posts {
			t.Fatalf("after %q: %d messages, want %d:\n%s", s.cmd, got, s.posts, strings.Join(h.posted(), "\n"))
		}
	}
	p := h.posted()
	if !strings.Contains(p[0], "A100 Linen shirt is low: 8.0 days of cover (warns under 10), 80 on hand at 10.0/day. Nothing is in transit.") {
		t.Errorf("first warning: %s", p[0])
	}
	if !strings.Contains(p[1], "9.0 days of cover") {
		t.Errorf("second warning: %s", p[1])
	}
	if !strings.Contains(p[2], "A100 Linen shirt is out of stock.") {
		t.Errorf("out of stock: %s", p[2])
	}
}

func TestInTransitStopsAWarning(t *testing.T) {
	h := newHarness(t, testConfig(t, lowConfig), "2026-11-26 09:00")
	h.history("A100", 10, 10)
	h.must("amy", "set A100 200")
	h.must("amy", "order A100 60 eta=2026-11-30")
	h.must("amy", "sold A100 120 date=today") // 80 on hand + 60 in transit: 14 days
	if p := h.posted(); len(p) != 0 {
		t.Fatalf("warned with enough in transit:\n%s", strings.Join(p, "\n"))
	}
	h.must("amy", "sold A100 170 date=today") // 30 + 60 = 9 days: warns, naming the arrival
	p := h.posted()
	if len(p) != 1 || !strings.Contains(p[0], "A100 Linen shirt is low: 3.0 days of cover (warns under 10), 30 on hand at 10.0/day. 60 in transit, arriving 2026-11-30.") {
		t.Fatalf("warning:\n%s", strings.Join(p, "\n"))
	}
}

func TestApproveMovesLinesIntoTransitAndArrivalClosesThem(t *testing.T) {
	cfg := testConfig(t, shirt)
	h := newHarness(t, cfg, "2026-11-26 09:00")
	h.history("A100", 12, 13)
	h.must("amy", "set A100 140")
	ctx := context.Background()
	// Thursday 10:00: the job builds the sheet, once however often it ticks.
	for _, at := range []string{"2026-11-26 09:59", "2026-11-26 10:00", "2026-11-26 10:01", "2026-11-26 13:00"} {
		if err := h.f.Tick(ctx, sh(t, at)); err != nil {
			t.Fatal(err)
		}
	}
	p := h.posted()
	if len(p) != 3 || !strings.Contains(p[0], "Replenishment sheet — My shop, 2026-11-26 (#1)") || p[1] != "upload replenishment-main-2026-11-26.csv" || p[2] != "upload replenishment-main-2026-11-26.xlsx" {
		t.Fatalf("posted:\n%s", strings.Join(p, "\n"))
	}
	// 12.5 × 17 − 140 = 72.5 → 73 → 84 in cases of 12.
	if !strings.Contains(p[0], "A100  Linen shirt     84  28-day avg 12.5/day × 17 days − 140 on hand = 73 → 84 (case 12)") {
		t.Errorf("sheet:\n%s", p[0])
	}

	// A member may not edit or approve; a manager edits a line in the
	// modal, with errors under the fields, then approves.
	// The outbox delivered the sheet: its buttons act only on that message.
	if err := h.st.RecordMessage(ctx, sheetRefPrefix+"1", "C0OPS", "1700000000.000300", h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	for _, where := range []chat.Interaction{{}, {ChannelID: "C0OPS", MessageTS: "1700000000.000999"}, {ChannelID: "C0OTHER", MessageTS: "1700000000.000300"}} {
		for _, action := range []string{ActionApprove, ActionEditLine} {
			forged := where
			forged.Kind, forged.ActionID, forged.Value, forged.UserID, forged.At = chat.KindAction, action, "1", "boss", h.clock.Now()
			out := h.f.Interact(ctx, forged)
			if out.OpenModal != nil || out.Ephemeral == nil || !strings.Contains(out.Ephemeral.Text, "not made by opsbot") || !strings.Contains(out.Ephemeral.Text, "/stock approve 1") {
				t.Errorf("%s from %s/%s: %+v", action, where.ChannelID, where.MessageTS, out)
			}
		}
	}
	onSheet := func(in chat.Interaction) chat.Interaction {
		in.ChannelID, in.MessageTS = "C0OPS", "1700000000.000300"
		return in
	}
	member := onSheet(chat.Interaction{Kind: chat.KindAction, ActionID: ActionApprove, Value: "1", UserID: "amy", At: h.clock.Now()})
	if out := h.f.Interact(ctx, member); out.Ephemeral == nil || !strings.Contains(out.Ephemeral.Text, "Only managers") {
		t.Errorf("member approve: %+v", out)
	}
	open := h.f.Interact(ctx, onSheet(chat.Interaction{Kind: chat.KindAction, ActionID: ActionEditLine, Value: "1", UserID: "boss", At: h.clock.Now()}))
	if open.OpenModal == nil {
		t.Fatal("no modal")
	}
	submit := chat.Interaction{Kind: chat.KindSubmission, CallbackID: CallbackEdit, UserID: "boss", Metadata: open.OpenModal.PrivateMetadata, At: h.clock.Now(),
		Values: map[string]string{blockEditSKU: "Z9", blockEditQty: "1.5"}}
	out := h.f.Interact(ctx, submit)
	if out.FieldErrors[blockEditSKU] == "" || out.FieldErrors[blockEditQty] == "" {
		t.Errorf("bad edit accepted: %+v", out)
	}
	submit.Values = map[string]string{blockEditSKU: "a100", blockEditQty: "96"}
	forged := submit
	forged.Metadata = `{"s":1}` // metadata not sealed by the bot for this person
	if out := h.f.Interact(ctx, forged); len(out.FieldErrors) == 0 {
		t.Errorf("a forged edit form was accepted: %+v", out)
	}
	if out := h.f.Interact(ctx, submit); len(out.FieldErrors) > 0 {
		t.Fatalf("edit refused: %+v", out.FieldErrors)
	}
	boss := member
	boss.UserID = "boss"
	out = h.f.Interact(ctx, boss)
	if out.Ephemeral == nil || !strings.Contains(out.Ephemeral.Text, "Sheet #1 approved: 1 orders, 96 units, are in transit.") {
		t.Fatalf("approve: %+v", out.Ephemeral)
	}
	if again := h.run("boss", "approve 1"); !strings.Contains(again, "already approved") {
		t.Errorf("second approval: %s", again)
	}
	it, err := h.st.StockItem(ctx, "main", "A100")
	if err != nil {
		t.Fatal(err)
	}
	if it.InTransit != 96 || it.NextETA != "2026-12-03" { // lead 7 days from Thursday 26th
		t.Errorf("after approval: in transit %d, ETA %s", it.InTransit, it.NextETA)
	}
	p = h.posted()
	last := p[len(p)-1]
	if !strings.HasPrefix(last, "update ") || !strings.Contains(last, "Approved by @boss") || !strings.Contains(last, "96*") || strings.Contains(last, "[ Approve ]") {
		t.Errorf("the sheet was not updated in place:\n%s", last)
	}

	// Arrivals close the order: part, then the rest.
	h.must("amy", "arrive A100 50")
	if it, _ = h.st.StockItem(ctx, "main", "A100"); it.InTransit != 46 || it.OnHand != 190 {
		t.Errorf("after a partial arrival: %d in transit, %d on hand", it.InTransit, it.OnHand)
	}
	h.must("amy", "arrive A100 46")
	orders, err := h.st.OpenStockOrders(ctx, it.ID)
	if it, _ = h.st.StockItem(ctx, "main", "A100"); it.InTransit != 0 || it.NextETA != "" || len(orders) != 0 || err != nil {
		t.Errorf("after the arrival: %d in transit, ETA %q, %d open orders", it.InTransit, it.NextETA, len(orders))
	}
}

func TestNationalDayMovesTheThursdaySheet(t *testing.T) {
	for _, c := range []struct {
		rule string
		want []string
	}{
		// Thursday 1 October 2026 is National Day (1-7 October).
		{"before", []string{"2026-09-24", "2026-09-30", "2026-10-08"}},
		{"after", []string{"2026-09-24", "2026-10-08"}},
		{"skip", []string{"2026-09-24", "2026-10-08"}},
	} {
		t.Run(c.rule, func(t *testing.T) {
			h := newHarness(t, testConfig(t, shirt+"  on_holiday: "+c.rule+"\n"), "2026-09-21 00:00")
			h.must("amy", "set A100 10")
			var got []string
			for at := sh(t, "2026-09-21 00:00"); at.Before(sh(t, "2026-10-12 00:00")); {
				next, ok, err := h.f.Next(context.Background(), at)
				if err != nil || !ok {
					t.Fatal(err, ok)
				}
				if !next.Before(sh(t, "2026-10-12 00:00")) {
					break
				}
				if err := h.f.Tick(context.Background(), next); err != nil {
					t.Fatal(err)
				}
				at = next
			}
			for _, p := range h.posted() {
				if i := strings.Index(p, "My shop, "); i >= 0 && strings.HasPrefix(p, "post") {
					got = append(got, p[i+len("My shop, "):i+len("My shop, ")+10])
				}
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("sheets on %v, want %v", got, c.want)
			}
		})
	}
}

func TestRefusalsAreAtomicAndSpecific(t *testing.T) {
	h := newHarness(t, testConfig(t, shirt), "2026-11-26 09:00")
	for _, c := range []struct{ cmd, want string }{
		{"set A100 12 Z9 3", "has no SKU `Z9`"},
		{"set A100 1.5", "`1.5` is not a quantity"},
		{"set A100 -3", "`-3` is not a quantity"},
		{"arrive A100 0", "at least 1"},
		{"sold A100 3 date=2026-12-01", "in the future"},
		{"order A100 5 eta=2026-11-01", "in the past"},
		{"sold A100 3 A100 4", "listed twice"},
		{"sold A100", "pairs of SKU and quantity"},
		{"set A100 99999999", "too large"},
		{"set A100 5 eta=2026-12-01", "does not go with"},
		{"item add bad*code", "not an SKU code"},
		{"item add A100 again", "already has `A100`"},
		{"top 0", "N from 1 to 100"},
		{"approve x", "not a sheet number"},
		{"<!channel>", "is not a stock command"},
	} {
		out := h.run("amy", c.cmd)
		if !strings.Contains(out, c.want) {
			t.Errorf("/stock %s:\n%s\nwant %q", c.cmd, out, c.want)
		}
	}
	it, err := h.st.StockItem(context.Background(), "main", "A100")
	if err != nil || it.OnHand != 0 || it.Counted || it.FirstSaleOn != "" {
		t.Errorf("a refused command changed the SKU: %+v %v", it, err)
	}
	r := h.f.Command(context.Background(), chat.Command{UserID: "amy", Name: "/stock", Text: "<!channel>", At: h.clock.Now()}, []string{"<!channel>"})
	if raw, _ := json.Marshal(r.Blocks); strings.Contains(string(raw), "<!channel>") || !strings.Contains(string(raw), `\u0026lt;!channel\u0026gt;`) {
		t.Errorf("echo not escaped: %s", raw)
	}
}

func TestMovesAreAudited(t *testing.T) {
	h := newHarness(t, testConfig(t, shirt), "2026-11-26 09:00")
	h.must("amy", "set A100 40")
	h.must("amy", "sold A100 5 date=today")
	h.must("amy", "sold A100 7 date=today") // replaces 5: on hand 40 − 7
	h.must("bob", "order A100 24")
	it, _ := h.st.StockItem(context.Background(), "main", "A100")
	moves, err := h.st.StockMoves(context.Background(), it.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range moves {
		got = append(got, fmt.Sprintf("%s %s %d → %d/%d", m.Actor, m.Kind, m.Qty, m.OnHand, m.InTransit))
	}
	want := "bob order 24 → 33/24, amy sold 7 → 33/0, amy sold 5 → 35/0, amy set 40 → 40/0, config add 0 → 0/0"
	if strings.Join(got, ", ") != want {
		t.Errorf("moves:\n%s\nwant\n%s", strings.Join(got, ", "), want)
	}
}

func TestHelpInBothLanguages(t *testing.T) {
	for _, c := range []struct{ locale, want string }{{"en", "a day's unit sales"}, {"zh", "某天的销量"}} {
		h := newHarness(t, testConfig(t, "locale: "+c.locale+"\n"), "2026-11-26 09:00")
		if out := h.run("amy", "help"); !strings.Contains(out, c.want) {
			t.Errorf("%s help:\n%s", c.locale, out)
		}
	}
}

func TestDigestSection(t *testing.T) {
	h := newHarness(t, testConfig(t, `stock:
  hot_items: 3
  items:
    - {sku: A100, lead_days: 7, safety_days: 3}
    - {sku: B200, lead_days: 7, safety_days: 3}
    - {sku: C300, lead_days: 7, safety_days: 3}
    - {sku: D400}
`), "2026-11-26 09:00")
	h.history("A100", 10, 10)
	h.history("B200", 10, 10)
	h.history("C300", 10, 10)
	h.must("amy", "set A100 0 B200 50 C300 150 D400 9") // out; low (5 days); hot and short (15 < 17 days)
	h.must("amy", "order B200 100 eta=2026-11-30")      // in transit: no longer low
	h.must("amy", "set B200 30")                        // 30 + 100 = 13 days: still not low
	sec, err := h.f.DigestSection(context.Background(), "main", civil.Date{Year: 2026, Month: 11, Day: 25})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(sec.Lines, "\n")
	want := ":rotating_light: Out of stock (1): `A100`\n" +
		":fire: Hot items that will run short before the next delivery (2): `B200` (3.0 d, ETA 2026-11-30), `C300` (15.0 d)\n" +
		"Sell-through: 3 of 4 SKUs sold in 30 days (shown as a rate from 10 SKUs)."
	if got != want || sec.Online != 4 || sec.Sold != 3 {
		t.Errorf("digest section:\n%s\nwant\n%s\n(%d online, %d sold)", got, want, sec.Online, sec.Sold)
	}
}

// The sums kept on the SKU rows, refreshed by the job and adjusted by
// each sale, match the sums computed from the sales.
func TestKeptSumsMatchTheSales(t *testing.T) {
	h := newHarness(t, testConfig(t, lowConfig), "2026-11-26 09:00")
	h.history("A100", 7, 11)
	ctx := context.Background()
	check := func(when string) {
		t.Helper()
		day := civil.Of(h.clock.Now(), h.cfg.Location)
		from28, from7, to := windows(day)
		want, err := h.st.StockSalesSums(ctx, "main", from28, from7, to)
		if err != nil {
			t.Fatal(err)
		}
		it, _ := h.st.StockItem(ctx, "main", "A100")
		if it.SumsOn != day.String() || it.Sold7 != want[it.ID].Sold7 || it.Sold28 != want[it.ID].Sold28 {
			t.Errorf("%s: kept %s %d/%d, computed %d/%d", when, it.SumsOn, it.Sold7, it.Sold28, want[it.ID].Sold7, want[it.ID].Sold28)
		}
	}
	check("a new SKU with its history logged")
	h.clock.Advance(24 * time.Hour) // the window moves on
	if err := h.f.Tick(ctx, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	check("after the morning refresh")
	h.must("amy", "sold A100 20")                // yesterday: in both windows
	h.must("amy", "sold A100 3 date=2026-11-10") // replaces 11: in the 28-day window only
	h.must("amy", "sold A100 5 date=2026-10-01") // outside both
	h.must("amy", "sold A100 9 date=today")      // today: not in the windows yet
	check("after sales were logged and corrected")
}

// TestOnPostgres runs the stateful tests again on PostgreSQL, where
// several replicas share the database (skipped when none is reachable).
func TestOnPostgres(t *testing.T) {
	storetest.Postgres(t) // skips here, with its message, when absent
	openStore = func(t *testing.T) *store.Store { return storetest.Postgres(t) }
	defer func() { openStore = func(t *testing.T) *store.Store { return storetest.SQLite(t) } }()
	for name, test := range map[string]func(*testing.T){
		"suggestion": TestSuggestionFrom28DaysOfSales, "crossing": TestWarnsOncePerCrossing, "transit": TestInTransitStopsAWarning,
		"approve": TestApproveMovesLinesIntoTransitAndArrivalClosesThem, "national-day": TestNationalDayMovesTheThursdaySheet,
		"refusals": TestRefusalsAreAtomicAndSpecific, "audit": TestMovesAreAudited, "digest": TestDigestSection,
		"sums": TestKeptSumsMatchTheSales, "import": TestImportGBKPreviewConfirmOnce,
	} {
		t.Run(name, test)
	}
}
