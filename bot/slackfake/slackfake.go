// Package slackfake is a fake Slack for tests: an HTTP server on 127.0.0.1
// that answers the Web API methods opsbot uses the way Slack documents them
// ({"ok":true,…} or {"ok":false,"error":"…"} with HTTP 200), records every
// call, fails on demand (scripted answers, or a dead network), and serves
// Socket Mode over a WebSocket.
//
// Point a real client at it:
//
//	fake := slackfake.New(t)
//	api := slack.New("xoxb-test", slack.OptionAPIURL(fake.URL()), slack.OptionAppLevelToken("xapp-test"))
package slackfake

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// The identity auth.test reports.
const (
	TeamID    = "T0FAKE"
	BotUserID = "U0BOT"
	BotID     = "B0BOT"
	AppID     = "A0FAKE"
)

// Pseudo methods under which calls that are not Web API methods are
// recorded and can be scripted.
const (
	// MethodUpload is a POST to an upload_url from files.getUploadURLExternal.
	MethodUpload = "upload"
	// MethodResponseURL is a POST to a URL from ResponseURL.
	MethodResponseURL = "response_url"
	// MethodFileDownload is a GET of a shared file's url_private_download.
	MethodFileDownload = "file_download"
)

// Slack's limits that the fake enforces.
const (
	maxTextLen       = 40000
	defaultListLimit = 100
	maxListLimit     = 1000
	maxBodyBytes     = 16 << 20
)

// Call is one request the server received.
type Call struct {
	Method string
	// Params holds the query and form fields (for multipart bodies, the
	// non-file fields).
	Params url.Values
	// JSON is the decoded body when it was a JSON object.
	JSON map[string]any
	Body []byte
	At   time.Time
	// Status is the HTTP status answered, 0 when the connection was dropped.
	Status int
	// Error is the "error" of an {"ok":false} answer.
	Error string
}

// Response is a scripted answer: Status (200 when zero), extra headers, and
// the body as is.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Message is a message as it stands in a channel.
type Message struct {
	TS       string
	ThreadTS string
	Text     string
	Blocks   json.RawMessage
	// Edits counts the chat.update calls that changed it.
	Edits int
}

// File is an uploaded file.
type File struct {
	ID, Name string
	Length   int
	Content  []byte
	Uploaded bool
	// Set by files.completeUploadExternal.
	Completed      bool
	Title, Channel string
	InitialComment string
}

type channel struct {
	ID, Name string
	Member   bool
}

type user struct {
	ID, Name, RealName, DisplayName string
}

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	t        testing.TB
	hs       *httptest.Server
	upgrader websocket.Upgrader

	mu           sync.Mutex
	changed      chan struct{} // closed and replaced on every change, to wake waiters
	calls        []Call
	script       map[string][]Response
	down         bool
	channels     []*channel
	users        []user
	messages     map[string][]*Message // by channel
	tsSeq        int
	idSeq        int
	responseURLs map[string]bool
	files        map[string]*File
	shared       map[string][]byte // files people shared, by download path
	dms          map[string]string // users (comma-joined) → DM channel ID
	views        map[string]map[string]any
	pingInterval time.Duration
	opened       int                 // WebSocket connections opened in total
	sockets      []*socket           // open, newest last
	acks         map[string]chan ack // by envelope ID
}

// New starts a fake Slack that is closed when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		t:            t,
		changed:      make(chan struct{}),
		script:       make(map[string][]Response),
		messages:     make(map[string][]*Message),
		responseURLs: make(map[string]bool),
		files:        make(map[string]*File),
		shared:       make(map[string][]byte),
		dms:          make(map[string]string),
		views:        make(map[string]map[string]any),
		acks:         make(map[string]chan ack),
		pingInterval: 5 * time.Second,
		upgrader:     websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
	}
	s.hs = httptest.NewServer(s)
	t.Cleanup(s.close)
	return s
}

