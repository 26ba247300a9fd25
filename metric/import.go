package metric

import (
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"opsbot/civil"
	"opsbot/exact"
	"opsbot/handlers/command"
	"opsbot/sheet"
)

// Column roles besides metric keys.
const (
	ColumnDate = "date"
	ColumnShop = "shop"
)

// ImportSpec says how a back-office table maps to metrics.
type ImportSpec struct {
	Catalog *Catalog
	// Headers maps exact column names (any case) to a metric key, date or
	// shop; Check maps columns opsbot derives itself to a derived key.
	Headers map[string]string
	Check   map[string]string
	// Shop resolves a shop column's cell to a shop ID.
	Shop func(ref string) (string, bool)
	// DefaultShop is the shop of rows when the file has no shop column.
	DefaultShop string
	// Today: rows dated after it are refused.
	Today civil.Date
}

// Column is a mapped column of the file.
type Column struct {
	Index  int
	Header string
	Key    string // metric key, date, shop, or a derived key when Check
	Check  bool
}

// ImportRow is one good row: a shop's figures of a day.
type ImportRow struct {
	Line   int
	Day    civil.Date
	Shop   string
	Values map[string]int64
}

// RowProblem is why a row was refused. Code is one of date_missing,
// date_format, date_future, shop_missing, shop_unknown, duplicate, value,
// no_values; Value and Column name the cell, Err holds a *ValueError.
type RowProblem struct {
	Line   int
	Code   string
	Column string
	Value  string
	Other  int // duplicate: the line that has the same day and shop
	Err    error
}

// Mismatch is a derived column of the file that disagrees with opsbot's own
// arithmetic on the same row.
type Mismatch struct {
	Line       int
	Column     string
	Key        string
	File, Ours string
	Day        civil.Date
}

// ImportPlan is a table read against the catalog: nothing stored yet.
type ImportPlan struct {
	Columns    []Column
	Ignored    []string // headers of columns that map to nothing
	Rows       []ImportRow
	Refused    []RowProblem
	Mismatches []Mismatch
	From, To   civil.Date // of the good rows
	Keys       []string   // metric keys in the file, in catalog order
}

// HeaderError refuses a whole file: its header cannot be read as metrics.
type HeaderError struct {
	Code    string   // no_date, no_metric, same_key
	Key     string   // same_key: the key two columns give
	Columns []string // same_key: those columns
}

func (e *HeaderError) Error() string {
	if e.Code == "same_key" {
		return fmt.Sprintf("columns %s all give %s", strings.Join(e.Columns, ", "), e.Key)
	}
	return "header: " + e.Code
}

// IsImportHeader tells a header row from title lines above it: a row that
// names a date column and at least one other known column.
func (s ImportSpec) IsImportHeader(cells []string) bool {
	date, other := false, false
	for _, c := range cells {
		switch k, _ := s.ColumnKey(c); {
		case k == ColumnDate:
			date = true
		case k != "":
			other = true
		}
	}
	return date && other
}

// ColumnKey maps a header: configured names first, then the catalog's
// keys, names and aliases. check is true for a derived column. A unit in
// brackets after the name (支付金额(元), 跳失率（%）) is ignored when the
// whole header is not known.
func (s ImportSpec) ColumnKey(header string) (key string, check bool) {
	if k, c := s.columnKey(header); k != "" {
		return k, c
	}
	h := strings.TrimSpace(header)
	for _, open := range []string{"(", "（", "["} {
		if i := strings.LastIndex(h, open); i > 0 && strings.ContainsAny(h[i:], ")）]") {
			return s.columnKey(h[:i])
		}
	}
	return "", false
}

func (s ImportSpec) columnKey(header string) (key string, check bool) {
	h := fold(header)
	for name, k := range s.Headers {
		if fold(name) == h {
			if _, ok := s.Catalog.Lookup(k); ok || k == ColumnDate || k == ColumnShop {
				return k, false
			}
			return "", false // mapped to a metric this team does not keep
		}
	}
	for name, k := range s.Check {
		if fold(name) == h {
			return k, true
		}
	}
	switch command.OptionKey(h) {
	case "date":
		return ColumnDate, false
	case "shop":
		return ColumnShop, false
	}
	if m, ok := s.Catalog.Lookup(h); ok {
		return m.Key, false
	}
	for _, m := range s.Catalog.All() {
		if fold(m.Name.En) == h || fold(m.Name.Zh) == h {
			return m.Key, false
		}
	}
	return "", false
}

