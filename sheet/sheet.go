// Package sheet reads an uploaded table (CSV or XLSX) into a header row and
// data rows. It knows nothing about what the columns mean: callers map the
// header to their own fields. It handles what real exports from Chinese shop
// back offices look like: UTF-8 with or without a byte-order mark, GBK or
// GB18030 without any marker, Excel workbooks with several sheets, and title
// lines above the header.
package sheet

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Default limits, used when Options leaves them zero. They are generous for
// a daily export (one row per day and shop) and keep a stray upload from
// filling memory.
const (
	DefaultMaxBytes = 5 << 20 // 5 MB
	DefaultMaxRows  = 5000
	// headerScan is how many leading rows may precede the header (titles,
	// export time, blank lines) when Options.IsHeader is set.
	headerScan = 20
)

// Format of a file.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// Encodings a CSV may be in. Encoding names are what callers may declare and
// what Table.Encoding reports.
const (
	UTF8    = "utf-8"
	UTF8BOM = "utf-8-bom"
	UTF16   = "utf-16"
	GBK     = "gbk"
	GB18030 = "gb18030"
)

// Options say how to read a file. The zero value reads a CSV or XLSX
// (decided from the content and the name), detects the encoding, takes the
// first sheet and the first non-empty row as the header, within the default
// limits.
type Options struct {
	// Name is the uploaded file's name; its extension helps decide the format.
	Name string
	// Encoding declares a CSV's encoding (utf-8, gbk, gb2312, gb18030);
	// empty means detect.
	Encoding string
	// Sheet names the XLSX sheet to read; empty means the first one.
	Sheet string
	// MaxBytes and MaxRows bound the file size and the number of data rows.
	MaxBytes int64
	MaxRows  int
	// IsHeader, when set, picks the header among the first rows: rows
	// before the first row it accepts are skipped. When no row is
	// accepted, reading fails with ErrNoHeader.
	IsHeader func(cells []string) bool
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

func (o Options) maxRows() int {
	if o.MaxRows > 0 {
		return o.MaxRows
	}
	return DefaultMaxRows
}

// Table is a file read into rows.
type Table struct {
	Header []string
	Rows   []Row
	// HeaderLine is the 1-based row number of the header in the file.
	HeaderLine int
	Format     string
	Encoding   string // CSV only
	Sheet      string // XLSX only: the sheet read
	Sheets     []string
	Size       int64
	// Checksum is the hex SHA-256 of the file's bytes, so a caller can
	// recognise the same file uploaded twice.
	Checksum string
}

// Row is one data row. Line is its 1-based row number in the file, as a
// person sees it in a spreadsheet, so that errors can point at it.
type Row struct {
	Line  int
	Cells []string
}

// Cell returns the row's cell in column i, or "" when the row is shorter.
func (r Row) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return r.Cells[i]
}

// Sentinel errors; match them with errors.Is. The *Error carrying them holds
// the figures for a specific message.
var (
	ErrTooLarge     = errors.New("file too large")
	ErrTooManyRows  = errors.New("too many rows")
	ErrEmpty        = errors.New("file has no rows")
	ErrNoHeader     = errors.New("no header row found")
	ErrFormat       = errors.New("unsupported file format")
	ErrEncoding     = errors.New("unsupported or wrong text encoding")
	ErrSheet        = errors.New("sheet not found")
	ErrUnreadable   = errors.New("file cannot be read")
	errLegacyExcel  = fmt.Errorf("%w: old Excel .xls; save it as .xlsx or .csv", ErrFormat)
	errUnknownCodec = fmt.Errorf("%w: declared encoding not supported (use utf-8, gbk, gb2312 or gb18030)", ErrEncoding)
)

// Error is a reading failure with the detail a reply needs.
type Error struct {
	Err    error    // one of the sentinels above (possibly wrapped)
	Limit  int64    // the limit exceeded (bytes or rows)
	Sheet  string   // the sheet asked for
	Sheets []string // the sheets the workbook has
	Cause  error    // the underlying library error, if any
}