func (s *Server) close() {
	s.mu.Lock()
	socks := slices.Clone(s.sockets)
	s.mu.Unlock()
	for _, sk := range socks {
		sk.conn.Close()
	}
	s.hs.Close()
}

// URL is the Web API base URL, ending in "/api/", for slack.OptionAPIURL.
func (s *Server) URL() string { return s.hs.URL + "/api/" }

// Calls returns the calls of one method in the order they were answered,
// or every call when method is "".
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Script queues answers for a method, used in order before its normal
// behaviour: e.g. Response{Status: 429, Header: http.Header{"Retry-After": {"1"}}}.
func (s *Server) Script(method string, rs ...Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script[method] = append(s.script[method], rs...)
}

// SetDown cuts the network: while down, every request's connection is
// closed without an answer, and open Socket Mode connections are dropped.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	s.down = down
	var socks []*socket
	if down {
		socks, s.sockets = s.sockets, nil
		s.notifyLocked()
	}
	s.mu.Unlock()
	for _, sk := range socks {
		sk.conn.Close()
	}
}

// AddChannel adds a channel to the directory. Once any channel exists,
// posting to an unknown one answers channel_not_found.
func (s *Server) AddChannel(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels = append(s.channels, &channel{ID: id, Name: strings.TrimPrefix(name, "#")})
}

// AddUser adds a user to the directory.
func (s *Server) AddUser(id, name, realName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users = append(s.users, user{ID: id, Name: name, RealName: realName})
}

// AddUserProfile adds a user whose display name differs from the handle:
// people edit their display and real names, not their handle.
func (s *Server) AddUserProfile(id, name, displayName, realName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users = append(s.users, user{ID: id, Name: name, RealName: realName, DisplayName: displayName})
}

// Messages returns the messages now in a channel (by ID, or by name when
// it was added), oldest first.
func (s *Server) Messages(ch string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.findChannel(ch); c != nil {
		ch = c.ID
	}
	var out []Message
	for _, m := range s.messages[ch] {
		out = append(out, *m)
	}
	return out
}

// Files returns the files announced through files.getUploadURLExternal.
func (s *Server) Files() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []File
	for _, f := range s.files {
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// ResponseURL makes a fresh response_url on this server.
func (s *Server) ResponseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextID("R")
	s.responseURLs[id] = true
	return s.hs.URL + "/response/" + id
}

// ResponsePosts returns the posts to response URLs, oldest first.
func (s *Server) ResponsePosts() []Call { return s.Calls(MethodResponseURL) }

// SetPingInterval sets how often Socket Mode connections opened from now
// on are pinged; slack-go reconnects when pings stop for its own interval
// (30 s unless set with socketmode.OptionPingInterval).
func (s *Server) SetPingInterval(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pingInterval = d
}

// notifyLocked wakes everyone waiting for a change; s.mu is held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) nextID(prefix string) string {
	s.idSeq++
	return fmt.Sprintf("%s%07d", prefix, s.idSeq)
}

// nextTS makes message timestamps as Slack does: seconds and microseconds,
// unique and increasing within the workspace.
func (s *Server) nextTS() string {
	s.tsSeq++
	return fmt.Sprintf("%d.%06d", 1700000000+s.tsSeq/10000, s.tsSeq%10000*100)
}

func (s *Server) findChannel(idOrName string) *channel {
	name := strings.TrimPrefix(idOrName, "#")
	for _, c := range s.channels {
		if c.ID == idOrName || c.Name == name {
			return c
		}
	}
	return nil
}

