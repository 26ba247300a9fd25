package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"
)

// runFlood measures legitimate commands while attackers post unsigned
// bodies.
func runFlood(args []string, out io.Writer) error {
	var c config
	var attackers, size int
	fs := flag.NewFlagSet("loadgen flood", flag.ContinueOnError)
	fs.StringVar(&c.url, "url", "", "endpoint that takes slash commands")
	fs.StringVar(&c.secret, "secret", "", "the app's signing secret (for the legitimate clients)")
	fs.IntVar(&c.clients, "clients", 8, "legitimate closed-loop clients (0: attack only)")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long to measure")
	fs.DurationVar(&c.warmup, "warmup", time.Second, "flood before measuring, not counted")
	fs.StringVar(&c.text, "text", "uv={n} paid=240", "the legitimate command text")
	fs.StringVar(&c.expect, "expect", "logged for", "a legitimate answer must contain this")
	fs.StringVar(&c.response, "response-url", "", "response_url of the legitimate commands")
	fs.IntVar(&attackers, "attackers", 256, "concurrent attackers, each posting unsigned bodies in a loop")
	fs.IntVar(&size, "size", 1<<20, "bytes in each unsigned body")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.url == "" || c.secret == "" || attackers < 1 || size < 1 || c.clients < 0 {
		return errors.New("flood needs -url, -secret, -attackers ≥ 1 and -size ≥ 1")
	}
	c.command, c.channel, c.chanName = "/metric", "C0OPS", "shop-ops"

	ctx, stop := context.WithCancel(context.Background())
	body := bytes.Repeat([]byte("x"), size)
	var mu sync.Mutex
	statuses := map[string]int{}
	var wg sync.WaitGroup
	tr := &http.Transport{MaxIdleConnsPerHost: attackers, DisableCompression: true}
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	for i := 0; i < attackers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if i%2 == 1 { // fresh timestamp, wrong signature: must be read to be refused
					req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(time.Now().Unix(), 10))
					req.Header.Set("X-Slack-Signature", "v0=0000000000000000000000000000000000000000000000000000000000000000")
				}
				resp, err := hc.Do(req)
				key := "error"
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					key = strconv.Itoa(resp.StatusCode)
				}
				mu.Lock()
				statuses[key]++
				mu.Unlock()
			}
		}(i)
	}
	if c.clients == 0 {
		// Attack only: the legitimate load is measured by another process,
		// so the attackers' own CPU does not delay its clients.
		time.Sleep(c.warmup + c.duration)
		stop()
		wg.Wait()
	} else {
		res, err := load(context.Background(), c)
		stop()
		wg.Wait()
		if err != nil {
			return err
		}
		res.print(out, c)
	}
	keys := make([]string, 0, len(statuses))
	for k := range statuses {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(out, "attackers: %d posting %d-byte unsigned bodies; answers:", attackers, size)
	for _, k := range keys {
		fmt.Fprintf(out, " %s×%d", k, statuses[k])
	}
	fmt.Fprintln(out)
	return nil
}
