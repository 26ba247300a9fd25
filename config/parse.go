package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	// The bot must resolve the team's zone even on hosts and containers
	// without a zoneinfo database.
	_ "time/tzdata"

	"gopkg.in/yaml.v3"
)

//go:embed playbook.yaml
var playbook []byte

const builtinName = "playbook.yaml (built-in)"

// DefaultYAML returns the built-in configuration file, comments included;
// `opsbot config init` writes it for the team to edit.
func DefaultYAML() []byte {
	return bytes.Clone(playbook)
}

// Check validates what the config package cannot know by itself, such
// as which keys a feature understands (the metric catalog's limits); it
// returns problems by field path, and parsing places them on their lines
// with its own. config does not import the features: `opsbot config
// check` and start-up pass their checks in.
type Check func(*Config) []Problem

// Default returns the built-in configuration, freshly parsed so callers may
// modify it freely.
func Default(checks ...Check) (*Config, error) {
	return parse(playbook, builtinName, &Config{}, checks)
}

// Parse reads a configuration file. Sections absent from data keep the
// built-in defaults; a section present replaces its default as written.
// Unknown keys are errors. On failure the error is a *Problems listing
// every problem found, each with its line in data; name is the file name
// used in those messages.
func Parse(data []byte, name string, checks ...Check) (*Config, error) {
	base, err := Default()
	if err != nil {
		return nil, fmt.Errorf("built-in config: %w", err)
	}
	return parse(data, name, base, checks)
}

// Load reads and parses the configuration file at path (see Parse).
func Load(path string, checks ...Check) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no config file %s; write one with `opsbot config init %s` (or `opsbot config init --locale zh %s` for a Chinese team): %w", path, path, path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	return Parse(data, path, checks...)
}

// parse decodes data over cfg, which holds the defaults, and validates
// the result.
func parse(data []byte, name string, cfg *Config, checks []Check) (*Config, error) {
	r := newReport()
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		r.syntaxError(err, data)
		return nil, r.problems(name)
	}
	if len(root.Content) > 0 {
		top := root.Content[0]
		r.walk(top, reflect.TypeOf(cfg).Elem(), "")
		// The decoder merges into existing maps; a map section in the file
		// must replace the default instead, as lists do.
		if _, ok := r.lines["roles"]; ok {
			cfg.Roles = nil
		}
		if _, ok := r.lines["sla.policies"]; ok {
			cfg.SLA.Policies = nil
		}
		if _, ok := r.lines["commissions"]; ok {
			cfg.Commissions = nil
		}
		if err := top.Decode(cfg); err != nil {
			r.decodeError(err)
		}
	}
	r.validate(cfg)
	for _, check := range checks {
		for _, p := range check(cfg) {
			r.add(p.Path, "%s", p.Msg)
		}
	}
	cfg.UnifyManagers()
	if err := r.problems(name); err != nil {
		return nil, err
	}
	return cfg, nil
}

// splitLine separates the "line N: " prefix of a yaml.v3 message.
func splitLine(msg string) (int, string) {
	msg = strings.TrimPrefix(msg, "yaml: ")
	rest, ok := strings.CutPrefix(msg, "line ")
	if !ok {
		return 0, msg
	}
	num, text, ok := strings.Cut(rest, ": ")
	line, err := strconv.Atoi(num)
	if !ok || err != nil {
		return 0, msg
	}
	return line, text
}

func (r *report) syntaxError(err error, data []byte) {
	line, msg := splitLine(err.Error())
	// yaml.v3 reports a tab as "found character that cannot start any
	// token", sometimes without a line: name the first line indented with
	// a tab instead.
	if tab := tabLine(data); tab > 0 && (line == 0 || line == tab || strings.Contains(msg, "cannot start any token")) {
		r.addAt(tab, "", "line %d is indented with a tab; YAML indents with spaces only", tab)
		return
	}
	r.addAt(line, "", "not valid YAML: %s; check the indentation and quote values that contain \": \", \" #\" or start with * & ! [ {", msg)
}

// tabLine is the first line (1-based) whose indentation has a tab, or 0.
func tabLine(data []byte) int {
	for i, l := range strings.Split(string(data), "\n") {
		indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if strings.Contains(indent, "\t") && strings.TrimSpace(l) != "" {
			return i + 1
		}
	}
	return 0
}

// decodeError reports the decoder's complaints that the walk has not
// already reported on the same line.
func (r *report) decodeError(err error) {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		r.addAt(0, "", "cannot decode: %v", err)
		return
	}
	for _, msg := range te.Errors {
		line, msg := splitLine(msg)
		if line > 0 && r.hasLine(line) {
			continue
		}
		r.addAt(line, r.pathAt(line), "%s", msg)
	}
}

// ApplyEnv takes the deployment settings from the environment: Slack
// credentials and endpoints, the listen address (default ":3000"), and
// OPSBOT_LOCALE / OPSBOT_TIMEZONE, which override the file. Invalid
// overrides are reported and leave the file's value in place.
func (c *Config) ApplyEnv(getenv func(string) string) error {
	env := func(key string) string { return strings.TrimSpace(getenv(key)) }
	c.Slack = Slack{
		BotToken:      env("SLACK_BOT_TOKEN"),
		AppToken:      env("SLACK_APP_TOKEN"),
		SigningSecret: env("SLACK_SIGNING_SECRET"),
		APIURL:        env("SLACK_API_URL"),
		Addr:          env("OPSBOT_ADDR"),
		AppID:         env("SLACK_APP_ID"),
	}
	if c.Slack.Addr == "" {
		c.Slack.Addr = ":3000"
	}
	var errs []error
	if v := strings.ToLower(env("OPSBOT_LOCALE")); v != "" {
		if err := checkLocale(v); err != nil {
			errs = append(errs, fmt.Errorf("OPSBOT_LOCALE: %w", err))
		} else {
			c.Locale = v
		}
	}
	if v := env("OPSBOT_TIMEZONE"); v != "" {
		if loc, err := loadZone(v); err != nil {
			errs = append(errs, fmt.Errorf("OPSBOT_TIMEZONE: %w", err))
		} else {
			c.Timezone, c.Location = v, loc
		}
	}
	return errors.Join(errs...)
}

func checkLocale(s string) error {
	if s != "en" && s != "zh" {
		return fmt.Errorf("%q is not a supported language; use en or zh", s)
	}
	return nil
}

func loadZone(s string) (*time.Location, error) {
	if s == "" {
		return nil, errors.New("is empty; use an IANA time zone such as Asia/Shanghai")
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a known time zone; use an IANA name such as Asia/Shanghai", s)
	}
	return loc, nil
}

// PlaybookYAML is the built-in playbook for a locale: a Chinese team's
// file says locale: zh and names its shop in Chinese.
func PlaybookYAML(locale string) []byte {
	data := DefaultYAML()
	if locale != "zh" {
		return data
	}
	out := strings.Replace(string(data), "\nlocale: en\n", "\nlocale: zh\n", 1)
	out = strings.Replace(out, "    name: My shop\n", "    name: 我的店铺\n", 1)
	out = strings.Replace(out, "  #   name: My Tmall store\n", "  #   name: 我的天猫店\n", 1)
	return []byte(out)
}
