// The working calendar is the team's working calendar: which days are working
// days. Teams in mainland China do not simply work Monday to Friday: public
// holidays move weekdays off and makeup workdays (调休上班) turn some
// Saturdays and Sundays into working days. The official schedule comes from
// the table of github.com/6tail/lunar-go; the configuration can add the
// company's own days off and working days, and give a whole year's official
// schedule for a year the table lacks or has wrong.
//
// The package is pure: it reads no clock and does no I/O; callers pass the
// dates (in the team's time zone, see civil.Of).

package calendar

import (
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"

	"opsbot/civil"
	"opsbot/config"
	"opsbot/i18n"
)

// Kind says what sort of day a date is.
type Kind int

const (
	Workday Kind = iota // an ordinary working day (Monday to Friday)
	Weekend             // an ordinary Saturday or Sunday
	Holiday             // a public holiday or a company day off
	Makeup              // a makeup workday (调休上班) or a company extra workday
)

func (k Kind) String() string {
	switch k {
	case Workday:
		return "workday"
	case Weekend:
		return "weekend"
	case Holiday:
		return "holiday"
	case Makeup:
		return "makeup"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Where a Day's answer comes from.
const (
	sourceLibrary = "library" // the built-in official table (lunar-go)
	sourceConfig  = "config"  // the configuration: days_off, extra_workdays or official
	sourceWeekday = "weekday" // plain Monday to Friday: kind none, or a year with no data
)

// Day is one date of the calendar.
type Day struct {
	Date    civil.Date
	Working bool
	Kind    Kind
	// Name is the holiday's name; for a makeup day, the holiday it makes
	// up for; for a company day, the name the configuration gives. Empty
	// for ordinary days.
	Name i18n.Text
	// Source is sourceLibrary, sourceConfig or sourceWeekday. An ordinary
	// day of a year that the table or the configuration covers has the
	// source of that year's schedule.
	Source string
}

// Calendar answers which days are working days. It is safe for concurrent
// use once built.
type Calendar struct {
	kind      string              // config.CalendarCN or config.CalendarNone
	company   map[civil.Date]Day  // days_off and extra_workdays
	official  map[civil.Date]Day  // calendar.official, all years
	offYears  map[int]bool        // years calendar.official covers
	libraryOK func(year int) bool // nil for kind none
	library   func(civil.Date) (Day, bool)
}

// New builds the calendar of a configuration. timezone is the team's IANA
// zone, which picks the kind when cfg.Kind is empty (see
// config.CalendarConfig.EffectiveKind). Dates are checked again here, so
// that a configuration that was not validated fails cleanly.
func New(cfg config.CalendarConfig, timezone string) (*Calendar, error) {
	c := &Calendar{
		kind:     cfg.EffectiveKind(timezone),
		company:  map[civil.Date]Day{},
		official: map[civil.Date]Day{},
		offYears: map[int]bool{},
	}
	switch c.kind {
	case config.CalendarCN:
		c.library = libraryDay
		c.libraryOK = libraryHas
	case config.CalendarNone:
	default:
		return nil, fmt.Errorf("calendar.kind: %q is not a calendar kind; use cn or none", c.kind)
	}

	add := func(m map[civil.Date]Day, path string, e config.CalendarDay, working bool, kind Kind, def i18n.Text) error {
		d, err := civil.Parse(e.Date)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if prev, dup := m[d]; dup {
			if prev.Working != working {
				return fmt.Errorf("%s: %s is listed both as a day off and as a working day", path, d)
			}
			return fmt.Errorf("%s: %s is listed twice", path, d)
		}
		m[d] = Day{Date: d, Working: working, Kind: kind, Name: named(e.Name, def), Source: sourceConfig}
		return nil
	}
	for i, e := range cfg.DaysOff {
		if err := add(c.company, fmt.Sprintf("calendar.days_off[%d]", i), e, false, Holiday, companyOff); err != nil {
			return nil, err
		}
	}
	for i, e := range cfg.ExtraWorkdays {
		if err := add(c.company, fmt.Sprintf("calendar.extra_workdays[%d]", i), e, true, Makeup, companyWork); err != nil {
			return nil, err
		}
	}
	if c.kind == config.CalendarCN {
		years := make([]int, 0, len(cfg.Official))
		for y := range cfg.Official {
			years = append(years, y)
		}
		sort.Ints(years)
		for _, y := range years {
			c.offYears[y] = true
			o := cfg.Official[y]
			for i, e := range o.Holidays {
				if err := add(c.official, fmt.Sprintf("calendar.official.%d.holidays[%d]", y, i), e, false, Holiday, publicHoliday); err != nil {
					return nil, err
				}
			}
			for i, e := range o.Workdays {
				if err := add(c.official, fmt.Sprintf("calendar.official.%d.workdays[%d]", y, i), e, true, Makeup, makeupDay); err != nil {
					return nil, err
				}
			}
		}
	}
	return c, nil
}

// Day tells what d is. The company's days_off and extra_workdays win, then
// the configuration's official schedule of the year, then the built-in
// table, then plain weekdays.
func (c *Calendar) Day(d civil.Date) Day {
	if day, ok := c.company[d]; ok {
		return day
	}
	if c.kind == config.CalendarNone {
		return plain(d, sourceWeekday)
	}
	if day, ok := c.official[d]; ok {
		return day
	}
	if c.offYears[d.Year] {
		return plain(d, sourceConfig)
	}
	if day, ok := c.library(d); ok && !c.offYears[libraryYear(d)] {
		return day
	}
	if c.libraryOK(d.Year) {
		return plain(d, sourceLibrary)
	}
	return plain(d, sourceWeekday)
}

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d civil.Date) bool { return c.Day(d).Working }

// HasData reports whether the calendar knows year's official schedule,
// from the built-in table or the configuration. Always true for kind none,
// which needs no data.
func (c *Calendar) HasData(year int) bool {
	if c.kind == config.CalendarNone {
		return true
	}
	return c.offYears[year] || c.libraryOK(year)
}

// MissingYears lists, in order, the years touched by the days days from
// from on (from included) whose official schedule the calendar lacks; on
// those days it falls back to plain weekdays. Empty when all is known.
func (c *Calendar) MissingYears(from civil.Date, days int) []int {
	if days <= 0 {
		return nil
	}
	last := from.AddDays(days - 1)
	var missing []int
	for y := from.Year; y <= last.Year; y++ {
		if !c.HasData(y) {
			missing = append(missing, y)
		}
	}
	return missing
}

// Month returns every day of a month, in order; nil for a month outside
// January to December.
func (c *Calendar) Month(year int, month time.Month) []Day {
	if month < time.January || month > time.December {
		return nil
	}
	first := civil.Date{Year: year, Month: month, Day: 1}
	n := first.DaysInMonth()
	days := make([]Day, n)
	for i := range days {
		days[i] = c.Day(first.AddDays(i))
	}
	return days
}

// plain is an ordinary day: Monday to Friday work, the weekend off.
func plain(d civil.Date, source string) Day {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return Day{Date: d, Kind: Weekend, Source: source}
	}
	return Day{Date: d, Working: true, Kind: Workday, Source: source}
}

