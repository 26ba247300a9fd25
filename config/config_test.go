package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func mustDefault(t *testing.T) *Config {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return c
}

func mustParse(t *testing.T, src string) *Config {
	t.Helper()
	c, err := Parse([]byte(src), "test.yaml")
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	return c
}

// parseProblems parses src, which must fail, and returns its problems.
func parseProblems(t *testing.T, src string) []Problem {
	t.Helper()
	_, err := Parse([]byte(src), "test.yaml")
	var ps *Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Parse error = %v (%T), want *Problems", err, err)
	}
	if ps.File != "test.yaml" {
		t.Errorf("Problems.File = %q, want test.yaml", ps.File)
	}
	return ps.List
}

func TestDefault(t *testing.T) {
	c := mustDefault(t)
	if c.Locale != "en" || c.Timezone != "Asia/Shanghai" || c.Location == nil || c.Location.String() != "Asia/Shanghai" {
		t.Errorf("locale/timezone = %q %q %v", c.Locale, c.Timezone, c.Location)
	}
	if c.Channels != (Channels{Team: "#shop-ops", Managers: "#shop-managers", CS: "#shop-cs"}) {
		t.Errorf("channels = %+v", c.Channels)
	}
	if len(c.Shops) != 1 || c.Shops[0].ID != "main" || c.Shops[0].Platform != "taobao" {
		t.Errorf("shops = %+v", c.Shops)
	}
	for _, role := range []string{"assistant", "cs", "manager", "warehouse", "marketing", "data"} {
		if _, ok := c.Roles[role]; !ok {
			t.Errorf("role %q missing", role)
		}
	}

	wantMetrics := []struct {
		key, kind string
		aliases   []string
	}{
		{"pv", "count", []string{"浏览量"}},
		{"uv", "count", []string{"访客数", "访客"}},
		{"orders", "count", []string{"收订", "下单", "订单数"}},
		{"paid", "count", []string{"付款", "付款数", "付款订单"}},
		{"sales", "money", []string{"销售额", "销售", "gmv"}},
		{"refunds", "count", []string{"退款", "退款数"}},
		{"refund_amount", "money", []string{"退款金额"}},
		{"returns", "count", []string{"退换货", "退货"}},
		{"inquiries", "count", []string{"咨询", "咨询数"}},
		{"inquiry_orders", "count", []string{"询单成交", "咨询成交"}},
		{"ad_search", "money", []string{"直通车", "ztc"}},
		{"ad_display", "money", []string{"钻展"}},
		{"ad_affiliate", "money", []string{"淘宝客", "淘客"}},
		{"shipping_cost", "money", []string{"运费", "包邮"}},
		{"discounts", "money", []string{"优惠", "折扣"}},
		{"bad_reviews", "count", []string{"差评"}},
		{"items_online", "count", []string{"在线商品"}},
		{"items_sold_30d", "count", []string{"动销商品"}},
		{"bounce_rate", "percent", []string{"跳失率"}},
		{"avg_visit", "duration", []string{"停留时长", "平均停留时长"}},
	}
	if len(c.Metrics) != len(wantMetrics) {
		t.Fatalf("got %d metrics, want %d", len(c.Metrics), len(wantMetrics))
	}
	for i, w := range wantMetrics {
		m := c.Metrics[i]
		if m.Key != w.key || m.Kind != w.kind || !slices.Equal(m.Aliases, w.aliases) {
			t.Errorf("metrics[%d] = %s %s %v, want %s %s %v", i, m.Key, m.Kind, m.Aliases, w.key, w.kind, w.aliases)
		}
		if m.Name.En == "" || m.Name.Zh == "" {
			t.Errorf("metric %s name = %+v, want both languages", m.Key, m.Name)
		}
	}

	if len(c.Checklists) < 15 {
		t.Errorf("got %d checklists, want at least 15", len(c.Checklists))
	}
	for _, cl := range c.Checklists {
		if cl.Title.En == "" || cl.Title.Zh == "" {
			t.Errorf("checklist %s title = %+v, want both languages", cl.ID, cl.Title)
		}
		for j, it := range cl.Items {
			if it.Text.En == "" || it.Text.Zh == "" {
				t.Errorf("checklist %s item %d = %+v, want both languages", cl.ID, j, it.Text)
			}
		}
	}
	byID := map[string]Checklist{}
	for _, cl := range c.Checklists {
		byID[cl.ID] = cl
	}
	for id, want := range map[string]struct {
		at, days, cron, due string
		enabled             bool
	}{
		"morning-meeting":     {at: "08:20", days: "daily", due: "08:30", enabled: true},
		"evening-meeting":     {at: "17:30", days: "workdays", due: "18:00", enabled: true},
		"search-ranking":      {cron: "0 9-21 * * *", due: "30m"},
		"affiliate-watch":     {cron: "*/30 9-21 * * *", due: "15m"},
		"promo-group-buy":     {at: "09:00", days: "mon", due: "10:00", enabled: true},
		"promo-free-shipping": {at: "09:00", days: "thu", due: "10:00", enabled: true},
		"replenishment":       {at: "10:00", days: "thu", due: "18:00", enabled: true},
		"monthly-review":      {cron: "0 10 1 * *", due: "8h", enabled: true},
	} {
		cl, ok := byID[id]
		if !ok {
			t.Errorf("checklist %s missing", id)
			continue
		}
		if cl.At != want.at || cl.Days != want.days || cl.Cron != want.cron || cl.Due != want.due || c.ChecklistEnabled(cl) != want.enabled {
			t.Errorf("checklist %s = at %q days %q cron %q due %q enabled %v, want %+v",
				id, cl.At, cl.Days, cl.Cron, cl.Due, c.ChecklistEnabled(cl), want)
		}
	}

	for _, kind := range []ItemKind{"ship", "refund", "invoice", "complaint", "review"} {
		p, ok := c.SLA.Policies[kind]
		if !ok || p.ResolveWithin != "24h" || p.WarnBefore != "4h" || p.RemindEvery != "4h" {
			t.Errorf("sla %s = %+v, %v", kind, p, ok)
		}
	}
	if want := (Reports{Daily: "09:30", Weekly: "mon 09:30", Monthly: "1 09:30", AnomalyPct: 30,
		Limits: map[string]Limit{"conversion_rate": {Floor: "1%"}}}); !reflect.DeepEqual(c.Reports, want) {
		t.Errorf("reports = %+v", c.Reports)
	}
}

