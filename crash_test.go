package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"opsbot/bot"
	"opsbot/bot/slackfake"
	"opsbot/civil"
	"opsbot/handlers/command"
	"opsbot/store"
)

const crashSecret = "crash-s3cret"
const crashBotToken = "xoxb-crash"

// crashRun is the real binary in HTTP mode against the fake Slack.
type crashRun struct {
	cmd    *exec.Cmd
	addr   string
	stderr *bytes.Buffer
	exited chan struct{} // closed when the process has exited
	err    error         // how it exited, once exited is closed
}

// startBinary starts bin on db and waits until /healthz answers.
func startBinary(t *testing.T, bin, db string, fake *slackfake.Server) *crashRun {
	t.Helper()
	return startBinaryEnv(t, bin, fake, "OPSBOT_DATABASE_URL=sqlite:"+db, "OPSBOT_CONFIG=")
}

// startBinaryEnv starts bin in HTTP mode with more environment (the
// database URL, the config) and waits until /healthz answers.
func startBinaryEnv(t *testing.T, bin string, fake *slackfake.Server, vars ...string) *crashRun {
	t.Helper()
	r := &crashRun{addr: freeAddr(t), stderr: &bytes.Buffer{}, exited: make(chan struct{})}
	r.cmd = exec.Command(bin)
	r.cmd.Dir = t.TempDir()
	r.cmd.Env = append(append(os.Environ(), "SLACK_BOT_TOKEN="+crashBotToken, "SLACK_SIGNING_SECRET="+crashSecret, "SLACK_APP_TOKEN=",
		"SLACK_API_URL="+fake.URL(), "OPSBOT_ADDR="+r.addr, "OPSBOT_METRICS_ADDR="), vars...)
	r.cmd.Stderr = r.stderr
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() {
		r.err = r.cmd.Wait()
		close(r.exited)
	}()
	t.Cleanup(func() {
		r.cmd.Process.Kill()
		<-r.exited
	})
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + r.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return r
			}
		}
		select {
		case <-r.exited:
			t.Fatalf("the bot exited at start: %v\n%s", r.err, r.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("the bot did not answer /healthz within 15 s:\n%s", r.stderr)
	return nil
}

// crashLoad is what the clients sent and what was acknowledged: slash
// commands logging uv, and Log-metrics forms logging orders (whose
// confirmations go through the outbox), one day each.
type crashLoad struct {
	mu         sync.Mutex
	next       int
	sentCmd    map[string]int64 // day → uv
	ackedCmd   map[string]bool
	sentForm   map[string]string // day → channel
	ackedForm  map[string]bool
	maxForms   int
	formsSent  int
	badAnswers []string
}

// dayOf gives request n its own day, far in the past.
func dayOf(n int) string { return civil.Date{Year: 2019, Month: 12, Day: 31}.AddDays(-n).String() }

func (l *crashLoad) client(addr string, stop <-chan struct{}, channels []string) {
	hc := &http.Client{Timeout: 5 * time.Second}
	for {
		select {
		case <-stop:
			return
		default:
		}
		l.mu.Lock()
		n := l.next
		l.next++
		form := n%5 == 0 && l.formsSent < l.maxForms
		if form {
			l.formsSent++
		}
		l.mu.Unlock()
		var ok bool
		if form {
			ok = l.sendForm(hc, addr, n, channels[n%len(channels)])
		} else {
			ok = l.sendCommand(hc, addr, n)
		}
		if !ok {
			time.Sleep(5 * time.Millisecond) // the bot is down: do not spin
		}
	}
}

func (l *crashLoad) sendCommand(hc *http.Client, addr string, n int) bool {
	day := dayOf(n)
	body := url.Values{"command": {"/metric"}, "text": {fmt.Sprintf("uv=%d date=%s", n+1, day)}, "user_id": {"U0LOAD"}, "user_name": {"load"},
		"channel_id": {"C0OPS"}, "channel_name": {"shop-ops"}, "trigger_id": {fmt.Sprintf("%d.crash", n)},
		"team_id": {slackfake.TeamID}, "api_app_id": {slackfake.AppID}}.Encode()
	l.mu.Lock()
	l.sentCmd[day] = int64(n + 1)
	l.mu.Unlock()
	status, answer, err := post(hc, addr, "/slack/commands", body)
	if err != nil {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case status == http.StatusOK && strings.Contains(answer, "logged for"):
		l.ackedCmd[day] = true
	case len(l.badAnswers) < 5:
		l.badAnswers = append(l.badAnswers, fmt.Sprintf("command %d: %d %.200s", n, status, answer))
	}
	return true
}

func (l *crashLoad) sendForm(hc *http.Client, addr string, n int, channel string) bool {
	day := dayOf(n)
	payload, _ := json.Marshal(map[string]any{
		"type": "view_submission", "user": map[string]any{"id": "U0LOAD", "name": "load"}, "trigger_id": fmt.Sprintf("%d.form", n),
		"team": map[string]any{"id": slackfake.TeamID}, "api_app_id": slackfake.AppID,
		"view": map[string]any{"id": "V1", "callback_id": "log_metrics", "private_metadata": command.Seal(sealKey(crashBotToken), "U0LOAD", map[string]string{"c": channel}), "state": map[string]any{"values": map[string]any{
			"date":          map[string]any{"value": map[string]any{"type": "datepicker", "selected_date": day}},
			"metric:orders": map[string]any{"value": map[string]any{"type": "plain_text_input", "value": strconv.Itoa(n + 1)}},
		}}},
	})
	l.mu.Lock()
	l.sentForm[day] = channel
	l.mu.Unlock()
	status, answer, err := post(hc, addr, "/slack/interactions", url.Values{"payload": {string(payload)}}.Encode())
	if err != nil {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case status == http.StatusOK && answer == "": // the modal closes: stored and queued
		l.ackedForm[day] = true
	case len(l.badAnswers) < 5:
		l.badAnswers = append(l.badAnswers, fmt.Sprintf("form %d: %d %.200s", n, status, answer))
	}
	return true
}

// post sends a body signed as Slack signs it.
func post(hc *http.Client, addr, path, body string) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+path, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", bot.Sign(crashSecret, ts, []byte(body)))
	resp, err := hc.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "", err
	}
	return resp.StatusCode, string(b), nil
}