// resolveChannel turns what a client sent into the channel ID Slack would
// answer with; with an empty directory every channel exists.
func (s *Server) resolveChannel(idOrName string) (string, bool) {
	if idOrName == "" {
		return "", false
	}
	if c := s.findChannel(idOrName); c != nil {
		return c.ID, true
	}
	for _, id := range s.dms {
		if id == idOrName {
			return id, true
		}
	}
	return idOrName, len(s.channels) == 0
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/files-pri/") {
		s.serveShared(w, r)
		return
	}
	method, ok := s.route(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if method == "socket" {
		s.serveSocket(w, r)
		return
	}
	c := Call{Method: method, At: time.Now()}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		return // the client went away
	}
	c.Body = body
	file := parseBody(r, &c)

	s.mu.Lock()
	if s.down {
		s.record(c)
		s.mu.Unlock()
		hangUp(w)
		return
	}
	if rs := s.script[method]; len(rs) > 0 {
		s.script[method] = rs[1:]
		resp := rs[0]
		c.Status = cmp.Or(resp.Status, http.StatusOK)
		var answer struct{ Error string }
		_ = json.Unmarshal([]byte(resp.Body), &answer)
		c.Error = answer.Error
		s.record(c)
		s.mu.Unlock()
		for k, vs := range resp.Header {
			w.Header()[k] = vs
		}
		if w.Header().Get("Content-Type") == "" && strings.HasPrefix(resp.Body, "{") {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
		}
		w.WriteHeader(c.Status)
		_, _ = io.WriteString(w, resp.Body)
		return
	}
	status, answer := s.answer(r, &c, file)
	c.Status = status
	if e, ok := answer["error"].(string); ok {
		c.Error = e
	}
	s.record(c)
	s.mu.Unlock()

	switch {
	case method == MethodUpload && status == http.StatusOK:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "OK - %d", len(file))
	case answer == nil:
		w.WriteHeader(status)
	default:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(answer)
	}
}

// ShareFile stores a file as if a person had uploaded it to Slack and
// returns its url_private_download.
func (s *Server) ShareFile(id, name string, content []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	path := "/files-pri/T1-" + id + "/download/" + url.PathEscape(name)
	s.shared[path] = content
	return s.hs.URL + path
}

// serveShared serves a shared file as Slack does: only with a bot or user
// token in the Authorization header. Without one Slack answers 200 with
// its HTML sign-in page, not an error, and so does the fake.
func (s *Server) serveShared(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	content, ok := s.shared[r.URL.EscapedPath()]
	s.record(Call{Method: MethodFileDownload, At: time.Now(), Params: url.Values{"authorization": {r.Header.Get("Authorization")}}})
	s.mu.Unlock()
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "Bearer xoxb-") && !strings.HasPrefix(auth, "Bearer xoxp-") {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, "<!DOCTYPE html><html><body>Sign in to Slack</body></html>")
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(content)
}

func (s *Server) route(path string) (string, bool) {
	switch {
	case strings.HasPrefix(path, "/api/"):
		return strings.TrimPrefix(path, "/api/"), true
	case strings.HasPrefix(path, "/upload/"):
		return MethodUpload, true
	case strings.HasPrefix(path, "/response/"):
		return MethodResponseURL, true
	case path == "/socket":
		return "socket", true
	}
	return "", false
}

// record keeps a call; s.mu is held.
func (s *Server) record(c Call) {
	s.calls = append(s.calls, c)
	s.notifyLocked()
}

