package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

var verbRE = regexp.MustCompile(`%\[\d+\][a-z]`)

// TestCatalogIsComplete keeps both languages in step: every message has
// both, with the same arguments.
func TestCatalogIsComplete(t *testing.T) {
	for _, k := range Keys() {
		en, zh := Template(k)
		if strings.HasPrefix(en, "!duplicate") {
			t.Errorf("%s is defined in two feature maps", k)
		}
		if en == "" || zh == "" {
			t.Errorf("%s: missing a language (en %q, zh %q)", k, en, zh)
			continue
		}
		if a, b := verbs(en), verbs(zh); a != b {
			t.Errorf("%s: arguments differ: en %s, zh %s", k, a, b)
		}
		if strings.Contains(en, "%s") || strings.Contains(en, "%d") {
			t.Errorf("%s: use indexed verbs (%%[1]s) so languages may reorder", k)
		}
	}
}

func verbs(s string) string {
	seen := map[string]bool{}
	for _, v := range verbRE.FindAllString(s, -1) {
		seen[v] = true
	}
	var out []string
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// TestEveryKeyUsedExists scans the code for message keys so a typo is a
// test failure, not a "!key" in front of a user.
func TestEveryKeyUsedExists(t *testing.T) {
	keyRE := regexp.MustCompile(`\.T\("([a-z_]+\.[a-z_]+)"\s*[,)]`)
	prefixRE := regexp.MustCompile(`\.T\("([a-z_.]+)"\s*\+`)
	files, err := filepath.Glob("../*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	used := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRE.FindAllStringSubmatch(string(src), -1) {
			used++
			if !Has(m[1]) {
				t.Errorf("%s uses message %q, which the catalog lacks", f, m[1])
			}
		}
		for _, m := range prefixRE.FindAllStringSubmatch(string(src), -1) {
			found := false
			for _, k := range Keys() {
				found = found || strings.HasPrefix(k, m[1])
			}
			if !found {
				t.Errorf("%s builds keys from %q, and the catalog has none", f, m[1])
			}
		}
	}
	if used < 20 {
		t.Fatalf("found only %d message uses; is the scan broken?", used)
	}
}

func TestPrinter(t *testing.T) {
	en, zh := New("en"), New("zh")
	if got := en.T("metric.was", "12,000"); got != "(was 12,000)" {
		t.Errorf("en = %q", got)
	}
	if got := zh.T("metric.was", "12,000"); got != "(原为 12,000)" {
		t.Errorf("zh = %q", got)
	}
	if got := en.T("no.such"); got != "!no.such" {
		t.Errorf("missing key = %q", got)
	}
	if en.Weekday(time.Sunday) != "Sun" || zh.Weekday(time.Sunday) != "周日" {
		t.Error("weekday names")
	}
	if New("fr").Locale() != EN {
		t.Error("unknown locales fall back to English")
	}
}

func TestStamp(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	// 23:30 UTC on Saturday is 07:30 on Sunday in the team's zone: the day
	// is the team's, not UTC's.
	at := time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC).In(shanghai)
	for _, tc := range []struct{ locale, want string }{
		{"en", "Sun 2026-11-29 07:30"},
		{"zh", "周日 2026-11-29 07:30"},
	} {
		if got := New(tc.locale).Stamp(at); got != tc.want {
			t.Errorf("%s: Stamp = %q, want %q", tc.locale, got, tc.want)
		}
	}
}
