// Command floor is the least a Go app can do for bench/peer.sh's load: a
// net/http server that verifies Slack's signature with slack-go, parses the
// /metric key=value pairs and acknowledges with a JSON summary, storing
// nothing, as the Bolt app does. It is not opsbot; it shows how much of the
// load is the HTTP round trip itself on the machine at hand.
//
//	SLACK_SIGNING_SECRET=… PORT=3002 floor
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
)

func main() {
	secret := os.Getenv("SLACK_SIGNING_SECRET")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("POST /slack/commands", func(w http.ResponseWriter, r *http.Request) {
		v, err := slack.NewSecretsVerifier(r.Header, secret)
		if err != nil {
			http.Error(w, "unsigned", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(io.TeeReader(http.MaxBytesReader(w, r.Body, 1<<20), &v))
		if err != nil || v.Ensure() != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		cmd, err := slack.SlashCommandParse(requestWith(r, body))
		if err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		var parts, bad []string
		for _, tok := range strings.Fields(cmd.Text) {
			k, val, ok := strings.Cut(tok, "=")
			n, err := strconv.ParseFloat(strings.ReplaceAll(val, ",", ""), 64)
			if !ok || k == "" || err != nil || n < 0 {
				bad = append(bad, tok)
				continue
			}
			parts = append(parts, strings.ToLower(k)+"="+strconv.FormatFloat(n, 'f', -1, 64))
		}
		msg := slack.Msg{ResponseType: slack.ResponseTypeInChannel,
			Text: fmt.Sprintf("<@%s> logged %d figure(s): %s", cmd.UserID, len(parts), strings.Join(parts, ", "))}
		if len(bad) > 0 {
			msg = slack.Msg{ResponseType: slack.ResponseTypeEphemeral, Text: "Not a key=value pair: " + strings.Join(bad, " ")}
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(msg); err != nil {
			log.Printf("answer: %v", err)
		}
	})
	addr := "127.0.0.1:" + os.Getenv("PORT")
	log.Fatal(http.ListenAndServe(addr, mux))
}

// requestWith is r with its body read already, for slack-go's form parser.
func requestWith(r *http.Request, body []byte) *http.Request {
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(strings.NewReader(string(body)))
	return r2
}
