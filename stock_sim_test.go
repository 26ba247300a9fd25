package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSimulateStockTranscript runs two weeks of logged sales and stock
// through the real jobs on the fake clock: the warnings at the minute of
// the command that crossed, out of stock at once, the digest's stock
// section, and the Thursday sheets at 10:00 with their CSV, approved by a
// manager and updated in place.
func TestSimulateStockTranscript(t *testing.T) {
	dir := t.TempDir()
	files := filepath.Join(dir, "files")
	code, out, errOut := runCLI(t, dir, "", nil, "--config", "testdata/stock.yaml", "simulate",
		"--from", "2026-11-16T08:00", "--to", "2026-11-30T08:00", "--script", "testdata/stock.script", "--files", files)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	out = strings.ReplaceAll(out, files, "FILES")
	golden := filepath.Join("testdata", "simulate-stock.golden")
	if *update {
		os.WriteFile(golden, []byte(out), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("simulate output differs from %s (run go test -update -run Stock . to accept):\n%s", golden, out)
	}
	csv, err := os.ReadFile(filepath.Join(files, "replenishment-main-2026-11-19.csv"))
	if err != nil {
		t.Fatal(err)
	}
	wantCSV := "\ufeffsku,name,on_hand,in_transit,sold_7d,sold_28d,days_28d,avg_28d,lead_days,suggested,order_qty,explanation\n" +
		"A100,Linen shirt,114,0,48,48,4,12.0,7,96,96,4-day avg 12.0/day × 17 days − 114 on hand = 90 → 96 (case 12)\n"
	if !strings.HasPrefix(string(csv), wantCSV) {
		t.Errorf("CSV:\n%s", csv)
	}
}
