package sheet_test

import (
	"errors"
	"testing"

	"opsbot/sheet"
)

// Any bytes either parse into a table within the limits or fail with one of
// the package's errors; never a panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(chineseCSV), "x.csv", "")
	f.Add([]byte("\xef\xbb\xbfdate,uv\n2026-11-01,1\n"), "x.csv", "")
	f.Add([]byte("\xb2\xe2\xca\xd4,a\n1,2\n"), "x.csv", "gbk")
	f.Add([]byte("PK\x03\x04garbage"), "x.xlsx", "")
	f.Add([]byte("\"a,b\n\"\"c"), "", "")
	f.Fuzz(func(t *testing.T, data []byte, name, enc string) {
		tab, err := sheet.Parse(data, sheet.Options{Name: name, Encoding: enc, MaxBytes: 1 << 16, MaxRows: 50})
		if err != nil {
			var se *sheet.Error
			if !errors.As(err, &se) {
				t.Fatalf("error outside the package's kinds: %v", err)
			}
			return
		}
		if len(tab.Rows) > 50 || len(tab.Header) == 0 || len(tab.Checksum) != 64 {
			t.Fatalf("table out of bounds: %d rows, header %q", len(tab.Rows), tab.Header)
		}
	})
}