// explicit reports whether a header is named in the configured headers.
func (s ImportSpec) explicit(header string) bool {
	for name := range s.Headers {
		if fold(name) == fold(header) {
			return true
		}
	}
	return false
}

// PlanImport reads a table against the catalog. Every good row is kept and
// every bad one is refused with its line and reason; the caller decides
// what to do with a partly bad file.
func PlanImport(t *sheet.Table, s ImportSpec) (*ImportPlan, error) {
	p := &ImportPlan{}
	byKey := map[string][]int{} // key -> indexes into p.Columns
	for i, h := range t.Header {
		if h == "" {
			continue
		}
		k, check := s.ColumnKey(h)
		if k == "" {
			p.Ignored = append(p.Ignored, h)
			continue
		}
		if !check {
			byKey[k] = append(byKey[k], len(p.Columns))
		}
		p.Columns = append(p.Columns, Column{Index: i, Header: h, Key: k, Check: check})
	}
	// Two columns for one key: a configured column name wins over a
	// catalog alias (退款金额 vs 成功退款金额); otherwise ask.
	keep := make([]bool, len(p.Columns))
	for i := range keep {
		keep[i] = true
	}
	for k, idx := range byKey {
		if len(idx) < 2 {
			continue
		}
		var exp []int
		for _, i := range idx {
			if s.explicit(p.Columns[i].Header) {
				exp = append(exp, i)
			}
		}
		if len(exp) != 1 {
			var names []string
			for _, i := range idx {
				names = append(names, p.Columns[i].Header)
			}
			return nil, &HeaderError{Code: "same_key", Key: k, Columns: names}
		}
		for _, i := range idx {
			if i != exp[0] {
				keep[i] = false
				p.Ignored = append(p.Ignored, p.Columns[i].Header)
			}
		}
	}
	cols := p.Columns[:0]
	for i, c := range p.Columns {
		if keep[i] {
			cols = append(cols, c)
		}
	}
	p.Columns = cols
	if len(byKey[ColumnDate]) == 0 {
		return nil, &HeaderError{Code: "no_date"}
	}
	present := map[string]bool{}
	for _, c := range p.Columns {
		if !c.Check && c.Key != ColumnDate && c.Key != ColumnShop {
			present[c.Key] = true
		}
	}
	for _, m := range s.Catalog.All() {
		if present[m.Key] {
			p.Keys = append(p.Keys, m.Key)
		}
	}
	if len(p.Keys) == 0 {
		return nil, &HeaderError{Code: "no_metric"}
	}
	seen := map[string]int{} // day|shop -> line
	for _, row := range t.Rows {
		r, prob := s.planRow(row, p.Columns)
		if prob != nil {
			p.Refused = append(p.Refused, *prob)
			continue
		}
		id := r.Day.String() + "|" + r.Shop
		if other, dup := seen[id]; dup {
			p.Refused = append(p.Refused, RowProblem{Line: row.Line, Code: "duplicate", Other: other, Value: r.Day.String()})
			continue
		}
		seen[id] = row.Line
		p.Mismatches = append(p.Mismatches, checkRow(row, r, p.Columns)...)
		p.Rows = append(p.Rows, r)
		if p.From == (civil.Date{}) || r.Day.Before(p.From) {
			p.From = r.Day
		}
		if r.Day.After(p.To) {
			p.To = r.Day
		}
	}
	sort.SliceStable(p.Rows, func(i, j int) bool {
		if c := p.Rows[i].Day.Compare(p.Rows[j].Day); c != 0 {
			return c < 0
		}
		return p.Rows[i].Shop < p.Rows[j].Shop
	})
	return p, nil
}

