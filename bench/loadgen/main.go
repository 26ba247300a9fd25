// Command loadgen measures a Slack app under load: closed-loop slash
// commands from N clients for D seconds, each request signed fresh as
// Slack signs it (v0 HMAC-SHA256, current timestamp, unique trigger_id).
//
//	loadgen load -url URL[,URL…] -secret S [-clients 32] [-duration 10s] [-warmup 1s]
//	             [-command /metric] [-text 'uv={n} paid=240'] [-expect 'logged for']
//	loadgen flood -url URL -secret S [-attackers 256] [-size 1048576] [-clients 8] [-duration 10s]
//	loadgen ready -url URL [-since UNIX_NANOS] [-timeout 10s]
//	loadgen freeport
//
// flood runs the load of "load" while attackers post unsigned bodies of
// -size bytes in a loop, half with no signature headers and half with a
// fresh timestamp and a wrong signature (which the server must read to
// check), and reports the legitimate clients' latency and how many
// attacking requests were answered with what.
//
// With several URLs (replicas), the clients are spread over them round
// robin: client i talks to URL i mod n. load prints requests/s, p50/p95/p99/max latency and errors, then one
// machine-readable line that starts with RESULT. ready polls a health URL
// until it answers 200 and prints the milliseconds since -since (the
// moment the server process was started). freeport prints a free TCP port
// on 127.0.0.1.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"hash"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: %v\n", err)
		os.Exit(1)
	}
}

const usage = `usage:
  loadgen load -url URL -secret S [-clients N] [-duration D] [-warmup D] [-command C] [-text T] [-expect S]
  loadgen flood -url URL -secret S [-attackers N] [-size BYTES] [-clients N] [-duration D]
  loadgen ready -url URL [-since UNIX_NANOS] [-timeout D]
  loadgen freeport`

func run(args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "load":
		return runLoad(args[1:], out)
	case "ready":
		return runReady(args[1:], out)
	case "flood":
		return runFlood(args[1:], out)
	case "freeport":
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("find a free port: %w", err)
		}
		defer ln.Close()
		fmt.Fprintln(out, ln.Addr().(*net.TCPAddr).Port)
		return nil
	default:
		return fmt.Errorf("unknown command %q\n%s", args[0], usage)
	}
}

// config is one load run.
type config struct {
	url, secret       string
	clients           int
	duration, warmup  time.Duration
	command, text     string
	expect, response  string
	channel, chanName string
}

func runLoad(args []string, out io.Writer) error {
	var c config
	fs := flag.NewFlagSet("loadgen load", flag.ContinueOnError)
	fs.StringVar(&c.url, "url", "", "endpoint that takes slash commands, e.g. http://127.0.0.1:3000/slack/commands; several, comma-separated, share the clients round robin")
	fs.StringVar(&c.secret, "secret", "", "the app's signing secret")
	fs.IntVar(&c.clients, "clients", 32, "concurrent clients, each waiting for its answer before the next request")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long to measure")
	fs.DurationVar(&c.warmup, "warmup", time.Second, "load before measuring, not counted")
	fs.StringVar(&c.command, "command", "/metric", "the slash command")
	fs.StringVar(&c.text, "text", "uv={n} pv=35000 orders=420 paid=380 sales=45,600.50", "the command text; {n} is replaced by the request's number")
	fs.StringVar(&c.expect, "expect", "", "an answer must contain this to count as a success")
	fs.StringVar(&c.response, "response-url", "", "the response_url sent with each command")
	fs.StringVar(&c.channel, "channel-id", "C0OPS", "channel_id sent with each command")
	fs.StringVar(&c.chanName, "channel-name", "shop-ops", "channel_name sent with each command")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case c.url == "" || c.secret == "":
		return errors.New("load needs -url and -secret")
	case c.clients < 1 || c.clients > 1024:
		return fmt.Errorf("-clients %d: use 1 to 1024", c.clients)
	case c.duration <= 0 || c.duration > 10*time.Minute || c.warmup < 0 || c.warmup > time.Minute:
		return errors.New("-duration must be within (0, 10m] and -warmup within [0, 1m]")
	}
	res, err := load(context.Background(), c)
	if err != nil {
		return err
	}
	res.print(out, c)
	return nil
}

// result is what a run measured after the warm-up.
type result struct {
	latencies []time.Duration // of successful and failed requests alike
	errors    int
	// Every answered request, warm-up included: what the server should
	// have stored.
	okAll   int
	samples []string // a few distinct error messages
	elapsed time.Duration
}

