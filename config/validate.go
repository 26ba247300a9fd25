package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"opsbot/i18n"
)

// validate checks the decoded configuration, collecting every problem, and
// loads the time zone.
func (r *report) validate(c *Config) {
	if err := checkLocale(c.Locale); err != nil {
		r.add("locale", "%v", err)
	}
	if loc, err := loadZone(c.Timezone); err != nil {
		r.add("timezone", "%v", err)
	} else {
		c.Location = loc
	}
	if strings.TrimSpace(c.Channels.Team) == "" {
		r.add("channels.team", "is empty; name the team channel, e.g. \"#shop-ops\"")
	}
	for i, m := range c.Managers {
		if strings.TrimSpace(m) == "" {
			r.add(fmt.Sprintf("managers[%d]", i), "is empty; use a Slack user name or ID")
		}
	}
	for role, members := range c.Roles {
		for i, m := range members {
			if strings.TrimSpace(m) == "" {
				r.add(fmt.Sprintf("roles.%s[%d]", role, i), "is empty; use a Slack user name or ID")
			}
		}
	}
	if n := c.BadReviewMaxRating; n != 0 && (n < 1 || n > 5) {
		r.add("bad_review_max_rating", "%d is not a star rating; use 1 to 5 (3 takes 1- to 3-star reviews as bad)", n)
	}
	for i, sh := range c.Shops {
		r.checkRefs(fmt.Sprintf("shops[%d].writers", i), sh.Writers, "a Slack user handle or ID, or a role")
		r.checkRefs(fmt.Sprintf("shops[%d].write_channels", i), sh.WriteChannels, "a channel name or ID")
	}
	for kind, p := range c.SLA.Policies {
		r.checkRefs("sla.policies."+string(kind)+".take", p.Take, "a Slack user handle or ID, a role, or everyone")
		r.checkRefs("sla.policies."+string(kind)+".leads", p.Leads, "a Slack user handle or ID, or a role")
	}
	if c.OrderIDPattern == "" {
		r.add("order_id_pattern", "is empty; use a regular expression such as ^[0-9]{15,20}$")
	} else if _, err := regexp.Compile(c.OrderIDPattern); err != nil {
		r.add("order_id_pattern", "%q is not a valid regular expression (%v); use e.g. ^[0-9]{15,20}$", c.OrderIDPattern, err)
	}
	r.checkShops(c.Shops)
	r.checkMetrics(c.Metrics)
	r.checkImport(c)
	r.checkChecklists(c)
	r.checkSLA(c.SLA)
	r.checkReports(c)
	r.checkCommissions(c)
	r.checkCalendar(c.Calendar)
	r.checkCampaigns(c)
	r.checkStock(c)
}

func (r *report) checkShops(shops []Shop) {
	idRe := regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)
	platforms := []string{"taobao", "tmall", "jd", "pdd", "douyin", "other"}
	if len(shops) == 0 {
		r.add("shops", "is empty; list at least one shop (id, name, platform)")
		return
	}
	ids := map[string]int{}
	channelOwner := map[string]string{}
	for i, s := range shops {
		p := r.checkID(ids, idRe, "shops", "shop", i, s.ID, "1-32 lower-case letters, digits, - or _, starting with a letter or digit (e.g. main, tmall)")
		if s.Platform != "" && !slices.Contains(platforms, s.Platform) {
			r.add(p+".platform", "%q is not a known platform; use one of %s", s.Platform, strings.Join(platforms, ", "))
		}
		for j, ch := range s.Channels {
			cp := fmt.Sprintf("%s.channels[%d]", p, j)
			key := normChannel(ch)
			if key == "" {
				r.add(cp, "is empty; use a channel name such as \"#shop-ops\" or a channel ID")
				continue
			}
			if owner, taken := channelOwner[key]; taken && owner != s.ID {
				r.add(cp, "%q is already the default channel of shop %q; a channel can be the default of one shop only", ch, owner)
				continue
			}
			channelOwner[key] = s.ID
		}
	}
}

