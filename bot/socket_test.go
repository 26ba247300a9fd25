package bot_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"opsbot/bot"
	"opsbot/bot/slackfake"
	"opsbot/config"
	"opsbot/handlers"
	"opsbot/store/storetest"
)

func TestSocketModeAcksAndReconnects(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	fake := slackfake.New(t)
	st := storetest.SQLite(t)
	clock := clockwork.NewRealClock()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	api := slack.New("xoxb-test", slack.OptionAPIURL(fake.URL()), slack.OptionAppLevelToken("xapp-test"))
	obs := &recordingObserver{}
	sl := &bot.Slack{App: handlers.New(cfg, st, clock, log), API: api, Dedup: st, Clock: clock, Log: log, Observer: obs}
	recv := &bot.SocketReceiver{Slack: sl, Client: socketmode.New(api), MaxBackoff: time.Second}

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
		t.Fatalf("never connected: %v", err)
	}
	slash := map[string]any{
		"command": "/metric", "text": "uv=12000 paid=240", "user_id": "U0ALICE", "user_name": "alice",
		"channel_id": "C0OPS", "channel_name": "shop-ops", "response_url": fake.ResponseURL(), "trigger_id": "1.2.3",
	}
	start := time.Now()
	ack, err := fake.SendEnvelope(ctx, "slash_commands", slash, true)
	if err != nil {
		t.Fatalf("envelope: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("acknowledged after %v, over Slack's 3 s", d)
	}
	var msg struct {
		ResponseType string          `json:"response_type"`
		Blocks       json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(ack, &msg); err != nil {
		t.Fatalf("ack payload %s: %v", ack, err)
	}
	if msg.ResponseType != "in_channel" || !strings.Contains(string(msg.Blocks), "logged") {
		t.Errorf("ack payload = %s", ack)
	}

	// Slack refreshes connections; the bot must come back by itself.
	fake.DropSocket()
	if err := fake.WaitConnected(ctx, 2); err != nil {
		t.Fatalf("did not reconnect: %v", err)
	}
	slash["text"], slash["trigger_id"] = "show", "1.2.4" // every command has its own trigger
	ack, err = fake.SendEnvelope(ctx, "slash_commands", slash, true)
	if err != nil {
		t.Fatalf("envelope after reconnect: %v", err)
	}
	if !strings.Contains(string(ack), "12,000") {
		t.Errorf("show after reconnect = %s", ack)
	}
	// The connection's state reached the metrics before the envelope
	// that came over it: up, down, up again as a reconnect.
	if got := obs.get(); !strings.Contains(got, "up first; ") || !strings.Contains(got, "up reconnect; ") ||
		!strings.Contains(got, "/metric in_channel; ") || !strings.Contains(got, "/metric ephemeral; ") {
		t.Errorf("observed %q", got)
	}

	// Events are acknowledged and handled once.
	event := map[string]any{"type": "event_callback", "event_id": "Ev9", "event": map[string]any{"type": "app_home_opened", "user": "U0ALICE", "tab": "home"}}
	for i := 0; i < 2; i++ {
		if _, err := fake.SendEnvelope(ctx, "events_api", event, false); err != nil {
			t.Fatalf("events envelope: %v", err)
		}
	}
	sl.Wait(ctx)
	if n := len(fake.Calls("views.publish")); n != 1 {
		t.Errorf("views.publish called %d times for one event sent twice", n)
	}
}

// recordingObserver writes down what bot.Observer hears.
type recordingObserver struct {
	mu  sync.Mutex
	log strings.Builder
}

func (o *recordingObserver) add(s string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.log.WriteString(s + "; ")
}

func (o *recordingObserver) get() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.log.String()
}

func (o *recordingObserver) Command(name, outcome string, _ time.Duration) {
	o.add(name + " " + outcome)
}
func (o *recordingObserver) Interaction(kind, outcome string, _ time.Duration) {
	o.add(kind + " " + outcome)
}
func (o *recordingObserver) SocketConnected(up, reconnect bool) {
	switch {
	case up && reconnect:
		o.add("up reconnect")
	case up:
		o.add("up first")
	default:
		o.add("down")
	}
}
