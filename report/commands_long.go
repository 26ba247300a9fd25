package report

import (
	"strings"

	"opsbot/chat"
	"opsbot/civil"
)

// longReportDate reads the period of a quarterly (2026-Q3) or yearly
// (2026) report; ok is false for other kinds and other words, which are
// read as dates.
func (r *Commands) longReportDate(tok string, kind Kind, today civil.Date) (civil.Date, bool, string) {
	var d civil.Date
	var ok bool
	switch kind {
	case Quarterly:
		d, ok = ParseQuarter(tok)
		if !ok && strings.ContainsAny(strings.ToUpper(tok), "Q季") {
			return civil.Date{}, false, r.Tr.T("err.report_quarter", chat.Escape(tok))
		}
	case Yearly:
		d, ok = ParseYear(tok)
	default:
		return civil.Date{}, false, ""
	}
	if ok && d.After(today) {
		return civil.Date{}, false, r.Tr.T("err.report_future", tok, today.String())
	}
	return d, ok, ""
}