// maxPerClient bounds the requests of one client in one run.
const maxPerClient = 1_000_000

// load runs the clients and gathers their measurements.
func load(ctx context.Context, c config) (result, error) {
	var prefix [4]byte
	if _, err := rand.Read(prefix[:]); err != nil {
		return result{}, fmt.Errorf("random run id: %w", err)
	}
	runID := hex.EncodeToString(prefix[:])
	var targets []*url.URL
	for _, u := range strings.Split(c.url, ",") {
		target, err := url.Parse(u)
		if err != nil || target.Scheme != "http" || target.Host == "" {
			return result{}, fmt.Errorf("-url %q: want http://HOST:PORT/PATH", u)
		}
		targets = append(targets, target)
	}

	start := time.Now()
	measureFrom := start.Add(c.warmup)
	stop := measureFrom.Add(c.duration)
	var (
		mu  sync.Mutex
		res result
		wg  sync.WaitGroup
		end time.Time
	)
	for id := range c.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl := newClient(targets[id%len(targets)], c, id)
			defer cl.close()
			var lat []time.Duration
			var errs, okAll int
			var samples []string
			for n := 0; n < maxPerClient; n++ {
				sent := time.Now()
				if !sent.Before(stop) || ctx.Err() != nil {
					break
				}
				err := cl.send(c, runID+"."+strconv.Itoa(id)+"."+strconv.Itoa(n), n+1)
				took := time.Since(sent)
				if err == nil {
					okAll++
				}
				if sent.Before(measureFrom) {
					continue
				}
				lat = append(lat, took)
				if err != nil {
					errs++
					if len(samples) < 3 {
						samples = append(samples, err.Error())
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			res.latencies = append(res.latencies, lat...)
			res.errors += errs
			res.okAll += okAll
			for _, s := range samples {
				if len(res.samples) < 5 && !slices.Contains(res.samples, s) {
					res.samples = append(res.samples, s)
				}
			}
			if now := time.Now(); now.After(end) {
				end = now
			}
		}()
	}
	wg.Wait()
	res.elapsed = end.Sub(measureFrom)
	if res.elapsed <= 0 {
		res.elapsed = c.duration
	}
	slices.Sort(res.latencies)
	return res, nil
}

// client is one closed-loop client on a kept-alive connection. It
// writes requests and reads answers itself, rather than through
// net/http's Transport, and builds each body from parts prepared once, so
// that the load generator takes as little of the machine's CPU from the
// server under test as it can.
type client struct {
	target       *url.URL
	before       string // the form fields before text=, URL-encoded
	textA, textB string // the command text around {n}, URL-encoded
	hasN         bool
	mac          hash.Hash // HMAC-SHA256 with the signing secret, as Slack signs
	conn         net.Conn
	r            *bufio.Reader
	w            *bufio.Writer
	body, head   []byte
}

func newClient(target *url.URL, c config, id int) *client {
	a, b, hasN := strings.Cut(c.text, "{n}")
	before := url.Values{
		"token": {"bench-verification-token"}, "team_id": {"T0BENCH"}, "team_domain": {"bench"},
		"channel_id": {c.channel}, "channel_name": {c.chanName},
		"user_id": {"U0BENCH" + strconv.Itoa(id)}, "user_name": {"bench" + strconv.Itoa(id)},
		"command": {c.command}, "api_app_id": {"A0BENCH"}, "is_enterprise_install": {"false"},
		"response_url": {c.response},
	}.Encode()
	return &client{
		target: target, before: before + "&text=", textA: url.QueryEscape(a), textB: url.QueryEscape(b), hasN: hasN,
		mac: hmac.New(sha256.New, []byte(c.secret)),
	}
}

func (cl *client) close() {
	if cl.conn != nil {
		cl.conn.Close()
		cl.conn = nil
	}
}

// send posts one signed slash command, with n in its text and its own
// trigger_id, and checks the answer.
func (cl *client) send(c config, trigger string, n int) error {
	cl.body = append(cl.body[:0], cl.before...)
	cl.body = append(cl.body, cl.textA...)
	if cl.hasN {
		cl.body = strconv.AppendInt(cl.body, int64(n), 10)
	}
	cl.body = append(cl.body, cl.textB...)
	cl.body = append(cl.body, "&trigger_id="...)
	cl.body = append(cl.body, url.QueryEscape(trigger)...)
	if cl.conn == nil {
		conn, err := net.DialTimeout("tcp", cl.target.Host, 5*time.Second)
		if err != nil {
			return fmt.Errorf("connect: %w", err)
		}
		cl.conn, cl.r, cl.w = conn, bufio.NewReaderSize(conn, 16<<10), bufio.NewWriterSize(conn, 8<<10)
	}
	now := time.Now()
	var tsBuf [20]byte
	ts := strconv.AppendInt(tsBuf[:0], now.Unix(), 10)
	cl.mac.Reset()
	cl.mac.Write([]byte("v0:"))
	cl.mac.Write(ts)
	cl.mac.Write([]byte(":"))
	cl.mac.Write(cl.body)
	var sum [sha256.Size]byte
	h := append(cl.head[:0], "POST "...)
	h = append(h, cl.target.RequestURI()...)
	h = append(h, " HTTP/1.1\r\nHost: "...)
	h = append(h, cl.target.Host...)
	h = append(h, "\r\nUser-Agent: Slackbot 1.0 (+https://api.slack.com/robots)\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "...)
	h = strconv.AppendInt(h, int64(len(cl.body)), 10)
	h = append(h, "\r\nX-Slack-Request-Timestamp: "...)
	h = append(h, ts...)
	h = append(h, "\r\nX-Slack-Signature: v0="...)
	h = hex.AppendEncode(h, cl.mac.Sum(sum[:0]))
	h = append(h, "\r\n\r\n"...)
	cl.head = h
	cl.conn.SetDeadline(now.Add(10 * time.Second))
	cl.w.Write(cl.head)
	cl.w.Write(cl.body)
	if err := cl.w.Flush(); err != nil {
		cl.close()
		return fmt.Errorf("send: %w", err)
	}
	resp, err := http.ReadResponse(cl.r, nil)
	if err != nil {
		cl.close()
		return fmt.Errorf("read answer: %w", err)
	}
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil || resp.Close {
		cl.close()
	}
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %.80s", resp.StatusCode, answer)
	}
	if c.expect != "" && !bytes.Contains(answer, []byte(c.expect)) {
		return fmt.Errorf("answer lacks %q: %.120s", c.expect, answer)
	}
	return nil
}

