package sheet_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"opsbot/sheet"
)

const chineseCSV = "统计日期,访客数,支付金额\n2026-11-01,1200,\"3,456.78\"\n\n2026-11-02,1300,4000\n"

func encode(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

func TestParseCSVEncodings(t *testing.T) {
	wantHeader := []string{"统计日期", "访客数", "支付金额"}
	wantRows := []sheet.Row{
		{Line: 2, Cells: []string{"2026-11-01", "1200", "3,456.78"}},
		{Line: 4, Cells: []string{"2026-11-02", "1300", "4000"}},
	}
	cases := []struct {
		name     string
		data     []byte
		declared string
		wantEnc  string
	}{
		{"utf8", []byte(chineseCSV), "", sheet.UTF8},
		{"utf8 bom", append([]byte{0xEF, 0xBB, 0xBF}, chineseCSV...), "", sheet.UTF8BOM},
		{"gbk detected", encode(t, simplifiedchinese.GBK, chineseCSV), "", sheet.GBK},
		{"gbk declared", encode(t, simplifiedchinese.GBK, chineseCSV), "GBK", sheet.GBK},
		{"gb2312 declared", encode(t, simplifiedchinese.GBK, chineseCSV), "gb2312", sheet.GBK},
		{"gb18030 declared", encode(t, simplifiedchinese.GB18030, chineseCSV), "gb18030", sheet.GB18030},
		{"utf16 bom", encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), strings.ReplaceAll(chineseCSV, ",", "\t")), "", sheet.UTF16},
		{"utf8 crlf", []byte(strings.ReplaceAll(chineseCSV, "\n", "\r\n")), "", sheet.UTF8},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.data
			if tc.name == "utf16 bom" {
				// Tab-separated: the quoted "3,456.78" stays one cell.
				data = encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM),
					"统计日期\t访客数\t支付金额\n2026-11-01\t1200\t3,456.78\n\n2026-11-02\t1300\t4000\n")
			}
			tab, err := sheet.Parse(data, sheet.Options{Name: "export.csv", Encoding: tc.declared})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if tab.Encoding != tc.wantEnc || tab.Format != sheet.FormatCSV {
				t.Errorf("encoding %q format %q, want %q csv", tab.Encoding, tab.Format, tc.wantEnc)
			}
			if !reflect.DeepEqual(tab.Header, wantHeader) || tab.HeaderLine != 1 {
				t.Errorf("header %q at %d", tab.Header, tab.HeaderLine)
			}
			if !reflect.DeepEqual(tab.Rows, wantRows) {
				t.Errorf("rows %+v", tab.Rows)
			}
			if len(tab.Checksum) != 64 || tab.Size != int64(len(data)) {
				t.Errorf("checksum %q size %d", tab.Checksum, tab.Size)
			}
		})
	}
}

