// Package config holds opsbot's configuration: the team (time zone, locale,
// channels, managers, roles, shops), the metric catalog and the playbook of
// routines that the scheduler runs. The built-in playbook is embedded so the
// bot runs with no file at all.
package config

import (
	"time"

	"opsbot/i18n"
)

// Config is the whole team configuration. YAML names are the snake_case of
// the field names; see playbook.yaml for the documented built-in.
type Config struct {
	Locale   string `yaml:"locale"`   // "en" or "zh"
	Timezone string `yaml:"timezone"` // IANA name, default Asia/Shanghai

	Channels Channels            `yaml:"channels"`
	Managers []string            `yaml:"managers"` // user IDs or names allowed to set targets
	Roles    map[string][]string `yaml:"roles"`    // role -> members (assistant, cs, manager, warehouse…)
	Shops    []Shop              `yaml:"shops"`

	OrderIDPattern string `yaml:"order_id_pattern"`
	// BadReviewMaxRating is the highest star rating /review takes as a bad
	// review to handle (default 3); a higher one is refused.
	BadReviewMaxRating int `yaml:"bad_review_max_rating"`

	Metrics    []Metric    `yaml:"metrics"`
	Import     Import      `yaml:"import"` // reading back-office files into metrics
	Checklists []Checklist `yaml:"checklists"`
	SLA        SLA         `yaml:"sla"`
	Reports    Reports     `yaml:"reports"`
	// Commissions by role, for the monthly report (see commissions.go).
	Commissions map[string]Commission `yaml:"commissions"`

	Calendar  CalendarConfig `yaml:"calendar"`  // working days: holidays and makeup workdays
	Campaigns []Campaign     `yaml:"campaigns"` // platform campaigns and their registration deadlines
	Stock     Stock          `yaml:"stock"`     // stock, warnings and the replenishment sheet

	// Secrets and deployment settings come from the environment only
	// (never written by `config init`).
	Slack Slack `yaml:"-"`

	// Location is Timezone loaded; filled by Load/Parse.
	Location *time.Location `yaml:"-"`
}

// Channels names the team's well-known channels, by name (#shop-ops) or ID.
type Channels struct {
	Team     string `yaml:"team"`
	Managers string `yaml:"managers"`
	CS       string `yaml:"cs"`
}

// Shop is one storefront whose numbers are kept apart from the others.
type Shop struct {
	ID       string   `yaml:"id"`       // short key used in commands: shop=tmall
	Name     string   `yaml:"name"`     // display name
	Platform string   `yaml:"platform"` // taobao, tmall, jd, pdd, douyin, other
	Channels []string `yaml:"channels"` // channels where this shop is the default
	// Writers, when set, are who may log and correct this shop's figures:
	// users (handles or IDs) and roles. WriteChannels, when set, are the
	// only channels where they may be logged. Both empty: open to all, as a
	// small team expects. Targets remain the managers'.
	Writers       []string `yaml:"writers"`
	WriteChannels []string `yaml:"write_channels"`
}

// Metric is one entry of the metric catalog: a figure the team logs daily.
type Metric struct {
	Key     string    `yaml:"key"`     // canonical key: uv, pv, orders, paid, sales…
	Kind    string    `yaml:"kind"`    // "count" (integer) or "money" (yuan, stored as fen)
	Name    i18n.Text `yaml:"name"`    // display name in both languages
	Aliases []string  `yaml:"aliases"` // extra keys accepted in commands (Chinese terms…)
	// AnomalyPct flags a day whose value differs from the comparison base by
	// at least this many percent (0 = the reports' default).
	AnomalyPct int `yaml:"anomaly_pct"`
}

// Checklist is one scheduled part of the routine.
type Checklist struct {
	ID        string          `yaml:"id"`
	Title     i18n.Text       `yaml:"title"`
	Channel   string          `yaml:"channel"`    // "team", "managers", "cs" or a channel name/ID
	At        string          `yaml:"at"`         // "HH:MM" in the team zone (with Days)
	Days      string          `yaml:"days"`       // daily | workdays | weekends | mon,tue,…
	Cron      string          `yaml:"cron"`       // alternative to At/Days: 5-field cron
	Due       string          `yaml:"due"`        // "HH:MM" or a duration like 30m; default: next slot
	Calendar  string          `yaml:"calendar"`   // "" (team calendar) or "ignore"
	Enabled   *bool           `yaml:"enabled"`    // default true
	SkipDates []string        `yaml:"skip_dates"` // YYYY-MM-DD
	Items     []ChecklistItem `yaml:"items"`
}

