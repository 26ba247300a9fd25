package stock

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"opsbot/store"
)

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (h *harness) file(name string, data []byte) string {
	h.t.Helper()
	path := filepath.Join(h.t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		h.t.Fatal(err)
	}
	return path
}

func TestImportGBKPreviewConfirmOnce(t *testing.T) {
	h := newHarness(t, testConfig(t, shirt), "2026-11-26 09:00")
	h.f.EnableFileImport()
	h.must("amy", "sold A100 9 date=2026-11-24")
	path := h.file("库存.csv", gbk(t, "商品编码,商品名称,销量,库存,访客数,统计日期\nA100,Linen shirt,12,128,300,2026-11-24\nN900,新品帽子,5,20,50,2026-11-25\n"))
	preview := h.run("amy", "import "+path)
	for _, want := range []string{
		"2 rows (csv, gbk) from 2026-11-24 to 2026-11-25, 2 SKUs, for My shop.",
		"Sales: 1 new, 1 replaced. Stock counts: 2. Nothing is stored until you confirm.",
		"Replaced (old → new): A100 11-24 9 → 12",
		"New SKUs, added on import (1): N900",
		"Columns ignored: 访客数",
		"/stock import confirm 1",
	} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %q:\n%s", want, preview)
		}
	}
	ctx := context.Background()
	if _, err := h.st.StockItem(ctx, "main", "N900"); err == nil {
		t.Fatal("the preview stored an SKU")
	}
	if out := h.run("bob", "import confirm 1"); !strings.Contains(out, "someone else's") {
		t.Errorf("another member confirmed: %s", out)
	}
	if out := h.run("amy", "import confirm 1"); !strings.Contains(out, "@amy imported 2 rows of stock and sales from `库存.csv`.") {
		t.Fatalf("confirm: %s", out)
	}
	a, _ := h.st.StockItem(ctx, "main", "A100")
	n, err := h.st.StockItem(ctx, "main", "N900")
	if err != nil || a.OnHand != 128 || n.OnHand != 20 || n.Name != "新品帽子" || a.LastSaleOn != "2026-11-24" {
		t.Errorf("after import: A100 %+v, N900 %+v, %v", a, n, err)
	}
	if q, _, _ := h.st.StockSaleOn(ctx, a.ID, "2026-11-24"); q != 12 {
		t.Errorf("A100 sales on 11-24 = %d, want 12", q)
	}
	if out := h.run("amy", "import "+path); !strings.Contains(out, "was imported before; importing it again changes nothing") {
		t.Errorf("second import: %s", out)
	}
	if out := h.run("amy", "import confirm 1"); !strings.Contains(out, "imported before") {
		t.Errorf("second confirm: %s", out)
	}
}

func TestImportXLSXWithDefaultDate(t *testing.T) {
	h := newHarness(t, testConfig(t, shirt), "2026-11-26 09:00")
	h.f.EnableFileImport()
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"库存报表 2026-11-25"})
	x.SetSheetRow("Sheet1", "A3", &[]any{"SKU", "名称", "销量", "可用库存"})
	x.SetSheetRow("Sheet1", "A4", &[]any{"A100", "Linen shirt", 7, 90})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	out := h.run("amy", "import "+h.file("stock.xlsx", buf.Bytes()))
	if !strings.Contains(out, "1 rows (xlsx) from 2026-11-25 to 2026-11-25") {
		t.Fatalf("preview: %s", out)
	}
	h.must("amy", "import confirm 1")
	it, _ := h.st.StockItem(context.Background(), "main", "A100")
	if it.OnHand != 90 || it.CountedOn != "2026-11-26" || it.FirstSaleOn != "2026-11-25" {
		t.Errorf("after import: %+v", it)
	}
}

func TestImportRefusesBadRowsAndStoresNothing(t *testing.T) {
	h := newHarness(t, testConfig(t, shirt), "2026-11-26 09:00")
	h.f.EnableFileImport()
	path := h.file("bad.csv", []byte("\ufeff商品编码,销量\nA100,1.5\nbad code,3\nA100,2\nA100,4\n"))
	out := h.run("amy", "import "+path)
	for _, want := range []string{
		"Nothing was stored: `bad.csv` has 3 bad row(s)",
		"row 2: `1.5` is not a quantity",
		"row 3: `bad code` is not an SKU code",
		"row 5: `A100` on 2026-11-25 is already on row 4.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("refusal lacks %q:\n%s", want, out)
		}
	}
	it, _ := h.st.StockItem(context.Background(), "main", "A100")
	if it.FirstSaleOn != "" {
		t.Errorf("a refused file stored sales: %+v", it)
	}
	if out := h.run("amy", "import "+h.file("x.csv", []byte("商品编码,访客数\nA100,3\n"))); !strings.Contains(out, "No sales or stock column") {
		t.Errorf("no columns: %s", out)
	}
	// Slack users cannot name files on the bot's machine.
	h.f.readFiles = false
	if out := h.run("amy", "import "+path); !strings.Contains(out, "share the CSV or XLSX file") {
		t.Errorf("path import from Slack: %s", out)
	}
}

// The sheet's workbook reads back with numbers as numbers.
func TestSheetXLSX(t *testing.T) {
	h := newHarness(t, testConfig(t, shirt), "2026-11-26 09:00")
	data, err := h.f.sheetXLSX([]store.StockSheetLine{{Code: "A100", Name: "亚麻衬衫", OnHand: 140, InTransit: 60, Sold28: 350, Days28: 28, LeadDays: 7, Suggested: 60, Qty: 60, Explain: "=why"}})
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("补货需求表")
	if err != nil || len(rows) != 2 || strings.Join(rows[1], "|") != "A100|亚麻衬衫|140|60|0|350|28|7|60|60|=why" {
		t.Errorf("rows %q, %v", rows, err)
	}
	if typ, _ := x.GetCellType("补货需求表", "J2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("the order quantity is stored as text")
	}
}