// percentile is the nearest-rank percentile of sorted latencies.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64)
}

func (r result) print(out io.Writer, c config) {
	n := len(r.latencies)
	rps := float64(n) / r.elapsed.Seconds()
	p50, p95, p99 := percentile(r.latencies, 50), percentile(r.latencies, 95), percentile(r.latencies, 99)
	var maxLat time.Duration
	if n > 0 {
		maxLat = r.latencies[n-1]
	}
	fmt.Fprintf(out, "loadgen: %s %s, %d clients, %s measured after %s warm-up\n", c.url, c.command, c.clients, c.duration, c.warmup)
	fmt.Fprintf(out, "  requests %d  errors %d  throughput %.1f req/s\n", n, r.errors, rps)
	fmt.Fprintf(out, "  latency  p50 %s ms  p95 %s ms  p99 %s ms  max %s ms\n", ms(p50), ms(p95), ms(p99), ms(maxLat))
	for _, s := range r.samples {
		fmt.Fprintf(out, "  error: %s\n", s)
	}
	fmt.Fprintf(out, "RESULT rps=%.1f p50=%s p95=%s p99=%s max=%s requests=%d errors=%d ok_all=%d\n", rps, ms(p50), ms(p95), ms(p99), ms(maxLat), n, r.errors, r.okAll)
}

func runReady(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("loadgen ready", flag.ContinueOnError)
	target := fs.String("url", "", "health URL that answers 200 when the server is ready")
	since := fs.Int64("since", 0, "when the server was started, in Unix nanoseconds (date +%s%N); default now")
	timeout := fs.Duration("timeout", 20*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *target == "" {
		return errors.New("ready needs -url")
	}
	from := time.Now()
	if *since > 0 {
		from = time.Unix(0, *since)
	}
	client := &http.Client{Timeout: 500 * time.Millisecond}
	deadline := time.Now().Add(*timeout)
	for time.Now().Before(deadline) {
		resp, err := client.Get(*target)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				fmt.Fprintf(out, "READY ms=%s\n", ms(time.Since(from)))
				return nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer 200 within %s", *target, *timeout)
}
