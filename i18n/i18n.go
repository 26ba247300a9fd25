// Package i18n is the one catalog of user-facing texts, in English and
// Simplified Chinese. Messages are fmt templates with indexed verbs
// (%[1]s) so each language may order or omit arguments.
package i18n

import (
	"fmt"
	"time"
)

// Locales the catalog carries.
const (
	EN = "en"
	ZH = "zh"
)

// Printer renders messages in one locale.
type Printer struct {
	zh bool
}

// New returns a printer for a locale; anything but "zh" is English.
func New(locale string) Printer { return Printer{zh: locale == ZH} }

// Locale is the printer's locale.
func (p Printer) Locale() string {
	if p.zh {
		return ZH
	}
	return EN
}

// T renders a message. A key missing from the catalog renders as itself,
// marked, so a mistake shows instead of an empty reply; a test keeps every
// key used in the code present in both languages.
func (p Printer) T(key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return "!" + key
	}
	if one, ok := messages[key+".one"]; ok && firstCount(args) == 1 {
		m = one
	}
	tmpl := m.en
	if p.zh && m.zh != "" {
		tmpl = m.zh
	}
	if len(args) == 0 {
		return tmpl
	}
	return fmt.Sprintf(tmpl, args...)
}

// Text picks a configured text in the printer's locale.
func (p Printer) Text(t Text) string { return t.In(p.Locale()) }

// Weekday names a day of the week briefly.
func (p Printer) Weekday(d time.Weekday) string {
	if p.zh {
		return [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[d]
	}
	return d.String()[:3]
}

// Has reports whether the catalog holds a key (for tests and tools).
func Has(key string) bool { _, ok := messages[key]; return ok }

// firstCount is the first integer argument, the count a counted message
// is about; -1 when there is none.
func firstCount(args []any) int {
	for _, a := range args {
		if n, ok := a.(int); ok {
			return n
		}
	}
	return -1
}
