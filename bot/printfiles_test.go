package bot

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"
)

func TestPrintFilesWritesAndPrints(t *testing.T) {
	var out bytes.Buffer
	dir := t.TempDir()
	clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 23, 1, 30, 0, 0, time.UTC))
	p := PrintFiles{PrintAPI: &PrintAPI{Out: &out, Clock: clock, Loc: time.UTC}, Dir: dir}
	content := []byte("\x89PNG fake")
	_, err := p.UploadFileContext(context.Background(), slack.UploadFileParameters{
		Channel: "#shop-managers", Filename: "../chart.png", Title: "Chart", FileSize: len(content), Reader: bytes.NewReader(content),
	})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "chart.png")
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("file = %q, %v", got, err)
	}
	if s := out.String(); !strings.Contains(s, "── 01:30 #shop-managers ──") || !strings.Contains(s, "📎 "+path+" (9 bytes)") {
		t.Errorf("printed:\n%s", s)
	}
}
