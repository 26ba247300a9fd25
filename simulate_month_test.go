package main

import (
	"encoding/csv"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestSimulateMonthFiguresAgree replays a random month of partly logged
// figures (zeros, values up to the 10¹⁵ limit, missing inputs) through
// `opsbot simulate`, then reads every figure of every day three ways — the
// `/metric show` reply, the scheduled daily report and the CSV export —
// and the month's totals in the scheduled monthly report, and checks that
// they all agree with an exact reference computed here (math/big.Rat,
// rounded half away from zero by Rat.FloatString).
func TestSimulateMonthFiguresAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("a month of simulation; skipped with -short")
	}
	t.Parallel()
	rng := rand.New(rand.NewPCG(15, 10))
	first := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	days := map[string]map[string]int64{}
	var script strings.Builder
	var dates []string
	for i := 0; i < 31; i++ {
		d := first.AddDate(0, 0, i).Format("2006-01-02")
		dates = append(dates, d)
		next := first.AddDate(0, 0, i+1).Format("2006-01-02")
		if rng.IntN(8) == 0 {
			continue // a day nothing was logged
		}
		vals := map[string]int64{}
		var cmd []string
		for _, k := range []string{"uv", "orders", "paid", "sales", "refunds", "ad_search", "ad_display", "ad_affiliate", "shipping_cost", "discounts"} {
			if rng.IntN(6) == 0 {
				continue
			}
			v := simValue(rng)
			vals[k] = v
			if simMoney(k) {
				cmd = append(cmd, fmt.Sprintf("%s=%d.%02d", k, v/100, v%100))
			} else {
				cmd = append(cmd, fmt.Sprintf("%s=%d", k, v))
			}
		}
		if len(vals) == 0 {
			continue
		}
		days[d] = vals
		fmt.Fprintf(&script, "%sT08:25 @amy /metric date=%s %s\n", next, d, strings.Join(cmd, " "))
	}
	for i, d := range dates {
		fmt.Fprintf(&script, "2026-11-01T11:%02d @amy /metric show %s\n", i, d)
	}
	script.WriteString("2026-11-01T11:45 @amy /metric export 2026-10-01 2026-10-31\n")
	dir := t.TempDir()
	path := filepath.Join(dir, "month.script")
	if err := os.WriteFile(path, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, dir, "", nil, "simulate", "--from", "2026-10-01T20:00", "--to", "2026-11-01T12:00", "--script", path, "--files", dir)
	if code != 0 {
		t.Fatalf("simulate: exit %d\n%s", code, errOut)
	}

	shows, digests := map[string]map[string]string{}, map[string]map[string]string{}
	var monthly map[string]string
	for _, msg := range strings.Split(out, "\n── ") {
		switch {
		case strings.Contains(msg, "> /metric show "):
			d := regexp.MustCompile(`/metric show (\S+)`).FindStringSubmatch(msg)[1]
			shows[d] = simTable(msg)
		case strings.Contains(msg, "Daily report · My shop · "):
			d := regexp.MustCompile(`Daily report · My shop · (\S+)`).FindStringSubmatch(msg)[1]
			digests[d] = simTable(msg)
		case strings.Contains(msg, "Monthly report · My shop · 2026-10"):
			monthly = simTable(msg)
		}
	}
	rows := simCSV(t, filepath.Join(dir, "opsbot-main-2026-10-01-2026-10-31.csv"))

	type figure struct {
		row, col string
		ref      func(v map[string]*big.Rat) string // "" when it has no value
		csv      func(s string) string              // CSV cell → as shown
	}
	figures := []figure{
		{"Sales", "sales", func(v map[string]*big.Rat) string { return simFen(v["sales"]) }, simYuan},
		{"Payment rate", "payment_rate", func(v map[string]*big.Rat) string { return simPct(simQuo(v, "paid", "orders"), 1) }, simPercent},
		{"Conversion rate", "conversion_rate", func(v map[string]*big.Rat) string { return simPct(simQuo(v, "paid", "uv"), 2) }, simPercent},
		{"Average order value", "aov", func(v map[string]*big.Rat) string { return simFen(simQuo(v, "sales", "paid")) }, simYuan},
		{"Refund rate", "refund_rate", func(v map[string]*big.Rat) string { return simPct(simQuo(v, "refunds", "paid"), 1) }, simPercent},
		{"Operating cost", "operating_cost", func(v map[string]*big.Rat) string { return simFen(simCost(v)) }, simYuan},
		{"ROI", "roi", func(v map[string]*big.Rat) string {
			c := simCost(v)
			if c == nil || c.Sign() == 0 || v["sales"] == nil {
				return ""
			}
			return "1:" + simGroup(new(big.Rat).Quo(v["sales"], c).FloatString(2))
		}, func(s string) string {
			if s == "" {
				return ""
			}
			return "1:" + simGroup(s)
		}},
	}
	checked, valued := 0, 0
	for _, d := range dates {
		v := map[string]*big.Rat{}
		for k, x := range days[d] {
			v[k] = new(big.Rat).SetInt64(x)
		}
		for _, f := range figures {
			want := f.ref(v)
			fromCSV := f.csv(rows[d][f.col])
			show, digest := simCell(shows[d][f.row]), simCell(digests[d][f.row])
			if len(days[d]) == 0 {
				show, digest = "", "" // the day says "nothing logged", with no table
			}
			if show != want || digest != want || fromCSV != want {
				t.Errorf("%s %s: show %q, daily report %q, CSV %q; exact reference %q", d, f.row, show, digest, fromCSV, want)
			}
			checked++
			if want != "" {
				valued++
			}
		}
	}
	if valued < 60 {
		t.Errorf("only %d of %d daily figures had a value: the month is too empty to prove anything", valued, checked)
	}
	// The month: totals, and KPIs as ratios of the totals of the days
	// that logged all their inputs.
	total := func(keys ...string) map[string]*big.Rat {
		sum := map[string]*big.Rat{}
		for _, d := range dates {
			all := true
			for _, k := range keys {
				if _, ok := days[d][k]; !ok {
					all = false
				}
			}
			if !all {
				continue
			}
			for _, k := range keys {
				if sum[k] == nil {
					sum[k] = new(big.Rat)
				}
				sum[k].Add(sum[k], new(big.Rat).SetInt64(days[d][k]))
			}
		}
		return sum
	}
	costs := []string{"ad_search", "ad_display", "ad_affiliate", "shipping_cost", "discounts"}
	for _, f := range []struct {
		row, want string
	}{
		{"Sales", simFen(total("sales")["sales"])},
		{"Conversion rate", simPct(simQuo(total("paid", "uv"), "paid", "uv"), 2)},
		{"Average order value", simFen(simQuo(total("sales", "paid"), "sales", "paid"))},
		{"Operating cost", simFen(simCost(total(costs...)))},
		{"ROI", figures[6].ref(total(append([]string{"sales"}, costs...)...))},
	} {
		if got := simCell(monthly[f.row]); got != f.want {
			t.Errorf("monthly report %s = %q, exact reference %q", f.row, got, f.want)
		}
		checked++
	}
	t.Logf("%d figures (%d with a value) of %d logged days agree in replies, daily reports, the CSV and the monthly report", checked, valued, len(days))
}

