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
		for j, ch := range cfg.Shops[i].WriteChannels {
			cfg.Shops[i].WriteChannels[j] = channel(ch, fmt.Sprintf("shops[%d].write_channels", i))
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
		users, err := listUsers(ctx, dir)
		if err != nil {
			return err
		}
		user := func(ref, where string) string {
			if id := strings.TrimPrefix(ref, "@"); userIDRE.MatchString(id) {
				return id
			}
			id, problem := users.byHandle(ref)
			if problem != "" {
				missing = append(missing, fmt.Sprintf("user %s (%s) %s", ref, where, problem))
				return ref
			}
			return id
		}
		for i, m := range cfg.Managers {
			cfg.Managers[i] = user(m, "managers")
		}
		for role, members := range cfg.Roles {
			for i, m := range members {
				members[i] = user(m, "roles."+role)
			}
		}
		for i := range cfg.Shops {
			resolveRefs(cfg, cfg.Shops[i].Writers, fmt.Sprintf("shops[%d].writers", i), user)
		}
		for kind, p := range cfg.SLA.Policies {
			resolveRefs(cfg, p.Take, "sla.policies."+string(kind)+".take", user)
			resolveRefs(cfg, p.Leads, "sla.policies."+string(kind)+".leads", user)
		}
		cfg.UnifyManagers()
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
	var refs []string
	for _, s := range cfg.Shops {
		refs = append(refs, s.Writers...)
	}
	for _, p := range cfg.SLA.Policies {
		refs = append(append(refs, p.Take...), p.Leads...)
	}
	for _, m := range refs {
		if isUserRef(cfg, m) && !userIDRE.MatchString(strings.TrimPrefix(m, "@")) {
			return true
		}
	}
	return false
}

// isUserRef reports whether an entry of a who-may list names a user: not
// a role, and not "everyone".
func isUserRef(cfg *config.Config, ref string) bool {
	name := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(ref), "@"))
	_, isRole := cfg.Roles[name]
	return !isRole && name != "everyone"
}

// resolveRefs turns the users of a who-may list into IDs, in place; roles
// and "everyone" stay as they are.
func resolveRefs(cfg *config.Config, refs []string, where string, user func(ref, where string) string) {
	for i, m := range refs {
		if isUserRef(cfg, m) {
			refs[i] = user(m, where)
		}
	}
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

// directory is the workspace's people, for resolving the names in the
// config.
type directory []slack.User

func listUsers(ctx context.Context, dir Directory) (directory, error) {
	users, err := dir.GetUsersContext(ctx, slack.GetUsersOptionLimit(200))
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	var out directory
	for _, u := range users {
		if !u.Deleted {
			out = append(out, u)
		}
	}
	return out, nil
}

// byHandle finds the one user whose handle (the unique `name`) is ref.
// Display and real names are never used: anyone can set theirs to
// "manager". A ref that matches nobody, or several, is a problem that names
// the candidates, so the team can write the ID instead.
func (d directory) byHandle(ref string) (id, problem string) {
	name := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(ref), "@"))
	var exact, similar []string
	for _, u := range d {
		who := fmt.Sprintf("@%s (%s)", u.Name, u.ID)
		switch {
		case strings.ToLower(u.Name) == name:
			exact = append(exact, u.ID)
			similar = append(similar, who)
		case strings.EqualFold(u.Profile.DisplayName, name), strings.EqualFold(u.RealName, name), strings.EqualFold(u.Profile.RealName, name):
			similar = append(similar, who+" whose display or real name is "+ref)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], ""
	case len(exact) > 1:
		return "", "matches several users: " + strings.Join(similar, ", ") + "; write the user ID instead"
	case len(similar) > 0:
		return "", "is no one's handle (display and real names are not used, because anyone can change theirs); candidates: " + strings.Join(similar, ", ") + "; write the handle or the user ID"
	}
	return "", "not found in the workspace; write the user's handle (name) or ID"
}
