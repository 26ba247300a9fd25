package bot

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
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
}

// Slack carries commands and interactions between Slack and the app; the
// HTTP and Socket Mode receivers share it.
type Slack struct {
	App   App
	API   SlackAPI
	Dedup Dedup
	Clock clockwork.Clock
	Log   *slog.Logger
	// AckBudget is how long a command may run before it is acknowledged
	// without its answer (which then follows through response_url). Slack
	// allows 3 s in all; the rest is the network's.
	AckBudget time.Duration
	// HTTP posts to response_url and downloads shared files.
	HTTP *http.Client
	// Observer hears outcomes and acknowledgement times; nil: none.
	Observer Observer
	// Token is the bot token, sent to download files people share for
	// import (files:read).
	Token string
	// wg tracks work finished after the acknowledgement, so shutdown and
	// tests can wait for it.
	wg sync.WaitGroup
}

// DefaultAckBudget leaves half a second of Slack's 3 s for the network.
const DefaultAckBudget = 2500 * time.Millisecond

func (s *Slack) budget() time.Duration {
	if s.AckBudget > 0 {
		return s.AckBudget
	}
	return DefaultAckBudget
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
func (s *Slack) command(ctx context.Context, cmd chat.Command) slack.Msg {
	done := make(chan chat.Reply, 1)
	work := context.WithoutCancel(ctx)
	go func() { done <- s.App.Handle(work, cmd) }()
	select {
	case r := <-done:
		s.later(func() { s.sendFiles(work, cmd, r) })
		outcome := "in_channel"
		if r.Ephemeral {
			outcome = "ephemeral"
		}
		s.observer().Command(commandLabel(cmd.Name), outcome, s.Clock.Since(cmd.At))
		return message(r)
	case <-s.Clock.After(s.budget()):
		s.observer().Command(commandLabel(cmd.Name), "late", s.Clock.Since(cmd.At))
		s.later(func() {
			r := <-done
			if err := s.respond(work, cmd.ResponseURL, message(r)); err != nil {
				s.Log.Error("deliver late answer", "command", cmd.Name, "user", cmd.UserID, "err", err)
			}
			s.sendFiles(work, cmd, r)
		})
		return slack.Msg{ResponseType: slack.ResponseTypeEphemeral, Text: "⏳ Working on it…"}
	}
}

// message is the Slack form of a reply.
func message(r chat.Reply) slack.Msg {
	m := slack.Msg{ResponseType: slack.ResponseTypeInChannel, Text: r.Text, Blocks: slack.Blocks{BlockSet: r.Blocks}}
	if r.Ephemeral {
		m.ResponseType = slack.ResponseTypeEphemeral
	}
	if m.Text == "" {
		m.Text = " "
	}
	return m
}

// respond posts to a response_url, which Slack accepts for 30 minutes.
func (s *Slack) respond(ctx context.Context, url string, m slack.Msg) error {
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
	dm, _, _, err := s.API.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{cmd.UserID}})
	if err != nil {
		s.Log.Error("open direct message for a file", "user", cmd.UserID, "err", err)
		return
	}
	for _, f := range r.Files {
		_, err := s.API.UploadFileContext(ctx, slack.UploadFileParameters{
			Channel: dm.ID, Filename: f.Name, Title: f.Title, FileSize: len(f.Content), Reader: bytes.NewReader(f.Content),
		})
		if err != nil {
			s.Log.Error("upload file", "file", f.Name, "user", cmd.UserID, "err", err)
		}
	}
}

// interact runs an interaction and carries out its outcome; it returns the
// acknowledgement body for view submissions (field errors), else nil.
func (s *Slack) interact(ctx context.Context, in chat.Interaction) any {
	work := context.WithoutCancel(ctx)
	for _, up := range in.Uploads {
		if src := up.Source; src != "" && up.Fetch == nil {
			up.Fetch = func(ctx context.Context) ([]byte, error) { return s.download(ctx, src) }
		}
	}
	done := make(chan chat.Outcome, 1)
	go func() { done <- s.App.Interact(work, in) }()
	var out chat.Outcome
	select {
	case out = <-done:
	case <-s.Clock.After(s.budget()):
		// Acknowledge in time whatever the database is doing; what the
		// interaction decided is carried out when it is ready.
		s.Log.Warn("interaction slower than the acknowledgement budget", "kind", in.Kind, "callback", in.CallbackID, "action", in.ActionID)
		s.observer().Interaction(kindLabel(in.Kind), "late", s.Clock.Since(in.At))
		s.later(func() { s.carryOut(work, in, <-done) })
		return nil
	}
	ack := s.carryOut(ctx, in, out)
	outcome := "ok"
	if len(out.FieldErrors) > 0 {
		outcome = "field_errors"
	}
	s.observer().Interaction(kindLabel(in.Kind), outcome, s.Clock.Since(in.At))
	return ack
}

// carryOut does what an interaction's outcome asks and returns the
// acknowledgement body for view submissions (field errors), else nil.
func (s *Slack) carryOut(ctx context.Context, in chat.Interaction, out chat.Outcome) any {
	work := context.WithoutCancel(ctx)
	if out.OpenModal != nil {
		// views.open must use the trigger within 3 s: do it now, not later.
		if _, err := s.API.OpenViewContext(ctx, in.TriggerID, *out.OpenModal); err != nil {
			s.Log.Error("open modal", "callback", out.OpenModal.CallbackID, "user", in.UserID, "err", err)
		}
	}
	if out.Home != nil {
		s.later(func() {
			_, err := s.API.PublishViewContext(work, slack.PublishViewContextRequest{UserID: in.UserID, View: *out.Home})
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
		s.later(func() { s.tell(work, in, r) })
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
	_, err := s.API.PostEphemeralContext(ctx, in.ChannelID, in.UserID, slack.MsgOptionText(r.Text, false), slack.MsgOptionBlocks(r.Blocks...))
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
		s.interact(ctx, chat.Interaction{Kind: chat.KindHome, UserID: inner.User, ChannelID: inner.Channel, At: s.Clock.Now()})
	case "message":
		s.message(ctx, cb.Event)
	default:
		s.Log.Debug("event ignored", "type", inner.Type)
	}
}

// eventCallback is the outer Events API envelope.
type eventCallback struct {
	Type      string          `json:"type"`
	Challenge string          `json:"challenge"`
	EventID   string          `json:"event_id"`
	Event     json.RawMessage `json:"event"`
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
	default:
		in.Kind = string(cb.Type)
	}
	return in
}

// fromSlash turns Slack's slash command into the app's terms.
func fromSlash(sc slack.SlashCommand, at time.Time) chat.Command {
	return chat.Command{
		UserID: sc.UserID, UserName: sc.UserName, ChannelID: sc.ChannelID, ChannelName: strings.TrimPrefix(sc.ChannelName, "#"),
		Name: sc.Command, Text: sc.Text, At: at, TriggerID: sc.TriggerID, ResponseURL: sc.ResponseURL,
	}
}

// later runs f after the acknowledgement, tracked so Wait can drain it.
func (s *Slack) later(f func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
}

// Wait blocks until work started after acknowledgements is done, or ctx.
func (s *Slack) Wait(ctx context.Context) {
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
}