func TestGB18030OnlyCharacters(t *testing.T) {
	// U+20000 (𠀀) is outside GBK: GB18030 encodes it in four bytes.
	src := "店铺,访客数\n𠀀店,5\n"
	tab, err := sheet.Parse(encode(t, simplifiedchinese.GB18030, src), sheet.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tab.Encoding != sheet.GB18030 || tab.Rows[0].Cells[0] != "𠀀店" {
		t.Fatalf("got %q %q", tab.Encoding, tab.Rows[0].Cells)
	}
}

func TestEncodingErrors(t *testing.T) {
	gbk := encode(t, simplifiedchinese.GBK, chineseCSV)
	cases := []struct {
		name     string
		data     []byte
		declared string
	}{
		{"declared utf8 but gbk", gbk, "utf-8"},
		{"unknown declared", []byte(chineseCSV), "big5"},
		{"bom but not utf8", append([]byte{0xEF, 0xBB, 0xBF}, gbk...), ""},
		{"garbage", []byte{'a', ',', 'b', '\n', 0xFF, 0xFF, 0xFF, '\n'}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sheet.Parse(tc.data, sheet.Options{Encoding: tc.declared})
			if !errors.Is(err, sheet.ErrEncoding) {
				t.Fatalf("err = %v, want ErrEncoding", err)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("date,uv\n")
	for i := 0; i < 11; i++ {
		b.WriteString("2026-11-01,1\n")
	}
	_, err := sheet.Parse([]byte(b.String()), sheet.Options{MaxRows: 10})
	var se *sheet.Error
	if !errors.Is(err, sheet.ErrTooManyRows) || !errors.As(err, &se) || se.Limit != 10 {
		t.Fatalf("err = %v", err)
	}
	if got := err.Error(); got != "too many rows: the limit is 10 data rows" {
		t.Errorf("message %q", got)
	}
	if _, err := sheet.Parse([]byte(b.String()), sheet.Options{MaxRows: 11}); err != nil {
		t.Errorf("11 rows at limit 11: %v", err)
	}

	_, err = sheet.Parse([]byte(strings.Repeat("x", 2<<20+1)), sheet.Options{MaxBytes: 2 << 20})
	if !errors.Is(err, sheet.ErrTooLarge) || err.Error() != "file too large: the limit is 2 MB" {
		t.Fatalf("err = %v", err)
	}
	if _, err := sheet.Parse([]byte("a\n1\n"), sheet.Options{MaxBytes: 4}); err != nil {
		t.Errorf("file at the limit: %v", err)
	}
}

func TestEmptyAndHeaderSearch(t *testing.T) {
	if _, err := sheet.Parse([]byte("\n , \n"), sheet.Options{}); !errors.Is(err, sheet.ErrEmpty) {
		t.Errorf("blank file: %v", err)
	}
	isHeader := func(c []string) bool { return len(c) > 1 && c[0] == "日期" }
	src := "生意参谋 导出\n导出时间：2026-11-03\n\n日期,访客数\n2026-11-01,7\n"
	tab, err := sheet.Parse([]byte(src), sheet.Options{IsHeader: isHeader})
	if err != nil {
		t.Fatal(err)
	}
	if tab.HeaderLine != 4 || len(tab.Rows) != 1 || tab.Rows[0].Line != 5 {
		t.Errorf("header line %d rows %+v", tab.HeaderLine, tab.Rows)
	}
	if _, err := sheet.Parse([]byte("a,b\n1,2\n"), sheet.Options{IsHeader: isHeader}); !errors.Is(err, sheet.ErrNoHeader) {
		t.Errorf("no header: %v", err)
	}
}

func TestFormats(t *testing.T) {
	if _, err := sheet.Parse(append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, 0, 0), sheet.Options{Name: "x.xls"}); !errors.Is(err, sheet.ErrFormat) {
		t.Errorf("xls: %v", err)
	}
	if _, err := sheet.Parse([]byte("not a zip"), sheet.Options{Name: "x.xlsx"}); !errors.Is(err, sheet.ErrUnreadable) {
		t.Errorf("fake xlsx: %v", err)
	}
	tab, err := sheet.Parse([]byte("a;b;c\n1;2;3\n"), sheet.Options{})
	if err != nil || len(tab.Header) != 3 || tab.Rows[0].Cell(2) != "3" || tab.Rows[0].Cell(3) != "" {
		t.Errorf("semicolons: %v %+v", err, tab)
	}
	tab, err = sheet.Parse([]byte("a,\u3000b\u3000, \n1,2,,\n"), sheet.Options{})
	if err != nil || !reflect.DeepEqual(tab.Header, []string{"a", "b"}) || !reflect.DeepEqual(tab.Rows[0].Cells, []string{"1", "2"}) {
		t.Errorf("trimming: %v %+v", err, tab)
	}
}

// twoSheetWorkbook builds an XLSX with a summary sheet first and the daily
// data on a second sheet, with a real date cell and a percent cell.
func twoSheetWorkbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "汇总"))
	must(f.SetSheetRow("汇总", "A1", &[]any{"说明", "本文件由生意参谋导出"}))
	_, err := f.NewSheet("日报")
	must(err)
	must(f.SetSheetRow("日报", "A1", &[]any{"统计日期", "访客数", "跳失率"}))
	must(f.SetCellValue("日报", "A2", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)))
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	must(f.SetCellStyle("日报", "A2", "A2", dateStyle))
	must(f.SetCellValue("日报", "B2", 1200))
	must(f.SetCellValue("日报", "C2", 0.3171))
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	must(err)
	must(f.SetCellStyle("日报", "C2", "C2", pct))
	must(f.SetSheetRow("日报", "A4", &[]any{"2026-11-02", 1300, "30.00%"}))
	var buf bytes.Buffer
	must(f.Write(&buf))
	return buf.Bytes()
}

func TestParseXLSX(t *testing.T) {
	data := twoSheetWorkbook(t)
	tab, err := sheet.Parse(data, sheet.Options{Name: "report.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	if tab.Sheet != "汇总" || tab.Format != sheet.FormatXLSX || !reflect.DeepEqual(tab.Sheets, []string{"汇总", "日报"}) {
		t.Errorf("first sheet: %q %q %q", tab.Sheet, tab.Format, tab.Sheets)
	}
	tab, err = sheet.Parse(data, sheet.Options{Sheet: "日报"})
	if err != nil {
		t.Fatal(err)
	}
	want := []sheet.Row{
		{Line: 2, Cells: []string{"2026-11-01", "1200", "31.71%"}},
		{Line: 4, Cells: []string{"2026-11-02", "1300", "30.00%"}},
	}
	if !reflect.DeepEqual(tab.Header, []string{"统计日期", "访客数", "跳失率"}) || !reflect.DeepEqual(tab.Rows, want) {
		t.Errorf("named sheet: %q %+v", tab.Header, tab.Rows)
	}
	_, err = sheet.Parse(data, sheet.Options{Sheet: "月报"})
	if !errors.Is(err, sheet.ErrSheet) || err.Error() != `sheet not found: "月报" (the workbook has 汇总, 日报)` {
		t.Errorf("missing sheet: %v", err)
	}
	// Row limits apply to workbooks too.
	if _, err := sheet.Parse(data, sheet.Options{Sheet: "日报", MaxRows: 1}); !errors.Is(err, sheet.ErrTooManyRows) {
		t.Errorf("row limit: %v", err)
	}
}