func (s ImportSpec) planRow(row sheet.Row, cols []Column) (ImportRow, *RowProblem) {
	r := ImportRow{Line: row.Line, Shop: s.DefaultShop, Values: map[string]int64{}}
	fail := func(code string, c Column, v string, err error) (ImportRow, *RowProblem) {
		return ImportRow{}, &RowProblem{Line: row.Line, Code: code, Column: c.Header, Value: v, Err: err}
	}
	hasShopCol := false
	for _, c := range cols {
		v := row.Cell(c.Index)
		switch {
		case c.Check:
		case c.Key == ColumnDate:
			if v == "" {
				return fail("date_missing", c, v, nil)
			}
			d, err := ParseFileDate(v)
			if err != nil {
				return fail("date_format", c, v, nil)
			}
			if d.After(s.Today) {
				return fail("date_future", c, v, nil)
			}
			r.Day = d
		case c.Key == ColumnShop:
			hasShopCol = true
			if v == "" {
				return fail("shop_missing", c, v, nil)
			}
			id, ok := s.Shop(v)
			if !ok {
				return fail("shop_unknown", c, v, nil)
			}
			r.Shop = id
		default:
			if v == "" || v == "-" || v == "—" {
				continue // not in the export: missing, not zero
			}
			m, _ := s.Catalog.Lookup(c.Key)
			n, err := parseValue(v, m.Kind)
			if err != nil {
				return fail("value", c, v, err)
			}
			r.Values[c.Key] = n
		}
	}
	if !hasShopCol && r.Shop == "" {
		return fail("shop_missing", Column{}, "", nil)
	}
	if len(r.Values) == 0 {
		return fail("no_values", Column{}, "", nil)
	}
	return r, nil
}

// checkRow compares the file's derived columns with opsbot's arithmetic on
// the row's own figures. Exports round to the shown decimals, so a
// difference within one unit of the file's last digit is agreement.
func checkRow(row sheet.Row, r ImportRow, cols []Column) []Mismatch {
	var out []Mismatch
	var derived []Derived
	for _, c := range cols {
		v := row.Cell(c.Index)
		if !c.Check || v == "" {
			continue
		}
		if derived == nil {
			derived = DeriveAll(r.Values)
		}
		for _, d := range derived {
			if d.Key != c.Key || !d.OK {
				continue
			}
			if !agrees(d, v) {
				out = append(out, Mismatch{Line: row.Line, Column: c.Header, Key: d.Key, File: v, Ours: d.String(), Day: r.Day})
			}
		}
	}
	return out
}

func agrees(d Derived, file string) bool {
	switch d.Unit {
	case UnitMoney:
		f, err := parseValue(file, Money)
		return err == nil && d.Value.Sub(exact.Int(f)).Abs().Cmp(exact.Int(1)) <= 0
	case UnitRate:
		// The file shows a percentage with some decimals, read here in
		// ppm; ours is exact.
		s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(file), "%"))
		whole, frac, _ := strings.Cut(s, ".")
		if len(frac) > 4 || !plainNumber.MatchString(s) {
			return false
		}
		f, ok := new(big.Int).SetString(whole+frac+strings.Repeat("0", 4-len(frac)), 10)
		if !ok {
			return false
		}
		unit := int64(1)
		for i := len(frac); i < 4; i++ {
			unit *= 10
		}
		ppm := exact.Int(1_000_000)
		return d.Value.Sub(exact.BigInt(f).Div(ppm)).Abs().Cmp(exact.Int(unit).Div(ppm)) <= 0
	case UnitRatio:
		return true // ROI as a file writes it varies (4.2, 1:4.2, 420%): not checked
	}
	return true
}

// ParseFileDate reads a date as exports write it: 2026-11-01, 2026/11/1,
// 20261101, 2026年11月1日, with or without a time of day after it.
func ParseFileDate(s string) (civil.Date, error) {
	s = strings.TrimSpace(s)
	if d, t, ok := strings.Cut(s, " "); ok && strings.Contains(t, ":") {
		s = d
	}
	s, _ = strings.CutSuffix(s, "T00:00:00")
	if d, err := civil.Parse(s); err == nil {
		return d, nil
	}
	for _, layout := range []string{"20060102", "2006年1月2日", "2006.1.2", "2006.01.02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return civil.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, nil
		}
	}
	return civil.Date{}, errors.New("not a date")
}
