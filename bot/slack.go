package bot

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"

	"opsbot/chat"
)

// App is what the bot answers in Slack: commands and interactions.
type App interface {
	Handler
	Interact(ctx context.Context, in chat.Interaction) chat.Outcome
}

// Dedup remembers handled deliveries; the database decides, so retries and
// other replicas do not handle an event twice.
type Dedup interface {
	FirstSeen(ctx context.Context, key string, at time.Time) (bool, error)
}

// SlackAPI is the part of the Web API the transports call.
type SlackAPI interface {
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
	OpenConversationContext(ctx context.Context, params *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error)
	UploadFileContext(ctx context.Context, params slack.UploadFileParameters) (*slack.FileSummary, error)
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
}

// Slack carries commands and interactions between Slack and the app; the
// HTTP and Socket Mode receivers share it.
type Slack struct {
	App   App
	API   SlackAPI
	Dedup Dedup
	Clock clockwork.Clock
	Log   *slog.Logger
	// Workspace is the installation; requests from any other are refused.
	Workspace Workspace
	// AckBudget is how long a command may run before it is acknowledged
	// without its answer (which then follows through response_url). Slack
	// allows 3 s in all; the rest is the network's.
	AckBudget time.Duration
	// HTTP posts to response_url and downloads shared files.
	HTTP *http.Client
	// APITimeout bounds each Web API call made for an interaction
	// (views.open, views.publish, chat.postEphemeral); UploadTimeout
	// bounds a file upload. A hung call is abandoned and logged.
	APITimeout, UploadTimeout time.Duration
	// Observer hears outcomes and acknowledgement times; nil: none.
	Observer Observer
	// Token is the bot token, sent to download files people share for
	// import (files:read).
	Token string
	// wg tracks work finished after the acknowledgement, so shutdown and
	// tests can wait for it.
	wg sync.WaitGroup
	// forgotAt is when old delivery keys were last dropped.
	forgotMu sync.Mutex
	forgotAt time.Time
	// refusals samples the log lines about refused requests.
	refusals refusalLog
}

// DefaultAckBudget leaves a full second of Slack's 3 s for the network,
// measured from when the request arrived.
const DefaultAckBudget = 2000 * time.Millisecond

// Web API time limits: a few seconds for a call, longer for an upload.
const (
	DefaultAPITimeout    = 5 * time.Second
	DefaultUploadTimeout = 60 * time.Second
)

// within runs a Web API call under a time limit.
func within(ctx context.Context, d, def time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		d = def
	}
	return context.WithTimeout(ctx, d)
}

func (s *Slack) budget() time.Duration {
	if s.AckBudget > 0 {
		return s.AckBudget
	}
	return DefaultAckBudget
}

type arrivalKey struct{}

// Arrived records when a request arrived, so the acknowledgement budget
// counts the time spent reading and checking it too.
func Arrived(ctx context.Context, at time.Time) context.Context {
	return context.WithValue(ctx, arrivalKey{}, at)
}

// ackDeadline fires when the budget, counted from the request's arrival
// (or from now when unknown), runs out.
func (s *Slack) ackDeadline(ctx context.Context) <-chan time.Time {
	left := s.budget()
	if at, ok := ctx.Value(arrivalKey{}).(time.Time); ok {
		left -= s.Clock.Since(at)
	}
	return s.Clock.After(max(left, 0))
}

