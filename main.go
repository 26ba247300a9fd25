// Command opsbot runs the operations routine of an online-shop team in
// Slack, or in a terminal that stands in for a Slack channel.
package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"

	"opsbot/bot"
	"opsbot/bot/outbox"
	"opsbot/config"
	"opsbot/i18n"
	"opsbot/metric"
	"opsbot/store"
	"opsbot/telemetry"
)

func main() {
	tuneGC(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv: os.Getenv, clock: clockwork.NewRealClock(),
	}))
}

// env is everything the program takes from its surroundings, so tests can
// drive the real entry point.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	clock          clockwork.Clock
}

// globals are the options every command takes.
type globals struct {
	config string
	db     string
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.config, "config", g.config, "configuration file (env OPSBOT_CONFIG; default: the built-in playbook)")
	fs.StringVar(&g.db, "db", g.db, "database URL: sqlite:PATH or postgres://… (env OPSBOT_DATABASE_URL)")
}

const usage = `opsbot — the daily operations routine of an online-shop team, in Slack.

Usage:
  opsbot [--config PATH] [--db URL]            run the bot (console mode when no Slack credentials are set)
  opsbot console [--user NAME] [--channel NAME] a terminal that stands in for a Slack channel
  opsbot config init [PATH]                     write the built-in playbook as an editable YAML file
  opsbot config check [PATH]                    validate a configuration file
  opsbot simulate --from T --to T [--script F]  preview what the bot would post, on a fake clock
  opsbot backup PATH                            write a consistent backup of the database to PATH
  opsbot health [--live]                        exit 0 when the running bot is ready (alive): for HEALTHCHECK
  opsbot help                                   this text

Global options (every command):
  --config PATH   configuration file (env OPSBOT_CONFIG; default: built-in playbook)
  --db URL        sqlite:PATH or postgres://… (env OPSBOT_DATABASE_URL; default sqlite:opsbot.db)

Operations: OPSBOT_METRICS_ADDR (e.g. :9090) serves /metrics, /healthz and /readyz, in every mode;
HTTP mode also serves them on OPSBOT_ADDR beside Slack's endpoints.
Slack: set SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode).
Run "opsbot COMMAND --help" for a command's options.
`