// Names for configuration entries that give none.
var (
	companyOff    = i18n.Text{En: "Company day off", Zh: "公司休息日"}
	companyWork   = i18n.Text{En: "Company workday", Zh: "公司上班日"}
	publicHoliday = i18n.Text{En: "Public holiday", Zh: "法定节假日"}
	makeupDay     = i18n.Text{En: "Makeup workday", Zh: "调休上班"}
)

// named completes a configured name: the English of a known Chinese holiday
// name, or def when the name is empty.
func named(t i18n.Text, def i18n.Text) i18n.Text {
	if t.En == "" && t.Zh == "" {
		return def
	}
	if t.En == "" {
		t.En = english[t.Zh]
	}
	return t
}

// english translates the holiday names of the table (and their usual
// short forms). The table's names are the ones in HolidayUtil.NAMES.
var english = map[string]string{
	"元旦节":   "New Year's Day",
	"元旦":    "New Year's Day",
	"春节":    "Spring Festival",
	"清明节":   "Qingming Festival",
	"清明":    "Qingming Festival",
	"劳动节":   "Labour Day",
	"五一":    "Labour Day",
	"端午节":   "Dragon Boat Festival",
	"端午":    "Dragon Boat Festival",
	"中秋节":   "Mid-Autumn Festival",
	"中秋":    "Mid-Autumn Festival",
	"国庆节":   "National Day",
	"国庆":    "National Day",
	"国庆中秋":  "National Day and Mid-Autumn Festival",
	"中秋国庆":  "National Day and Mid-Autumn Festival",
	"抗战胜利日": "Victory Day",
}

// holidayName is the bilingual name of a table entry.
func holidayName(zh string) i18n.Text {
	return i18n.Text{En: english[zh], Zh: zh}
}

// The built-in table, read once from lunar-go into a map: the library
// looks dates up by scanning a string.
var table struct {
	once  sync.Once
	days  map[civil.Date]libEntry
	years map[int]bool // years whose schedule the table has (by holiday year)
}

type libEntry struct {
	day  Day
	year int // the year of the holiday the entry belongs to (its target)
}

// The range of years scanned in the table.
const firstYear, lastYear = 1900, 2200

func loadTable() {
	table.once.Do(func() {
		table.days = map[civil.Date]libEntry{}
		table.years = map[int]bool{}
		for y := firstYear; y <= lastYear; y++ {
			l := HolidayUtil.GetHolidaysByYear(y)
			for e := l.Front(); e != nil; e = e.Next() {
				h, ok := e.Value.(*HolidayUtil.Holiday)
				if !ok {
					continue
				}
				d, err1 := civil.Parse(h.GetDay())
				target, err2 := civil.Parse(h.GetTarget())
				if err1 != nil || err2 != nil {
					continue
				}
				if _, dup := table.days[d]; dup {
					continue // the library answers the first entry of a date
				}
				day := Day{Date: d, Name: holidayName(h.GetName()), Source: sourceLibrary}
				if h.IsWork() {
					day.Working, day.Kind = true, Makeup
				} else {
					day.Kind = Holiday
				}
				table.days[d] = libEntry{day: day, year: target.Year}
				table.years[target.Year] = true
			}
		}
	})
}

func libraryDay(d civil.Date) (Day, bool) {
	loadTable()
	e, ok := table.days[d]
	return e.day, ok
}

// libraryYear is the holiday year of the table's entry for d (d's own year
// when there is none): a makeup day in late December may belong to the
// next year's New Year holiday.
func libraryYear(d civil.Date) int {
	loadTable()
	if e, ok := table.days[d]; ok {
		return e.year
	}
	return d.Year
}

func libraryHas(year int) bool {
	loadTable()
	return table.years[year]
}
