package slackfake_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"opsbot/bot/slackfake"
)

func client(fake *slackfake.Server) *slack.Client {
	return slack.New("xoxb-test", slack.OptionAPIURL(fake.URL()), slack.OptionAppLevelToken("xapp-test"))
}

func ctxFor(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestAuthTest(t *testing.T) {
	fake := slackfake.New(t)
	ctx := ctxFor(t)
	resp, err := client(fake).AuthTestContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if resp.UserID != slackfake.BotUserID || resp.TeamID != slackfake.TeamID || resp.BotID != slackfake.BotID {
		t.Errorf("auth.test = %+v", resp)
	}
	_, err = slack.New("", slack.OptionAPIURL(fake.URL())).AuthTestContext(ctx)
	if err == nil || err.Error() != "not_authed" {
		t.Errorf("auth.test without a token: %v, want not_authed", err)
	}
}

func TestPostUpdateDelete(t *testing.T) {
	fake := slackfake.New(t)
	api := client(fake)
	ctx := ctxFor(t)

	ch, ts1, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("first", false))
	if err != nil || ch != "C1" || ts1 == "" {
		t.Fatalf("post = %q %q %v", ch, ts1, err)
	}
	blocks := slack.MsgOptionBlocks(slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "*second*", false, false), nil, nil))
	_, ts2, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("second", false), blocks)
	if err != nil {
		t.Fatal(err)
	}
	if ts2 <= ts1 {
		t.Errorf("timestamps do not increase: %s then %s", ts1, ts2)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, "C1", ts1, slack.MsgOptionText("first, edited", false)); err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages("C1")
	if len(msgs) != 2 || msgs[0].Text != "first, edited" || msgs[0].Edits != 1 || msgs[1].Text != "second" {
		t.Fatalf("messages = %+v", msgs)
	}
	if !strings.Contains(string(msgs[1].Blocks), `"*second*"`) {
		t.Errorf("blocks = %s", msgs[1].Blocks)
	}
	if _, _, err := api.DeleteMessageContext(ctx, "C1", ts1); err != nil {
		t.Fatal(err)
	}
	if msgs := fake.Messages("C1"); len(msgs) != 1 || msgs[0].TS != ts2 {
		t.Errorf("after delete = %+v", msgs)
	}
	if _, err := api.PostEphemeralContext(ctx, "C1", "U1", slack.MsgOptionText("psst", false)); err != nil {
		t.Errorf("ephemeral: %v", err)
	}
	if got := len(fake.Messages("C1")); got != 1 {
		t.Errorf("an ephemeral message landed in the channel: %d messages", got)
	}
	calls := fake.Calls("chat.postMessage")
	if len(calls) != 2 || calls[0].Params.Get("text") != "first" || calls[0].Status != http.StatusOK {
		t.Errorf("recorded posts = %+v", calls)
	}
}

func TestPostErrors(t *testing.T) {
	fake := slackfake.New(t)
	fake.AddChannel("C1", "shop-ops")
	api := client(fake)
	ctx := ctxFor(t)
	tests := []struct {
		name    string
		channel string
		opts    []slack.MsgOption
		want    string
	}{
		{"unknown channel", "C404", []slack.MsgOption{slack.MsgOptionText("x", false)}, "channel_not_found"},
		{"no text", "C1", nil, "no_text"},
		{"too long", "C1", []slack.MsgOption{slack.MsgOptionText(strings.Repeat("x", 40001), false)}, "msg_too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := api.PostMessageContext(ctx, tt.channel, tt.opts...)
			var se slack.SlackErrorResponse
			if !errors.As(err, &se) || se.Err != tt.want {
				t.Errorf("err = %v, want %s", err, tt.want)
			}
		})
	}
	ch, _, err := api.PostMessageContext(ctx, "#shop-ops", slack.MsgOptionText("by name", false))
	if err != nil || ch != "C1" {
		t.Errorf("post by name answered %q, %v; want C1", ch, err)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, "C1", "1.000000", slack.MsgOptionText("x", false)); err == nil || err.Error() != "message_not_found" {
		t.Errorf("update of a missing message: %v", err)
	}
}

