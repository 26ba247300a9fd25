package command

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fields splits a command's text into tokens the way people type them:
//
//   - quoted text is one token, without its quotes: "Reviews and Q&A
//     (evening)" and product="red shoes" (also “…”, 「…」 and 『…』);
//   - spaces around = are dropped: uv = 12000 reads as uv=12000;
//   - full-width digits and ＝ (１２０００, ６) read as ASCII.
//
// A quote left open runs to the end of the text.
func Fields(text string) []string {
	sp := Spans(text)
	out := make([]string, len(sp))
	for i, s := range sp {
		out[i] = s.Text
	}
	return out
}

// Span is a token as Fields reads it, and the bytes of the text it came
// from (so the rest of the text can be kept as typed).
type Span struct {
	Text       string
	Start, End int
}

// Spans is Fields with where each token is in the text.
func Spans(text string) []Span {
	var out []Span
	var cur strings.Builder
	start := -1 // byte offset of the current token, -1 when none
	flush := func(end int) {
		if start >= 0 {
			out = append(out, Span{cur.String(), start, end})
		}
		cur.Reset()
		start = -1
	}
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if closing, ok := quotePair(r); ok {
			if start < 0 {
				start = i
			}
			j := i + size
			k := strings.IndexRune(text[j:], closing)
			if k < 0 {
				cur.WriteString(text[j:])
				i = len(text)
				continue
			}
			cur.WriteString(text[j : j+k])
			i = j + k + utf8.RuneLen(closing)
			continue
		}
		if unicode.IsSpace(r) {
			k := i
			for k < len(text) {
				r2, n := utf8.DecodeRuneInString(text[k:])
				if !unicode.IsSpace(r2) {
					break
				}
				k += n
			}
			// "uv = 1", "uv= 1" and "uv =1" are uv=1.
			if start >= 0 && k < len(text) {
				next, _ := utf8.DecodeRuneInString(text[k:])
				if isEquals(next) || strings.HasSuffix(cur.String(), "=") {
					i = k
					continue
				}
			}
			flush(i)
			i = k
			continue
		}
		if start < 0 {
			start = i
		}
		cur.WriteRune(fold(r))
		i += size
	}
	flush(len(text))
	return out
}

// Repeated returns the first option that takes one value but is given more
// than once among tokens, with every token that gives it. canon maps a
// key, as typed, to its canonical name ("" for keys that may repeat).
func Repeated(tokens []string, canon func(key string) string) (key string, given []string) {
	byKey := map[string][]string{}
	var order []string
	for _, t := range tokens {
		k, _, ok := strings.Cut(strings.ReplaceAll(t, "＝", "="), "=")
		if !ok || k == "" {
			continue
		}
		c := canon(k)
		if c == "" {
			continue
		}
		if _, seen := byKey[c]; !seen {
			order = append(order, c)
		}
		byKey[c] = append(byKey[c], t)
	}
	for _, c := range order {
		if len(byKey[c]) > 1 {
			return c, byKey[c]
		}
	}
	return "", nil
}

// optionNames maps every spelling of an option that takes one value in
// every command, in either language, to its name.
var optionNames = map[string]string{
	"date": "date", "日期": "date", "day": "date",
	"shop": "shop", "店铺": "shop", "store": "shop",
	"month": "month", "月份": "month", "月": "month",
	"type": "type", "类型": "type",
	"order": "order", "订单": "order", "订单号": "order",
	"rating": "rating", "评分": "rating", "星级": "rating",
	"product": "product", "商品": "product", "宝贝": "product",
	"user": "user", "用户": "user",
	"from": "from", "从": "from",
	"to": "to", "到": "to",
}

// OptionKey names the option a key stands for, in either language, when
// that option takes one value in every command; "" for anything else
// (metric keys, which /metric checks itself).
func OptionKey(k string) string { return optionNames[strings.ToLower(k)] }

func quotePair(r rune) (rune, bool) {
	switch r {
	case '"':
		return '"', true
	case '“':
		return '”', true
	case '「':
		return '」', true
	case '『':
		return '』', true
	}
	return 0, false
}

func isEquals(r rune) bool { return r == '=' || r == '＝' }

// fold reads full-width digits and ＝ as ASCII. Other full-width forms
// are left alone: they are part of Chinese titles and names.
func fold(r rune) rune {
	switch {
	case r >= '０' && r <= '９':
		return r - '０' + '0'
	case r == '＝':
		return '='
	}
	return r
}

// FoldWidth reads full-width digits and ＝ in s as ASCII, as commands do;
// the config's limits (metric.ParseLimit) read them the same way.
func FoldWidth(s string) string { return strings.Map(fold, s) }

// Writes reports whether a command stores something, so that a refusal
// says "Nothing was stored" only where something would have been.
func Writes(name string, args []string) bool {
	sub := ""
	if len(args) > 0 {
		sub = strings.ToLower(args[0])
	}
	switch strings.ToLower(name) {
	case "/urgent", "/review", "/badreview":
		return true
	case "/metric", "/metrics":
		return metricWrites(args)
	case "/checklist", "/checklists":
		return checklistWrites(sub)
	case "/ops":
		switch sub {
		case "metric", "metrics", "指标":
			return metricWrites(args[1:])
		case "checklist", "checklists", "清单":
			return len(args) > 1 && checklistWrites(strings.ToLower(args[1]))
		case "take", "认领", "resolve", "解决", "escalate", "升级", "withdraw", "撤回":
			return true
		}
	}
	return false
}

func metricWrites(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch strings.ToLower(args[0]) {
	case "show", "查看", "显示", "export", "导出", "help", "帮助", "?":
		return false
	}
	return true
}

func checklistWrites(sub string) bool {
	switch sub {
	case "done", "check", "完成", "undo", "uncheck", "撤销":
		return true
	}
	return false
}
