package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/bot"
	"opsbot/bot/slackfake"
	"opsbot/i18n"
)

// runCLI drives the real entry point with a script on stdin.
func runCLI(t *testing.T, dir, stdin string, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)) // 09:00 in Shanghai
	getenv := func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		if k == "OPSBOT_DATABASE_URL" {
			return "sqlite:" + filepath.Join(dir, "opsbot.db")
		}
		return ""
	}
	code = run(context.Background(), args, env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: getenv, clock: clock})
	return code, out.String(), errOut.String()
}

func wantAll(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("output lacks %q:\n%s", w, got)
		}
	}
}

func TestConsoleScript(t *testing.T) {
	dir := t.TempDir()
	script := `# a morning in the console
/metric uv=12000 paid=240 orders=300 sales=36000
/metric show
/metric uv=oops
/metric export 2026-11-20 2026-11-22
/help
`
	code, out, errOut := runCLI(t, dir, script, nil, "console", "--user", "alice", "--files", dir)
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, errOut)
	}
	wantAll(t, out,
		"#shop-ops @alice> /metric uv=12000 paid=240 orders=300 sales=36000",
		"alice logged for My shop on 2026-11-22 (Sun)",
		"“oops” is not a number for Unique visitors (UV)",
		"Exported 3 days (1 with data)",
		"opsbot-main-2026-11-20-2026-11-22.csv",
		"/metric export FROM TO",
	)
	// The day table: one row per KPI, value in the second column.
	for _, row := range []string{`Conversion rate +2\.00%`, `Payment rate +80\.0%`, `Average order value +¥150\.00`} {
		if !regexp.MustCompile(row).MatchString(out) {
			t.Errorf("the table lacks a row %s:\n%s", row, out)
		}
	}
	if strings.Contains(out, "# a morning") {
		t.Error("comment lines must not be echoed")
	}
	csv, err := os.ReadFile(filepath.Join(dir, "opsbot-main-2026-11-20-2026-11-22.csv"))
	if err != nil || !strings.Contains(string(csv), "2026-11-22,main,,12000,300,240,36000.00") {
		t.Errorf("csv = %q, %v", csv, err)
	}

	// The data is in the database for the next run.
	code, out, _ = runCLI(t, dir, "/metric show 2026-11-22\n", nil, "console")
	if code != 0 || !strings.Contains(out, "¥36,000.00") {
		t.Errorf("second run (exit %d) lost the data:\n%s", code, out)
	}
}

func TestNoCredentialsStartsTheConsole(t *testing.T) {
	code, out, errOut := runCLI(t, t.TempDir(), "/metric uv=1\n", map[string]string{"USER": "carol"})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	wantAll(t, errOut, "no Slack credentials set, so starting console mode", "SLACK_BOT_TOKEN")
	wantAll(t, out, "#shop-ops @carol> /metric uv=1", "carol logged for My shop")
}

func TestConfigInitAndCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "opsbot.yaml")
	if code, out, errOut := runCLI(t, dir, "", nil, "config", "init", path); code != 0 || !strings.Contains(out, "Wrote "+path) {
		t.Fatalf("init: exit %d %s %s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, dir, "", nil, "config", "init", path); code == 0 || !strings.Contains(errOut, "exists already") {
		t.Errorf("init over an existing file: exit %d %s", code, errOut)
	}
	code, out, _ := runCLI(t, dir, "", nil, "config", "check", path)
	if code != 0 || !strings.Contains(out, "OK — 1 shop, 20 metrics") {
		t.Errorf("check of the built-in: exit %d %s", code, out)
	}

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("locale: fr\ntimezone: Asia/Shanghai\nshops:\n  - id: Main Shop\n    name: x\nbogus: 1\n"), 0o644)
	code, out, errOut := runCLI(t, dir, "", nil, "config", "check", bad)
	if code != 1 {
		t.Errorf("check of a bad file: exit %d", code)
	}
	wantAll(t, out, bad+":1: locale", bad+":4: shops[0].id", bad+":6: bogus")
	wantAll(t, errOut, "3 problems")

	// The checked file runs the bot, with the global option after the command.
	os.WriteFile(path, bytes.Replace(config0(t, path), []byte("locale: en"), []byte("locale: zh"), 1), 0o644)
	code, out, errOut = runCLI(t, dir, "/metric uv=1\n", nil, "console", "--config", path, "--user", "dan")
	if code != 0 || !strings.Contains(out, "dan 记录了") {
		t.Errorf("console with a zh config: exit %d\n%s%s", code, out, errOut)
	}
}

