package bot_test

// Each test here is one row of issue 13's table of attacks, made through
// the real HTTP receiver with correctly signed requests (and Socket Mode
// where it applies): the attack is refused, and nothing is stored or
// posted.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"

	"opsbot/bot"
	"opsbot/bot/outbox"
	"opsbot/bot/slackfake"
	"opsbot/chat"
	"opsbot/checklist/checkrun"
	"opsbot/config"
	"opsbot/handlers"
	"opsbot/store"
	"opsbot/tracked/items"
)

const (
	teamID = "T1"
	appID  = "A1"
	order  = "123456789012345"
)

// secureRig is the rig with the installation known, the team's channels
// in the fake, and a sender that delivers what was queued.
func secureRig(t *testing.T, app func(*handlers.Router) bot.App) *rig {
	t.Helper()
	r := newRig(t, app)
	r.slack.Workspace = bot.Workspace{TeamID: teamID, AppID: appID}
	for id, name := range map[string]string{"C0OPS": "shop-ops", "C0MGR": "shop-managers", "C0CS": "shop-cs"} {
		r.fake.AddChannel(id, name)
	}
	return r
}

// cmd sends a signed slash command from this workspace and app.
func (r *rig) cmd(user, userName, command, text string, extra url.Values) (*http.Response, map[string]any) {
	r.t.Helper()
	v := url.Values{
		"team_id": {teamID}, "api_app_id": {appID}, "channel_id": {"C0OPS"}, "channel_name": {"shop-ops"},
		"user_id": {user}, "user_name": {userName}, "command": {command}, "text": {text},
		"response_url": {r.fake.ResponseURL()}, "trigger_id": {fmt.Sprintf("%d.7.cmd", triggers.Add(1))},
	}
	for k, vs := range extra {
		v[k] = vs
	}
	resp := r.post("/slack/commands", "application/x-www-form-urlencoded", v.Encode(), nil)
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp, m
}

// interaction sends a signed interaction payload from this workspace.
func (r *rig) interaction(payload map[string]any) (*http.Response, string) {
	r.t.Helper()
	if _, ok := payload["team"]; !ok {
		payload["team"] = map[string]any{"id": teamID}
	}
	if _, ok := payload["api_app_id"]; !ok {
		payload["api_app_id"] = appID
	}
	if _, ok := payload["trigger_id"]; !ok {
		payload["trigger_id"] = fmt.Sprintf("%d.7.int", triggers.Add(1))
	}
	resp := r.post("/slack/interactions", "application/x-www-form-urlencoded", interactionBody(r.t, payload), nil)
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// flush delivers the outbox to the fake, as the sender does.
func (r *rig) flush() {
	r.t.Helper()
	sender := outbox.New(r.store, slack.New("xoxb-test", slack.OptionAPIURL(r.fake.URL())), r.clock, nil, outbox.Options{ChannelInterval: time.Nanosecond})
	if _, err := sender.Flush(context.Background()); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) wait() {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	r.slack.Wait(ctx)
}

func text(m map[string]any) string {
	b, _ := json.Marshal(m)
	s := string(b)
	for _, e := range [][2]string{{`\u003c`, "<"}, {`\u003e`, ">"}, {`\u0026`, "&"}} {
		s = strings.ReplaceAll(s, e[0], e[1])
	}
	return s
}

func button(user, action, value, channel, ts string) map[string]any {
	return map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user, "name": strings.ToLower(user)},
		"channel":   map[string]any{"id": channel},
		"container": map[string]any{"type": "message", "message_ts": ts, "channel_id": channel},
		"message":   map[string]any{"ts": ts, "type": "message"},
		"actions":   []any{map[string]any{"action_id": action, "block_id": "b", "type": "button", "value": value}},
	}
}

// Row 1: a user who sets their display name to "manager" does not become
// the manager: config names resolve by handle only, and a name that is
// nobody's handle but someone's display name stops the start.
func TestSecurityDisplayNameImpostor(t *testing.T) {
	fake := slackfake.New(t)
	fake.AddChannel("C0OPS", "shop-ops")
	fake.AddChannel("C0MGR", "shop-managers")
	fake.AddChannel("C0CS", "shop-cs")
	fake.AddUserProfile("U0EVIL", "evil", "manager", "Manager") // listed first: the first match used to win
	fake.AddUserProfile("U0MGR", "manager", "Boss", "Mei Boss")
	api := slack.New("xoxb-test", slack.OptionAPIURL(fake.URL()))

	cfg, _ := config.Default()
	cfg.Managers = []string{"manager"}
	if err := bot.Resolve(context.Background(), api, cfg); err != nil {
		t.Fatal(err)
	}
	if !cfg.IsManager("U0MGR") || cfg.IsManager("U0EVIL") {
		t.Fatalf("managers resolved to %v, want the handle's owner U0MGR only", cfg.Managers)
	}
	if got := cfg.Roles["manager"]; len(got) != 1 || got[0] != "U0MGR" {
		t.Errorf("roles.manager = %v; managers and roles.manager are one list", got)
	}

	// A name that is only a display name is refused, naming the candidates.
	cfg, _ = config.Default()
	cfg.Managers = []string{"Boss"}
	err := bot.Resolve(context.Background(), api, cfg)
	if err == nil || !strings.Contains(err.Error(), "U0MGR") || !strings.Contains(err.Error(), "display") {
		t.Fatalf("a display name resolved: %v", err)
	}

	// Through HTTP: the impostor cannot set targets; the manager can.
	r := secureRig(t, nil)
	_, m := r.cmd("U0EVIL", "manager", "/metric", "target sales=1000000", nil)
	if !strings.Contains(text(m), "Only managers") {
		t.Errorf("impostor's target: %s", text(m))
	}
	if tg, _ := r.store.Targets(context.Background(), "main", time.Now().Format("2006-01")); len(tg) != 0 {
		t.Errorf("the impostor set targets: %v", tg)
	}
}