func (r *report) checkMetrics(metrics []Metric) {
	keyRe := regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
	// Command words that a metric key or alias would shadow.
	reserved := []string{"date", "shop", "month", "year", "target", "show", "export", "import", "help", "日期", "店铺", "月份"}
	if len(metrics) == 0 {
		r.add("metrics", "is empty; list at least one metric (key, kind, name)")
		return
	}
	used := map[string]string{} // lower-cased key or alias -> metric key
	claim := func(path, word, metric string) {
		w := strings.ToLower(word)
		switch {
		case w == "" || strings.ContainsAny(w, " \t\n="):
			r.add(path, "%q is not a single word; use a word without spaces or \"=\"", word)
		case slices.Contains(reserved, w):
			r.add(path, "%q is a reserved command word; choose another (reserved: %s)", word, strings.Join(reserved, ", "))
		case used[w] != "":
			r.add(path, "%q is already used by metric %q; keys and aliases must all be distinct (ignoring case)", word, used[w])
		default:
			used[w] = metric
		}
	}
	for i, m := range metrics {
		p := fmt.Sprintf("metrics[%d]", i)
		if !keyRe.MatchString(m.Key) {
			r.add(p+".key", "%q is not a valid metric key; use 1-32 lower-case letters, digits or _, starting with a letter (e.g. uv, refund_amount)", m.Key)
		} else {
			claim(p+".key", m.Key, m.Key)
		}
		if !slices.Contains([]string{"count", "money", "percent", "duration"}, m.Kind) {
			r.add(p+".kind", "%q is not a metric kind; use count (whole numbers), money (yuan), percent (e.g. 31.71%%) or duration (e.g. 00:01:35)", m.Kind)
		}
		r.english(p+".name.en", m.Name.En, "the metric an English name")
		for j, a := range m.Aliases {
			claim(fmt.Sprintf("%s.aliases[%d]", p, j), a, m.Key)
		}
		if m.AnomalyPct < 0 || m.AnomalyPct > 1000 {
			r.add(p+".anomaly_pct", "%d is out of range; use a percentage from 0 to 1000 (0 = the reports' default)", m.AnomalyPct)
		}
	}
}

func (r *report) checkChecklists(c *Config) {
	ids := map[string]int{}
	for i, cl := range c.Checklists {
		p := r.checkID(ids, kebab(), "checklists", "checklist", i, cl.ID, "kebab-case: lower-case letters and digits joined by -, e.g. morning-meeting")
		r.english(p+".title.en", cl.Title.En, "the checklist an English title")
		r.checkChannel(c.Channels, p+".channel", cl.Channel)
		r.checkSchedule(p, cl)
		if err := checkDue(cl.Due); err != nil {
			r.add(p+".due", "%v", err)
		}
		if cl.Calendar != "" && cl.Calendar != "ignore" {
			r.add(p+".calendar", "%q is not allowed; leave it out to follow the team calendar, or use ignore", cl.Calendar)
		}
		for j, d := range cl.SkipDates {
			r.date(fmt.Sprintf("%s.skip_dates[%d]", p, j), d, "YYYY-MM-DD, e.g. 2025-02-10")
		}
		if len(cl.Items) == 0 {
			r.add(p+".items", "is empty; list at least one item (text: {en: ..., zh: ...})")
		}
		if len(cl.Items) > MaxChecklistItems {
			r.add(p+".items", "has %d items; a checklist message holds at most %d (Slack allows 50 blocks in a message), so split it into two checklists", len(cl.Items), MaxChecklistItems)
		}
		r.fits(p+".title", cl.Title, MaxHeaderText, "a checklist title is a Slack header")
		for j, it := range cl.Items {
			r.english(fmt.Sprintf("%s.items[%d].text.en", p, j), it.Text.En, "the item an English text")
			r.fits(fmt.Sprintf("%s.items[%d].text", p, j), it.Text, MaxItemText, "an item is one Slack section with its check mark and who checked it")
		}
	}
}

func (r *report) checkChannel(chans Channels, path, ch string) {
	named := map[string]string{"team": chans.Team, "managers": chans.Managers, "cs": chans.CS}
	target, isRef := named[ch]
	switch {
	case strings.TrimSpace(ch) == "":
		r.add(path, "is empty; use team, managers, cs or a channel name/ID")
	case isRef && strings.TrimSpace(target) == "":
		r.add(path, "refers to channels.%s, which is empty; set channels.%s or name a channel here", ch, ch)
	}
}

