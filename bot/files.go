package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"opsbot/chat"
)

// fileShare is the part of a Slack message event that shares files.
type fileShare struct {
	Type        string `json:"type"`
	Subtype     string `json:"subtype"`
	User        string `json:"user"`
	BotID       string `json:"bot_id"`
	Channel     string `json:"channel"`
	ChannelType string `json:"channel_type"`
	Text        string `json:"text"`
	Files       []struct {
		ID                 string `json:"id"`
		Name               string `json:"name"`
		Size               int64  `json:"size"`
		Mode               string `json:"mode"`
		URLPrivateDownload string `json:"url_private_download"`
	} `json:"files"`
}

// maxFilesPerMessage bounds the files of one message read as imports.
const maxFilesPerMessage = 5

// importWord is how a message asks for an import of the files it shares.
var importWord = regexp.MustCompile(`(?i)(^|[^a-z])import([^a-z]|$)|导入`)

// stockWord sends an import to the stock feature instead (per-SKU sales
// and stock: "stock import", "库存导入").
var stockWord = regexp.MustCompile(`(?i)(^|[^a-z])stock([^a-z]|$)|库存`)

// message handles a message event: a file shared in a direct message with
// the bot, or in a channel with the word "import", is previewed as an
// import of the day's numbers. Other files are for people and are left
// alone, unless the person ran /metric import there just before (the app
// decides that).
func (s *Slack) message(ctx context.Context, raw json.RawMessage) {
	var m fileShare
	if err := json.Unmarshal(raw, &m); err != nil {
		s.Log.Warn("undecodable message event", "err", err)
		return
	}
	if len(m.Files) == 0 || m.User == "" || m.BotID != "" || (m.Subtype != "" && m.Subtype != "file_share") {
		return
	}
	explicit := m.ChannelType == "im" || importWord.MatchString(m.Text)
	text := "import " + importOptions(m.Text)
	command := "/metric"
	if explicit && stockWord.MatchString(m.Text) {
		command = "/stock"
	}
	for i, f := range m.Files {
		if i == maxFilesPerMessage {
			break
		}
		if f.Mode == "external" || f.Mode == "tombstone" || f.Mode == "hidden_by_limit" {
			continue // not a file Slack holds: nothing to download
		}
		id, link := f.ID, f.URLPrivateDownload
		up := &chat.Upload{Name: f.Name, Size: f.Size, Passive: !explicit, Fetch: func(ctx context.Context) ([]byte, error) {
			data, err := s.download(ctx, link)
			if err != nil {
				s.Log.Error("download shared file", "file", id, "user", m.User, "err", err)
			}
			return data, err
		}}
		reply := s.App.Handle(ctx, chat.Command{
			UserID: m.User, ChannelID: m.Channel, Name: command, Text: text, At: s.Clock.Now(), Upload: up,
		})
		if reply.Text == "" && len(reply.Blocks) == 0 {
			continue
		}
		s.tell(ctx, chat.Interaction{UserID: m.User, ChannelID: m.Channel}, reply)
	}
}

// importOptions keeps the key=value words of a message (sheet=日报 shop=main).
func importOptions(text string) string {
	var out []string
	for _, w := range strings.Fields(text) {
		if strings.ContainsAny(w, "=＝") {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// download fetches a file Slack holds, with the bot token. Without the
// files:read scope Slack answers with its HTML sign-in page rather than an
// error, so an HTML answer is refused rather than read as a CSV.
func (s *Slack) download(ctx context.Context, url string) ([]byte, error) {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return nil, fmt.Errorf("file has no download address")
	}
	if s.Token == "" {
		return nil, errors.New("no bot token to download files with")
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("download request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+s.Token)
	resp, err := s.httpClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download: status %d", resp.StatusCode)
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		return nil, errors.New("download: Slack answered with a web page (is the files:read scope granted?)")
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxUpload+1))
	if err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	return data, nil
}