func TestDefaultIsFresh(t *testing.T) {
	a := mustDefault(t)
	a.Metrics[0].Key = "changed"
	a.Roles["cs"] = append(a.Roles["cs"], "bob")
	b := mustDefault(t)
	if b.Metrics[0].Key != "pv" || len(b.Roles["cs"]) != 0 {
		t.Errorf("Default shares state between calls: %s %v", b.Metrics[0].Key, b.Roles["cs"])
	}
}

func TestDefaultYAMLParses(t *testing.T) {
	got := mustParse(t, string(DefaultYAML()))
	want := mustDefault(t)
	got.Location, want.Location = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Error("Parse(DefaultYAML()) differs from Default()")
	}
}

func TestParseReportsEveryProblemWithItsLine(t *testing.T) {
	src := `locale: fr                       # 1
timezone: Mars/Olympus           # 2
order_id_pattern: "[0-9"         # 3
shops:                           # 4
  - id: Main Shop                # 5
    channels: ["#ops"]           # 6
  - id: tmall                    # 7
    channels: ["ops"]            # 8
metrics:                         # 9
  - key: uv                      # 10
    kind: number                 # 11
    name: {en: Visitors}         # 12
    aliases: [UV, date]          # 13
checklists:                      # 14
  - id: Morning_Meeting          # 15
    title: {en: Morning}         # 16
    channel: team                # 17
    at: "8:3"                    # 18
    days: mon,funday             # 19
    due: 48h                     # 20
    items:                       # 21
      - text: {zh: 晨会}         # 22
  - id: hourly                   # 23
    title: {en: Hourly}          # 24
    channel: team                # 25
    cron: "0 9-21 * *"           # 26
    calendar: skip               # 27
    skip_dates: [2025-13-01]     # 28
    items: []                    # 29
sla:                             # 30
  policies:                      # 31
    refund:                      # 32
      resolve_within: 4h         # 33
      warn_before: 5h            # 34
    parcel:                      # 35
      resolve_within: 1d         # 36
reports:                         # 37
  weekly: "monday"               # 38
  monthly: "31 09:30"            # 39
  anomaly_pct: 5000              # 40
`
	want := []struct {
		line int
		path string
		msg  string // a fragment the message must contain
	}{
		{1, "locale", `"fr" is not a supported language; use en or zh`},
		{2, "timezone", `"Mars/Olympus" is not a known time zone`},
		{3, "order_id_pattern", "not a valid regular expression"},
		{5, "shops[0].id", `"Main Shop" is not a valid shop id`},
		{8, "shops[1].channels[0]", `"ops" is already the default channel of shop "Main Shop"`},
		{11, "metrics[0].kind", `"number" is not a metric kind; use count`},
		{13, "metrics[0].aliases[0]", `"UV" is already used by metric "uv"`},
		{13, "metrics[0].aliases[1]", `"date" is a reserved command word`},
		{15, "checklists[0].id", "use kebab-case"},
		{18, "checklists[0].at", `"8:3" is not a time of day; use HH:MM (24-hour), e.g. 08:30`},
		{19, "checklists[0].days", `"mon,funday" is not a list of days`},
		{20, "checklists[0].due", `"48h" is not a due time`},
		{22, "checklists[0].items[0].text.en", "is empty"},
		{26, "checklists[1].cron", `"0 9-21 * *" has 4 fields; use 5 fields`},
		{27, "checklists[1].calendar", `"skip" is not allowed; leave it out`},
		{28, "checklists[1].skip_dates[0]", "use YYYY-MM-DD"},
		{29, "checklists[1].items", "list at least one item"},
		{34, "sla.policies.refund.warn_before", "5h is not shorter than resolve_within (4h)"},
		{35, "sla.policies.parcel", `"parcel" is not a kind of tracked item; use ship, refund`},
		{38, "reports.weekly", `"monday" is not a weekly time; use "<weekday> HH:MM"`},
		{39, "reports.monthly", `"31 09:30" is not a monthly time; use "<day 1-28> HH:MM"`},
		{40, "reports.anomaly_pct", "5000 is out of range; use a percentage from 0 to 1000"},
	}
	got := parseProblems(t, src)
	for i, w := range want {
		if i >= len(got) {
			t.Errorf("missing problem %d: %d %s %s", i, w.line, w.path, w.msg)
			continue
		}
		g := got[i]
		if g.Line != w.line || g.Path != w.path || !strings.Contains(g.Msg, w.msg) {
			t.Errorf("problem %d = %d %s: %s\nwant   %d %s: …%s…", i, g.Line, g.Path, g.Msg, w.line, w.path, w.msg)
		}
	}
	for _, g := range got[min(len(got), len(want)):] {
		t.Errorf("unexpected problem: %d %s: %s", g.Line, g.Path, g.Msg)
	}
}