func run(ctx context.Context, args []string, e env) int {
	g := &globals{config: e.getenv("OPSBOT_CONFIG"), db: e.getenv("OPSBOT_DATABASE_URL")}
	if g.db == "" {
		g.db = store.DefaultURL
	}
	fs := flag.NewFlagSet("opsbot", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprint(e.stderr, usage) }
	g.register(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage(err)
	}
	rest := fs.Args()
	cmd := ""
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	var err error
	switch cmd {
	case "", "run":
		err = runBot(ctx, g, rest, e)
	case "console":
		err = runConsole(ctx, g, rest, e, false)
	case "config":
		err = runConfig(g, rest, e)
	case "simulate":
		err = runSimulate(ctx, g, rest, e)
	case "backup":
		err = runBackup(ctx, g, rest, e)
	case "health":
		err = runHealth(ctx, g, rest, e)
	case "help":
		fmt.Fprint(e.stdout, usage)
	default:
		fmt.Fprintf(e.stderr, "opsbot: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "opsbot: %v\n", err)
		return 2
	default:
		fmt.Fprintf(e.stderr, "opsbot: %v\n", err)
		return 1
	}
}

type usageError struct{ error }

func exitUsage(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// subFlags is a command's flag set; it also takes the global options, so
// they may come before or after the command.
func subFlags(name, synopsis string, g *globals, e env) *flag.FlagSet {
	fs := newFlags(name, synopsis, e)
	g.register(fs)
	return fs
}

// newFlags is an empty flag set for a command, with its usage line.
func newFlags(name, synopsis string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet("opsbot "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: opsbot %s\n\nOptions:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// configFlags is subFlags for a command that takes --config but no --db.
func configFlags(name, synopsis string, g *globals, e env) *flag.FlagSet {
	fs := newFlags(name, synopsis, e)
	fs.StringVar(&g.config, "config", g.config, "configuration file (env OPSBOT_CONFIG; default: the built-in playbook)")
	return fs
}

// configChecks are the features' own checks of a configuration, run by
// `config check` and at every start alike.
func configChecks() []config.Check {
	return []config.Check{metric.CheckLimits}
}

func loadConfig(g *globals, e env) (*config.Config, error) {
	var cfg *config.Config
	var err error
	if g.config == "" {
		cfg, err = config.Default(configChecks()...)
	} else {
		cfg, err = config.Load(g.config, configChecks()...)
	}
	if err != nil {
		return nil, err
	}
	if err := cfg.ApplyEnv(e.getenv); err != nil {
		return nil, fmt.Errorf("environment: %w", err)
	}
	return cfg, nil
}

// runBot runs the bot the way it is configured: in Slack when credentials
// are set, else in the console.
func runBot(ctx context.Context, g *globals, args []string, e env) error {
	fs := subFlags("", "[--config PATH] [--db URL]", g, e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q; see opsbot --help", fs.Arg(0))}
	}
	cfg, err := loadConfig(g, e)
	if err != nil {
		return err
	}
	if cfg.Slack.BotToken == "" {
		fmt.Fprintln(e.stderr, i18n.New(cfg.Locale).T("console.start", g.db))
		return runConsole(ctx, g, nil, e, true)
	}
	return runSlack(ctx, g, cfg, e)
}

// runSlack connects to Slack: Socket Mode with an app token, else HTTP mode
// with a signing secret.
func runSlack(ctx context.Context, g *globals, cfg *config.Config, e env) (err error) {
	defer func() {
		if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
			err = nil // stopped while starting: a clean exit
		}
	}()
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	sc := cfg.Slack
	if !strings.HasPrefix(sc.BotToken, "xoxb-") {
		return errors.New("SLACK_BOT_TOKEN must be a bot token (xoxb-…); copy it from OAuth & Permissions")
	}
	if sc.AppToken != "" && !strings.HasPrefix(sc.AppToken, "xapp-") {
		return errors.New("SLACK_APP_TOKEN must be an app-level token (xapp-…) with connections:write; create it under Basic Information")
	}
	if sc.AppToken == "" && sc.SigningSecret == "" {
		return errors.New("SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode); set one of them")
	}
	metrics, health := telemetry.New(), &telemetry.Health{}
	opts := []slack.Option{slack.OptionAppLevelToken(sc.AppToken)}
	if sc.APIURL != "" {
		u := sc.APIURL
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		opts = append(opts, slack.OptionAPIURL(u))
	}
	// Every Web API call is bounded: a few seconds, uploads longer.
	api := slack.New(sc.BotToken, append(opts, slack.OptionHTTPClient(&http.Client{Transport: metrics.Transport(nil), Timeout: webAPITimeout}))...)
	uploads := slack.New(sc.BotToken, append(opts, slack.OptionHTTPClient(&http.Client{Transport: metrics.Transport(nil), Timeout: bot.DefaultUploadTimeout}))...)

	// Liveness at once, readiness when Slack has answered: a restart
	// during a Slack incident leaves a running bot that connects as soon
	// as Slack is back.
	slackUp := telemetry.NewFlag("waiting for Slack's Web API (auth.test and name resolution)")
	health.AddCheck("slack", slackUp.Check)
	if err := serveOps(ctx, e.getenv("OPSBOT_METRICS_ADDR"), metrics, health, log); err != nil {
		return err
	}
	receiver := &lateHandler{}
	if sc.AppToken == "" {
		srv, lerr := listen(sc.Addr, withOps(receiver, metrics, health), log)
		if lerr != nil {
			return lerr
		}
		defer srv.shutdown(ctx)
		defer func() {
			if err == nil {
				err = srv.wait(ctx)
			}
		}()
	}

	var workspace bot.Workspace
	err = untilSlackAnswers(ctx, e.clock, log, func(ctx context.Context) error {
		auth, err := api.AuthTestContext(ctx)
		if err != nil {
			return fmt.Errorf("check SLACK_BOT_TOKEN with auth.test: %w", err)
		}
		log.Info("connected to Slack", "team", auth.Team, "bot_user", auth.UserID)
		workspace = installation(ctx, api, auth, sc.AppID, log)
		return bot.Resolve(ctx, api, cfg)
	})
	if err != nil {
		return err
	}

	st, err := store.Open(ctx, g.db)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := watch(metrics, health, st, e.clock); err != nil {
		return err
	}
	a, err := newApp(cfg, st, e.clock, log, withUploads{api, uploads}, outbox.Options{})
	if err != nil {
		return err
	}
	a.router.SetSealKey(sealKey(sc.BotToken))
	// The sender stops when the receiver does, whatever the reason (a
	// signal, or Slack disabling Socket Mode).
	senderCtx, stopSender := context.WithCancel(ctx)
	defer stopSender()
	senderDone := make(chan error, 1)
	go func() { senderDone <- a.sender.Run(senderCtx) }()
	if err := a.runner.Start(ctx); err != nil {
		return err
	}
	defer a.runner.Stop()

	sl := &bot.Slack{App: a.router, API: withUploads{api, uploads}, Dedup: st, Clock: e.clock, Log: log, Observer: metrics, Workspace: workspace, Token: sc.BotToken}
	defer func() {
		// Finish what was acknowledged before exiting.
		wait, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		sl.Wait(wait)
	}()
	go releaseStartMemory()
	if sc.AppToken != "" {
		slackUp.Set()
		log.Info("starting in Socket Mode")
		err = (&bot.SocketReceiver{Slack: sl, Opener: api}).Run(ctx)
	} else {
		receiver.set((&bot.HTTPReceiver{Slack: sl, SigningSecret: sc.SigningSecret, RefusalDelay: 3 * time.Second}).Handler())
		slackUp.Set()
		log.Info("serving Slack in HTTP mode", "addr", sc.Addr, "endpoints", "/slack/commands /slack/interactions /slack/events")
		<-ctx.Done()
	}
	stopSender()
	if serr := <-senderDone; serr != nil && err == nil {
		err = serr
	}
	return err
}

// sealKey is the key that seals modal metadata, the same on every replica
// of one installation: derived from the bot token, which they all hold.
func sealKey(botToken string) []byte {
	k := sha256.Sum256([]byte("opsbot modal metadata\x00" + botToken))
	return k[:]
}

// installation is the workspace the bot serves: the team and Grid
// organisation from auth.test, and the app from SLACK_APP_ID or, failing
// that, bots.info. Requests from anything else are refused.
func installation(ctx context.Context, api *slack.Client, auth *slack.AuthTestResponse, appID string, log *slog.Logger) bot.Workspace {
	w := bot.Workspace{TeamID: auth.TeamID, EnterpriseID: auth.EnterpriseID, AppID: appID}
	if w.AppID == "" && auth.BotID != "" {
		if b, err := api.GetBotInfoContext(ctx, slack.GetBotInfoParameters{Bot: auth.BotID}); err == nil && b != nil {
			w.AppID = b.AppID
		} else {
			log.Warn("cannot learn the app ID from bots.info; set SLACK_APP_ID so requests for other apps are refused", "err", err)
		}
	}
	log.Info("serving one installation", "team_id", w.TeamID, "enterprise_id", w.EnterpriseID, "app_id", w.AppID)
	return w
}

// webAPITimeout bounds one Web API call; uploads get longer.
const webAPITimeout = bot.DefaultAPITimeout

// server is the HTTP listener: health from the start, Slack's endpoints
// once the bot is ready (HTTP mode).
type server struct {
	srv  *http.Server
	addr string
	errc chan error
}

// connReadBuffer is the kernel receive buffer of each HTTP connection.
const connReadBuffer = 64 << 10

// listen starts serving h on addr at once.
func listen(addr string, h http.Handler, log *slog.Logger) (*server, error) {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			// Slack's requests are a few kilobytes. A small receive buffer
			// keeps a client that pushes large bodies we refuse unread
			// from parking megabytes in the kernel for each connection.
			if tc, ok := c.(*net.TCPConn); ok {
				_ = tc.SetReadBuffer(connReadBuffer)
			}
			return ctx
		}}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s := &server{srv: srv, addr: ln.Addr().String(), errc: make(chan error, 1)}
	log.Info("listening", "addr", s.addr, "health", "/healthz /readyz")
	go func() { s.errc <- srv.Serve(ln) }()
	return s, nil
}

// wait serves until ctx is done or the server fails.
func (s *server) wait(ctx context.Context) error {
	select {
	case err := <-s.errc:
		return fmt.Errorf("serve HTTP: %w", err)
	case <-ctx.Done():
		return nil
	}
}

// shutdown stops the server gracefully.
func (s *server) shutdown(ctx context.Context) {
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(stop)
}

// lateHandler answers 503 until the real handler is set.
type lateHandler struct{ h atomic.Pointer[http.Handler] }

func (l *lateHandler) set(h http.Handler) { l.h.Store(&h) }

func (l *lateHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := l.h.Load(); h != nil {
		(*h).ServeHTTP(w, r)
		return
	}
	w.Header().Set("Retry-After", "5")
	http.Error(w, "opsbot is starting: waiting for Slack's Web API", http.StatusServiceUnavailable)
}

// withUploads is a Web API client whose file uploads go through a client
// with a longer time limit.
type withUploads struct {
	*slack.Client
	uploads *slack.Client
}

func (w withUploads) UploadFileContext(ctx context.Context, p slack.UploadFileParameters) (*slack.FileSummary, error) {
	return w.uploads.UploadFileContext(ctx, p)
}

// untilSlackAnswers runs f until it succeeds, retrying with capped,
// jittered backoff while Slack is unreachable or failing (network errors,
// timeouts, 5xx, 429). Any other error (a refused token, a name that is
// not in the workspace) is returned at once: waiting cannot fix it.
func untilSlackAnswers(ctx context.Context, clock clockwork.Clock, log *slog.Logger, f func(context.Context) error) error {
	for attempt := 1; ; attempt++ {
		err := f(ctx)
		if err == nil || !transient(err) {
			return err
		}
		wait := bot.Backoff(attempt, time.Minute, rand.Float64())
		log.Warn("Slack's Web API is not answering; retrying", "attempt", attempt, "err", err, "retry_in", wait.Round(time.Millisecond))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-clock.After(wait):
		}
	}
}