// Row 2: user_name (or @ID) is never identity.
func TestSecurityUserNameIsNotIdentity(t *testing.T) {
	r := secureRig(t, nil)
	for _, name := range []string{"u0boss", "@U0BOSS", "U0BOSS"} {
		_, m := r.cmd("U0EVIL", name, "/metric", "target sales=1000000", nil)
		if !strings.Contains(text(m), "Only managers") {
			t.Errorf("user_name %q set targets: %s", name, text(m))
		}
		_, m = r.cmd("U0EVIL", name, "/ops", "outbox", nil)
		if !strings.Contains(text(m), "managers") || strings.Contains(text(m), "Dead letters") {
			t.Errorf("user_name %q read the outbox: %s", name, text(m))
		}
	}
	if tg, _ := r.store.Targets(context.Background(), "main", time.Now().In(mustLoc()).Format("2006-01")); len(tg) != 0 {
		t.Errorf("targets stored: %v", tg)
	}
	// The real manager, by ID, whatever name Slack sends.
	if _, m := r.cmd("U0BOSS", "someone", "/metric", "target sales=1000000", nil); !strings.Contains(text(m), "set the targets") {
		t.Errorf("the manager was refused: %s", text(m))
	}
}

func mustLoc() *time.Location {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	return loc
}

// Row 3: another workspace, organisation or app is refused without effect,
// over HTTP (commands, interactions, events) and Socket Mode.
func TestSecurityOtherWorkspaceOrApp(t *testing.T) {
	r := secureRig(t, nil)
	for name, extra := range map[string]url.Values{
		"team":       {"team_id": {"T0OTHER"}},
		"app":        {"api_app_id": {"A0OTHER"}},
		"enterprise": {"enterprise_id": {"E0OTHER"}},
	} {
		resp, _ := r.cmd("U0ALICE", "alice", "/metric", "uv=12000", extra)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", name, resp.StatusCode)
		}
	}
	if day, _ := r.store.DayMetrics(context.Background(), "main", yesterday()); len(day) != 0 {
		t.Errorf("metrics stored from another workspace: %v", day)
	}
	resp, _ := r.interaction(map[string]any{"type": "shortcut", "callback_id": "log_metrics", "user": map[string]any{"id": "U0ALICE"}, "team": map[string]any{"id": "T0OTHER"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("interaction from another team: %d", resp.StatusCode)
	}
	for _, ev := range []map[string]any{
		{"type": "event_callback", "team_id": "T0OTHER", "api_app_id": appID, "event_id": "Ev1", "event": map[string]any{"type": "app_home_opened", "user": "U0ALICE", "tab": "home"}},
		{"type": "event_callback", "team_id": teamID, "api_app_id": "A0OTHER", "event_id": "Ev2", "event": map[string]any{"type": "app_home_opened", "user": "U0ALICE", "tab": "home"}},
	} {
		b, _ := json.Marshal(ev)
		if resp := r.post("/slack/events", "application/json", string(b), nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("event %v: %d", ev["event_id"], resp.StatusCode)
		}
	}
	r.wait()
	if n := len(r.fake.Calls("views.publish")) + len(r.fake.Calls("views.open")); n != 0 {
		t.Errorf("the bot called the Web API %d times for another workspace", n)
	}
	// This workspace still works.
	if _, m := r.cmd("U0ALICE", "alice", "/metric", "uv=12000", nil); !strings.Contains(text(m), "logged") {
		t.Errorf("own workspace refused: %s", text(m))
	}
}

func TestSecurityOtherWorkspaceOverSocketMode(t *testing.T) {
	cfg, _ := config.Default()
	fake := slackfake.New(t)
	st, err := store.Open(context.Background(), "sqlite:"+t.TempDir()+"/bot.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	clock := clockwork.NewRealClock()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	api := slack.New("xoxb-test", slack.OptionAPIURL(fake.URL()), slack.OptionAppLevelToken("xapp-test"))
	sl := &bot.Slack{App: handlers.New(cfg, st, clock, log), API: api, Dedup: st, Clock: clock, Log: log,
		Workspace: bot.Workspace{TeamID: teamID, AppID: appID}}
	recv := &bot.SocketReceiver{Slack: sl, Opener: api, MaxBackoff: time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- recv.Run(runCtx) }()
	defer func() {
		stop()
		<-done
	}()
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	slash := func(team, app, trigger string) map[string]any {
		return map[string]any{"command": "/metric", "text": "uv=12000", "user_id": "U0ALICE", "user_name": "alice", "team_id": team, "api_app_id": app,
			"channel_id": "C0OPS", "channel_name": "shop-ops", "response_url": fake.ResponseURL(), "trigger_id": trigger}
	}
	for _, p := range []map[string]any{slash("T0OTHER", appID, "1.1"), slash(teamID, "A0OTHER", "1.2")} {
		ack, err := fake.SendEnvelope(ctx, "slash_commands", p, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(ack) > 0 && string(ack) != "null" && string(ack) != "{}" {
			t.Errorf("refused envelope acknowledged with %s", ack)
		}
	}
	event := map[string]any{"type": "event_callback", "team_id": "T0OTHER", "api_app_id": appID, "event_id": "Ev9", "event": map[string]any{"type": "app_home_opened", "user": "U0ALICE", "tab": "home"}}
	if _, err := fake.SendEnvelope(ctx, "events_api", event, false); err != nil {
		t.Fatal(err)
	}
	sl.Wait(ctx)
	if day, _ := st.DayMetrics(ctx, "main", yesterday()); len(day) != 0 {
		t.Errorf("stored from another workspace: %v", day)
	}
	if n := len(fake.Calls("views.publish")); n != 0 {
		t.Errorf("views.publish called %d times for another workspace", n)
	}
	// The same command from this workspace, replayed: handled once.
	for i := 0; i < 2; i++ {
		if _, err := fake.SendEnvelope(ctx, "slash_commands", slash(teamID, appID, "1.3"), true); err != nil {
			t.Fatal(err)
		}
	}
	if day, _ := st.DayMetrics(ctx, "main", yesterday()); day["uv"] != 12000 {
		t.Errorf("own workspace over Socket Mode: %v", day)
	}
	if first, err := st.FirstSeen(ctx, "trigger:1.3", time.Now()); err != nil || first {
		t.Errorf("trigger 1.3 was not remembered: first=%v %v", first, err)
	}
}

// flagged has alice flag an urgent shipment and the sender post it; it
// returns the ts of the item's message in C0OPS.
func flagged(t *testing.T, r *rig) string {
	t.Helper()
	if _, m := r.cmd("U0ALICE", "alice", "/urgent", order+" type=ship customer waiting", nil); !strings.Contains(text(m), "Flagged") {
		t.Fatalf("flag: %s", text(m))
	}
	r.flush()
	msgs := r.fake.Messages("C0OPS")
	if len(msgs) == 0 {
		t.Fatal("the item was not posted")
	}
	return msgs[0].TS
}

func item(t *testing.T, r *rig) items.Item {
	t.Helper()
	it, err := r.store.TrackedItem(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

// Row 4: take, resolve and escalate by whoever may; taking a held item
// needs an explicit take over, which tells the previous holder.
func TestSecurityWhoMayActOnAnItem(t *testing.T) {
	r := secureRig(t, nil)
	flagged(t, r)
	if _, m := r.cmd("U0ALICE", "alice", "/ops", "take 1", nil); !strings.Contains(text(m), "You took") {
		t.Fatalf("alice take: %s", text(m))
	}
	// Bob's plain take does not move it; it says how to take over.
	if _, m := r.cmd("U0BOB", "bob", "/ops", "take 1", nil); !strings.Contains(text(m), "/ops takeover 1") {
		t.Errorf("bob's take: %s", text(m))
	}
	if it := item(t, r); it.Assignee != "U0ALICE" {
		t.Fatalf("bob's take moved the item to %s", it.Assignee)
	}
	// Nor do buttons on the posted message.
	ts := r.fake.Messages("C0OPS")[0].TS
	if _, body := r.interaction(button("U0BOB", "item_take", "1", "C0OPS", ts)); body != "" {
		t.Logf("ack %s", body)
	}
	r.wait()
	if it := item(t, r); it.Assignee != "U0ALICE" {
		t.Fatalf("bob's button moved the item to %s", it.Assignee)
	}
	// Carol may neither resolve nor escalate alice's item.
	if _, m := r.cmd("U0CAROL", "carol", "/ops", "escalate 1", nil); !strings.Contains(text(m), "may not escalate") {
		t.Errorf("carol escalate: %s", text(m))
	}
	if _, m := r.cmd("U0CAROL", "carol", "/ops", "resolve 1 done", nil); !strings.Contains(text(m), "may not resolve") {
		t.Errorf("carol resolve: %s", text(m))
	}
	if it := item(t, r); !it.Open() || it.EscalatedAt != nil {
		t.Fatalf("carol changed the item: %+v", it)
	}
	// An explicit take over works, and alice is told in the channel.
	if _, m := r.cmd("U0BOB", "bob", "/ops", "takeover 1", nil); !strings.Contains(text(m), "You took over") {
		t.Fatalf("bob take over: %s", text(m))
	}
	r.flush()
	told := false
	for _, msg := range r.fake.Messages("C0OPS") {
		if strings.Contains(msg.Text, "<@U0ALICE>") && strings.Contains(msg.Text, "took over") {
			told = true
		}
	}
	if !told {
		t.Error("alice was not told that bob took over her item")
	}
	// The manager may resolve anything.
	if _, m := r.cmd("U0BOSS", "boss", "/ops", "resolve 1 refunded", nil); !strings.Contains(text(m), "resolved") {
		t.Errorf("manager resolve: %s", text(m))
	}
}

// Row 5: buttons and forms act only on what the bot posted.
func TestSecurityForgedButtonsAndForms(t *testing.T) {
	r := secureRig(t, nil)
	ctx := context.Background()
	// A run that was missed: never posted.
	run := checkrun.Run{Key: "shop-checks@missed", Checklist: "shop-checks", Date: yesterday(), ScheduledAt: time.Now().Add(-2 * time.Hour),
		DueAt: time.Now().Add(-time.Hour), State: checkrun.Missed, Channel: "C0OPS", Items: 7, CreatedAt: time.Now()}
	if _, err := r.store.ClaimRun(ctx, &run); err != nil {
		t.Fatal(err)
	}
	r.interaction(button("U0EVIL", "check_item", fmt.Sprintf("%d:0", run.ID), "C9NOTBOT", "1.000"))
	// A posted run, clicked from a message that is not its own.
	posted := checkrun.Run{Key: "shop-checks@posted", Checklist: "shop-checks", Date: yesterday(), ScheduledAt: time.Now().Add(-time.Minute),
		DueAt: time.Now().Add(time.Hour), State: checkrun.Posted, Channel: "C0OPS", Items: 7, CreatedAt: time.Now()}
	if _, err := r.store.ClaimRun(ctx, &posted); err != nil {
		t.Fatal(err)
	}
	if err := r.store.RecordMessage(ctx, posted.Ref(), "C0OPS", "1700000000.000200", time.Now()); err != nil {
		t.Fatal(err)
	}
	r.interaction(button("U0EVIL", "check_item", fmt.Sprintf("%d:0", posted.ID), "C9NOTBOT", "1700000000.000200"))
	r.interaction(button("U0EVIL", "check_item", fmt.Sprintf("%d:0", posted.ID), "C0OPS", "1700000000.000999"))
	r.wait()
	items, _ := r.store.Items(ctx, run.ID, posted.ID)
	if len(items[run.ID])+len(items[posted.ID]) != 0 {
		t.Fatalf("forged buttons ticked %+v", items)
	}
	if msgs, _ := r.store.OutboxMessages(ctx, "C0OPS"); len(msgs) != 0 {
		t.Errorf("forged buttons queued %d messages", len(msgs))
	}
	// The real button on the real message works.
	r.interaction(button("U0ALICE", "check_item", fmt.Sprintf("%d:0", posted.ID), "C0OPS", "1700000000.000200"))
	if items, _ := r.store.Items(ctx, posted.ID); len(items[posted.ID]) != 1 {
		t.Errorf("the real button did nothing: %+v", items)
	}

	// A forged resolve form: metadata the bot never sealed.
	flagged(t, r)
	form := map[string]any{
		"type": "view_submission", "user": map[string]any{"id": "U0ALICE", "name": "alice"},
		"view": map[string]any{"id": "V9", "callback_id": "resolve_item", "private_metadata": `{"id":1}`,
			"state": map[string]any{"values": map[string]any{"note": map[string]any{"value": map[string]any{"type": "plain_text_input", "value": "closed"}}}}},
	}
	if _, body := r.interaction(form); !strings.Contains(body, "errors") {
		t.Errorf("forged resolve form answered %s", body)
	}
	if it := item(t, r); !it.Open() {
		t.Fatal("a forged form resolved the item")
	}
	// Nor does a form sealed for someone else.
	ts := r.fake.Messages("C0OPS")[0].TS
	r.interaction(button("U0ALICE", "item_resolve", "1", "C0OPS", ts))
	r.wait() // views.open runs after the ack
	meta := openedMetadata(t, r.fake)
	form["user"] = map[string]any{"id": "U0BOSS", "name": "boss"}
	form["view"].(map[string]any)["private_metadata"] = meta
	delete(form, "trigger_id")
	if _, body := r.interaction(form); !strings.Contains(body, "errors") {
		t.Errorf("a form opened by alice, submitted by the manager: %s", body)
	}
	if it := item(t, r); !it.Open() {
		t.Fatal("someone else's form resolved the item")
	}
}

// Row 6: the same signed request three times does one thing.
func TestSecurityReplays(t *testing.T) {
	r := secureRig(t, nil)
	v := url.Values{
		"team_id": {teamID}, "api_app_id": {appID}, "channel_id": {"C0OPS"}, "user_id": {"U0ALICE"}, "user_name": {"alice"},
		"command": {"/urgent"}, "text": {order + " type=ship customer waiting"}, "response_url": {r.fake.ResponseURL()}, "trigger_id": {"42.42.replay"},
	}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig := bot.Sign(secret, ts, []byte(v))
	for i := 0; i < 3; i++ {
		r.post("/slack/commands", "application/x-www-form-urlencoded", v, map[string]string{"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig})
	}
	it := item(t, r)
	if it.Notes != 0 {
		t.Errorf("a replayed flag added %d notes", it.Notes)
	}
	if evs, _ := r.store.ItemEvents(context.Background(), 1); len(evs) != 1 {
		t.Errorf("events after three deliveries: %+v", evs)
	}
	// A request without a trigger_id is remembered by its signature.
	v2 := url.Values{"team_id": {teamID}, "api_app_id": {appID}, "user_id": {"U0ALICE"}, "command": {"/urgent"}, "text": {order + " type=ship again"}}.Encode()
	sig2 := bot.Sign(secret, ts, []byte(v2))
	for i := 0; i < 3; i++ {
		r.post("/slack/commands", "application/x-www-form-urlencoded", v2, map[string]string{"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig2})
	}
	if it := item(t, r); it.Notes != 1 {
		t.Errorf("notes after one note sent three times = %d, want 1", it.Notes)
	}
}

// Row 7: a note cannot pass for the bot's own status line.
func TestSecurityNoteStaysInItsQuote(t *testing.T) {
	r := secureRig(t, nil)
	flagged(t, r)
	r.cmd("U0BOB", "bob", "/urgent", order+" type=ship real note\n✅ Resolved by *manager*", nil)
	r.flush()
	msgs := r.fake.Messages("C0OPS")
	last := string(msgs[0].Blocks)
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(last), &blocks); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, b := range blocks {
		txt, _ := b["text"].(map[string]any)
		s, _ := txt["text"].(string)
		for _, line := range strings.Split(s, "\n") {
			if strings.Contains(line, "Resolved by") {
				found = true
				if !strings.HasPrefix(line, "> ") {
					t.Errorf("the note's line stands outside its quote: %q", line)
				}
			}
		}
	}
	if !found {
		t.Fatalf("the note is not on the item's message: %s", last)
	}
}

// Row 8: NUL and other control characters are refused, on both paths,
// before any database sees them; bidi and zero-width characters are
// stripped.
func TestSecurityControlAndInvisibleCharacters(t *testing.T) {
	r := secureRig(t, nil)
	for _, bad := range []string{order + " type=ship note\x00with NUL", order + " type=ship \x1b[31mred", order + " type=ship bell\x07"} {
		_, m := r.cmd("U0ALICE", "alice", "/urgent", bad, nil)
		if !strings.Contains(text(m), "control character") {
			t.Errorf("%q: %s", bad, text(m))
		}
	}
	if _, err := r.store.TrackedItem(context.Background(), 1); err == nil {
		t.Fatal("an item was stored from text with control characters")
	}
	r.cmd("U0ALICE", "alice", "/urgent", order+" type=ship cust\u202eomer\u200b wai\u2066ting\nline two\tok", nil)
	if it := item(t, r); it.Text != "customer waiting\nline two ok" {
		t.Errorf("stored text %q", it.Text)
	}
	// A form: refused under its field.
	r.interaction(map[string]any{"type": "block_actions", "user": map[string]any{"id": "U0ALICE"}, "channel": map[string]any{"id": "C0OPS"},
		"actions": []any{map[string]any{"action_id": "open_flag_urgent", "block_id": "b", "type": "button", "value": "x"}}})
	r.wait() // views.open runs after the ack
	meta := openedMetadata(t, r.fake)
	form := map[string]any{"type": "view_submission", "user": map[string]any{"id": "U0ALICE"},
		"view": map[string]any{"id": "V1", "callback_id": "flag_urgent", "private_metadata": meta, "state": map[string]any{"values": map[string]any{
			"order": map[string]any{"value": map[string]any{"type": "plain_text_input", "value": "223456789012345"}},
			"type":  map[string]any{"value": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": "refund"}}},
			"note":  map[string]any{"value": map[string]any{"type": "plain_text_input", "value": "a\x00b"}},
		}}}}
	if _, body := r.interaction(form); !strings.Contains(body, "control character") {
		t.Errorf("form with NUL: %s", body)
	}
	if _, err := r.store.TrackedItem(context.Background(), 2); err == nil {
		t.Error("a form with NUL stored an item")
	}
}

// countingBody counts what the server read of a body.
type countingBody struct {
	mu   sync.Mutex
	n    int
	left int
}

func (b *countingBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), b.left)
	for i := range p[:n] {
		p[i] = 'x'
	}
	b.left -= n
	b.n += n
	return n, nil
}

func (b *countingBody) Close() error { return nil }

// Row 9: unsigned bodies are refused before they are read, a body over the
// limit is not read at all, and refusals are logged sampled.
func TestSecurityUnsignedBodiesAreNotRead(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return logs.Write(p)
	}), nil))
	sl := &bot.Slack{App: nil, Clock: clockwork.NewRealClock(), Log: log}
	h := (&bot.HTTPReceiver{Slack: sl, SigningSecret: secret}).Handler()
	now := strconv.FormatInt(time.Now().Unix(), 10)
	stale := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
	cases := []struct {
		name   string
		header map[string]string
		length int64
		want   int
	}{
		{"no headers", nil, 1 << 20, http.StatusUnauthorized},
		{"no signature", map[string]string{"X-Slack-Request-Timestamp": now}, 1 << 20, http.StatusUnauthorized},
		{"stale", map[string]string{"X-Slack-Request-Timestamp": stale, "X-Slack-Signature": "v0=00"}, 1 << 20, http.StatusUnauthorized},
		{"announced too large", map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=00"}, 2 << 20, http.StatusRequestEntityTooLarge},
	}
	for i := 0; i < 50; i++ {
		for _, c := range cases {
			body := &countingBody{left: int(c.length)}
			req := httptest.NewRequest(http.MethodPost, "/slack/commands", nil)
			req.Body, req.ContentLength = body, c.length
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != c.want || body.n != 0 {
				t.Fatalf("%s: status %d, read %d bytes; want %d and nothing read", c.name, rec.Code, body.n, c.want)
			}
		}
	}
	// A body with a fresh timestamp but a wrong signature must be read to
	// be checked, and is refused.
	body := &countingBody{left: 1 << 20}
	req := httptest.NewRequest(http.MethodPost, "/slack/commands", nil)
	req.Body, req.ContentLength = body, 1<<20
	req.Header.Set("X-Slack-Request-Timestamp", now)
	req.Header.Set("X-Slack-Signature", "v0=00")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("bad signature: %d", rec.Code)
	}
	mu.Lock()
	lines := strings.Count(logs.String(), "\n")
	mu.Unlock()
	if lines > 12 {
		t.Errorf("%d log lines for 201 refused requests; refusals must be sampled", lines)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// panicky panics in its handlers, as a bug would. "boom" waits for
// release first, so its panic comes after the acknowledgement whatever
// the machine's speed.
type panicky struct {
	bot.App
	release chan struct{}
}

func (p panicky) Handle(ctx context.Context, cmd chat.Command) chat.Reply {
	if cmd.Text == "boom" {
		<-p.release
		panic("handler bug")
	}
	return p.App.Handle(ctx, cmd)
}

func (p panicky) Interact(ctx context.Context, in chat.Interaction) chat.Outcome {
	if in.ActionID == "boom" {
		panic("interaction bug")
	}
	return p.App.Interact(ctx, in)
}

// Row 10: a nil Web API result and panicking handlers, before and after
// the acknowledgement, do not end the process; the user is told.
func TestSecurityNoCrashAfterAcknowledging(t *testing.T) {
	release := make(chan struct{})
	r := secureRig(t, func(router *handlers.Router) bot.App { return panicky{App: router, release: release} })
	// conversations.open answers ok without a channel.
	r.fake.Script("conversations.open", slackfake.Response{Body: `{"ok":true}`})
	r.cmd("U0ALICE", "alice", "/metric", "uv=5", nil)
	if _, m := r.cmd("U0ALICE", "alice", "/metric", "export 2026-11-01 2026-11-02", nil); m["response_type"] != "ephemeral" {
		t.Errorf("export: %v", m)
	}
	r.wait()
	if posts := r.fake.ResponsePosts(); len(posts) != 1 || !strings.Contains(string(posts[0].Body), "could not be sent") {
		t.Errorf("the user was not told the file failed: %d posts %s", len(posts), firstBody(posts))
	}
	// A handler that panics after the acknowledgement (it waits past the
	// 500 ms budget): the user is told through response_url.
	_, m := r.cmd("U0ALICE", "alice", "/ops", "boom", nil)
	if !strings.Contains(text(m), "Working on it") {
		t.Errorf("ack = %s", text(m))
	}
	close(release)
	r.wait()
	posts := r.fake.ResponsePosts()
	if !strings.Contains(string(posts[len(posts)-1].Body), "Something went wrong") {
		t.Errorf("late panic not told: %s", posts[len(posts)-1].Body)
	}
	// An interaction that panics: told through its response_url.
	b := button("U0ALICE", "boom", "x", "C0OPS", "1.1")
	b["response_url"] = r.fake.ResponseURL()
	if resp, _ := r.interaction(b); resp.StatusCode != http.StatusOK {
		t.Errorf("panicking interaction: %d", resp.StatusCode)
	}
	r.wait()
	posts = r.fake.ResponsePosts()
	if !strings.Contains(string(posts[len(posts)-1].Body), "Something went wrong") {
		t.Errorf("interaction panic not told: %s", posts[len(posts)-1].Body)
	}
	// And the process still serves.
	if _, m := r.cmd("U0ALICE", "alice", "/metric", "uv=6", nil); !strings.Contains(text(m), "logged") {
		t.Errorf("after the panics: %s", text(m))
	}
}

// Row 11: a modal submitted while the database is held locked is not
// closed as a success in silence: it closes at the budget, and the user
// is told by direct message whether it was stored, with the values.
func TestSecuritySubmissionWithLockedDatabase(t *testing.T) {
	r := secureRig(t, nil)
	r.interaction(map[string]any{"type": "block_actions", "user": map[string]any{"id": "U0ALICE"}, "channel": map[string]any{"id": "C0OPS"},
		"actions": []any{map[string]any{"action_id": "open_log_metrics", "block_id": "b", "type": "button", "value": "x"}}})
	r.wait() // views.open runs after the ack
	meta := openedMetadata(t, r.fake)

	// Another connection holds the write lock.
	db, err := sql.Open("sqlite3", r.dbPath+"?_busy_timeout=100")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	form := submission(map[string]string{"date": yesterday(), "metric:uv": "12,000"}, meta)
	delete(form, "trigger_id")
	form["user"] = map[string]any{"id": "U0ALICE"}
	resp, body := r.interaction(form)
	if resp.StatusCode != http.StatusOK || body != "" {
		t.Fatalf("ack under a locked database: %d %q", resp.StatusCode, body)
	}
	if dms := r.fake.Calls("chat.postMessage"); len(dms) != 0 {
		t.Fatalf("told before the write finished: %s", firstBody(dms))
	}
	// The lock is released; the write goes through and the user is told.
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	r.wait()
	if day, _ := r.store.DayMetrics(context.Background(), "main", yesterday()); day["uv"] != 12000 {
		t.Fatalf("stored %v", day)
	}
	dms := r.fake.Calls("chat.postMessage")
	if len(dms) != 1 || !strings.Contains(dms[0].Params.Get("text"), "was saved") || !strings.Contains(dms[0].Params.Get("text"), "12,000") {
		t.Errorf("DM = %d %s", len(dms), firstBody(dms))
	}
}

// failingForms fails every submission once released, after the
// acknowledgement, as a database that stays locked past its busy timeout
// does.
type failingForms struct {
	bot.App
	release chan struct{}
}

func (f failingForms) Interact(ctx context.Context, in chat.Interaction) chat.Outcome {
	if in.Kind == chat.KindSubmission {
		<-f.release
		return chat.Outcome{FieldErrors: map[string]string{"date": "database is locked"}}
	}
	return f.App.Interact(ctx, in)
}

func TestSecuritySubmissionThatFailsLateIsReportedWithValues(t *testing.T) {
	release := make(chan struct{})
	r := secureRig(t, func(router *handlers.Router) bot.App { return failingForms{router, release} })
	form := submission(map[string]string{"date": yesterday(), "metric:uv": "12,000", "metric:paid": "240"}, "x")
	delete(form, "trigger_id")
	if resp, body := r.interaction(form); resp.StatusCode != http.StatusOK || body != "" {
		t.Fatalf("ack: %d %q", resp.StatusCode, body)
	}
	close(release)
	r.wait()
	dms := r.fake.Calls("chat.postMessage")
	if len(dms) != 1 {
		t.Fatalf("%d direct messages, want 1", len(dms))
	}
	for _, want := range []string{"not", "saved", "database is locked", "12,000", "240"} {
		if !strings.Contains(dms[0].Params.Get("text"), want) {
			t.Errorf("DM lacks %q: %s", want, dms[0].Params.Get("text"))
		}
	}
}

// A missed run is ticked by /checklist done or late, marked late either
// way, and nothing is queued for a message that was never posted.
func TestSecurityMissedRunTickedLate(t *testing.T) {
	r := secureRig(t, nil)
	ctx := context.Background()
	today := time.Now().In(mustLoc()).Format("2006-01-02")
	run := checkrun.Run{Key: "shop-checks@missed-today", Checklist: "shop-checks", Date: today, ScheduledAt: time.Now().Add(-2 * time.Hour),
		DueAt: time.Now().Add(-time.Hour), State: checkrun.Missed, Channel: "C0OPS", Items: 7, CreatedAt: time.Now()}
	if _, err := r.store.ClaimRun(ctx, &run); err != nil {
		t.Fatal(err)
	}
	if _, m := r.cmd("U0ALICE", "alice", "/checklist", "done shop-checks 1", nil); !strings.Contains(text(m), "Marked late") {
		t.Errorf("done on a missed run: %s", text(m))
	}
	if _, m := r.cmd("U0ALICE", "alice", "/checklist", "late shop-checks 2", nil); !strings.Contains(text(m), "Marked late") {
		t.Errorf("late: %s", text(m))
	}
	items, _ := r.store.Items(ctx, run.ID)
	if len(items[run.ID]) != 2 || !items[run.ID][0].Late || !items[run.ID][1].Late || items[run.ID][0].DoneBy != "U0ALICE" {
		t.Errorf("items = %+v, want two, marked late", items[run.ID])
	}
	if msgs, _ := r.store.OutboxMessages(ctx, "C0OPS"); len(msgs) != 0 {
		t.Errorf("a late tick queued %d messages for a run never posted", len(msgs))
	}
}

// A handle that two users share (in any case) is ambiguous: the start
// stops and names both, with their IDs.
func TestSecurityAmbiguousHandleStopsTheStart(t *testing.T) {
	fake := slackfake.New(t)
	fake.AddChannel("C0OPS", "shop-ops")
	fake.AddChannel("C0MGR", "shop-managers")
	fake.AddChannel("C0CS", "shop-cs")
	fake.AddUser("U0LEE1", "lee", "Lee One")
	fake.AddUser("U0LEE2", "Lee", "Lee Two")
	cfg, _ := config.Default()
	cfg.Managers = []string{"lee", "nobody-here"}
	err := bot.Resolve(context.Background(), slack.New("xoxb-test", slack.OptionAPIURL(fake.URL())), cfg)
	if err == nil {
		t.Fatal("an ambiguous handle resolved")
	}
	for _, want := range []string{"several users", "U0LEE1", "U0LEE2", "nobody-here", "not found"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

// A panic while serving a Socket Mode envelope: the envelope is still
// acknowledged, the person is told, and the connection keeps serving.
func TestSecurityPanicOverSocketMode(t *testing.T) {
	cfg, _ := config.Default()
	fake := slackfake.New(t)
	st, err := store.Open(context.Background(), "sqlite:"+t.TempDir()+"/bot.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	clock := clockwork.NewRealClock()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	api := slack.New("xoxb-test", slack.OptionAPIURL(fake.URL()), slack.OptionAppLevelToken("xapp-test"))
	released := make(chan struct{})
	close(released) // panics at once, within the acknowledgement
	sl := &bot.Slack{App: panicky{App: handlers.New(cfg, st, clock, log), release: released}, API: api, Dedup: st, Clock: clock, Log: log}
	recv := &bot.SocketReceiver{Slack: sl, Opener: api, MaxBackoff: time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- recv.Run(runCtx) }()
	defer func() {
		stop()
		<-done
	}()
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	slash := map[string]any{"command": "/ops", "text": "boom", "user_id": "U0ALICE", "channel_id": "C0OPS",
		"response_url": fake.ResponseURL(), "trigger_id": "5.5.5"}
	ack, err := fake.SendEnvelope(ctx, "slash_commands", slash, true)
	if err != nil {
		t.Fatalf("no acknowledgement after a panic: %v", err)
	}
	if !strings.Contains(string(ack), "Something went wrong") {
		t.Errorf("ack = %s", ack)
	}
	slash["text"], slash["trigger_id"] = "uv=3", "5.5.6"
	slash["command"] = "/metric"
	if ack, err := fake.SendEnvelope(ctx, "slash_commands", slash, true); err != nil || !strings.Contains(string(ack), "logged") {
		t.Errorf("after the panic: %s %v", ack, err)
	}
}

// A refused unsigned request is held for RefusalDelay before its answer,
// so a client looping on forged requests slows to a few a minute; a
// signed request from another workspace is answered at once.
func TestSecurityRefusalsAreHeld(t *testing.T) {
	clock := clockwork.NewFakeClock()
	sl := &bot.Slack{Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Workspace: bot.Workspace{TeamID: teamID}}
	h := (&bot.HTTPReceiver{Slack: sl, SigningSecret: secret, RefusalDelay: 3 * time.Second}).Handler()
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader("x=1")))
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // failure bound only
	defer cancel()
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatalf("the refusal was not held: %v", err)
	}
	select {
	case <-done:
		t.Fatal("answered before the delay")
	default:
	}
	clock.Advance(3 * time.Second)
	<-done
	if rec.Code != http.StatusUnauthorized || rec.Header().Get("Connection") != "close" {
		t.Errorf("status %d, Connection %q", rec.Code, rec.Header().Get("Connection"))
	}
	// Signed, from another team: 403 at once, without the clock moving.
	body := url.Values{"command": {"/metric"}, "team_id": {"T0OTHER"}, "user_id": {"U0ALICE"}}.Encode()
	ts := strconv.FormatInt(clock.Now().Unix(), 10)
	req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", bot.Sign(secret, ts, []byte(body)))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Errorf("other team: %d", rec.Code)
	}
}