// TestConfigCheckLimits: config check, and start-up with the same file,
// refuse reports.limits that would never apply or misbehave: an unknown
// key, a value the figure's unit cannot read, a floor above its ceiling;
// each problem names its line, its key and what is accepted.
func TestConfigCheckLimits(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "limits.yaml")
	src := "reports:\n" +
		"  limits:\n" +
		"    conversion_rate: {floor: abc}\n" +
		"    sales: {ceiling: \"1%\"}\n" +
		"    refund_rate: {floor: \"10%\", ceiling: \"5%\"}\n" +
		"    visitors: {floor: \"500\"}\n" +
		"    uv: {floor: \"1.2万\"}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, dir, "", nil, "config", "check", path)
	if code != 1 {
		t.Errorf("check: exit %d", code)
	}
	wantAll(t, out,
		path+`:3: reports.limits.conversion_rate.floor: "abc" is not a value of Conversion rate (conversion_rate); write a percentage such as "1%"`,
		path+`:4: reports.limits.sales.ceiling: "1%" is not a value of Sales (sales); write an amount of yuan`,
		path+`:5: reports.limits.refund_rate: the floor "10%" is above the ceiling "5%"`,
		path+`:6: reports.limits.visitors: "visitors" is not a metric or KPI; use one of pv, uv,`,
	)
	wantAll(t, errOut, "4 problems")
	if strings.Contains(out, "reports.limits.uv") {
		t.Errorf("1.2万 is a good floor for UV:\n%s", out)
	}
	code, _, errOut = runCLI(t, dir, "/metric uv=1\n", nil, "console", "--config", path)
	if code == 0 || !strings.Contains(errOut, "reports.limits.conversion_rate.floor") {
		t.Errorf("start-up with bad limits: exit %d\n%s", code, errOut)
	}
}

func config0(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {"console", "--help"}, {"config", "--help"}} {
		code, out, errOut := runCLI(t, t.TempDir(), "", nil, args...)
		if code != 0 || !strings.Contains(out+errOut, "Usage") {
			t.Errorf("%v: exit %d, output %q", args, code, out+errOut)
		}
	}
	if code, _, errOut := runCLI(t, t.TempDir(), "", nil, "frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, t.TempDir(), "", map[string]string{"OPSBOT_DATABASE_URL": "mysql://x"}, "console"); code != 1 || !strings.Contains(errOut, "not supported") {
		t.Errorf("bad database URL: exit %d %s", code, errOut)
	}
}

// TestBinary builds the real binary and pipes a script into it, as a
// newcomer would run it from the README.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "opsbot")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SLACK_BOT_TOKEN=", "OPSBOT_CONFIG=", "OPSBOT_DATABASE_URL=", "USER=erin")
	cmd.Stdin = strings.NewReader("/metric uv=12000 paid=240 orders=300 sales=36000\n/metric show\n")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	wantAll(t, errOut.String(), "starting console mode on sqlite:opsbot.db")
	wantAll(t, out.String(), "erin logged for My shop", "2.00%", "80.0%", "¥150.00")
	if _, err := os.Stat(filepath.Join(dir, "opsbot.db")); err != nil {
		t.Errorf("the default database file was not created: %v", err)
	}
}

var update = flag.Bool("update", false, "rewrite golden files")

