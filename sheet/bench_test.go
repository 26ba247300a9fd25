package sheet_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"opsbot/sheet"
)

// A back-office export at the row limit: 5,000 rows of ten columns.
func bigCSV(rows int) string {
	var b strings.Builder
	b.WriteString("统计日期,店铺名称,访客数,浏览量,支付买家数,支付金额,客单价,支付转化率,跳失率,平均停留时长\n")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, "2026-%02d-%02d,店铺%d,%d,%d,%d,\"%d,%03d.%02d\",115.23,2.50%%,45.12%%,00:01:35\n", i%12+1, i%28+1, i%7, 1000+i, 3000+i, 30+i%50, 3+i%9, i%1000, i%100)
	}
	return b.String()
}

func BenchmarkParseGBKCSV5000(b *testing.B) {
	data, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(bigCSV(sheet.DefaultMaxRows)))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sheet.Parse(data, sheet.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseXLSX5000(b *testing.B) {
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	for i, line := range strings.Split(strings.TrimSpace(bigCSV(sheet.DefaultMaxRows)), "\n") {
		cells := strings.Split(line, ",")
		row := make([]any, len(cells))
		for j, c := range cells {
			row[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sheet.Parse(data, sheet.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
