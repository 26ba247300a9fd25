package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"opsbot/i18n"
)

// consoleLog keeps the console's prompt clean: log records go to a file,
// and the terminal gets one line, the first time something is worth a
// look, saying where they are.
type consoleLog struct {
	slog.Handler
	once *sync.Once
	note func()
}

func (h consoleLog) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn {
		h.once.Do(h.note)
	}
	return h.Handler.Handle(ctx, r)
}

func (h consoleLog) WithAttrs(as []slog.Attr) slog.Handler {
	return consoleLog{h.Handler.WithAttrs(as), h.once, h.note}
}

func (h consoleLog) WithGroup(name string) slog.Handler {
	return consoleLog{h.Handler.WithGroup(name), h.once, h.note}
}

// newConsoleLog logs to path (appending); the first warning prints one
// line to term. Close the returned closer when done.
func newConsoleLog(path string, term io.Writer, tr i18n.Printer) (*slog.Logger, io.Closer, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("console log: %w", err)
	}
	h := consoleLog{
		Handler: slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo}),
		once:    &sync.Once{},
		note:    func() { fmt.Fprintln(term, tr.T("console.log_note", path)) },
	}
	return slog.New(h), f, nil
}

// consoleLogPath is the log file of a console on database url: beside a
// SQLite file (opsbot.db → opsbot.log), else opsbot.log here.
func consoleLogPath(url string) string {
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok && path != "" && !strings.HasPrefix(path, ":memory:") && !strings.HasPrefix(path, "file::memory:") {
		path, _, _ = strings.Cut(path, "?")
		return strings.TrimSuffix(path, filepath.Ext(path)) + ".log"
	}
	return "opsbot.log"
}