// TestSimulateTranscript compares a simulated morning of the built-in
// playbook, with a script, to the expected transcript.
func TestSimulateTranscript(t *testing.T) {
	code, out, errOut := runCLI(t, t.TempDir(), "", nil, "simulate", "--from", "2026-11-23T08:00", "--to", "2026-11-23T09:01", "--script", "testdata/morning.script")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden := filepath.Join("testdata", "simulate-morning.golden")
	if *update {
		os.WriteFile(golden, []byte(out), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("simulate output differs from %s (run go test -update . to accept):\n%s", golden, out)
	}
}

func TestSimulateNationalDay(t *testing.T) {
	code, out, errOut := runCLI(t, t.TempDir(), "", nil, "simulate", "--from", "2026-09-28T00:00", "--to", "2026-10-11T00:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	wantAll(t, out,
		"Thu 2026-10-01: evening-meeting skipped — National Day",
		"Thu 2026-10-01: replenishment skipped — National Day",
		"makeup workday for National Day",
		"── Sat 2026-10-10 17:30 #shop-ops ──\nEvening meeting",
	)
	if strings.Contains(out, "── Thu 2026-10-01 17:30 #shop-ops ──\nEvening meeting") {
		t.Error("the evening meeting was posted on National Day")
	}
}

func TestSimulateRefusesBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"simulate"},
		{"simulate", "--from", "2026-11-23", "--to", "2026-11-24T00:00"},
		{"simulate", "--from", "2026-11-24T00:00", "--to", "2026-11-23T00:00"},
		{"simulate", "--from", "2026-01-01T00:00", "--to", "2026-06-01T00:00"},
	} {
		if code, _, errOut := runCLI(t, t.TempDir(), "", nil, args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestHTTPModeEndToEnd runs the real entry point in HTTP mode against the
// fake Slack: names resolve at start, a signed command is stored and
// answered, an unsigned one is refused.
func TestHTTPModeEndToEnd(t *testing.T) {
	fake := slackfake.New(t)
	for id, name := range map[string]string{"C0OPS": "shop-ops", "C0MGR": "shop-managers", "C0CS": "shop-cs"} {
		fake.AddChannel(id, name)
	}
	dir := t.TempDir()
	addr := freeAddr(t)
	vars := map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s3cret", "SLACK_API_URL": fake.URL(), "OPSBOT_ADDR": addr,
		"OPSBOT_DATABASE_URL": "sqlite:" + filepath.Join(dir, "http.db"),
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var errOut bytes.Buffer
	go func() {
		done <- run(ctx, nil, env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &errOut, getenv: func(k string) string { return vars[k] }, clock: clockwork.NewRealClock()})
	}()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("exit %d: %s", code, errOut.String())
		}
	}()
	var resp *http.Response
	body := url.Values{"command": {"/metric"}, "text": {"uv=12000 paid=240"}, "user_id": {"U1"}, "user_name": {"amy"}, "channel_id": {"C0OPS"}, "channel_name": {"shop-ops"},
		"team_id": {slackfake.TeamID}, "api_app_id": {slackfake.AppID}}.Encode()
	send := func(sign bool) (*http.Response, error) {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/commands", strings.NewReader(body))
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		if sign {
			req.Header.Set("X-Slack-Signature", bot.Sign("s3cret", ts, []byte(body)))
		}
		return http.DefaultClient.Do(req)
	}
	// The server starts in the background (503 until ready); the bound is
	// for failure only.
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if r, err := send(true); err == nil && r.StatusCode != http.StatusServiceUnavailable {
			resp = r
			break
		} else if err == nil {
			r.Body.Close()
		}
	}
	if resp == nil {
		t.Fatalf("the bot never listened on %s: %s", addr, errOut.String())
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "logged for") {
		t.Errorf("signed command: %d %s", resp.StatusCode, b)
	}
	if r, err := send(false); err != nil || r.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned command: %v %v", r, err)
	}
	// The app ID was learned from bots.info: a signed request for another
	// app, or from another workspace, is refused.
	for _, other := range []url.Values{{"api_app_id": {"A0OTHER"}, "team_id": {slackfake.TeamID}}, {"api_app_id": {slackfake.AppID}, "team_id": {"T0OTHER"}}} {
		v, _ := url.ParseQuery(body)
		for k, vs := range other {
			v[k] = vs
		}
		body = v.Encode()
		if r, err := send(true); err != nil || r.StatusCode != http.StatusForbidden {
			t.Errorf("command with %v: %v %v", other, r, err)
		}
	}
	if n := len(fake.Calls("auth.test")); n != 1 {
		t.Errorf("auth.test called %d times", n)
	}
}

func TestSlackModeNamesWhatItCannotResolve(t *testing.T) {
	fake := slackfake.New(t)
	fake.AddChannel("C0OPS", "shop-ops")
	vars := map[string]string{"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": fake.URL()}
	code, _, errOut := runCLI(t, t.TempDir(), "", vars)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	wantAll(t, errOut, "channel #shop-managers (channels.managers) not found", "channel #shop-cs (channels.cs) not found")
	for _, tc := range []struct{ vars map[string]string }{
		{map[string]string{"SLACK_BOT_TOKEN": "xoxp-user", "SLACK_SIGNING_SECRET": "s"}},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}},
	} {
		if code, _, errOut := runCLI(t, t.TempDir(), "", tc.vars); code != 1 || !strings.Contains(errOut, "SLACK_") {
			t.Errorf("%v: exit %d %s", tc.vars, code, errOut)
		}
	}
}