// hangUp closes the connection without a word, as a dead network would.
func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("slackfake: the response writer cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}

// parseBody fills Params and JSON from the request and returns the content
// of a multipart file part, or the raw body when there is none.
func parseBody(r *http.Request, c *Call) []byte {
	c.Params = r.URL.Query()
	ctype, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ctype {
	case "application/x-www-form-urlencoded":
		if form, err := url.ParseQuery(string(c.Body)); err == nil {
			for k, vs := range form {
				c.Params[k] = append(c.Params[k], vs...)
			}
		}
	case "application/json":
		if len(bytes.TrimSpace(c.Body)) > 0 {
			_ = json.Unmarshal(c.Body, &c.JSON)
		}
	case "multipart/form-data":
		var file []byte
		mr := multipart.NewReader(bytes.NewReader(c.Body), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			data, _ := io.ReadAll(p)
			if p.FileName() != "" {
				file = data
			} else {
				c.Params.Add(p.FormName(), string(data))
			}
		}
		return file
	}
	return c.Body
}

// param reads a parameter from the form or the JSON body.
func param(c *Call, key string) string {
	if v, ok := c.Params[key]; ok && len(v) > 0 {
		return v[0]
	}
	switch v := c.JSON[key].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// token is the token a call carries, in the header or the form.
func token(r *http.Request, c *Call) string {
	if t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && t != "" {
		return t
	}
	return param(c, "token")
}

type obj = map[string]any

func fail(code string) (int, obj) { return http.StatusOK, obj{"ok": false, "error": code} }

func ok(fields obj) (int, obj) {
	out := obj{"ok": true}
	for k, v := range fields {
		out[k] = v
	}
	return http.StatusOK, out
}

// answer performs a call; s.mu is held.
func (s *Server) answer(r *http.Request, c *Call, file []byte) (int, obj) {
	switch c.Method {
	case MethodUpload:
		return s.upload(r, file)
	case MethodResponseURL:
		if !s.responseURLs[strings.TrimPrefix(r.URL.Path, "/response/")] {
			return http.StatusNotFound, nil
		}
		return ok(nil)
	case "apps.connections.open":
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer xapp-") {
			return fail("invalid_auth")
		}
		return ok(obj{"url": fmt.Sprintf("ws://%s/socket?n=%d", s.hs.Listener.Addr(), s.opened+1)})
	}
	tok := token(r, c)
	switch {
	case tok == "":
		return fail("not_authed")
	case strings.HasPrefix(tok, "xapp-"):
		return fail("not_allowed_token_type")
	}
	switch c.Method {
	case "auth.test":
		return ok(obj{"url": "https://fake.slack.com/", "team": "Fake", "user": "opsbot",
			"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID})
	case "bots.info":
		if param(c, "bot") != BotID {
			return fail("bot_not_found")
		}
		return ok(obj{"bot": obj{"id": BotID, "app_id": AppID, "user_id": BotUserID, "name": "opsbot", "deleted": false}})
	case "chat.postMessage":
		return s.postMessage(c)
	case "chat.update":
		return s.updateMessage(c)
	case "chat.postEphemeral":
		return s.postEphemeral(c)
	case "chat.delete":
		return s.deleteMessage(c)
	case "views.open", "views.update", "views.publish":
		return s.view(c)
	case "conversations.list":
		return s.listChannels(c)
	case "users.list":
		return s.listUsers(c)
	case "conversations.join":
		return s.join(c)
	case "conversations.open":
		return s.openDM(c)
	case "files.getUploadURLExternal":
		return s.uploadURL(c)
	case "files.completeUploadExternal":
		return s.completeUpload(c)
	}
	return fail("unknown_method")
}

// content validates a message's text and blocks as chat.postMessage does.
func content(c *Call) (text string, blocks json.RawMessage, errCode string) {
	text = param(c, "text")
	if b := param(c, "blocks"); b != "" {
		var list []map[string]any
		if err := json.Unmarshal([]byte(b), &list); err != nil {
			return "", nil, "invalid_blocks"
		}
		for _, blk := range list {
			if _, ok := blk["type"].(string); !ok {
				return "", nil, "invalid_blocks"
			}
		}
		if len(list) > 0 {
			blocks = json.RawMessage(b)
		}
	}
	switch {
	case text == "" && blocks == nil && param(c, "attachments") == "":
		return "", nil, "no_text"
	case len(text) > maxTextLen:
		return "", nil, "msg_too_long"
	}
	return text, blocks, ""
}

func messageObj(m *Message) obj {
	o := obj{"type": "message", "user": BotUserID, "bot_id": BotID, "text": m.Text, "ts": m.TS}
	if m.Blocks != nil {
		o["blocks"] = m.Blocks
	}
	if m.ThreadTS != "" {
		o["thread_ts"] = m.ThreadTS
	}
	return o
}

func (s *Server) postMessage(c *Call) (int, obj) {
	ch, found := s.resolveChannel(param(c, "channel"))
	if !found {
		return fail("channel_not_found")
	}
	text, blocks, code := content(c)
	if code != "" {
		return fail(code)
	}
	m := &Message{TS: s.nextTS(), ThreadTS: param(c, "thread_ts"), Text: text, Blocks: blocks}
	s.messages[ch] = append(s.messages[ch], m)
	return ok(obj{"channel": ch, "ts": m.TS, "message": messageObj(m)})
}

func (s *Server) findMessage(ch, ts string) (int, bool) {
	for i, m := range s.messages[ch] {
		if m.TS == ts {
			return i, true
		}
	}
	return 0, false
}

func (s *Server) updateMessage(c *Call) (int, obj) {
	ch, found := s.resolveChannel(param(c, "channel"))
	if !found {
		return fail("channel_not_found")
	}
	i, found := s.findMessage(ch, param(c, "ts"))
	if !found {
		return fail("message_not_found")
	}
	text, blocks, code := content(c)
	if code != "" {
		return fail(code)
	}
	m := s.messages[ch][i]
	m.Text, m.Blocks = text, blocks
	m.Edits++
	return ok(obj{"channel": ch, "ts": m.TS, "text": m.Text, "message": messageObj(m)})
}

func (s *Server) postEphemeral(c *Call) (int, obj) {
	if _, found := s.resolveChannel(param(c, "channel")); !found {
		return fail("channel_not_found")
	}
	if param(c, "user") == "" {
		return fail("user_not_found")
	}
	if _, _, code := content(c); code != "" {
		return fail(code)
	}
	return ok(obj{"message_ts": s.nextTS()})
}

func (s *Server) deleteMessage(c *Call) (int, obj) {
	ch, found := s.resolveChannel(param(c, "channel"))
	if !found {
		return fail("channel_not_found")
	}
	ts := param(c, "ts")
	i, found := s.findMessage(ch, ts)
	if !found {
		return fail("message_not_found")
	}
	s.messages[ch] = slices.Delete(s.messages[ch], i, i+1)
	return ok(obj{"channel": ch, "ts": ts})
}

func (s *Server) view(c *Call) (int, obj) {
	var view map[string]any
	if err := json.Unmarshal([]byte(param(c, "view")), &view); err != nil || view == nil {
		return fail("invalid_arguments")
	}
	var id string
	switch c.Method {
	case "views.open":
		if param(c, "trigger_id") == "" {
			return fail("invalid_arguments")
		}
		id = s.nextID("V")
	case "views.update":
		id = param(c, "view_id")
		if ext := param(c, "external_id"); id == "" && ext != "" {
			for vid, v := range s.views {
				if v["external_id"] == ext {
					id = vid
				}
			}
		}
		if id == "" {
			return fail("invalid_arguments")
		}
		if s.views[id] == nil {
			return fail("not_found")
		}
	case "views.publish":
		if param(c, "user_id") == "" {
			return fail("invalid_arguments")
		}
		id = s.nextID("V")
	}
	view["id"] = id
	view["team_id"] = TeamID
	view["app_id"] = AppID
	view["bot_id"] = BotID
	view["hash"] = strconv.Itoa(s.idSeq) + ".fakehash"
	s.views[id] = view
	return ok(obj{"view": view})
}

// page cuts one page out of a list as Slack's cursor pagination does.
func page[T any](c *Call, items []T, defaultLimit int) (_ []T, next string, errCode string) {
	limit := defaultLimit
	if l := param(c, "limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 {
			return nil, "", "invalid_limit"
		}
		if n > 0 {
			limit = min(n, maxListLimit)
		}
	}
	start := 0
	if cur := param(c, "cursor"); cur != "" {
		raw, err := base64.StdEncoding.DecodeString(cur)
		n, found := strings.CutPrefix(string(raw), "offset:")
		if err == nil && found {
			start, err = strconv.Atoi(n)
		}
		if err != nil || !found || start < 0 || start > len(items) {
			return nil, "", "invalid_cursor"
		}
		items = items[start:]
	}
	if limit == 0 || limit >= len(items) {
		return items, "", ""
	}
	return items[:limit], base64.StdEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(start+limit))), ""
}

