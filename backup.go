package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"

	"opsbot/store"
)

// runBackup writes a backup of the database to PATH: SQLite's VACUUM INTO
// (online, consistent), or pg_dump's custom format for PostgreSQL
// (restore with pg_restore). It never overwrites a file.
func runBackup(ctx context.Context, g *globals, args []string, e env) error {
	fs := subFlags("backup", "backup [--db URL] PATH", g, e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{errors.New("backup needs one PATH, the file to write, e.g. opsbot backup /backups/opsbot-2026-11-23.db")}
	}
	path := fs.Arg(0)
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists already; choose a new file name", path)
	}
	if strings.HasPrefix(g.db, "postgres://") || strings.HasPrefix(g.db, "postgresql://") {
		return pgDump(ctx, g.db, path, e)
	}
	st, err := store.Open(ctx, g.db)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.BackupSQLite(ctx, path); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Backed up %s to %s. Restore: stop the bot, copy it over the database file, start the bot.\n", g.db, path)
	return nil
}

// pgDump runs pg_dump on a database URL. opsbot's URL may carry
// search_path, which libpq does not take: it becomes --schema.
func pgDump(ctx context.Context, dbURL, path string, e env) error {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return errors.New("backup of PostgreSQL needs pg_dump (Debian: apt-get install postgresql-client), or run pg_dump where the database is; see docs/OPERATIONS.md")
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		return fmt.Errorf("database URL: %w", err)
	}
	q := u.Query()
	args := []string{"--format=custom", "--no-owner", "--file=" + path}
	if sp := q.Get("search_path"); sp != "" {
		args = append(args, "--schema="+sp)
		q.Del("search_path")
	}
	u.RawQuery = q.Encode()
	cmd := exec.CommandContext(ctx, bin, append(args, u.String())...)
	cmd.Stdout, cmd.Stderr = e.stdout, e.stderr
	if err := cmd.Run(); err != nil {
		os.Remove(path) // no half-written backup
		return fmt.Errorf("pg_dump: %w", err)
	}
	fmt.Fprintf(e.stdout, "Backed up the PostgreSQL database to %s (pg_dump custom format). Restore: pg_restore --clean --no-owner -d URL %s\n", path, path)
	return nil
}