func TestStartsDuringSlackOutage(t *testing.T) {
	fake := slackfake.New(t)
	for id, name := range map[string]string{"C0OPS": "shop-ops", "C0MGR": "shop-managers", "C0CS": "shop-cs"} {
		fake.AddChannel(id, name)
	}
	unavailable := slackfake.Response{Status: http.StatusServiceUnavailable, Body: "upstream connect error"}
	fake.Script("auth.test", unavailable, unavailable)
	dir := t.TempDir()
	addr := freeAddr(t)
	vars := map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s3cret", "SLACK_API_URL": fake.URL(), "OPSBOT_ADDR": addr,
		"OPSBOT_DATABASE_URL": "sqlite:" + filepath.Join(dir, "outage.db"),
	}
	clock := clockwork.NewFakeClockAt(time.Now())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // failure bound only
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	var errOut syncBuffer
	go func() {
		done <- run(runCtx, nil, env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &errOut, getenv: func(k string) string { return vars[k] }, clock: clock})
	}()
	defer func() {
		stop()
		if code := <-done; code != 0 {
			t.Errorf("exit %d: %s", code, errOut.String())
		}
	}()
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// The first auth.test failed: the bot is live, not ready, and waits.
	if err := fake.WaitCalls(ctx, "auth.test", 1); err != nil {
		t.Fatal(err)
	}
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if code, _ := get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz during the outage: %d", code)
	}
	if code, body := get("/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "waiting for Slack") {
		t.Errorf("/readyz during the outage: %d %s", code, body)
	}
	if code, _ := get("/slack/commands"); code != http.StatusServiceUnavailable {
		t.Errorf("/slack/commands during the outage: %d", code)
	}
	for i := 0; i < 2; i++ { // two retries: the second failure, then success
		if err := clock.BlockUntilContext(ctx, 1); err != nil {
			t.Fatal(err)
		}
		clock.Advance(2 * time.Minute)
		if err := fake.WaitCalls(ctx, "auth.test", i+2); err != nil {
			t.Fatal(err)
		}
	}
	for {
		if code, _ := get("/readyz"); code == http.StatusOK {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("never ready: %s", errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	body := url.Values{"command": {"/metric"}, "text": {"show"}, "user_id": {"U1"}, "channel_id": {"C0OPS"}, "channel_name": {"shop-ops"},
		"team_id": {slackfake.TeamID}, "api_app_id": {slackfake.AppID}}.Encode()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/commands", strings.NewReader(body))
	ts := strconv.FormatInt(clock.Now().Unix(), 10)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", bot.Sign("s3cret", ts, []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("a command once ready: %d", resp.StatusCode)
	}
	if n := strings.Count(errOut.String(), "Slack's Web API is not answering; retrying"); n != 2 {
		t.Errorf("%d retries logged:\n%s", n, errOut.String())
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Slack turning Socket Mode off for the app stops the process with a
// non-zero status, so a supervisor notices.
func TestLinkDisabledExitsNonZero(t *testing.T) {
	fake := slackfake.New(t)
	for id, name := range map[string]string{"C0OPS": "shop-ops", "C0MGR": "shop-managers", "C0CS": "shop-cs"} {
		fake.AddChannel(id, name)
	}
	vars := map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-test", "SLACK_API_URL": fake.URL(), "OPSBOT_ADDR": freeAddr(t),
		"OPSBOT_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "socket.db"),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	done := make(chan int, 1)
	var errOut syncBuffer
	go func() {
		done <- run(ctx, nil, env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &errOut, getenv: func(k string) string { return vars[k] }, clock: clockwork.NewRealClock()})
	}()
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	fake.Disconnect("link_disabled", true)
	select {
	case code := <-done:
		if code != 1 || !strings.Contains(errOut.String(), "link_disabled") {
			t.Errorf("exit %d:\n%s", code, errOut.String())
		}
	case <-ctx.Done():
		t.Fatalf("still running after link_disabled:\n%s", errOut.String())
	}
}

// Issue 16, item 10: the first start of the console on a new database is
// quiet: no missed runs, no empty daily report, nothing logged into the
// prompt.
func TestConsoleFirstStartIsClean(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, dir, "/checklist\n", nil, "console")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, bad := range []string{"WARN", "missed", "level="} {
		if strings.Contains(errOut, bad) || strings.Contains(out, bad) {
			t.Errorf("first start printed %q:\nstdout:\n%s\nstderr:\n%s", bad, out, errOut)
		}
	}
	if strings.Contains(out, "Daily report") || strings.Contains(out, "Nothing was logged") {
		t.Errorf("first start posted a report of a day before it:\n%s", out)
	}
}

// Issue 16, items 23 and 25: config init --locale zh, and config check's
// hints for tabs, a missing file and a commission for an unknown role.
func TestConfigInitAndCheckHints(t *testing.T) {
	dir := t.TempDir()
	zh := filepath.Join(dir, "zh.yaml")
	if code, _, errOut := runCLI(t, dir, "", nil, "config", "init", "--locale", "zh", zh); code != 0 {
		t.Fatalf("config init --locale zh: %s", errOut)
	}
	data, err := os.ReadFile(zh)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\nlocale: zh\n") || !strings.Contains(string(data), "name: 我的店铺") || strings.Contains(string(data), "name: My shop") {
		t.Errorf("config init --locale zh wrote an English playbook")
	}
	code, out, _ := runCLI(t, dir, "", nil, "config", "check", zh)
	if code != 0 || !strings.Contains(out, "OK — 1 shop, 20 metrics") {
		t.Errorf("check of the zh playbook: %d %s", code, out)
	}
	tab := filepath.Join(dir, "tab.yaml")
	os.WriteFile(tab, []byte("locale: en\nshops:\n\t- id: main\n"), 0o644)
	_, out, _ = runCLI(t, dir, "", nil, "config", "check", tab)
	wantAll(t, out, "tab.yaml:3", "indented with a tab")
	_, _, errOut := runCLI(t, dir, "", nil, "config", "check", filepath.Join(dir, "none.yaml"))
	wantAll(t, errOut, "no config file", "opsbot config init")
	role := filepath.Join(dir, "role.yaml")
	os.WriteFile(role, []byte("roles:\n  cs: []\ncommissions:\n  cs:\n    rate: \"2%\"\n  sc:\n    rate: \"1%\"\n"), 0o644)
	_, out, _ = runCLI(t, dir, "", nil, "config", "check", role)
	wantAll(t, out, "commissions.sc", `role "sc" is not under roles`)
}