func TestParseShapeProblems(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		path, msg string
	}{
		{"unknown top-level key", "locale: en\nshop:\n  - id: main\n", 2, "shop",
			`unknown key "shop"; allowed here: locale, timezone, channels, managers, roles, shops, order_id_pattern, bad_review_max_rating, metrics, import, checklists, sla, reports`},
		{"unknown nested key", "shops:\n  - id: main\n    nmae: Main\n", 3, "shops[0].nmae",
			`unknown key "nmae"; allowed here: id, name, platform, channels`},
		{"unknown key in a flow mapping", "checklists:\n  - id: x\n    title: {en: X, fr: X}\n    channel: team\n    at: \"09:00\"\n    items: [{text: {en: a}}]\n",
			3, "checklists[0].title.fr", `unknown key "fr"; allowed here: en, zh`},
		{"list where text goes", "locale: [en]\n", 1, "locale", "a list is not allowed here; use a single value"},
		{"text where a list goes", "managers: alice\n", 1, "managers", `"alice" is not allowed here; use a list`},
		{"text where a mapping goes", "channels: \"#ops\"\n", 1, "channels", "use a mapping with the keys team, managers, cs"},
		{"not a number", "reports:\n  anomaly_pct: 30%\n", 2, "reports.anomaly_pct", `"30%" is not allowed here; use a whole number`},
		{"not a bool", "checklists:\n  - id: x\n    title: {en: X}\n    channel: team\n    at: \"09:00\"\n    enabled: maybe\n    items: [{text: {en: a}}]\n",
			6, "checklists[0].enabled", `"maybe" is not allowed here; use true or false`},
		{"repeated key", "locale: en\ntimezone: UTC\nlocale: zh\n", 3, "locale", "is set twice (first on line 1)"},
		{"syntax error", "locale: en\n\ntimezone: Asia: Shanghai\n", 3, "", "not valid YAML: mapping values are not allowed in this context"},
		{"no shops", "shops: []\n", 1, "shops", "list at least one shop"},
		{"no schedule", "checklists:\n  - id: x\n    title: {en: X}\n    channel: team\n    items: [{text: {en: a}}]\n",
			2, "checklists[0]", "has no schedule"},
		{"cron with days", "checklists:\n  - id: x\n    title: {en: X}\n    channel: team\n    cron: \"0 9 * * *\"\n    days: mon\n    items: [{text: {en: a}}]\n",
			6, "checklists[0].days", "only goes with at"},
		{"empty named channel", "channels:\n  team: \"#ops\"\n  cs: \"\"\nchecklists:\n  - id: x\n    title: {en: X}\n    channel: cs\n    at: \"09:00\"\n    items: [{text: {en: a}}]\n",
			7, "checklists[0].channel", "refers to channels.cs, which is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseProblems(t, tt.src)
			if len(got) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(got), (&Problems{File: "test.yaml", List: got}).Error())
			}
			g := got[0]
			if g.Line != tt.line || g.Path != tt.path || !strings.Contains(g.Msg, tt.msg) {
				t.Errorf("got %d %q: %s\nwant %d %q: …%s…", g.Line, g.Path, g.Msg, tt.line, tt.path, tt.msg)
			}
		})
	}
}