func TestPagination(t *testing.T) {
	fake := slackfake.New(t)
	for _, id := range []string{"C1", "C2", "C3", "C4", "C5"} {
		fake.AddChannel(id, "name-"+id)
	}
	fake.AddUser("U1", "alice", "Alice A")
	fake.AddUser("U2", "bob", "Bob B")
	fake.AddUser("U3", "carol", "Carol C")
	api := client(fake)
	ctx := ctxFor(t)

	var ids []string
	cursor := ""
	for {
		chans, next, err := api.GetConversationsContext(ctx, &slack.GetConversationsParameters{Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		if len(chans) > 2 {
			t.Fatalf("page of %d channels with limit 2", len(chans))
		}
		for _, c := range chans {
			ids = append(ids, c.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if strings.Join(ids, ",") != "C1,C2,C3,C4,C5" {
		t.Errorf("channels = %v", ids)
	}
	if n := len(fake.Calls("conversations.list")); n != 3 {
		t.Errorf("%d conversations.list calls, want 3", n)
	}

	users, err := api.GetUsersContext(ctx, slack.GetUsersOptionLimit(2))
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 3 || users[2].Name != "carol" || users[2].RealName != "Carol C" {
		t.Errorf("users = %+v", users)
	}
	if n := len(fake.Calls("users.list")); n != 2 {
		t.Errorf("%d users.list calls, want 2", n)
	}
	if _, _, err := api.GetConversationsContext(ctx, &slack.GetConversationsParameters{Cursor: "bogus"}); err == nil || err.Error() != "invalid_cursor" {
		t.Errorf("bad cursor: %v", err)
	}
}

func TestScriptedFailures(t *testing.T) {
	fake := slackfake.New(t)
	api := client(fake)
	ctx := ctxFor(t)
	fake.Script("chat.postMessage",
		slackfake.Response{Status: 429, Header: http.Header{"Retry-After": {"1"}}},
		slackfake.Response{Status: 500, Body: "<html>oops</html>"},
		slackfake.Response{Body: `{"ok":false,"error":"channel_not_found"}`},
	)
	post := func() error {
		_, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false))
		return err
	}

	var rl *slack.RateLimitedError
	if err := post(); !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Errorf("first post: %v, want a rate limit of 1s", err)
	}
	var sc slack.StatusCodeError
	if err := post(); !errors.As(err, &sc) || sc.Code != 500 {
		t.Errorf("second post: %v, want status 500", err)
	}
	var se slack.SlackErrorResponse
	if err := post(); !errors.As(err, &se) || se.Err != "channel_not_found" {
		t.Errorf("third post: %v, want channel_not_found", err)
	}
	if err := post(); err != nil {
		t.Errorf("after the script: %v", err)
	}
	// Other methods are not affected by a method's script.
	if _, err := api.AuthTestContext(ctx); err != nil {
		t.Error(err)
	}
	var statuses []int
	for _, c := range fake.Calls("chat.postMessage") {
		statuses = append(statuses, c.Status)
	}
	if len(statuses) != 4 || statuses[0] != 429 || statuses[1] != 500 || statuses[3] != 200 {
		t.Errorf("statuses = %v", statuses)
	}
	if len(fake.Messages("C1")) != 1 {
		t.Errorf("messages = %+v", fake.Messages("C1"))
	}
}

func TestDown(t *testing.T) {
	fake := slackfake.New(t)
	api := client(fake)
	ctx := ctxFor(t)
	fake.SetDown(true)
	_, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false))
	if err == nil {
		t.Fatal("post while down succeeded")
	}
	var se slack.SlackErrorResponse
	var sc slack.StatusCodeError
	if errors.As(err, &se) || errors.As(err, &sc) {
		t.Errorf("down gave an answer, not a connection error: %v", err)
	}
	if calls := fake.Calls("chat.postMessage"); len(calls) != 1 || calls[0].Status != 0 {
		t.Errorf("calls while down = %+v", calls)
	}
	fake.SetDown(false)
	if _, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false)); err != nil {
		t.Errorf("after recovery: %v", err)
	}
	if len(fake.Messages("C1")) != 1 {
		t.Errorf("messages = %+v", fake.Messages("C1"))
	}
}

func TestUnknownMethodAndJoin(t *testing.T) {
	fake := slackfake.New(t)
	fake.AddChannel("C1", "general")
	api := client(fake)
	ctx := ctxFor(t)
	if _, err := api.GetEmojiContext(ctx); err == nil || err.Error() != "unknown_method" {
		t.Errorf("emoji.list: %v", err)
	}
	ch, _, _, err := api.JoinConversationContext(ctx, "C1")
	if err != nil || !ch.IsMember {
		t.Errorf("join = %+v, %v", ch, err)
	}
	if _, _, _, err := api.JoinConversationContext(ctx, "C9"); err == nil || err.Error() != "channel_not_found" {
		t.Errorf("join unknown: %v", err)
	}
}

func TestViews(t *testing.T) {
	fake := slackfake.New(t)
	api := client(fake)
	ctx := ctxFor(t)
	modal := slack.ModalViewRequest{
		Type:       slack.VTModal,
		Title:      slack.NewTextBlockObject(slack.PlainTextType, "Log", false, false),
		CallbackID: "log",
		Blocks:     slack.Blocks{BlockSet: []slack.Block{slack.NewDividerBlock()}},
	}
	opened, err := api.OpenViewContext(ctx, "trigger-1", modal)
	if err != nil || opened.ID == "" {
		t.Fatalf("open = %+v, %v", opened, err)
	}
	modal.CallbackID = "log2"
	updated, err := api.UpdateViewContext(ctx, modal, "", "", opened.ID)
	if err != nil || updated.ID != opened.ID || updated.CallbackID != "log2" {
		t.Errorf("update = %+v, %v", updated, err)
	}
	if _, err := api.UpdateViewContext(ctx, modal, "", "", "V404"); err == nil || err.Error() != "not_found" {
		t.Errorf("update unknown view: %v", err)
	}
	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewDividerBlock()}}}
	if _, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: home}); err != nil {
		t.Errorf("publish: %v", err)
	}
	if c := fake.Calls("views.open"); len(c) != 1 || c[0].JSON["trigger_id"] != "trigger-1" {
		t.Errorf("views.open calls = %+v", c)
	}
}

