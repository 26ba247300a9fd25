package handlers

import (
	"os"
	"regexp"
	"slices"
	"sort"
	"testing"

	"gopkg.in/yaml.v3"

	"opsbot/chat"
	"opsbot/i18n"
)

// TestManifestsMatchTheTable checks both app manifests against the
// router's table: every slash command and global shortcut they register
// is answered, and every row marked for the manifest is registered.
func TestManifestsMatchTheTable(t *testing.T) {
	var wantCommands, wantShortcuts []string
	for _, rt := range commandRoutes {
		if rt.manifest {
			wantCommands = append(wantCommands, rt.names[0])
		}
	}
	for _, it := range interactions {
		if it.manifest {
			wantShortcuts = append(wantShortcuts, it.ids...)
		}
	}
	sort.Strings(wantCommands)
	sort.Strings(wantShortcuts)
	for _, path := range []string{"../slack/manifest.yml", "../slack/manifest-http.yml"} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Features struct {
				Shortcuts []struct {
					CallbackID string `yaml:"callback_id"`
				} `yaml:"shortcuts"`
				SlashCommands []struct {
					Command string `yaml:"command"`
				} `yaml:"slash_commands"`
			} `yaml:"features"`
		}
		if err := yaml.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var commands, shortcuts []string
		for _, c := range m.Features.SlashCommands {
			commands = append(commands, c.Command)
			if _, ok := find(commandRoutes, c.Command); !ok {
				t.Errorf("%s registers %s, which the router does not answer", path, c.Command)
			}
		}
		for _, s := range m.Features.Shortcuts {
			shortcuts = append(shortcuts, s.CallbackID)
			if !slices.ContainsFunc(interactions, func(it interaction) bool {
				return it.kind == chat.KindShortcut && slices.Contains(it.ids, s.CallbackID)
			}) {
				t.Errorf("%s registers shortcut %s, which the router does not answer", path, s.CallbackID)
			}
		}
		sort.Strings(commands)
		sort.Strings(shortcuts)
		if !slices.Equal(commands, wantCommands) {
			t.Errorf("%s commands = %v, table says %v", path, commands, wantCommands)
		}
		if !slices.Equal(shortcuts, wantShortcuts) {
			t.Errorf("%s shortcuts = %v, table says %v", path, shortcuts, wantShortcuts)
		}
	}
}

// TestHelpNamesOnlyRoutedCommands checks /help against the table: every
// command and /ops subcommand it shows, in both languages, is answered.
func TestHelpNamesOnlyRoutedCommands(t *testing.T) {
	slash := regexp.MustCompile("`(/[a-z]+)(?: ([a-z]+))?")
	for _, locale := range []string{"en", "zh"} {
		text := i18n.New(locale).T("help.commands")
		found := slash.FindAllStringSubmatch(text, -1)
		if len(found) < 10 {
			t.Fatalf("%s: only %d commands in help", locale, len(found))
		}
		for _, f := range found {
			if _, ok := find(commandRoutes, f[1]); !ok {
				t.Errorf("%s help shows %s, which the router does not answer", locale, f[1])
			}
			if f[1] == "/ops" && f[2] != "" {
				if _, ok := find(opsRoutes, f[2]); !ok {
					t.Errorf("%s help shows /ops %s, which the router does not answer", locale, f[2])
				}
			}
		}
	}
}