func (s *Server) listChannels(c *Call) (int, obj) {
	chans, next, code := page(c, s.channels, defaultListLimit)
	if code != "" {
		return fail(code)
	}
	list := []obj{}
	for _, ch := range chans {
		list = append(list, channelObj(ch))
	}
	return ok(obj{"channels": list, "response_metadata": obj{"next_cursor": next}})
}

func channelObj(ch *channel) obj {
	return obj{"id": ch.ID, "name": ch.Name, "is_channel": true, "is_member": ch.Member, "is_archived": false}
}

func (s *Server) listUsers(c *Call) (int, obj) {
	users, next, code := page(c, s.users, 0)
	if code != "" {
		return fail(code)
	}
	list := []obj{}
	for _, u := range users {
		display := u.DisplayName
		if display == "" {
			display = u.Name
		}
		list = append(list, obj{"id": u.ID, "team_id": TeamID, "name": u.Name, "real_name": u.RealName,
			"profile": obj{"real_name": u.RealName, "display_name": display}})
	}
	return ok(obj{"members": list, "response_metadata": obj{"next_cursor": next}})
}

func (s *Server) join(c *Call) (int, obj) {
	id := param(c, "channel")
	ch := s.findChannel(id)
	if ch == nil {
		if len(s.channels) > 0 || id == "" {
			return fail("channel_not_found")
		}
		ch = &channel{ID: id, Name: id}
		s.channels = append(s.channels, ch)
	}
	ch.Member = true
	return ok(obj{"channel": channelObj(ch)})
}