func TestFileUpload(t *testing.T) {
	fake := slackfake.New(t)
	fake.AddChannel("C1", "reports")
	api := client(fake)
	ctx := ctxFor(t)
	content := "day,sales\n2026-11-22,45600.50\n"
	f, err := api.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: "export.csv", FileSize: len(content), Content: content, Channel: "C1", Title: "Export",
	})
	if err != nil {
		t.Fatal(err)
	}
	files := fake.Files()
	if len(files) != 1 || files[0].ID != f.ID || string(files[0].Content) != content || !files[0].Completed || files[0].Channel != "C1" || files[0].Title != "Export" {
		t.Errorf("files = %+v", files)
	}
	if n := len(fake.Calls(slackfake.MethodUpload)); n != 1 {
		t.Errorf("%d uploads recorded", n)
	}
}

func TestDirectMessage(t *testing.T) {
	fake := slackfake.New(t)
	fake.AddChannel("C1", "reports")
	api := client(fake)
	ctx := ctxFor(t)
	ch, _, already, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U1"}})
	if err != nil || ch.ID == "" || already {
		t.Fatalf("open = %+v %v %v", ch, already, err)
	}
	again, _, already, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U1"}})
	if err != nil || again.ID != ch.ID || !already {
		t.Errorf("second open = %+v %v %v", again, already, err)
	}
	if _, _, err := api.PostMessageContext(ctx, ch.ID, slack.MsgOptionText("psst", false)); err != nil {
		t.Errorf("post to the DM: %v", err)
	}
}

func TestResponseURL(t *testing.T) {
	fake := slackfake.New(t)
	u := fake.ResponseURL()
	// Posted as opsbot posts it: slack-go's MsgOptionResponseURL would add
	// an empty metadata object, which Slack's own types reject.
	resp, err := http.Post(u, "application/json", strings.NewReader(`{"text":"done","response_type":"ephemeral"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	posts := fake.ResponsePosts()
	if len(posts) != 1 || posts[0].JSON["text"] != "done" || posts[0].JSON["response_type"] != "ephemeral" {
		t.Errorf("response posts = %+v", posts)
	}
}

func TestSocketMode(t *testing.T) {
	fake := slackfake.New(t)
	fake.SetPingInterval(200 * time.Millisecond)
	ctx := ctxFor(t)
	sm := socketmode.New(client(fake), socketmode.OptionPingInterval(2*time.Second))
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = sm.RunContext(runCtx) }()

	hellos := make(chan struct{}, 10)
	go func() {
		for {
			select {
			case <-runCtx.Done():
				return
			case evt := <-sm.Events:
				switch evt.Type {
				case socketmode.EventTypeHello:
					hellos <- struct{}{}
				case socketmode.EventTypeSlashCommand:
					cmd := evt.Data.(slack.SlashCommand)
					_ = sm.Ack(*evt.Request, map[string]any{"text": "got " + cmd.Text})
				case socketmode.EventTypeInteractive:
					_ = sm.Ack(*evt.Request)
				}
			}
		}
	}()

	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	select {
	case <-hellos:
	case <-ctx.Done():
		t.Fatal("no hello event")
	}
	ack, err := fake.SendEnvelope(ctx, "slash_commands", map[string]string{"command": "/metric", "text": "show"}, true)
	if err != nil {
		t.Fatal(err)
	}
	var answer struct{ Text string }
	if err := json.Unmarshal(ack, &answer); err != nil || answer.Text != "got show" {
		t.Errorf("ack payload = %s (%v)", ack, err)
	}

	fake.DropSocket()
	if err := fake.WaitConnected(ctx, 2); err != nil {
		t.Fatal(err)
	}
	ack, err = fake.SendEnvelope(ctx, "interactive", map[string]any{"type": "block_actions"}, false)
	if err != nil {
		t.Fatalf("after reconnect: %v", err)
	}
	if len(ack) != 0 {
		t.Errorf("empty ack carried %s", ack)
	}
	// Pings keep the connection alive past the client's ping interval.
	time.Sleep(2500 * time.Millisecond)
	if _, err := fake.SendEnvelope(ctx, "slash_commands", map[string]string{"command": "/metric", "text": "again"}, true); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Calls("apps.connections.open")); n != 2 {
		t.Errorf("%d apps.connections.open calls, want 2 (no reconnect beyond the drop)", n)
	}
}

func TestSocketModeNeedsAppToken(t *testing.T) {
	fake := slackfake.New(t)
	api := slack.New("xoxb-test", slack.OptionAPIURL(fake.URL()), slack.OptionAppLevelToken("xoxb-wrong"))
	_, _, err := api.StartSocketModeContext(ctxFor(t))
	if err == nil || err.Error() != "invalid_auth" {
		t.Errorf("open with a bot token: %v, want invalid_auth", err)
	}
}