func (s *Slack) httpClient() *http.Client {
	if s.HTTP != nil {
		return s.HTTP
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// command runs a slash command and returns the acknowledgement body. When
// the answer is not ready within the budget, the acknowledgement says so
// and the answer follows through response_url.
//
// A command delivered before (a replay, by its delivery key) does nothing
// and is acknowledged empty: command returns nil. The check is made in
// the budgeted work, so a slow database cannot hold up the acknowledgement.
func (s *Slack) command(ctx context.Context, cmd chat.Command, key delivery) any {
	done := make(chan chat.Reply, 1)
	work := context.WithoutCancel(ctx)
	replayed := make(chan struct{})
	go func() {
		r := failedReply
		defer func() { done <- r }()
		_ = s.recovered("command "+cmd.Name, func() {
			if !s.admitted(work, key, cmd.Name) {
				close(replayed)
				return
			}
			r = s.App.Handle(work, cmd)
		})
	}()
	tellFailure := func() {
		if err := s.respond(work, cmd.ResponseURL, message(failedReply)); err != nil {
			s.Log.Error("tell the user a command failed", "command", cmd.Name, "user", cmd.UserID, "err", err)
		}
	}
	select {
	case r := <-done:
		select {
		case <-replayed:
			return nil
		default:
		}
		s.laterOr("send files", tellFailure, func() { s.sendFiles(work, cmd, r) })
		label := "in_channel"
		if r.Ephemeral {
			label = "ephemeral"
		}
		s.observer().Command(commandLabel(cmd.Name), label, s.Clock.Since(cmd.At))
		return message(r)
	case <-s.ackDeadline(ctx):
		s.observer().Command(commandLabel(cmd.Name), "late", s.Clock.Since(cmd.At))
		s.laterOr("late answer", tellFailure, func() {
			r := <-done
			select {
			case <-replayed:
				return
			default:
			}
			if err := s.respond(work, cmd.ResponseURL, message(r)); err != nil {
				s.Log.Error("deliver late answer", "command", cmd.Name, "user", cmd.UserID, "err", err)
			}
			s.sendFiles(work, cmd, r)
		})
		return Response{ResponseType: slack.ResponseTypeEphemeral, Text: "⏳ Working on it…"}
	}
}

// Response is a message in an acknowledgement or to a response_url. It is
// not slack.Msg, which always carries an empty "metadata" object that
// Slack's own types reject: no metadata is sent unless there is some.
type Response struct {
	ResponseType    string        `json:"response_type,omitempty"`
	Text            string        `json:"text"`
	Blocks          []slack.Block `json:"blocks,omitempty"`
	ReplaceOriginal bool          `json:"replace_original,omitempty"`
}

// message is the Slack form of a reply.
func message(r chat.Reply) Response {
	// The last guard of Block Kit's 50 blocks; features split and cap
	// their own lists with words of their own before this.
	blocks := chat.Cap(r.Blocks, chat.MaxBlocks, func(n int) string { return fmt.Sprintf("… %d more", n) })
	m := Response{ResponseType: slack.ResponseTypeInChannel, Text: chat.Fit(r.Text, 40000), Blocks: blocks}
	if r.Ephemeral {
		m.ResponseType = slack.ResponseTypeEphemeral
	}
	if m.Text == "" {
		m.Text = " "
	}
	return m
}

// respond posts to a response_url, which Slack accepts for 30 minutes.
func (s *Slack) respond(ctx context.Context, url string, m Response) error {
	if url == "" {
		return fmt.Errorf("no response_url to answer through")
	}
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("response_url request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.httpClient().Do(req)
	if err != nil {
		return fmt.Errorf("post to response_url: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("post to response_url: HTTP %d", resp.StatusCode)
	}
	return nil
}

// sendFiles uploads a reply's attachments to the person's direct messages:
// an export is theirs, not the channel's.
func (s *Slack) sendFiles(ctx context.Context, cmd chat.Command, r chat.Reply) {
	if len(r.Files) == 0 {
		return
	}
	dm, err := s.openDM(ctx, cmd.UserID)
	if err != nil {
		s.Log.Error("open direct message for a file", "user", cmd.UserID, "err", err)
		if err := s.respond(ctx, cmd.ResponseURL, message(chat.Error(fileFailedText))); err != nil {
			s.Log.Error("tell the user a file was not sent", "user", cmd.UserID, "err", err)
		}
		return
	}
	for _, f := range r.Files {
		uctx, cancel := within(ctx, s.UploadTimeout, DefaultUploadTimeout)
		_, err := s.API.UploadFileContext(uctx, slack.UploadFileParameters{
			Channel: dm, Filename: f.Name, Title: f.Title, FileSize: len(f.Content), Reader: bytes.NewReader(f.Content),
		})
		cancel()
		if err != nil {
			s.Log.Error("upload file", "file", f.Name, "user", cmd.UserID, "err", err)
		}
	}
}

// interact runs an interaction and carries out its outcome; it returns the
// acknowledgement body for view submissions (field errors), else nil.
func (s *Slack) interact(ctx context.Context, in chat.Interaction, key delivery) any {
	if in.Kind == kindViewClosed {
		// The person closed a modal (notify_on_close): nothing to do, and
		// nothing is lost, since nothing was submitted.
		s.Log.Debug("modal closed", "user", in.UserID, "callback", in.CallbackID)
		return nil
	}
	work := context.WithoutCancel(ctx)
	for _, up := range in.Uploads {
		if src := up.Source; src != "" && up.Fetch == nil {
			up.Fetch = func(ctx context.Context) ([]byte, error) { return s.download(ctx, src) }
		}
	}
	done := make(chan outcome, 1)
	go func() {
		var o outcome
		defer func() { done <- o }()
		o.panicked = s.recovered("interaction "+in.Kind+" "+in.CallbackID+in.ActionID, func() {
			if !s.admitted(work, key, in.Kind) {
				o.replayed = true
				return
			}
			o.Outcome = s.App.Interact(work, in)
		}) != nil
	}()
	tellFailure := func() { s.tell(work, in, failedReply) }
	var out outcome
	select {
	case out = <-done:
	case <-s.ackDeadline(ctx):
		// Acknowledge in time whatever the database is doing; what the
		// interaction decided is carried out when it is ready.
		s.Log.Warn("interaction slower than the acknowledgement budget", "kind", in.Kind, "callback", in.CallbackID, "action", in.ActionID)
		s.observer().Interaction(kindLabel(in.Kind), "late", s.Clock.Since(in.At))
		if in.Kind == chat.KindSubmission {
			// The modal closes with this acknowledgement, so whether the
			// form was stored is told by direct message, with what was
			// entered: a slow database never loses a submission silently.
			s.laterOr("late submission", func() { s.tellSubmission(work, in, outcome{panicked: true}) }, func() {
				o := <-done
				if o.replayed {
					return
				}
				s.tellSubmission(work, in, o)
				if !o.panicked {
					s.carryOut(work, in, o.Outcome)
				}
			})
			return nil
		}
		s.laterOr("late interaction", tellFailure, func() {
			o := <-done
			if o.replayed {
				return
			}
			if o.panicked {
				tellFailure()
				return
			}
			s.carryOut(work, in, o.Outcome)
		})
		return nil
	}
	if out.replayed {
		return nil
	}
	label := "ok"
	switch {
	case out.panicked:
		label = "panic"
	case len(out.FieldErrors) > 0:
		label = "field_errors"
	}
	s.observer().Interaction(kindLabel(in.Kind), label, s.Clock.Since(in.At))
	if out.panicked {
		if in.Kind == chat.KindSubmission {
			if block := firstBlock(in.Values); block != "" {
				return map[string]any{"response_action": "errors", "errors": map[string]string{block: failedField}}
			}
			s.laterOr("tell submission failed", nil, func() { s.tellSubmission(work, in, out) })
			return nil
		}
		s.laterOr("tell interaction failed", nil, tellFailure)
		return nil
	}
	return s.carryOut(ctx, in, out.Outcome)
}

// outcome is what an interaction decided, or that it panicked.
type outcome struct {
	chat.Outcome
	panicked bool
	replayed bool
}

// What the bot says when its own code failed. The bot cannot know how far
// the work got, so it never says that nothing changed.
const (
	failedText     = "Something went wrong inside the bot while doing this, and it was logged. It may not have been done: please check before trying again. / 机器人内部出错（已记录），此操作可能未完成，请检查后再试。"
	failedField    = "Something went wrong inside the bot; nothing was confirmed. Please try again. / 机器人出错，未确认保存，请重试。"
	fileFailedText = "Your file could not be sent to you: Slack did not open a direct message. Please try again. / 文件未能发送：无法打开私信，请重试。"
)

var failedReply = chat.Error(failedText)

// firstBlock is the first block ID of a form, in order, to hang an error on.
func firstBlock(values map[string]string) string {
	ids := make([]string, 0, len(values))
	for id := range values {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// openDM opens the direct message with a user; a Web API answer without a
// channel is an error, not a nil to follow.
func (s *Slack) openDM(ctx context.Context, user string) (string, error) {
	octx, cancel := within(ctx, s.APITimeout, DefaultAPITimeout)
	defer cancel()
	ch, _, _, err := s.API.OpenConversationContext(octx, &slack.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		return "", err
	}
	if ch == nil || ch.ID == "" {
		return "", fmt.Errorf("conversations.open answered without a channel")
	}
	return ch.ID, nil
}

// tellSubmission tells, by direct message, whether a form that was closed
// before it was stored was stored after all, with the values entered.
func (s *Slack) tellSubmission(ctx context.Context, in chat.Interaction, o outcome) {
	stored := !o.panicked && len(o.FieldErrors) == 0
	var b strings.Builder
	if stored {
		b.WriteString("✅ Your form was saved (" + chat.Escape(in.CallbackID) + "). / 表单已保存。")
	} else {
		b.WriteString("❌ Your form was *not* saved (" + chat.Escape(in.CallbackID) + "). / 表单*未*保存。")
		for _, id := range sortedKeys(o.FieldErrors) {
			b.WriteString("\n• " + chat.Escape(id) + ": " + chat.Escape(o.FieldErrors[id]))
		}
	}
	b.WriteString("\nWhat you entered / 您填写的内容:")
	for _, id := range sortedKeys(in.Values) {
		if v := in.Values[id]; v != "" {
			b.WriteString("\n> *" + chat.Escape(id) + "*: " + chat.Escape(chat.Truncate(strings.ReplaceAll(v, "\n", " "), 500)))
		}
	}
	text := chat.Truncate(b.String(), 2900)
	dm, err := s.openDM(ctx, in.UserID)
	if err == nil {
		_, _, err = s.API.PostMessageContext(ctx, dm, slack.MsgOptionText(text, false), slack.MsgOptionBlocks(chat.Section(text)))
	}
	if err != nil {
		s.Log.Error("tell the user whether a form was saved", "user", in.UserID, "callback", in.CallbackID, "stored", stored, "values", in.Values, "err", err)
	}
}

func sortedKeys(m map[string]string) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// carryOut does what an interaction's outcome asks and returns the
// acknowledgement body for view submissions (field errors), else nil.
func (s *Slack) carryOut(ctx context.Context, in chat.Interaction, out chat.Outcome) any {
	work := context.WithoutCancel(ctx)
	if out.OpenModal != nil {
		// Acknowledge first, then open: the trigger stays valid for 3 s
		// from the click, and the call is bounded so a hung Web API
		// cannot hold anything up. Bolt does the same.
		modal := *out.OpenModal
		s.later(func() {
			vctx, cancel := within(work, s.APITimeout, DefaultAPITimeout)
			defer cancel()
			if _, err := s.API.OpenViewContext(vctx, in.TriggerID, modal); err != nil {
				s.Log.Error("open modal", "callback", modal.CallbackID, "user", in.UserID, "err", err)
			}
		})
	}
	if out.Home != nil {
		s.laterOr("publish home", nil, func() {
			pctx, cancel := within(work, s.APITimeout, DefaultAPITimeout)
			defer cancel()
			_, err := s.API.PublishViewContext(pctx, slack.PublishViewContextRequest{UserID: in.UserID, View: *out.Home})
			if err != nil {
				s.Log.Error("publish home", "user", in.UserID, "err", err)
			}
		})
	}
	if in.ChannelID == "" {
		in.ChannelID = out.Channel
	}
	if out.Ephemeral != nil {
		r := *out.Ephemeral
		s.laterOr("tell", nil, func() { s.tell(work, in, r) })
	}
	if len(out.FieldErrors) > 0 {
		return map[string]any{"response_action": "errors", "errors": out.FieldErrors}
	}
	return nil
}

// tell shows a reply to one person: through the interaction's response_url
// when it has one, else as an ephemeral message in the channel.
func (s *Slack) tell(ctx context.Context, in chat.Interaction, r chat.Reply) {
	r.Ephemeral = true
	if in.ResponseURL != "" {
		if err := s.respond(ctx, in.ResponseURL, message(r)); err == nil {
			return
		}
	}
	if in.ChannelID == "" {
		return
	}
	ectx, cancel := within(ctx, s.APITimeout, DefaultAPITimeout)
	defer cancel()
	_, err := s.API.PostEphemeralContext(ectx, in.ChannelID, in.UserID, slack.MsgOptionText(r.Text, false), slack.MsgOptionBlocks(r.Blocks...))
	if err != nil {
		s.Log.Error("post ephemeral", "user", in.UserID, "channel", in.ChannelID, "err", err)
	}
}

// event handles an Events API callback once, whatever retries or replicas
// deliver it again.
func (s *Slack) event(ctx context.Context, cb eventCallback) {
	if cb.EventID != "" && s.Dedup != nil {
		first, err := s.Dedup.FirstSeen(ctx, "event:"+cb.EventID, s.Clock.Now())
		if err != nil {
			s.Log.Error("deduplicate event", "event_id", cb.EventID, "err", err)
			return
		}
		if !first {
			s.Log.Info("event already handled", "event_id", cb.EventID)
			return
		}
	}
	var inner struct {
		Type    string `json:"type"`
		User    string `json:"user"`
		Tab     string `json:"tab"`
		Channel string `json:"channel"`
	}
	if err := json.Unmarshal(cb.Event, &inner); err != nil {
		s.Log.Warn("undecodable event", "event_id", cb.EventID, "err", err)
		return
	}
	switch inner.Type {
	case "app_home_opened":
		if inner.Tab != "" && inner.Tab != "home" {
			return
		}
		s.interact(ctx, chat.Interaction{Kind: chat.KindHome, UserID: inner.User, ChannelID: inner.Channel, At: s.Clock.Now()}, delivery{})
	case "message":
		s.message(ctx, cb.Event)
	default:
		s.Log.Debug("event ignored", "type", inner.Type)
	}
}

// eventCallback is the outer Events API envelope.
type eventCallback struct {
	Type           string          `json:"type"`
	Challenge      string          `json:"challenge"`
	EventID        string          `json:"event_id"`
	Event          json.RawMessage `json:"event"`
	TeamID         string          `json:"team_id"`
	APIAppID       string          `json:"api_app_id"`
	EnterpriseID   string          `json:"enterprise_id"`
	Authorizations []struct {
		EnterpriseID string `json:"enterprise_id"`
	} `json:"authorizations"`
}

// enterprise is the Grid organisation an event comes from, if any.
func (cb eventCallback) enterprise() string {
	if cb.EnterpriseID != "" {
		return cb.EnterpriseID
	}
	for _, a := range cb.Authorizations {
		if a.EnterpriseID != "" {
			return a.EnterpriseID
		}
	}
	return ""
}

// fromCallback turns Slack's interaction payload into the app's terms.
func fromCallback(cb slack.InteractionCallback, at time.Time) chat.Interaction {
	in := chat.Interaction{
		UserID: cb.User.ID, UserName: cb.User.Name, ChannelID: cb.Channel.ID,
		TriggerID: cb.TriggerID, ResponseURL: cb.ResponseURL, At: at,
		CallbackID: cb.CallbackID, MessageTS: cb.Message.Timestamp,
	}
	switch cb.Type {
	case slack.InteractionTypeShortcut, slack.InteractionTypeMessageAction:
		in.Kind = chat.KindShortcut
	case slack.InteractionTypeBlockActions:
		in.Kind = chat.KindAction
		if len(cb.ActionCallback.BlockActions) > 0 {
			a := cb.ActionCallback.BlockActions[0]
			in.ActionID, in.Value = a.ActionID, a.Value
		}
		if cb.Container.ChannelID != "" && in.ChannelID == "" {
			in.ChannelID = cb.Container.ChannelID
		}
		if in.MessageTS == "" {
			in.MessageTS = cb.Container.MessageTs
		}
	case slack.InteractionTypeViewSubmission:
		in.Kind = chat.KindSubmission
		in.CallbackID = cb.View.CallbackID
		in.Metadata = cb.View.PrivateMetadata
		in.Values = map[string]string{}
		if cb.View.State != nil {
			for blockID, actions := range cb.View.State.Values {
				for _, a := range actions {
					for _, f := range a.Files {
						in.Uploads = append(in.Uploads, &chat.Upload{Name: f.Name, Size: int64(f.Size), Source: cmp.Or(f.URLPrivateDownload, f.URLPrivate)})
					}
					switch {
					case a.SelectedDate != "":
						in.Values[blockID] = a.SelectedDate
					case a.SelectedOption.Value != "":
						in.Values[blockID] = a.SelectedOption.Value
					default:
						in.Values[blockID] = a.Value
					}
				}
			}
		}
	case slack.InteractionTypeViewClosed:
		in.Kind = kindViewClosed
		in.CallbackID = cb.View.CallbackID
	default:
		in.Kind = string(cb.Type)
	}
	return in
}

// kindViewClosed is a modal closed without submitting; the transport
// handles it quietly and the app never sees it.
const kindViewClosed = "view_closed"

// fromSlash turns Slack's slash command into the app's terms. Slack sends
// &, < and > in the text as &amp;, &lt; and &gt;; they are decoded here,
// once, so the app sees and stores what the person typed (as the console
// gives it) and escapes it once on the way out.
func fromSlash(sc slack.SlashCommand, at time.Time) chat.Command {
	return chat.Command{
		UserID: sc.UserID, UserName: sc.UserName, ChannelID: sc.ChannelID, ChannelName: strings.TrimPrefix(sc.ChannelName, "#"),
		Name: sc.Command, Text: Unescape(sc.Text), At: at, TriggerID: sc.TriggerID, ResponseURL: sc.ResponseURL,
	}
}

// slackEntities decodes Slack's three entities in one pass, so "&amp;lt;"
// (someone typing "&lt;") becomes "&lt;", not "<".
var slackEntities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// Unescape decodes the entities Slack uses in message and command text.
func Unescape(s string) string { return slackEntities.Replace(s) }

// later runs f after the acknowledgement, tracked so Wait can drain it.
func (s *Slack) later(f func()) { s.laterOr("work after the acknowledgement", nil, f) }

// laterOr is later that survives a panic in f: it is logged with its stack
// and, when tell is set, the person is told that it failed. The process
// goes on serving everyone else.
func (s *Slack) laterOr(what string, tell func(), f func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := s.recovered(what, f); err != nil && tell != nil {
			_ = s.recovered(what+": telling the user", tell)
		}
	}()
}

// Wait blocks until work started after acknowledgements is done, or ctx.
func (s *Slack) Wait(ctx context.Context) {
	select {
	case <-waited(&s.wg):
	case <-ctx.Done():
	}
}

// waited is closed when wg's work is done, for a select that also waits
// on something else.
func waited(wg *sync.WaitGroup) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	return done
}
