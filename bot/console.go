package bot

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/jonboulle/clockwork"

	"opsbot/bot/blockkit"
	"opsbot/chat"
)

// Handler answers commands.
type Handler interface {
	Handle(ctx context.Context, cmd chat.Command) chat.Reply
}

// Console stands in for a Slack channel in a terminal: each input line is
// a slash command as typed in Slack, each reply is printed as text rendered
// from the same blocks Slack would get.
type Console struct {
	Handler     Handler
	Clock       clockwork.Clock
	In          io.Reader
	Out         io.Writer
	User        string
	Channel     string // without '#'
	Interactive bool   // show a prompt; otherwise echo each command
	FileDir     string // where attached files are written
	// Around, when set, runs before the first command and after each one:
	// the scheduled work of the moment.
	Around func(ctx context.Context)
	// Private is the note under a reply only its asker sees, in the
	// team's language; empty is English.
	Private string
}

// MaxLine bounds one command line; Slack itself cuts command text far
// shorter.
const MaxLine = 64 * 1024

// Run reads commands until the input ends, "exit" is typed or ctx is done.
func (c *Console) Run(ctx context.Context) error {
	sc := bufio.NewScanner(c.In)
	sc.Buffer(make([]byte, 4096), MaxLine)
	prompt := fmt.Sprintf("#%s @%s> ", c.Channel, c.User)
	c.around(ctx)
	for {
		if c.Interactive {
			fmt.Fprint(c.Out, prompt)
		}
		if !sc.Scan() {
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !c.Interactive {
			fmt.Fprintf(c.Out, "%s%s\n", prompt, line)
		}
		if c.Interactive && (line == "exit" || line == "quit") {
			return nil
		}
		c.Print(c.answer(ctx, line))
		fmt.Fprintln(c.Out)
		c.around(ctx)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("console: a line is longer than %d bytes", MaxLine)
		}
		return fmt.Errorf("console: read input: %w", err)
	}
	if c.Interactive {
		fmt.Fprintln(c.Out)
	}
	return nil
}

func (c *Console) around(ctx context.Context) {
	if c.Around != nil {
		c.Around(ctx)
	}
}

func (c *Console) answer(ctx context.Context, line string) chat.Reply {
	if !strings.HasPrefix(line, "/") {
		return chat.Error("Commands start with `/`, as in Slack: try `/help` or `/metric help`.")
	}
	name, text, _ := strings.Cut(line, " ")
	text, upload, err := consoleUpload(name, text)
	if err != nil {
		return chat.Error(err.Error())
	}
	return c.Handler.Handle(ctx, chat.Command{
		Upload:      upload,
		UserID:      c.User,
		UserName:    c.User,
		ChannelID:   c.Channel,
		ChannelName: c.Channel,
		Name:        name,
		Text:        strings.TrimSpace(text),
		At:          c.Clock.Now(),
	})
}

// MaxUpload bounds a file the console reads for /metric import; the
// configured limit (at most 50 MB) is applied after.
const MaxUpload = 64 << 20

// consoleUpload reads the file of `/metric import PATH …`: the console
// stands in for sharing a file in Slack. It returns the command text
// without the path. Only the console reads local files; a path typed in
// Slack is never opened.
func consoleUpload(name, text string) (string, *chat.Upload, error) {
	args := strings.Fields(text)
	i := 0
	if strings.EqualFold(name, "/ops") && len(args) > 0 && strings.EqualFold(args[0], "metric") {
		i = 1
	} else if !strings.EqualFold(name, "/metric") && !strings.EqualFold(name, "/metrics") {
		return text, nil, nil
	}
	if len(args) < i+2 || (!strings.EqualFold(args[i], "import") && args[i] != "导入") {
		return text, nil, nil
	}
	path := args[i+1]
	switch strings.ToLower(path) {
	case "confirm", "cancel", "确认", "取消", "yes", "no":
		return text, nil, nil
	}
	if strings.ContainsAny(path, "=＝") {
		return text, nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", nil, fmt.Errorf("Cannot read `%s`: %v", chat.Escape(path), err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxUpload+1))
	if err != nil {
		return "", nil, fmt.Errorf("Cannot read `%s`: %v", chat.Escape(path), err)
	}
	up := &chat.Upload{Name: filepath.Base(path), Size: int64(len(data)), Content: data}
	if fi, err := f.Stat(); err == nil {
		up.Size = fi.Size()
	}
	rest := append(append([]string{}, args[:i+1]...), args[i+2:]...)
	return strings.Join(rest, " "), up, nil
}

// Print writes a reply as the console shows it, and its files.
func (c *Console) Print(r chat.Reply) {
	text := RenderText(r.Blocks)
	if text == "" {
		text = Mrkdwn(r.Text)
	}
	fmt.Fprintln(c.Out, text)
	if len(r.Blocks) > 0 {
		// What the console shows must be what Slack would accept.
		if err := blockkit.CheckReply(r.Text, r.Blocks); err != nil {
			fmt.Fprintf(c.Out, "❌ Slack would refuse this reply: %v\n", err)
		}
	}
	for _, f := range r.Files {
		path, err := c.writeFile(f)
		if err != nil {
			fmt.Fprintf(c.Out, "❌ could not write %s: %v\n", f.Name, err)
			continue
		}
		fmt.Fprintf(c.Out, "📎 %s (%d bytes)\n", path, len(f.Content))
	}
	if r.Ephemeral {
		note := c.Private
		if note == "" {
			note = "(only visible to you)"
		}
		fmt.Fprintln(c.Out, "  "+note)
	}
}

func (c *Console) writeFile(f chat.File) (string, error) {
	dir := c.FileDir
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	path := filepath.Join(dir, filepath.Base(f.Name))
	if err := os.WriteFile(path, f.Content, 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, nil
}