// ChecklistItem is one thing to check off.
type ChecklistItem struct {
	Text  i18n.Text `yaml:"text"`
	Owner string    `yaml:"owner"` // user, @group or role (assistant, cs, manager…)
}

// SLA is the 24-hour rule on tracked items.
type SLA struct {
	Policies map[ItemKind]SLAPolicy `yaml:"policies"` // by kind of item: ship, refund, invoice, complaint, review
	// BusinessHours, when set, makes the SLA durations count working time
	// only: these hours of the working days of the team calendar. Nil
	// counts calendar hours.
	BusinessHours *BusinessHours `yaml:"business_hours"`
	// QuietHours, when set, holds back warnings and reminders to the team
	// that fall inside it ("22:00"-"08:00", may span midnight) until it
	// ends. Deadlines still run in calendar (or business) hours.
	QuietHours *BusinessHours `yaml:"quiet_hours"`
	// ManagerQuietHours does the same for breach notices to the managers.
	// Nil sends them at the deadline, day or night.
	ManagerQuietHours *BusinessHours `yaml:"manager_quiet_hours"`
}

// BusinessHours is the working day of a team that counts its SLA in
// working time, "HH:MM" in the team zone.
type BusinessHours struct {
	Start string `yaml:"start"`
	End   string `yaml:"end"`
}

// SLAPolicy is the clock of one kind of tracked item. Durations are Go
// durations ("24h", "90m").
type SLAPolicy struct {
	ResolveWithin string `yaml:"resolve_within"`
	WarnBefore    string `yaml:"warn_before"`
	RemindEvery   string `yaml:"remind_every"`
	// Take lists who may take an item of this kind that nobody holds, and
	// take over (explicitly) one that somebody else holds: users, roles, or
	// "everyone". Empty: everyone.
	Take []string `yaml:"take"`
	// Leads may resolve and escalate any item of this kind, besides its
	// holder (or, while nobody holds it, whoever flagged it) and the
	// managers: users or roles, e.g. [cs] for refunds. Empty: nobody else.
	Leads []string `yaml:"leads"`
}

// Reports says when digests are published (team time zone).
type Reports struct {
	Daily   string `yaml:"daily"`   // "HH:MM"
	Weekly  string `yaml:"weekly"`  // "mon HH:MM"
	Monthly string `yaml:"monthly"` // "1 HH:MM" (day of month)
	// AnomalyPct is the default change, in percent, that is flagged.
	AnomalyPct int `yaml:"anomaly_pct"`
	// Limits are floors and ceilings of figures and KPIs by key: a day
	// outside one is reported as a problem in the daily digest. Values are
	// as typed in commands ("1%", "500", "¥3,000"). Without a limit for
	// conversion_rate, the built-in floor is 1%.
	Limits map[string]Limit `yaml:"limits"`
	// Chart lists what the reports' chart draws, one panel each (at most
	// 4): metric keys or derived KPI keys. Empty: sales, uv and
	// conversion_rate.
	Chart []string `yaml:"chart"`
	// ChartFont is a TrueType/OpenType font file (.ttf, .otf, .ttc) that
	// draws Chinese, for chart labels in Chinese. Empty: the usual system
	// fonts are searched (Noto Sans CJK, WenQuanYi, Source Han Sans);
	// without one the labels are drawn in English.
	ChartFont string `yaml:"chart_font"`
}

// Limit is a floor and/or a ceiling of one figure.
type Limit struct {
	Floor   string `yaml:"floor"`
	Ceiling string `yaml:"ceiling"`
}