// openDM opens (or finds) the direct message channel with the users.
func (s *Server) openDM(c *Call) (int, obj) {
	users := param(c, "users")
	if users == "" {
		return fail("users_list_not_supplied")
	}
	id, found := s.dms[users]
	if !found {
		id = s.nextID("D")
		s.dms[users] = id
	}
	return ok(obj{"channel": obj{"id": id, "is_im": true, "user": strings.Split(users, ",")[0]},
		"already_open": found, "no_op": found})
}

func (s *Server) uploadURL(c *Call) (int, obj) {
	name := param(c, "filename")
	length, err := strconv.Atoi(param(c, "length"))
	if name == "" || err != nil || length <= 0 {
		return fail("invalid_arguments")
	}
	f := &File{ID: s.nextID("F"), Name: name, Length: length}
	s.files[f.ID] = f
	return ok(obj{"upload_url": s.hs.URL + "/upload/" + f.ID, "file_id": f.ID})
}

func (s *Server) upload(r *http.Request, content []byte) (int, obj) {
	f := s.files[strings.TrimPrefix(r.URL.Path, "/upload/")]
	if f == nil || r.Method != http.MethodPost {
		return http.StatusNotFound, nil
	}
	f.Content, f.Uploaded = content, true
	return http.StatusOK, nil
}

func (s *Server) completeUpload(c *Call) (int, obj) {
	var list []struct{ ID, Title string }
	if err := json.Unmarshal([]byte(param(c, "files")), &list); err != nil || len(list) == 0 {
		return fail("invalid_arguments")
	}
	ch := param(c, "channel_id")
	if ch != "" {
		id, found := s.resolveChannel(ch)
		if !found {
			return fail("channel_not_found")
		}
		ch = id
	}
	out := []obj{}
	for _, item := range list {
		f := s.files[item.ID]
		if f == nil || !f.Uploaded {
			return fail("file_not_found")
		}
		f.Completed, f.Title, f.Channel = true, cmp.Or(item.Title, f.Name), ch
		f.InitialComment = param(c, "initial_comment")
		out = append(out, obj{"id": f.ID, "title": f.Title})
	}
	return ok(obj{"files": out})
}

// waitChange blocks until something changes or ctx is done; s.mu is not
// held.
func (s *Server) waitChange(ctx context.Context, changed <-chan struct{}) error {
	select {
	case <-changed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