func (e *Error) Error() string {
	switch {
	case errors.Is(e.Err, ErrTooLarge):
		return fmt.Sprintf("%v: the limit is %s", e.Err, FormatBytes(e.Limit))
	case errors.Is(e.Err, ErrTooManyRows):
		return fmt.Sprintf("%v: the limit is %d data rows", e.Err, e.Limit)
	case errors.Is(e.Err, ErrSheet):
		return fmt.Sprintf("%v: %q (the workbook has %s)", e.Err, e.Sheet, strings.Join(e.Sheets, ", "))
	case e.Cause != nil:
		return fmt.Sprintf("%v: %v", e.Err, e.Cause)
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// FormatBytes renders a size limit for people: 5 MB, 512 KB, 100 bytes.
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Parse parses a whole file held in memory.
func Parse(data []byte, opt Options) (*Table, error) {
	if limit := opt.maxBytes(); int64(len(data)) > limit {
		return nil, &Error{Err: ErrTooLarge, Limit: limit}
	}
	sum := sha256.Sum256(data)
	var (
		t   *Table
		err error
	)
	switch detectFormat(data, opt.Name) {
	case FormatXLSX:
		t, err = parseXLSX(data, opt)
	case "xls":
		return nil, &Error{Err: errLegacyExcel}
	default:
		t, err = parseCSV(data, opt)
	}
	if err != nil {
		return nil, err
	}
	t.Size = int64(len(data))
	t.Checksum = hex.EncodeToString(sum[:])
	return t, nil
}

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

func detectFormat(data []byte, name string) string {
	switch {
	case bytes.HasPrefix(data, zipMagic):
		return FormatXLSX
	case bytes.HasPrefix(data, oleMagic):
		return "xls"
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		return FormatXLSX // not a zip: excelize will say it is unreadable
	case ".xls":
		return "xls"
	}
	return FormatCSV
}

// decodeText turns a CSV's bytes into UTF-8 text, honouring a declared
// encoding or detecting one: a byte-order mark wins, then valid UTF-8, then
// GBK, then GB18030 (a superset of GBK, used by newer Chinese software).
func decodeText(data []byte, declared string) (string, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
		if !utf8.Valid(data) {
			return "", "", &Error{Err: ErrEncoding, Cause: errors.New("byte-order mark says UTF-8 but the text is not")}
		}
		return string(data), UTF8BOM, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		// Excel's "Unicode text" export: UTF-16 with a byte-order mark.
		s, err := decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), data)
		if err != nil {
			return "", "", err
		}
		return s, UTF16, nil
	}
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(declared), "_", "-")) {
	case "":
	case "utf-8", "utf8":
		if !utf8.Valid(data) {
			return "", "", &Error{Err: ErrEncoding, Cause: errors.New("declared UTF-8 but the text is not valid UTF-8")}
		}
		return string(data), UTF8, nil
	case "gbk", "gb2312", "cp936":
		s, err := decodeWith(simplifiedchinese.GBK, data)
		return s, GBK, err
	case "gb18030":
		s, err := decodeWith(simplifiedchinese.GB18030, data)
		return s, GB18030, err
	default:
		return "", "", &Error{Err: errUnknownCodec}
	}
	if utf8.Valid(data) {
		return string(data), UTF8, nil
	}
	if s, err := decodeWith(simplifiedchinese.GBK, data); err == nil {
		return s, GBK, nil
	}
	s, err := decodeWith(simplifiedchinese.GB18030, data)
	if err != nil {
		return "", "", &Error{Err: ErrEncoding, Cause: errors.New("the text is neither UTF-8, GBK nor GB18030")}
	}
	return s, GB18030, nil
}

// decodeWith decodes strictly: x/text decoders replace bad bytes with U+FFFD,
// which would silently corrupt a header or a value, so a replacement
// character that was not in the input is an error.
func decodeWith(enc encoding.Encoding, data []byte) (string, error) {
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", &Error{Err: ErrEncoding, Cause: err}
	}
	if bytes.ContainsRune(out, utf8.RuneError) && !bytes.Contains(data, []byte("\xEF\xBF\xBD")) {
		return "", &Error{Err: ErrEncoding, Cause: errors.New("bytes that are not valid in this encoding")}
	}
	return string(out), nil
}