// Issue 16, item 26: simulate reports every bad script line, lines
// outside the range, runs a command after the post of the same minute,
// and does not offer --db.
func TestSimulateScriptChecksAndOrder(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "s.script")
	os.WriteFile(script, []byte("2026-11-23T07:00 @amy /metric uv=1\nnonsense\n2026-11-23T09:00 amy /help\n2026-11-25T09:00 @amy /help\n"), 0o644)
	code, _, errOut := runCLI(t, dir, "", nil, "simulate", "--from", "2026-11-23T08:00", "--to", "2026-11-24T08:00", "--script", script)
	if code == 0 {
		t.Fatal("a bad script ran")
	}
	wantAll(t, errOut, "4 bad lines", "s.script:1: 2026-11-23T07:00 is outside the simulation", "s.script:2:", "s.script:3:", "s.script:4: 2026-11-25T09:00 is outside")

	os.WriteFile(script, []byte("2026-11-26T10:00 @amy /checklist done replenishment 1\n"), 0o644)
	code, out, errOut := runCLI(t, dir, "", nil, "simulate", "--from", "2026-11-26T08:00", "--to", "2026-11-26T10:30", "--script", script)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	post := strings.Index(out, "10:00 #shop-ops ──\nReplenishment request")
	cmd := strings.Index(out, "10:00 #shop-ops @amy> /checklist done replenishment 1")
	if post < 0 || cmd < 0 || cmd < post || strings.Contains(out, "has not run yet today") {
		t.Errorf("the 10:00 command ran before the 10:00 post:\n%s", out)
	}
	_, _, errOut = runCLI(t, dir, "", nil, "simulate", "--help")
	if strings.Contains(errOut, "-db") {
		t.Errorf("simulate --help offers --db, which it ignores:\n%s", errOut)
	}
}