// checkSchedule requires exactly one of at (with days) and cron, and
// checks whichever are written so that all their problems show at once.
func (r *report) checkSchedule(p string, cl Checklist) {
	if cl.At == "" && cl.Cron == "" {
		r.add(p, "has no schedule; set at: \"HH:MM\" (with days) or cron: \"minute hour day-of-month month weekday\"")
		return
	}
	if cl.At != "" && cl.Cron != "" {
		r.add(p+".cron", "cannot be used together with at; keep one of them")
	}
	if cl.At != "" {
		if _, _, err := ParseClock(cl.At); err != nil {
			r.add(p+".at", "%v", err)
		}
	}
	if cl.Cron != "" {
		if _, err := ParseCron(cl.Cron); err != nil {
			r.add(p+".cron", "%v", err)
		}
	}
	if cl.Days != "" {
		if _, err := ParseDays(cl.Days); err != nil {
			r.add(p+".days", "%v", err)
		} else if cl.At == "" {
			r.add(p+".days", "only goes with at; with cron, put the days in the cron weekday field")
		}
	}
}

func (r *report) checkSLA(s SLA) {
	kinds := make([]string, len(ItemKinds))
	for i, k := range ItemKinds {
		kinds[i] = string(k)
	}
	names := make([]string, 0, len(s.Policies))
	for name := range s.Policies {
		names = append(names, string(name))
	}
	slices.Sort(names)
	for _, name := range names {
		pol := s.Policies[ItemKind(name)]
		p := "sla.policies." + name
		if !slices.Contains(kinds, name) {
			r.add(p, "%q is not a kind of tracked item; use %s", name, strings.Join(kinds, ", "))
			continue
		}
		resolve, ok := r.duration(p+".resolve_within", pol.ResolveWithin, true)
		warn, warnOK := r.duration(p+".warn_before", pol.WarnBefore, false)
		r.duration(p+".remind_every", pol.RemindEvery, false)
		if ok && warnOK && warn > 0 && warn >= resolve {
			r.add(p+".warn_before", "%s is not shorter than resolve_within (%s); warn before the deadline, e.g. 4h for 24h", pol.WarnBefore, pol.ResolveWithin)
		}
	}
	if bh := s.BusinessHours; bh != nil {
		if start, end, ok := r.window("sla.business_hours", bh); ok && end <= start {
			r.add("sla.business_hours.end", "%s is not after start (%s); working hours are within one day, e.g. start: \"09:00\", end: \"18:00\"", bh.End, bh.Start)
		}
	}
	r.quietHours("sla.quiet_hours", s.QuietHours)
	r.quietHours("sla.manager_quiet_hours", s.ManagerQuietHours)
}

// quietHours checks a window of quiet hours; it may span midnight.
func (r *report) quietHours(path string, q *BusinessHours) {
	if q == nil {
		return
	}
	if start, end, ok := r.window(path, q); ok && end == start {
		r.add(path+".end", "%s is the same as start; quiet hours are a window, e.g. start: \"22:00\", end: \"08:00\"", q.End)
	}
}

// window checks that a window's start and end are times of day, and
// reports each that is not; ok when both are.
func (r *report) window(path string, h *BusinessHours) (start, end time.Duration, ok bool) {
	start, serr := ClockOffset(h.Start)
	if serr != nil {
		r.add(path+".start", "%v", serr)
	}
	end, eerr := ClockOffset(h.End)
	if eerr != nil {
		r.add(path+".end", "%v", eerr)
	}
	return start, end, serr == nil && eerr == nil
}

// duration checks a positive Go duration; optional ones may be empty.
func (r *report) duration(path, s string, required bool) (time.Duration, bool) {
	if s == "" {
		if required {
			r.add(path, "is empty; use a duration such as 24h or 90m")
			return 0, false
		}
		return 0, true
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		r.add(path, "%q is not a positive duration; use e.g. 24h, 4h or 90m", s)
		return 0, false
	}
	return d, true
}