// CalendarConfig is the team's working calendar. In mainland China public
// holidays move weekdays off and makeup workdays (调休) turn some weekend
// days into working days; the official schedule comes from a built-in
// table, which the team can correct and extend here.
type CalendarConfig struct {
	// Kind is "cn" (mainland China official schedule) or "none" (Monday to
	// Friday). Empty: "cn" when the team time zone is Asia/Shanghai,
	// Asia/Chongqing or Asia/Harbin, else "none". See EffectiveKind.
	Kind string `yaml:"kind"`
	// DaysOff are the company's own days off (a working day becomes a day off).
	DaysOff []CalendarDay `yaml:"days_off"`
	// ExtraWorkdays are the company's own working days (a weekend day or a
	// holiday becomes a working day).
	ExtraWorkdays []CalendarDay `yaml:"extra_workdays"`
	// Official gives a whole year's official schedule, for a year the
	// built-in table lacks or has wrong; it replaces the table for that year.
	Official map[int]OfficialYear `yaml:"official"`
}

// CalendarDay is one dated entry of the calendar.
type CalendarDay struct {
	Date string    `yaml:"date"` // YYYY-MM-DD
	Name i18n.Text `yaml:"name"`
}

// OfficialYear is one year's official schedule as the State Council
// publishes it: the public holidays and the makeup workdays (调休上班),
// each makeup day named after the holiday it makes up for.
type OfficialYear struct {
	Holidays []CalendarDay `yaml:"holidays"`
	Workdays []CalendarDay `yaml:"workdays"`
}

// Campaign is a platform campaign (618, 双11, 年货节, 聚划算…) with its
// registration deadline, of which the team is reminded.
type Campaign struct {
	ID   string    `yaml:"id"` // kebab-case, unique
	Name i18n.Text `yaml:"name"`
	// Start and End are the campaign days, both included: YYYY-MM-DD, or
	// MM-DD for a recurring (yearly) campaign.
	Start string `yaml:"start"`
	End   string `yaml:"end"`
	// Registration is the deadline for registering (报名截止), written
	// like Start; optional. For a recurring campaign a deadline later in
	// the year than End falls in the year before the campaign.
	Registration string `yaml:"registration"`
	Recurring    bool   `yaml:"recurring"` // every year on the same dates
	Channel      string `yaml:"channel"`   // team (default), managers, cs or a channel name/ID
	Owner        string `yaml:"owner"`     // a user, @group or role
	// Remind lists the days before the registration deadline on which the
	// team is reminded (0 = on the day). Left out: 7, 3 and 1; an empty
	// list means no reminders.
	Remind []int `yaml:"remind"`
}

// Slack holds credentials and endpoints, from the environment only.
type Slack struct {
	BotToken      string // SLACK_BOT_TOKEN
	AppToken      string // SLACK_APP_TOKEN
	SigningSecret string // SLACK_SIGNING_SECRET
	APIURL        string // SLACK_API_URL
	Addr          string // OPSBOT_ADDR
	// AppID is the app's ID (A…); requests for another app are refused.
	// Learned from bots.info when not set.
	AppID string // SLACK_APP_ID
}

// DefaultBadReviewMaxRating is the highest rating of a bad review when the
// config leaves it out: Taobao's 差评 and 中评 are 1 to 3 stars.
const DefaultBadReviewMaxRating = 3

// BadReviewMax is the highest rating taken as a bad review.
func (c *Config) BadReviewMax() int {
	if c.BadReviewMaxRating >= 1 && c.BadReviewMaxRating <= 5 {
		return c.BadReviewMaxRating
	}
	return DefaultBadReviewMaxRating
}

// ItemKind is a kind of tracked item: the one vocabulary of sla.policies,
// of /urgent type=…, of the items' messages and of their i18n keys.
type ItemKind string

// The kinds of tracked items.
const (
	ItemShip      ItemKind = "ship"
	ItemRefund    ItemKind = "refund"
	ItemInvoice   ItemKind = "invoice"
	ItemComplaint ItemKind = "complaint"
	ItemReview    ItemKind = "review"
)

// ItemKinds are the kinds of tracked items, in the order they are listed.
var ItemKinds = []ItemKind{ItemShip, ItemRefund, ItemInvoice, ItemComplaint, ItemReview}