// Issue 16, item 23: a Chinese team's console and simulation read in
// Chinese: the private-reply note, roles with no members, calendar days.
func TestChineseConsoleAndSimulation(t *testing.T) {
	dir := t.TempDir()
	zh := filepath.Join(dir, "zh.yaml")
	if code, _, errOut := runCLI(t, dir, "", nil, "config", "init", "--locale", "zh", zh); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := runCLI(t, dir, "/metric uv=oops\n", nil, "console", "--config", zh)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	wantAll(t, out, "(仅你可见)", "·  运营助理")
	for _, bad := range []string{"only visible to you", "·  assistant", "·  manager"} {
		if strings.Contains(out, bad) {
			t.Errorf("Chinese console shows %q:\n%s", bad, out)
		}
	}
	// Started without credentials: the line that says so is in Chinese too.
	if code, _, errOut := runCLI(t, dir, "", nil, "--config", zh); code != 0 || !strings.Contains(errOut, "未设置 Slack 凭据,以控制台模式启动") {
		t.Errorf("exit %d, start line not in Chinese:\n%s", code, errOut)
	}
	code, out, errOut = runCLI(t, dir, "", nil, "simulate", "--config", zh, "--from", "2026-09-28T00:00", "--to", "2026-10-02T00:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	wantAll(t, out, "周四 2026-10-01")
	if strings.Contains(out, "Thu 2026-10-01:") {
		t.Errorf("English weekday in a Chinese simulation:\n%s", out)
	}
}

// Issue 16, "done means": a month of the built-in playbook with a scripted
// team, in English and in Chinese, ending with November's monthly report.
// The transcript is compared byte for byte with testdata/month.en.golden
// and month.zh.golden (go test -update -run TestSimulateAMonth . rewrites
// them), and checked for what a user must never see: raw i18n keys, "(s)"
// plurals, English in the Chinese month, a reminder inside quiet hours,
// an anomaly on fewer than 3 days, and ¥0.00 for a figure nobody logged.
func TestSimulateAMonth(t *testing.T) {
	reminder := regexp.MustCompile(`── \S+ \S+ (\d\d):(\d\d) #[^ ]+ ──\n(?:🔁|:repeat:)`)
	rawKey := regexp.MustCompile(`!(item|report|err|metric|checklist|routine|calendar|campaign|campaigns|console|role|audit|figures|stock)\.[a-z_.]+`)
	// The two months are the package's longest tests (a minute each under
	// -race): run side by side, and beside the other long ones, they use
	// both cores.
	t.Parallel()
	for _, loc := range []string{"en", "zh"} {
		t.Run(loc, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfgPath := filepath.Join(dir, "opsbot.yaml")
			if code, _, errOut := runCLI(t, dir, "", nil, "config", "init", "--locale", loc, cfgPath); code != 0 {
				t.Fatal(errOut)
			}
			code, out, errOut := runCLI(t, dir, "", nil, "simulate", "--config", cfgPath, "--from", "2026-11-01T00:00", "--to", "2026-12-01T10:00", "--script", "testdata/month.script", "--files", dir)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			// The temporary directory and the charts' byte counts (which
			// follow the PNG encoder, not anything a user reads) vary.
			out = strings.ReplaceAll(out, dir, "DIR")
			out = regexp.MustCompile(`\.png \(\d+ bytes\)`).ReplaceAllString(out, ".png (PNG)")
			golden := filepath.Join("testdata", "month."+loc+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("the month differs from %s (go test -update -run TestSimulateAMonth . to accept); first difference:\n%s", golden, firstDiff(string(want), out))
			}

			if m := rawKey.FindString(out); m != "" {
				t.Errorf("raw i18n key %q", m)
			}
			for _, bad := range []string{"problem(s)", "day(s)", "item(s)", "note(s)", "metric(s)", " 1 days ", "(1 days "} {
				if strings.Contains(out, bad) {
					t.Errorf("%q in the month", bad)
				}
			}
			reminders := 0
			for _, m := range reminder.FindAllStringSubmatch(out, -1) {
				reminders++
				if h, _ := strconv.Atoi(m[1]); h >= 22 || h < 8 {
					t.Errorf("a reminder at %s:%s, inside quiet hours", m[1], m[2])
				}
			}
			if reminders == 0 {
				t.Error("the refund nobody took was never reminded")
			}
			// Nothing in the script is zero, so no money figure may show
			// as zero: a figure that was not logged (or a commission
			// nobody can be paid) is never a 0.
			if strings.Contains(out, "¥0.00") {
				t.Error("¥0.00 in a month where no money figure was zero")
			}
			for _, must := range map[string][]string{
				"en": {"Monthly report · My shop · 2026-11", "Commissions on sales of ¥218,000.00 (logged on 7 of 30 days)"},
				"zh": {"月报 · 我的店铺 · 2026-11", "提成(销售额 ¥218,000.00"},
			}[loc] {
				if !strings.Contains(out, must) {
					t.Errorf("the month lacks %q", must)
				}
			}
			// A bot first started on Nov 1 reports nothing about October.
			if strings.Contains(out, "2026-10-31 (") || strings.Contains(out, "2026-10\n") {
				t.Error("a report about the days before the bot's first start")
			}
			// Anomalies are flagged against at least 3 days of history.
			anomaly := map[string]*regexp.Regexp{
				"en": regexp.MustCompile(`(?m)^• .* vs (\d+)-day average \(`),
				"zh": regexp.MustCompile(`(?m)^• .* 较近 (\d+) 日均值 [−+]\d+%\(`),
			}[loc]
			found := anomaly.FindAllStringSubmatch(out, -1)
			if len(found) == 0 {
				t.Error("no anomaly in a month with a slump")
			}
			for _, m := range found {
				if n, _ := strconv.Atoi(m[1]); n < 3 {
					t.Errorf("an anomaly against %d days: %s", n, m[0])
				}
			}
			if loc == "zh" {
				for _, line := range mixedLines(out) {
					t.Errorf("a Chinese line with English in it: %s", line)
				}
			}
		})
	}
}