func simMoney(k string) bool {
	switch k {
	case "sales", "ad_search", "ad_display", "ad_affiliate", "shipping_cost", "discounts":
		return true
	}
	return false
}

func simValue(rng *rand.Rand) int64 {
	switch rng.IntN(12) {
	case 0:
		return 0
	case 1:
		return 1_000_000_000_000_000
	case 2:
		return rng.Int64N(1_000_000_000_000_001)
	case 3, 4, 5:
		return rng.Int64N(1000)
	}
	return rng.Int64N(100_000_000)
}

var simSplit = regexp.MustCompile(`\s{2,}`)

// simTable reads the rows of a message's table: name → value cell.
func simTable(msg string) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(msg, "\n") {
		cells := simSplit.Split(strings.TrimSpace(l), -1)
		if len(cells) >= 2 {
			out[cells[0]] = cells[1]
		}
	}
	return out
}

// simCell is a cell's value without an ROI's grade; "" for "—" or none.
func simCell(s string) string {
	s, _, _ = strings.Cut(s, " (")
	if s == "—" {
		return ""
	}
	return s
}

func simCSV(t *testing.T, path string) map[string]map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = r[i]
		}
		out[r[0]] = row
	}
	return out
}

func simQuo(v map[string]*big.Rat, num, den string) *big.Rat {
	if v[num] == nil || v[den] == nil || v[den].Sign() == 0 {
		return nil
	}
	return new(big.Rat).Quo(v[num], v[den])
}

func simCost(v map[string]*big.Rat) *big.Rat {
	c := new(big.Rat)
	for _, k := range []string{"ad_search", "ad_display", "ad_affiliate", "shipping_cost", "discounts"} {
		if v[k] == nil {
			return nil
		}
		c.Add(c, v[k])
	}
	return c
}

func simGroup(s string) string {
	whole, frac, has := strings.Cut(s, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if has {
		return whole + "." + frac
	}
	return whole
}

func simFen(r *big.Rat) string {
	if r == nil {
		return ""
	}
	return "¥" + simGroup(new(big.Rat).Quo(r, big.NewRat(100, 1)).FloatString(2))
}

func simPct(r *big.Rat, dec int) string {
	if r == nil {
		return ""
	}
	return simGroup(new(big.Rat).Mul(r, big.NewRat(100, 1)).FloatString(dec)) + "%"
}

func simYuan(s string) string {
	if s == "" {
		return ""
	}
	return "¥" + simGroup(s)
}

func simPercent(s string) string {
	if s == "" {
		return ""
	}
	return simGroup(s) + "%"
}