func (r *report) checkReports(c *Config) {
	rep := c.Reports
	if _, _, err := ParseClock(rep.Daily); err != nil {
		r.add("reports.daily", "%v", err)
	}
	if _, _, _, err := ParseWeekly(rep.Weekly); err != nil {
		r.add("reports.weekly", "%v", err)
	}
	if _, _, _, err := ParseMonthly(rep.Monthly); err != nil {
		r.add("reports.monthly", "%v", err)
	}
	if rep.AnomalyPct < 0 || rep.AnomalyPct > 1000 {
		r.add("reports.anomaly_pct", "%d is out of range; use a percentage from 0 to 1000", rep.AnomalyPct)
	}
	r.checkChart(c)
}

// MaxChartPanels is how many figures one chart draws.
const MaxChartPanels = 4

// checkChart checks reports.chart: metric or KPI keys, each once, at most
// MaxChartPanels. The font file is checked when a chart is drawn (a
// missing one falls back to the system's fonts, with a log line).
func (r *report) checkChart(c *Config) {
	keys := c.Reports.Chart
	if len(keys) > MaxChartPanels {
		r.add("reports.chart", "%d figures; a chart draws at most %d", len(keys), MaxChartPanels)
	}
	known := slices.Clone(checkable)
	for _, m := range c.Metrics {
		known = append(known, m.Key)
	}
	seen := map[string]bool{}
	for i, k := range keys {
		path := fmt.Sprintf("reports.chart[%d]", i)
		switch {
		case !slices.Contains(known, k):
			r.add(path, "%q is not a metric or KPI key; use one of %s", k, strings.Join(known, ", "))
		case seen[k]:
			r.add(path, "%q is listed twice", k)
		}
		seen[k] = true
	}
}

// Limits that config texts must fit: Block Kit's, less room for what the
// bot adds around them.
const (
	// MaxChecklistItems matches the checklist message: 45 items and their
	// header and footer within Slack's 50 blocks.
	MaxChecklistItems = 45
	// MaxItemText leaves room in a 3,000-character section for the item's
	// number, check mark and who checked it.
	MaxItemText = 2800
	// MaxHeaderText is Block Kit's header limit.
	MaxHeaderText = 150
)

// fits refuses a text whose English or Chinese form, as Slack receives it
// (&, < and > escaped), is longer than max characters.
func (r *report) fits(path string, t i18n.Text, max int, why string) {
	for _, lang := range []struct{ key, s string }{{"en", t.En}, {"zh", t.Zh}} {
		if n := escapedLen(lang.s); n > max {
			r.add(path+"."+lang.key, "is %d characters; the limit is %d (%s), so shorten it", n, max, why)
		}
	}
}

// escapedLen counts characters after Slack's escaping of &, < and >.
func escapedLen(s string) int {
	return utf8.RuneCountInString(s) + 4*strings.Count(s, "&") + 3*strings.Count(s, "<") + 3*strings.Count(s, ">")
}

// checkID checks the id of entry i of a list: its form, and that no
// earlier entry has it. ids holds the ids seen so far. It returns the
// entry's path, for its other fields.
func (r *report) checkID(ids map[string]int, re *regexp.Regexp, list, noun string, i int, id, form string) string {
	entry := fmt.Sprintf("%s[%d]", list, i)
	p := entry + ".id"
	if !re.MatchString(id) {
		r.add(p, "%q is not a valid %s id; use %s", id, noun, form)
	} else if first, dup := ids[id]; dup {
		r.add(p, "%q is already the id of %s[%d]; %s ids must be unique", id, list, first, noun)
	} else {
		ids[id] = i
	}
	return entry
}

// kebab is the form of checklist and campaign ids: lower-case letters and
// digits joined by -.
func kebab() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`) }

// english refuses an empty English text: the fallback of every language.
// what completes "give …".
func (r *report) english(path, text, what string) {
	if strings.TrimSpace(text) == "" {
		r.add(path, "is empty; give %s", what)
	}
}

// checkRefs refuses empty entries in a who-may list.
func (r *report) checkRefs(path string, refs []string, want string) {
	for i, ref := range refs {
		if strings.TrimSpace(ref) == "" {
			r.add(fmt.Sprintf("%s[%d]", path, i), "is empty; use %s", want)
		}
	}
}