func TestAbsentSectionsTakeDefaults(t *testing.T) {
	def := mustDefault(t)
	c := mustParse(t, `locale: zh
shops:
  - id: tmall
    name: Tmall store
    platform: tmall
roles:
  cs: [bob]
checklists: []
sla:
  policies:
    refund: {resolve_within: 4h, warn_before: 1h}
reports:
  daily: "10:00"
`)
	if c.Locale != "zh" || c.Timezone != def.Timezone || c.Location == nil {
		t.Errorf("locale/timezone = %q %q %v", c.Locale, c.Timezone, c.Location)
	}
	if !reflect.DeepEqual(c.Metrics, def.Metrics) || c.Channels != def.Channels || c.OrderIDPattern != def.OrderIDPattern {
		t.Error("absent sections (metrics, channels, order_id_pattern) do not keep their defaults")
	}
	if len(c.Shops) != 1 || c.Shops[0].ID != "tmall" {
		t.Errorf("shops = %+v, want the file's", c.Shops)
	}
	if len(c.Checklists) != 0 {
		t.Errorf("checklists: [] gave %d checklists, want none", len(c.Checklists))
	}
	if !reflect.DeepEqual(c.Roles, map[string][]string{"cs": {"bob"}}) {
		t.Errorf("roles = %v, want the file's only", c.Roles)
	}
	if len(c.SLA.Policies) != 1 || c.SLA.Policies["refund"].ResolveWithin != "4h" {
		t.Errorf("sla policies = %v, want the file's only", c.SLA.Policies)
	}
	want := def.Reports
	want.Daily = "10:00"
	if !reflect.DeepEqual(c.Reports, want) {
		t.Errorf("reports = %+v, want %+v (unset keys keep defaults)", c.Reports, want)
	}
}