// mixedLines finds the lines of a Chinese transcript that have both
// Chinese and English words, leaving out what the team typed (the script
// is in English), commands and config keys in backticks, file paths and
// time zone names, and the abbreviations a Chinese team uses as they are.
func mixedLines(out string) []string {
	cjk := regexp.MustCompile(`\p{Han}`)
	word := regexp.MustCompile(`[A-Za-z]{2,}`)
	typed := regexp.MustCompile("`[^`]*`|customer waiting|arrived broken|Red winter boots|shop-\\w+|opsbot-\\S+|@\\w+|\\bamy\\b|DIR/[^(),，。]+|Asia/\\w+")
	allowed := map[string]bool{"UV": true, "ROI": true, "SKU": true, "pp": true, "Q&A": true, "PNG": true, "DIR": true}
	var bad []string
	for _, line := range strings.Split(out, "\n") {
		if !cjk.MatchString(line) || strings.Contains(line, "> /") {
			continue
		}
		for _, w := range word.FindAllString(typed.ReplaceAllString(line, ""), -1) {
			if !allowed[w] && !(w == "p" || strings.HasPrefix(w, "p9")) {
				bad = append(bad, line)
				break
			}
		}
	}
	return bad
}

// firstDiff shows where two transcripts part, with a few lines around.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		if i < len(w) && i < len(g) && w[i] == g[i] {
			continue
		}
		lo := max(0, i-3)
		show := func(ls []string) string { return strings.Join(ls[min(lo, len(ls)):min(i+4, len(ls))], "\n") }
		return fmt.Sprintf("line %d\n--- want\n%s\n--- got\n%s", i+1, show(w), show(g))
	}
	return "(none)"
}

// The console's log goes to a file; the first warning says where, once,
// in the team's language.
func TestConsoleLogSaysWhereOnce(t *testing.T) {
	for _, tc := range []struct{ locale, want string }{
		{"en", "opsbot: warnings are written to "},
		{"zh", "opsbot:警告写入 "},
	} {
		path := filepath.Join(t.TempDir(), "opsbot.log")
		var term bytes.Buffer
		log, closer, err := newConsoleLog(path, &term, i18n.New(tc.locale))
		if err != nil {
			t.Fatal(err)
		}
		log.Info("started")
		if term.Len() != 0 {
			t.Errorf("%s: an info line reached the terminal: %q", tc.locale, term.String())
		}
		log.Warn("checklist run missed while the bot was down")
		log.Warn("another")
		closer.Close()
		if got := term.String(); got != tc.want+path+"\n" {
			t.Errorf("%s: terminal got %q, want one line naming %s", tc.locale, got, path)
		}
		data, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(data), "another") {
			t.Errorf("%s: the log file lacks the warnings: %v %q", tc.locale, err, data)
		}
	}
}
