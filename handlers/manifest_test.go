package handlers_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"opsbot/handlers"
)

type manifest struct {
	Features struct {
		Shortcuts []struct {
			CallbackID string `yaml:"callback_id"`
			Type       string `yaml:"type"`
		} `yaml:"shortcuts"`
		SlashCommands []struct {
			Command string `yaml:"command"`
			URL     string `yaml:"url"`
		} `yaml:"slash_commands"`
	} `yaml:"features"`
	Settings struct {
		EventSubscriptions struct {
			BotEvents []string `yaml:"bot_events"`
		} `yaml:"event_subscriptions"`
		Interactivity struct {
			IsEnabled bool `yaml:"is_enabled"`
		} `yaml:"interactivity"`
		SocketModeEnabled bool `yaml:"socket_mode_enabled"`
	} `yaml:"settings"`
}

func readManifest(t *testing.T, name string) manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "slack", name))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return slices.Compact(s)
}

// commandsIn finds the slash commands named in backticks in a text.
// (a path such as `/slack/commands` is not one; Slack's own /invite is
// not the app's).
var commandRE = regexp.MustCompile("`(/[a-z]+)[` ]")

// notCommands are Slack's own commands and the bot's HTTP endpoints.
var notCommands = map[string]bool{"/invite": true, "/healthz": true, "/readyz": true, "/metrics": true}

func commandsIn(text string) []string {
	var out []string
	for _, m := range commandRE.FindAllStringSubmatch(text, -1) {
		if !notCommands[m[1]] {
			out = append(out, m[1])
		}
	}
	return out
}

// One source of truth: both manifests declare exactly the router's
// commands and shortcuts, and every command the bot's texts (both
// languages) or the README tell people to type.
func TestManifestsMatchTheRouter(t *testing.T) {
	commands, shortcuts := sorted(handlers.Commands()), sorted(handlers.Shortcuts())
	var events []string // each manifest's bot events
	for _, tc := range []struct {
		file   string
		socket bool
	}{{"manifest.yml", true}, {"manifest-http.yml", false}} {
		m := readManifest(t, tc.file)
		var got []string
		for _, c := range m.Features.SlashCommands {
			got = append(got, c.Command)
			if !tc.socket && !strings.HasSuffix(c.URL, "/slack/commands") {
				t.Errorf("%s: %s has url %q", tc.file, c.Command, c.URL)
			}
		}
		if got = sorted(got); !slices.Equal(got, commands) {
			t.Errorf("%s declares commands %v; the router answers %v", tc.file, got, commands)
		}
		got = nil
		for _, s := range m.Features.Shortcuts {
			got = append(got, s.CallbackID)
		}
		if got = sorted(got); !slices.Equal(got, shortcuts) {
			t.Errorf("%s declares shortcuts %v; the router answers %v", tc.file, got, shortcuts)
		}
		if !slices.Contains(m.Settings.EventSubscriptions.BotEvents, "app_home_opened") || !m.Settings.Interactivity.IsEnabled || m.Settings.SocketModeEnabled != tc.socket {
			t.Errorf("%s settings: %+v", tc.file, m.Settings)
		}
		events = append(events, strings.Join(sorted(m.Settings.EventSubscriptions.BotEvents), " "))
	}

	if events[0] != events[1] {
		t.Errorf("the manifests subscribe to different events: %q and %q", events[0], events[1])
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range strings.Fields(events[0]) {
		if !strings.Contains(string(readme), "`"+e+"`") {
			t.Errorf("README does not name the event %s the manifests subscribe to", e)
		}
	}

	// Every command a user is told to type exists.
	var sources []string
	for _, pattern := range []string{"../i18n/*.go", "../*/*.go"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			if !strings.HasSuffix(f, "_test.go") {
				sources = append(sources, f)
			}
		}
	}
	sources = append(sources, "../README.md")
	for _, f := range sources {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range commandsIn(string(b)) {
			if !slices.Contains(commands, c) {
				t.Errorf("%s tells people to type %s, which no manifest declares", f, c)
			}
		}
	}
}

// README's Slack section lists the manifests' commands and shortcuts,
// no more, no fewer.
func TestReadmeSlackSectionMatchesTheManifests(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, "### What the app declares")
	end := strings.Index(readme, "### How opsbot behaves in Slack")
	if start < 0 || end < start {
		t.Fatal("README has no \"What the app declares\" section before \"How opsbot behaves in Slack\"")
	}
	section := readme[start:end]
	rowRE := regexp.MustCompile("(?m)^\\| `([^`]+)` \\|")
	var cmds, shortcuts []string
	for _, m := range rowRE.FindAllStringSubmatch(section, -1) {
		if strings.HasPrefix(m[1], "/") {
			cmds = append(cmds, m[1])
		} else {
			shortcuts = append(shortcuts, m[1])
		}
	}
	if got, want := sorted(cmds), sorted(handlers.Commands()); !slices.Equal(got, want) {
		t.Errorf("README lists commands %v; the manifests declare %v", got, want)
	}
	if got, want := sorted(shortcuts), sorted(handlers.Shortcuts()); !slices.Equal(got, want) {
		t.Errorf("README lists shortcuts %v; the manifests declare %v", got, want)
	}
}