func TestEmptyFileIsTheDefault(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n"} {
		c := mustParse(t, src)
		if len(c.Metrics) != 20 || len(c.Shops) != 1 {
			t.Errorf("%q: got %d metrics %d shops", src, len(c.Metrics), len(c.Shops))
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("locale: zh\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(good)
	if err != nil || c.Locale != "zh" {
		t.Fatalf("Load(good) = %v, %v", c, err)
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("locale: en\ntimezone: Nowhere\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(bad)
	if err == nil || !strings.HasPrefix(err.Error(), bad+":2: timezone: ") {
		t.Errorf("Load(bad) error = %v, want it to start with %s:2: timezone:", err, bad)
	}

	missing := filepath.Join(dir, "missing.yaml")
	_, err = Load(missing)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("Load(missing) error = %v, want a not-exist error naming the path", err)
	}
}

func TestProblemsError(t *testing.T) {
	ps := &Problems{File: "ops.yaml", List: []Problem{
		{Line: 3, Path: "checklists[0].at", Msg: "bad"},
		{Line: 7, Msg: "not valid YAML"},
		{Path: "shops", Msg: "is empty"},
	}}
	want := "ops.yaml:3: checklists[0].at: bad\nops.yaml:7: not valid YAML\nops.yaml: shops: is empty"
	if got := ps.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
}

func TestApplyEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		slack   Slack
		locale  string
		zone    string
		wantErr string
	}{
		{name: "nothing set", slack: Slack{Addr: ":3000"}, locale: "en", zone: "Asia/Shanghai"},
		{
			name: "everything set",
			env: map[string]string{
				"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_SIGNING_SECRET": "sec\n",
				"SLACK_API_URL": "http://localhost:9/api/", "OPSBOT_ADDR": ":8080",
				"OPSBOT_LOCALE": "ZH", "OPSBOT_TIMEZONE": "Europe/Berlin",
			},
			slack:  Slack{BotToken: "xoxb-1", AppToken: "xapp-1", SigningSecret: "sec", APIURL: "http://localhost:9/api/", Addr: ":8080"},
			locale: "zh", zone: "Europe/Berlin",
		},
		{
			name:   "invalid overrides",
			env:    map[string]string{"OPSBOT_LOCALE": "fr", "OPSBOT_TIMEZONE": "Nowhere/Town"},
			slack:  Slack{Addr: ":3000"},
			locale: "en", zone: "Asia/Shanghai",
			wantErr: "OPSBOT_LOCALE: \"fr\" is not a supported language; use en or zh\nOPSBOT_TIMEZONE: \"Nowhere/Town\" is not a known time zone",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustDefault(t)
			err := c.ApplyEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr == "" && err != nil {
				t.Fatalf("ApplyEnv: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantErr)) {
				t.Fatalf("ApplyEnv error = %v, want %s…", err, tt.wantErr)
			}
			if c.Slack != tt.slack {
				t.Errorf("Slack = %+v, want %+v", c.Slack, tt.slack)
			}
			if c.Locale != tt.locale || c.Timezone != tt.zone || c.Location.String() != tt.zone {
				t.Errorf("locale/zone = %q %q %v, want %q %q", c.Locale, c.Timezone, c.Location, tt.locale, tt.zone)
			}
		})
	}
}

const twoShops = `shops:
  - id: main
    name: My Taobao shop
    platform: taobao
    channels: ["#shop-ops", "C0TAOBAO"]
  - id: tmall
    name: Tmall Store
    platform: tmall
    channels: [tmall-ops]
managers: ["@Alice", U0BOSS]
roles:
  manager: [carol]
  cs: [dave]
`

func TestDefaultShop(t *testing.T) {
	two := mustParse(t, twoShops)
	one := mustDefault(t)
	tests := []struct {
		name    string
		cfg     *Config
		channel string
		want    string // shop id, "" for none
	}{
		{"mapped channel", two, "#shop-ops", "main"},
		{"without #", two, "shop-ops", "main"},
		{"case-insensitive", two, "#TMALL-OPS", "tmall"},
		{"by channel ID", two, "c0taobao", "main"},
		{"unmapped, several shops", two, "#random", ""},
		{"empty, several shops", two, "", ""},
		{"unmapped, one shop", one, "#random", "main"},
		{"empty, one shop", one, "", "main"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := tt.cfg.DefaultShop(tt.channel)
			if ok != (tt.want != "") || s.ID != tt.want {
				t.Errorf("DefaultShop(%q) = %q, %v; want %q", tt.channel, s.ID, ok, tt.want)
			}
		})
	}
}

func TestShopByRef(t *testing.T) {
	c := mustParse(t, twoShops)
	tests := []struct{ ref, want string }{
		{"main", "main"},
		{" TMALL ", "tmall"},
		{"tmall store", "tmall"},
		{"My Taobao shop", "main"},
		{"jd", ""},
		{"", ""},
	}
	for _, tt := range tests {
		s, ok := c.ShopByRef(tt.ref)
		if ok != (tt.want != "") || s.ID != tt.want {
			t.Errorf("ShopByRef(%q) = %q, %v; want %q", tt.ref, s.ID, ok, tt.want)
		}
	}
}