// TestCrashLosesNothing runs the real binary under load and kills it with
// SIGKILL in the middle. After a restart on the same SQLite file, every
// command that was acknowledged is stored, nothing is stored that was not
// sent, nothing is stored twice, and every message queued in the outbox
// before the kill is delivered after the restart, once.
//
// Slack is taken down shortly before the kill, so no post is in flight
// when the process dies: the outbox delivers at least once, and a post
// that Slack accepted just before a kill, but that was not yet marked
// sent, would be posted again (docs/OUTBOX.md). That window is not what
// this test is about.
func TestCrashLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it under load")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "opsbot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	fake := slackfake.New(t)
	for id, name := range map[string]string{"C0OPS": "shop-ops", "C0MGR": "shop-managers", "C0CS": "shop-cs"} {
		fake.AddChannel(id, name)
	}
	var channels []string
	for i := range 12 {
		id := fmt.Sprintf("C0OUT%02d", i)
		fake.AddChannel(id, fmt.Sprintf("out-%02d", i))
		channels = append(channels, id)
	}
	db := filepath.Join(dir, "crash.db")

	first := startBinary(t, bin, db, fake)
	load := &crashLoad{sentCmd: map[string]int64{}, ackedCmd: map[string]bool{}, sentForm: map[string]string{}, ackedForm: map[string]bool{}, maxForms: 60}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { load.client(first.addr, stop, channels) })
	}
	time.Sleep(1500 * time.Millisecond) // load, with deliveries
	fake.SetDown(true)
	time.Sleep(500 * time.Millisecond) // load, Slack down: the outbox fills
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-first.exited
	time.Sleep(100 * time.Millisecond) // clients see the bot gone
	close(stop)
	wg.Wait()

	load.mu.Lock()
	t.Logf("before the kill: %d commands sent, %d acknowledged; %d forms sent, %d acknowledged; %d posts delivered",
		len(load.sentCmd), len(load.ackedCmd), len(load.sentForm), len(load.ackedForm), delivered(fake, channels))
	for _, a := range load.badAnswers {
		t.Errorf("unexpected answer: %s", a)
	}
	load.mu.Unlock()
	if len(load.ackedCmd) < 50 || len(load.ackedForm) < 5 {
		t.Fatalf("too little load before the kill to mean anything")
	}

	fake.SetDown(false)
	second := startBinary(t, bin, db, fake)
	st, err := store.Open(context.Background(), "sqlite:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var queued int
	deadline := time.Now().Add(90 * time.Second) // a channel leased at the kill waits out the 30 s lease
	for {
		queued = 0
		pending := 0
		for _, ch := range channels {
			msgs, err := st.OutboxMessages(ctx, ch)
			if err != nil {
				t.Fatal(err)
			}
			queued += len(msgs)
			for _, m := range msgs {
				if m.State != store.OutboxSent {
					pending++
				}
			}
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d queued messages still not delivered 90 s after the restart:\n%s", pending, queued, second.stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := second.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-second.exited
	if second.err != nil {
		t.Errorf("the restarted bot did not stop cleanly: %v\n%s", second.err, second.stderr)
	}

	// Commands: every acknowledged one is stored, with its value; nothing
	// stored was not sent; each change is audited once.
	stored, err := st.RangeMetrics(ctx, "main", "1900-01-01", "2019-12-31")
	if err != nil {
		t.Fatal(err)
	}
	for day := range load.ackedCmd {
		if got := stored[day]["uv"]; got != load.sentCmd[day] {
			t.Errorf("acknowledged command for %s: stored uv %d, sent %d", day, got, load.sentCmd[day])
		}
	}
	storedCmds := 0
	for day, figures := range stored {
		if v, ok := figures["uv"]; ok {
			storedCmds++
			if sent, was := load.sentCmd[day]; !was || sent != v {
				t.Errorf("stored uv=%d for %s, which no command sent", v, day)
			}
		}
		if _, ok := figures["orders"]; ok {
			if _, was := load.sentForm[day]; !was {
				t.Errorf("stored orders for %s, which no form sent", day)
			}
		}
	}
	audit, err := st.Audit(ctx, store.AuditFilter{Shop: "main", Action: "metric.set"})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, a := range audit {
		seen[a.Subject]++
		if seen[a.Subject] == 2 {
			t.Errorf("%s audited twice", a.Subject)
		}
	}

	// Forms: every acknowledged one is stored and its confirmation was
	// queued; every queued confirmation was posted exactly once.
	posts := map[string]int{}
	for _, ch := range channels {
		for _, m := range fake.Messages(ch) {
			posts[m.Text]++
		}
	}
	for day := range load.ackedForm {
		if stored[day]["orders"] == 0 {
			t.Errorf("acknowledged form for %s is not stored", day)
		}
	}
	confirmed := 0
	for text, n := range posts {
		if n != 1 {
			t.Errorf("posted %d times: %s", n, text)
		}
	}
	for day, ch := range load.sentForm {
		n := 0
		for _, m := range fake.Messages(ch) {
			if strings.Contains(m.Text, day) {
				n++
			}
		}
		if load.ackedForm[day] && n != 1 {
			t.Errorf("acknowledged form for %s: its confirmation was posted %d times", day, n)
		}
		confirmed += n
	}
	if confirmed != queued {
		t.Errorf("%d confirmations posted for %d queued", confirmed, queued)
	}
	t.Logf("after the restart: %d commands stored (%d acknowledged), %d confirmations queued and each posted once",
		storedCmds, len(load.ackedCmd), queued)
}

// delivered counts the posts Slack accepted in channels.
func delivered(fake *slackfake.Server, channels []string) int {
	n := 0
	for _, ch := range channels {
		n += len(fake.Messages(ch))
	}
	return n
}
