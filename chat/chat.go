// Package chat is the transport-neutral vocabulary of the bot's
// conversations: a command someone typed, and a reply made of Block Kit
// blocks that Slack and the console both render.
package chat

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/store"
)

// Command is one slash command as a person typed it.
type Command struct {
	UserID      string // Slack user ID, or the console user name
	UserName    string
	ChannelID   string
	ChannelName string // without '#'
	Name        string // the command, "/metric"
	Text        string // everything after the command
	At          time.Time
	TriggerID   string
	ResponseURL string
	// Upload is a file that came with the command: shared in Slack with
	// the word "import", or named by path in the console.
	Upload *Upload
}

// Upload is a file a person gave the bot.
type Upload struct {
	Name    string
	Size    int64  // as the sender reported it
	Content []byte // the file's bytes, or nil until Fetch
	// Fetch downloads the content when it is not there yet; the app calls
	// it only for a file it will read, within its size limit.
	Fetch func(ctx context.Context) ([]byte, error)
	// Source is where the transport fetches the file from (opaque to the
	// app).
	Source string
	// Passive is true for a file shared without asking for an import (no
	// "import" in the message): it is imported only when the person ran
	// /metric import there just before.
	Passive bool
}

// Reply is what the bot answers: blocks, a plain-text fallback for
// notifications, and files to attach.
type Reply struct {
	Blocks    []slack.Block
	Text      string
	Ephemeral bool // only the person who asked sees it (errors, personal answers)
	Files     []File
}

// File is an attachment: a CSV export, a chart.
type File struct {
	Name     string
	Title    string
	MimeType string
	Content  []byte
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Escape makes user text safe inside Slack mrkdwn: nobody can inject
// <!channel>, a user mention or a fake link through it.
func Escape(s string) string { return escaper.Replace(s) }

// Mention is the mrkdwn that notifies a user.
func Mention(userID string) string { return "<@" + Escape(userID) + ">" }

// ChannelMention is how a channel is named in mrkdwn: <#C…> for an ID,
// which Slack shows as the channel's name, or #name for a name (the
// console, where channels are not resolved to IDs).
func ChannelMention(ref string) string {
	if isChannelID(ref) {
		return "<#" + ref + ">"
	}
	return Escape("#" + strings.TrimPrefix(ref, "#"))
}

// isChannelID reports whether ref looks like a Slack conversation ID:
// C, G or D and upper-case letters and digits (channel names are
// lower-case).
func isChannelID(ref string) bool {
	if len(ref) < 3 || !strings.ContainsRune("CGD", rune(ref[0])) {
		return false
	}
	for _, c := range ref[1:] {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// Section is a mrkdwn section block, cut to Block Kit's 3,000
// characters with an ellipsis (use Sections for text that should be kept
// whole).
func Section(mrkdwn string) *slack.SectionBlock {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, Fit(mrkdwn, MaxSectionText), false, false), nil, nil)
}

// Header is a plain-text header block, cut to Block Kit's 150 characters.
func Header(text string) *slack.HeaderBlock {
	return slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, Truncate(text, 150), true, false))
}

// Context is a small-print line.
func Context(mrkdwn string) *slack.ContextBlock {
	return slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, Fit(mrkdwn, MaxSectionText), false, false))
}

// Truncate cuts s to at most n runes, marking the cut.
func Truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Note is an ephemeral reply of one section: what only the person who
// asked sees.
func Note(mrkdwn string) Reply {
	return Reply{Ephemeral: true, Text: Fit(mrkdwn, MaxSectionText), Blocks: []slack.Block{Section(mrkdwn)}}
}

// Error is an ephemeral reply that says what was wrong.
func Error(mrkdwn string) Reply {
	return Reply{Ephemeral: true, Text: Fit(mrkdwn, MaxSectionText), Blocks: []slack.Block{Section(":warning: " + mrkdwn)}}
}

// Interaction is a click, a form submission, a shortcut or an opened App
// Home: anything but a slash command that a person does in Slack.
type Interaction struct {
	Kind        string // KindShortcut, KindAction, KindSubmission, KindHome
	UserID      string
	UserName    string
	ChannelID   string
	TriggerID   string
	ResponseURL string
	CallbackID  string            // of the shortcut or the modal
	ActionID    string            // of the button
	Value       string            // the button's compact value
	Values      map[string]string // a submitted modal's inputs by block ID
	Metadata    string            // a modal's private metadata
	MessageTS   string
	At          time.Time
	// Uploads are the files chosen in a modal's file input.
	Uploads []*Upload
}

// Kinds of interaction.
const (
	KindShortcut   = "shortcut"
	KindAction     = "block_actions"
	KindSubmission = "view_submission"
	KindHome       = "app_home_opened"
)

// Outcome is what the transport does after an interaction.
type Outcome struct {
	OpenModal   *slack.ModalViewRequest   // views.open with the trigger ID
	FieldErrors map[string]string         // keep the modal open, errors under these blocks
	Ephemeral   *Reply                    // tell only the person who acted
	Home        *slack.HomeTabViewRequest // views.publish for the user
	// Channel is where to tell the person when the interaction itself has
	// no channel (a modal's submission).
	Channel string
}

// PlainText is a plain-text object cut to 75 characters, as Slack wants
// for labels, titles and option texts.
func PlainText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, Truncate(s, 75), false, false)
}

// Modal is a form with its callback ID, its labels cut to the 24
// characters Slack allows for a modal's title and buttons, the metadata
// it carries back, and its blocks.
func Modal(callbackID, title, submit, close, metadata string, blocks []slack.Block) slack.ModalViewRequest {
	label := func(s string) *slack.TextBlockObject { return PlainText(Truncate(s, 24)) }
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackID,
		Title:           label(title),
		Submit:          label(submit),
		Close:           label(close),
		PrivateMetadata: metadata,
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// Enqueue queues a reply in the outbox (in the caller's transaction):
// out says where and how, reply what. The blocks are stored as the JSON
// Slack will be sent.
func Enqueue(ctx context.Context, tx *store.Store, out store.Outgoing, reply Reply) (uint64, error) {
	out.Text = reply.Text
	if len(reply.Blocks) > 0 {
		b, err := json.Marshal(reply.Blocks)
		if err != nil {
			return 0, fmt.Errorf("enqueue to %s: encode blocks: %w", out.Channel, err)
		}
		out.Blocks = b
	}
	return tx.Enqueue(ctx, out)
}
