package bot

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/slack-go/slack"
)

// PrintFiles is a PrintAPI that also takes uploads, for the outbox where
// there is no Slack: a file the bot would upload (a report's chart) is
// written to Dir and its path printed in the channel it was meant for.
type PrintFiles struct {
	*PrintAPI
	Dir string // default: the working directory
}

// UploadFileContext writes the file and prints where it is.
func (p PrintFiles) UploadFileContext(_ context.Context, params slack.UploadFileParameters) (*slack.FileSummary, error) {
	if params.Reader == nil {
		return nil, fmt.Errorf("upload %s: no content", params.Filename)
	}
	data, err := io.ReadAll(params.Reader)
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", params.Filename, err)
	}
	dir := p.Dir
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	// Base: a file name never picks the directory it lands in.
	path := filepath.Join(dir, filepath.Base(params.Filename))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	p.print(params.Channel, "", fmt.Sprintf("📎 %s (%d bytes)", path, len(data)))
	return &slack.FileSummary{ID: "F" + filepath.Base(params.Filename), Title: params.Title}, nil
}