func TestIsManager(t *testing.T) {
	c := mustParse(t, twoShops)
	tests := []struct {
		id   string
		want bool
	}{
		{"U0BOSS", true},  // managers entry, by ID
		{"u0boss", true},  // any case
		{"carol", true},   // role manager, one list with managers:
		{"@Alice", true},  // a console name, as written
		{"U0DAVE", false}, // another role
		{"", false},       // nobody
		{"U0XYZ", false},  // an ID that is not listed, whatever name it sends
	}
	for _, tt := range tests {
		if got := c.IsManager(tt.id); got != tt.want {
			t.Errorf("IsManager(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
	if !slices.Contains(c.Roles["manager"], "U0BOSS") || !slices.Contains(c.Managers, "carol") {
		t.Errorf("managers %v and roles.manager %v are not one list", c.Managers, c.Roles["manager"])
	}
}

func TestLookups(t *testing.T) {
	c := mustDefault(t)
	for ref, want := range map[string]string{"UV": "uv", "访客": "uv", "GMV": "sales", "ztc": "ad_search", "nope": ""} {
		m, ok := c.MetricByRef(ref)
		if ok != (want != "") || m.Key != want {
			t.Errorf("MetricByRef(%q) = %q, %v; want %q", ref, m.Key, ok, want)
		}
	}
	for ref, want := range map[string]string{"team": "#shop-ops", "managers": "#shop-managers", "cs": "#shop-cs", "#other": "#other"} {
		if got := c.ChannelFor(ref); got != want {
			t.Errorf("ChannelFor(%q) = %q, want %q", ref, got, want)
		}
	}
	off := false
	if c.ChecklistEnabled(Checklist{Enabled: &off}) || !c.ChecklistEnabled(Checklist{}) {
		t.Error("ChecklistEnabled: want false for enabled: false and true when unset")
	}
}

func TestScheduleParsers(t *testing.T) {
	days := []struct {
		in   string
		want []time.Weekday
		ok   bool
	}{
		{"", []time.Weekday{0, 1, 2, 3, 4, 5, 6}, true},
		{"daily", []time.Weekday{0, 1, 2, 3, 4, 5, 6}, true},
		{"workdays", []time.Weekday{1, 2, 3, 4, 5}, true},
		{"weekends", []time.Weekday{0, 6}, true},
		{"fri, mon,fri", []time.Weekday{1, 5}, true},
		{"monday", nil, false},
		{"mon,,tue", nil, false},
	}
	for _, tt := range days {
		got, err := ParseDays(tt.in)
		if (err == nil) != tt.ok || !slices.Equal(got, tt.want) {
			t.Errorf("ParseDays(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	for _, in := range []string{"08:30", "00:00", "23:59"} {
		if _, _, err := ParseClock(in); err != nil {
			t.Errorf("ParseClock(%q): %v", in, err)
		}
	}
	for _, in := range []string{"8:30", "24:00", "12:60", " 08:30", "0830"} {
		if _, _, err := ParseClock(in); err == nil {
			t.Errorf("ParseClock(%q) accepted", in)
		}
	}
	if d, h, m, err := ParseWeekly("Fri 17:45"); err != nil || d != time.Friday || h != 17 || m != 45 {
		t.Errorf("ParseWeekly = %v %d %d %v", d, h, m, err)
	}
	if d, h, m, err := ParseMonthly("28 07:05"); err != nil || d != 28 || h != 7 || m != 5 {
		t.Errorf("ParseMonthly = %d %d %d %v", d, h, m, err)
	}
	if _, _, _, err := ParseMonthly("0 07:05"); err == nil {
		t.Error("ParseMonthly accepted day 0")
	}
	if _, err := ParseCron("@hourly"); err == nil {
		t.Error("ParseCron accepted a descriptor; want 5 fields only")
	}
}

// reports.chart names metric or KPI keys, each once, at most four.
func TestReportsChart(t *testing.T) {
	src := `reports:
  chart: [sales, bounce, sales, uv_value, avg_visit]
  chart_font: /nowhere/font.ttc
`
	var got []string
	for _, p := range parseProblems(t, src) {
		got = append(got, p.Path+": "+p.Msg)
	}
	want := []string{
		"reports.chart: 5 figures; a chart draws at most 4",
		`reports.chart[1]: "bounce" is not a metric or KPI key; use one of payment_rate`,
		`reports.chart[2]: "sales" is listed twice`,
	}
	if len(got) != len(want) {
		t.Fatalf("problems %q, want %d", got, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d = %q, want %q…", i, got[i], want[i])
		}
	}
	c, err := Parse([]byte("reports:\n  chart: [sales, bounce_rate, avg_visit, uv_value]\n  chart_font: /usr/share/fonts/x.ttc\n"), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Reports.Chart) != 4 || c.Reports.ChartFont != "/usr/share/fonts/x.ttc" {
		t.Errorf("reports = %+v", c.Reports)
	}
}
