package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"opsbot/store"
	"opsbot/store/storetest"
)

// TestBackupSQLite logs a figure, backs the database up while the bot's
// file stays in use, and finds the figure in the copy.
func TestBackupSQLite(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := runCLI(t, dir, "/metric uv=12000\n", nil, "console", "--user", "amy"); code != 0 {
		t.Fatalf("console: exit %d %s %s", code, out, errOut)
	}
	backup := filepath.Join(dir, "backup.db")
	code, out, errOut := runCLI(t, dir, "", nil, "backup", backup)
	if code != 0 || !strings.Contains(out, "Backed up") {
		t.Fatalf("backup: exit %d %s %s", code, out, errOut)
	}
	st, err := store.Open(context.Background(), "sqlite:"+backup)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.RangeMetrics(context.Background(), "main", "2000-01-01", "2100-01-01")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, day := range rows {
		found = found || day["uv"] == 12000
	}
	if !found {
		t.Errorf("the backup lacks uv=12000: %v", rows)
	}
	// Never over an existing file.
	if code, _, errOut := runCLI(t, dir, "", nil, "backup", backup); code == 0 || !strings.Contains(errOut, "exists") {
		t.Errorf("second backup to the same file: exit %d %s", code, errOut)
	}
	if code, _, _ := runCLI(t, dir, "", nil, "backup"); code != 2 {
		t.Errorf("backup without PATH: exit %d, want 2", code)
	}
}

// TestBackupPostgres runs pg_dump on a schema as opsbot names it.
func TestBackupPostgres(t *testing.T) {
	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Skip("pg_dump not installed")
	}
	dbURL := storetest.PostgresURL(t)
	st, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	path := filepath.Join(t.TempDir(), "opsbot.dump")
	code, out, errOut := runCLI(t, t.TempDir(), "", map[string]string{"OPSBOT_DATABASE_URL": dbURL}, "backup", path)
	if code != 0 {
		t.Fatalf("backup: exit %d %s %s", code, out, errOut)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(b), "PGDMP") {
		t.Errorf("not a pg_dump archive: %v %.10q", err, b)
	}
}