func parseCSV(data []byte, opt Options) (*Table, error) {
	text, enc, err := decodeText(data, opt.Encoding)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffDelimiter(text)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = false
	b := newBuilder(opt)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &Error{Err: ErrUnreadable, Cause: err}
		}
		line, _ := r.FieldPos(0)
		if err := b.add(line, rec); err != nil {
			return nil, err
		}
	}
	t, err := b.table()
	if err != nil {
		return nil, err
	}
	t.Format, t.Encoding = FormatCSV, enc
	return t, nil
}

// sniffDelimiter picks comma, tab or semicolon by what the first line holds
// most of; exports from Excel's "text" formats use tabs.
func sniffDelimiter(text string) rune {
	first, _, _ := strings.Cut(text, "\n")
	best, n := ',', strings.Count(first, ",")
	for _, d := range []rune{'\t', ';'} {
		if c := strings.Count(first, string(d)); c > n {
			best, n = d, c
		}
	}
	return best
}

func parseXLSX(data []byte, opt Options) (*Table, error) {
	unzipLimit := 20 * opt.maxBytes() // XML compresses ~10x; bounds zip bombs
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    unzipLimit,
		UnzipXMLSizeLimit: unzipLimit,
		// Built-in date formats render as ISO dates, not US m-d-yy.
		ShortDatePattern: "yyyy-mm-dd",
	})
	if err != nil {
		return nil, &Error{Err: ErrUnreadable, Cause: err}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, &Error{Err: ErrEmpty}
	}
	name := sheets[0]
	if opt.Sheet != "" {
		name = ""
		for _, s := range sheets {
			if s == opt.Sheet {
				name = s
				break
			}
		}
		if name == "" {
			for _, s := range sheets {
				if strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(opt.Sheet)) {
					name = s
					break
				}
			}
		}
		if name == "" {
			return nil, &Error{Err: ErrSheet, Sheet: opt.Sheet, Sheets: sheets}
		}
	}
	rows, err := f.Rows(name)
	if err != nil {
		return nil, &Error{Err: ErrUnreadable, Cause: err}
	}
	defer rows.Close()
	b := newBuilder(opt)
	line := 0
	for rows.Next() {
		line++
		cells, err := rows.Columns()
		if err != nil {
			return nil, &Error{Err: ErrUnreadable, Cause: err}
		}
		if err := b.add(line, cells); err != nil {
			return nil, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, &Error{Err: ErrUnreadable, Cause: err}
	}
	t, err := b.table()
	if err != nil {
		return nil, err
	}
	t.Format, t.Sheet, t.Sheets = FormatXLSX, name, sheets
	return t, nil
}

// builder collects rows: finds the header, skips blank rows, enforces the
// row limit as rows arrive so an oversized sheet is not read to the end.
type builder struct {
	opt     Options
	max     int
	scanned int
	t       Table
	found   bool
}

func newBuilder(opt Options) *builder { return &builder{opt: opt, max: opt.maxRows()} }

func (b *builder) add(line int, cells []string) error {
	cells = trimCells(cells)
	if len(cells) == 0 {
		return nil
	}
	if !b.found {
		b.scanned++
		if b.opt.IsHeader == nil || b.opt.IsHeader(cells) {
			b.t.Header, b.t.HeaderLine, b.found = cells, line, true
			return nil
		}
		if b.scanned >= headerScan {
			return &Error{Err: ErrNoHeader}
		}
		return nil
	}
	if len(b.t.Rows) >= b.max {
		return &Error{Err: ErrTooManyRows, Limit: int64(b.max)}
	}
	b.t.Rows = append(b.t.Rows, Row{Line: line, Cells: cells})
	return nil
}

func (b *builder) table() (*Table, error) {
	if !b.found {
		if b.scanned == 0 {
			return nil, &Error{Err: ErrEmpty}
		}
		return nil, &Error{Err: ErrNoHeader}
	}
	t := b.t
	return &t, nil
}

// trimCells trims spaces (including the ideographic and no-break spaces
// Chinese spreadsheets carry) and drops trailing empty cells; a row of only
// empty cells becomes nil.
func trimCells(cells []string) []string {
	out := make([]string, len(cells))
	last := -1
	for i, c := range cells {
		out[i] = strings.TrimFunc(c, func(r rune) bool {
			return r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == '\u3000' || r == '\u00a0' || r == '\ufeff'
		})
		if out[i] != "" {
			last = i
		}
	}
	return out[:last+1]
}
