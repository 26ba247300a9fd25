// Package storetest opens real databases for tests: a SQLite file always,
// and PostgreSQL when one is reachable (required when
// OPSBOT_REQUIRE_SERVICES=1, as in CI).
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"opsbot/store"
)

// DefaultPostgresURL is the CI machines' database.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// SQLite opens a store on a fresh file in the test's temp dir.
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Postgres opens a store in a fresh schema of the test database, dropped
// at the end. It skips with a clear message when PostgreSQL is absent,
// unless OPSBOT_REQUIRE_SERVICES=1.
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), PostgresURL(t))
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// PostgresURL makes a fresh schema of the test database, dropped at the
// end, and returns a URL for it, so several stores or processes can share
// it as replicas do. It skips like Postgres.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base, admin := postgresAdmin(t)
	schema := "t_" + randomName()
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	return base + "&search_path=" + schema
}

// PostgresDatabaseURL makes a database of its own in the given encoding
// (UTF8, SQL_ASCII, LATIN1…), dropped at the end, and returns a URL for
// it. It skips like Postgres.
func PostgresDatabaseURL(t testing.TB, encoding string) string {
	t.Helper()
	base, admin := postgresAdmin(t)
	name := "opsbot_" + randomName()
	if err := admin.Exec("CREATE DATABASE " + name + " ENCODING '" + encoding + "' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0").Error; err != nil {
		if strings.Contains(err.Error(), "permission denied") {
			t.Skipf("the test database's role may not create databases (%v); this test needs one that may", err)
		}
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() { admin.Exec("DROP DATABASE " + name + " WITH (FORCE)") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("test database URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// postgresAdmin connects to the test database, or skips (fails with
// OPSBOT_REQUIRE_SERVICES=1) when it is not reachable. The connection is
// closed at the end of the test, after the cleanups that use it.
func postgresAdmin(t testing.TB) (string, *gorm.DB) {
	t.Helper()
	base := os.Getenv("OPSBOT_TEST_POSTGRES_URL")
	if base == "" {
		base = DefaultPostgresURL
	}
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Discard})
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		err = admin.WithContext(ctx).Exec("SELECT 1").Error
	}
	if err != nil {
		if os.Getenv("OPSBOT_REQUIRE_SERVICES") == "1" {
			t.Fatalf("PostgreSQL is required (OPSBOT_REQUIRE_SERVICES=1) but not reachable at %s: %v", base, err)
		}
		t.Skipf("PostgreSQL not reachable at %s (set OPSBOT_TEST_POSTGRES_URL, or OPSBOT_REQUIRE_SERVICES=1 to fail instead): %v", base, err)
	}
	t.Cleanup(func() {
		if db, err := admin.DB(); err == nil {
			db.Close()
		}
	})
	return base, admin
}

func randomName() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Each runs f against every database available: SQLite, and PostgreSQL.
func Each(t *testing.T, f func(t *testing.T, st *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, Postgres(t)) })
}
