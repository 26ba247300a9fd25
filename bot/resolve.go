package bot

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/slack-go/slack"

	"opsbot/config"
)

// Directory is the part of the Web API that lists channels and users.
type Directory interface {
	GetConversationsContext(ctx context.Context, params *slack.GetConversationsParameters) ([]slack.Channel, string, error)
	GetUsersContext(ctx context.Context, options ...slack.GetUsersOption) ([]slack.User, error)
}

var (
	channelIDRE = regexp.MustCompile(`^[CGD][A-Z0-9]{6,}$`)
	userIDRE    = regexp.MustCompile(`^[UW][A-Z0-9]{6,}$`)
)

// Resolve replaces the channel and user names written in the config
// (#shop-ops, alice) with Slack IDs, in place. Everything that cannot be
// found is named in one error, so a team fixes its config in one go.
func Resolve(ctx context.Context, dir Directory, cfg *config.Config) error {
	var missing []string
	channels, err := channelIndex(ctx, dir)
	if err != nil {
		return err
	}
	channel := func(ref, where string) string {
		if ref == "" || channelIDRE.MatchString(ref) {
			return ref
		}
		if id, ok := channels[strings.ToLower(strings.TrimPrefix(ref, "#"))]; ok {
			return id
		}
		missing = append(missing, fmt.Sprintf("channel %s (%s) not found; check the name, and invite the bot to private channels", ref, where))
		return ref
	}
	cfg.Channels.Team = channel(cfg.Channels.Team, "channels.team")
	cfg.Channels.Managers = channel(cfg.Channels.Managers, "channels.managers")
	cfg.Channels.CS = channel(cfg.Channels.CS, "channels.cs")
	for i := range cfg.Shops {
		for j, ch := range cfg.Shops[i].Channels {
			cfg.Shops[i].Channels[j] = channel(ch, fmt.Sprintf("shops[%d].channels", i))
		}
	}
	for i, cl := range cfg.Checklists {
		switch cl.Channel {
		case "team", "managers", "cs":
		default:
			cfg.Checklists[i].Channel = channel(cl.Channel, fmt.Sprintf("checklists[%d].channel", i))
		}
	}

	if needsUsers(cfg) {
		users, err := userIndex(ctx, dir)
		if err != nil {
			return err
		}
		user := func(ref, where string) string {
			name := strings.ToLower(strings.TrimPrefix(ref, "@"))
			if userIDRE.MatchString(strings.TrimPrefix(ref, "@")) {
				return strings.TrimPrefix(ref, "@")
			}
			if id, ok := users[name]; ok {
				return id
			}
			missing = append(missing, fmt.Sprintf("user %s (%s) not found in the workspace", ref, where))
			return ref
		}
		for i, m := range cfg.Managers {
			cfg.Managers[i] = user(m, "managers")
		}
		for role, members := range cfg.Roles {
			for i, m := range members {
				members[i] = user(m, "roles."+role)
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("resolve names in the config:\n  %s", strings.Join(missing, "\n  "))
	}
	return nil
}

func needsUsers(cfg *config.Config) bool {
	for _, m := range cfg.Managers {
		if !userIDRE.MatchString(strings.TrimPrefix(m, "@")) {
			return true
		}
	}
	for _, members := range cfg.Roles {
		for _, m := range members {
			if !userIDRE.MatchString(strings.TrimPrefix(m, "@")) {
				return true
			}
		}
	}
	return false
}

func channelIndex(ctx context.Context, dir Directory) (map[string]string, error) {
	index := map[string]string{}
	params := &slack.GetConversationsParameters{Limit: 200, ExcludeArchived: true, Types: []string{"public_channel", "private_channel"}}
	for {
		chs, next, err := dir.GetConversationsContext(ctx, params)
		if err != nil {
			return nil, fmt.Errorf("list channels: %w", err)
		}
		for _, c := range chs {
			index[strings.ToLower(c.Name)] = c.ID
		}
		if next == "" {
			return index, nil
		}
		params.Cursor = next
	}
}

func userIndex(ctx context.Context, dir Directory) (map[string]string, error) {
	users, err := dir.GetUsersContext(ctx, slack.GetUsersOptionLimit(200))
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	index := map[string]string{}
	for _, u := range users {
		if u.Deleted {
			continue
		}
		for _, n := range []string{u.Name, u.Profile.DisplayName, u.RealName} {
			if n != "" {
				if _, taken := index[strings.ToLower(n)]; !taken {
					index[strings.ToLower(n)] = u.ID
				}
			}
		}
	}
	return index, nil
}