// transient reports whether an error from the Web API may go away by
// itself.
func transient(err error) bool {
	var status slack.StatusCodeError
	var limited *slack.RateLimitedError
	var netErr net.Error
	switch {
	case errors.As(err, &status):
		return status.Code >= 500 || status.Code == http.StatusTooManyRequests
	case errors.As(err, &limited), errors.As(err, &netErr), errors.Is(err, context.DeadlineExceeded):
		return true
	}
	var ue *url.Error
	return errors.As(err, &ue)
}

// runConsole talks to the bot in a terminal, or through a pipe for scripts.
func runConsole(ctx context.Context, g *globals, args []string, e env, parsed bool) error {
	cfg, err := loadConfig(g, e)
	if err != nil {
		return err
	}
	user := e.getenv("USER")
	if user == "" {
		user = "me"
	}
	fs := subFlags("console", "console [--user NAME] [--channel NAME] [--files DIR]", g, e)
	fs.StringVar(&user, "user", user, "who you are in the conversation (a Slack user name)")
	channel := fs.String("channel", strings.TrimPrefix(cfg.Channels.Team, "#"), "the channel you type in")
	files := fs.String("files", ".", "where attached files (CSV exports, charts) are written")
	if !parsed {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return usageError{fmt.Errorf("unexpected argument %q; see opsbot console --help", fs.Arg(0))}
		}
		if cfg, err = loadConfig(g, e); err != nil { // --config may follow the command
			return err
		}
	}
	// The log goes to a file beside the database, so warnings (a run
	// missed while the bot was down…) do not break into the prompt.
	log, logFile, err := newConsoleLog(consoleLogPath(g.db), e.stderr, i18n.New(cfg.Locale))
	if err != nil {
		return err
	}
	defer logFile.Close()
	st, err := store.Open(ctx, g.db)
	if err != nil {
		return err
	}
	defer st.Close()
	metrics, health := telemetry.New(), &telemetry.Health{}
	if err := watch(metrics, health, st, e.clock); err != nil {
		return err
	}
	if err := serveOps(ctx, e.getenv("OPSBOT_METRICS_ADDR"), metrics, health, log); err != nil {
		return err
	}
	// What the bot posts on its own (checklists, nudges, alerts) is printed
	// in the terminal, unpaced: there is no Slack rate limit to respect.
	// Files the bot uploads on its own (report charts) are written to --files.
	printer := bot.PrintFiles{PrintAPI: &bot.PrintAPI{Out: e.stdout, Clock: e.clock, Loc: cfg.Location, Updated: i18n.New(cfg.Locale).T("console.updated")}, Dir: *files}
	a, err := newApp(cfg, st, e.clock, log, printer, outbox.Options{ChannelInterval: time.Nanosecond})
	if err != nil {
		return err
	}
	a.stock.EnableFileImport() // the terminal's user may name files on this machine
	c := &bot.Console{
		Handler:     a.router,
		Clock:       e.clock,
		In:          e.stdin,
		Out:         e.stdout,
		User:        strings.TrimPrefix(user, "@"),
		Channel:     strings.TrimPrefix(*channel, "#"),
		Interactive: isTerminal(e.stdin),
		FileDir:     *files,
		Private:     i18n.New(cfg.Locale).T("console.ephemeral"),
		// Scheduled work runs before and after each command, in line, so
		// a piped script always prints the same thing.
		Around: func(ctx context.Context) {
			if err := a.tickAndFlush(ctx, e.clock); err != nil {
				log.Error("scheduled work", "err", err)
			}
		},
	}
	if c.Interactive {
		fmt.Fprintln(e.stdout, "opsbot console — type a slash command as in Slack (/help), exit to leave.")
		// At a prompt, checklists also arrive on their own as time passes.
		if err := a.runner.Start(ctx); err != nil {
			return err
		}
		defer a.runner.Stop()
		runCtx, stop := context.WithCancel(ctx)
		defer stop()
		go a.sender.Run(runCtx)
	}
	return c.Run(ctx)
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// runConfig writes or checks configuration files.
func runConfig(g *globals, args []string, e env) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprint(e.stderr, "Usage:\n  opsbot config init [--force] [--locale zh] [PATH]   write the built-in playbook (default opsbot.yaml)\n  opsbot config check [PATH]            validate a file (default --config, else opsbot.yaml)\n")
		if len(args) == 0 {
			return usageError{errors.New("config needs init or check")}
		}
		return nil
	}
	switch args[0] {
	case "init":
		fs := subFlags("config init", "config init [--force] [--locale en|zh] [PATH]", g, e)
		force := fs.Bool("force", false, "overwrite an existing file")
		locale := fs.String("locale", "en", "the team's language: en or zh")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		path := "opsbot.yaml"
		if fs.NArg() > 0 {
			path = fs.Arg(0)
		}
		if *locale != "en" && *locale != "zh" {
			return usageError{fmt.Errorf("--locale %q: use en or zh", *locale)}
		}
		flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
		if *force {
			flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		}
		f, err := os.OpenFile(path, flags, 0o644)
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s exists already; use --force to overwrite it", path)
		}
		if err != nil {
			return fmt.Errorf("write config: %w", err)
		}
		if _, err := f.Write(config.PlaybookYAML(*locale)); err != nil {
			f.Close()
			return fmt.Errorf("write config %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("write config %s: %w", path, err)
		}
		fmt.Fprintf(e.stdout, "Wrote %s. Edit it, check it with `opsbot config check %s`, and run with `opsbot --config %s`.\n", path, path, path)
		return nil
	case "check":
		fs := subFlags("config check", "config check [PATH]", g, e)
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		path := g.config
		if fs.NArg() > 0 {
			path = fs.Arg(0)
		}
		if path == "" {
			path = "opsbot.yaml"
		}
		cfg, err := config.Load(path, configChecks()...)
		var probs *config.Problems
		if errors.As(err, &probs) {
			fmt.Fprintln(e.stdout, probs.Error())
			return fmt.Errorf("%s: %s", path, count(len(probs.List), "problem"))
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s: OK — %s, %s, %s, locale %s, time zone %s\n",
			path, count(len(cfg.Shops), "shop"), count(len(cfg.Metrics), "metric"), count(len(cfg.Checklists), "checklist"), cfg.Locale, cfg.Timezone)
		return nil
	default:
		return usageError{fmt.Errorf("unknown config command %q; use init or check", args[0])}
	}
}

// count is "1 shop", "2 shops".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
