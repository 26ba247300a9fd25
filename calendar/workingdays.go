package calendar

import (
	"opsbot/civil"
	"opsbot/i18n"
)

// WorkingDays lets the scheduler ask the team's working calendar about a
// date, with the reason in the team's language.
type WorkingDays struct {
	Cal *Calendar
	Tr  i18n.Printer
}

// Working reports whether d is a working day, and why when its weekday
// would say otherwise: a holiday's name, or the holiday a makeup day is for.
func (w WorkingDays) Working(d civil.Date) (bool, string) {
	day := w.Cal.Day(d)
	switch day.Kind {
	case Holiday:
		return false, w.Tr.Text(day.Name)
	case Makeup:
		return true, w.Tr.T("calendar.makeup_for", w.Tr.Text(day.Name))
	}
	return day.Working, ""
}
