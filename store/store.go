// Package store keeps opsbot's state in a relational database through
// gorm: embedded SQLite by default, PostgreSQL when replicas share one.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store is the database.
type Store struct {
	db *gorm.DB
	// group runs Tx and LogMetrics in batches (see groupcommit.go); nil
	// on a Store bound to a transaction.
	group *groupWriter
	obs   Observer
	// hooks collect what to do once the transaction this Store is bound
	// to commits; nil when bound to none.
	hooks *hooks
}

// DefaultURL is where the bot keeps its data when nothing is configured.
const DefaultURL = "sqlite:opsbot.db"

// Open connects to a database URL and migrates it:
//   - sqlite:PATH (a file; sqlite::memory: for a private in-memory one)
//   - postgres://… or postgresql://…
func Open(ctx context.Context, dbURL string) (*Store, error) {
	dialector, err := dialectorFor(dbURL)
	if err != nil {
		return nil, err
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:  logger.Discard,
		NowFunc: func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", redact(dbURL), err)
	}
	s := &Store{db: db}
	if err := s.configurePool(); err != nil {
		_ = s.Close()
		return nil, err
	}
	if err := s.checkEncoding(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	s.group = newGroupWriter(db)
	return s, nil
}

func dialectorFor(dbURL string) (gorm.Dialector, error) {
	switch {
	case strings.HasPrefix(dbURL, "sqlite:"):
		path := strings.TrimPrefix(dbURL, "sqlite:")
		if path == "" {
			return nil, fmt.Errorf("database URL %q names no file; use sqlite:PATH, e.g. sqlite:opsbot.db", dbURL)
		}
		return sqlite.New(sqlite.Config{Conn: openSQLite(sqliteDSN(path), sqliteBusyTimeout)}), nil
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		return postgres.Open(dbURL), nil
	default:
		return nil, fmt.Errorf("database URL %q is not supported; use sqlite:PATH or postgres://USER@HOST:PORT/DB", redact(dbURL))
	}
}

// PostgreSQL connections kept open between uses. database/sql keeps 2 by
// default: under load every command beyond those opened a connection (a
// new server process, its authentication and catalog caches, and the
// driver's prepared statements lost) and closed it again, which cost more
// than the command itself. Connections idle for pgIdleTime are closed, so
// a quiet replica holds few.
const (
	pgIdle     = 16
	pgIdleTime = 5 * time.Minute
)

// configurePool sizes the connection pool for the database kind. (SQLite's
// is set up by openSQLite.)
func (s *Store) configurePool() error {
	if s.Dialect() != "postgres" {
		return nil
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("database pool: %w", err)
	}
	sqlDB.SetMaxIdleConns(pgIdle)
	sqlDB.SetConnMaxIdleTime(pgIdleTime)
	return nil
}

// sqliteBusyTimeout is how long a write waits for the lock, in this
// process (the write gate) and across processes (SQLite's busy handler).
const sqliteBusyTimeout = 10 * time.Second

// sqliteDSN sets what every connection needs: WAL so readers never block
// the writer, a busy timeout so writers queue instead of failing, foreign
// keys, and BEGIN IMMEDIATE for every transaction: a deferred transaction
// that reads and then writes fails with SQLITE_BUSY_SNAPSHOT, which the busy
// handler never retries.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Set("_txlock", "immediate")
	q.Set("_busy_timeout", strconv.FormatInt(sqliteBusyTimeout.Milliseconds(), 10))
	q.Set("_stmt_cache_size", "64") // prepare each query once per connection
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	if path == ":memory:" {
		// A named shared-cache memory database, private to this Store, so
		// every pooled connection sees the same data.
		var b [8]byte
		_, _ = rand.Read(b[:])
		q.Set("mode", "memory")
		q.Set("cache", "shared")
		return "file:opsbot-" + hex.EncodeToString(b[:]) + "?" + q.Encode()
	}
	q.Set("_journal_mode", "WAL")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// redact hides a password in a database URL before it is logged.
func redact(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil || u.User == nil {
		return dbURL
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Close releases the connections.
func (s *Store) Close() error {
	if s.group != nil {
		s.group.close()
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return sqlDB.Close()
}

// Dialect names the database kind: sqlite or postgres.
func (s *Store) Dialect() string { return s.db.Dialector.Name() }

func models() []any {
	return []any{
		&MetricValue{}, &Target{}, &AuditEntry{}, &ProcessedEvent{},
		&OutboxMessage{}, &OutboxChannel{}, &SlackMessage{},
		&runRow{}, &checkRow{}, &Setting{},
		&ReportPost{},
		&itemRow{}, &eventRow{},
		&MetricImport{},
		&StockItem{}, &StockSale{}, &StockMove{}, &StockOrder{}, &StockSheet{}, &StockSheetLine{}, &StockImport{},
	}
}

// checkEncoding refuses a PostgreSQL database that is not in UTF8, with
// what to do, before anything is written to it. The bot stores Chinese
// text, which LATIN1 and the like cannot hold; on SQL_ASCII the first
// start created the tables and every later one failed to migrate with
// the driver's "simple protocol queries must be run with
// client_encoding=UTF8".
func (s *Store) checkEncoding(ctx context.Context) error {
	if s.Dialect() != "postgres" {
		return nil
	}
	var db, enc string
	row := s.db.WithContext(ctx).Raw("SELECT current_database(), pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()").Row()
	if err := row.Scan(&db, &enc); err != nil {
		return fmt.Errorf("read the database's encoding: %w", err)
	}
	if enc != "UTF8" {
		return fmt.Errorf("database %q is in the %s encoding; opsbot stores Chinese text and needs UTF8: create the database with `createdb -E UTF8 -T template0 NAME` (or CREATE DATABASE NAME ENCODING 'UTF8' TEMPLATE template0) and point OPSBOT_DATABASE_URL at it", db, enc)
	}
	return nil
}

func (s *Store) migrate(ctx context.Context) error {
	models := models()
	if s.Dialect() != "postgres" {
		if err := s.db.WithContext(ctx).AutoMigrate(models...); err != nil {
			return fmt.Errorf("migrate database: %w", err)
		}
		return nil
	}
	// Replicas starting together on an empty database would create the
	// same tables at once and one would fail (pg_type unique violation).
	// A transaction-scoped advisory lock, one per schema, lets one migrate
	// while the others wait; they then find the tables in place. The DDL
	// runs in the same transaction, so the lock is held to its commit.
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtext('opsbot.migrate.' || current_schema()))").Error; err != nil {
			return fmt.Errorf("take the migration lock: %w", err)
		}
		return tx.AutoMigrate(models...)
	})
	if err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	return nil
}

// byID reads the row of id; ErrNotFound (wrapped, with what) when there
// is none. q is the session to read with, locked or not.
func byID[T any](q *gorm.DB, what string, id uint64) (T, error) {
	var row T
	err := q.Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return row, fmt.Errorf("%s %d: %w", what, id, ErrNotFound)
	}
	if err != nil {
		return row, fmt.Errorf("read %s %d: %w", what, id, err)
	}
	return row, nil
}

// limited lists what q finds, at most limit rows (0: all).
func limited[T any](q *gorm.DB, limit int, what string) ([]T, error) {
	if limit > 0 {
		q = q.Limit(limit)
	}
	var out []T
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return out, nil
}

// eachRow hands every row of a plain-SQL query to scan, then closes the
// rows. err is the query's own; every failure is wrapped with what.
func eachRow(rows *sql.Rows, err error, what string, scan func(*sql.Rows) error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// keyed reads the rows a query selects into a map: scan gives each row's
// key and value.
func keyed[K comparable, V any](rows *sql.Rows, err error, what string, scan func(*sql.Rows) (K, V, error)) (map[K]V, error) {
	out := map[K]V{}
	err = eachRow(rows, err, what, func(r *sql.Rows) error {
		k, v, err := scan(r)
		if err != nil {
			return err
		}
		out[k] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// keyValues reads the key, value pairs a query selects.
func keyValues(rows *sql.Rows, err error, what string) (map[string]int64, error) {
	return keyed(rows, err, what, func(r *sql.Rows) (k string, v int64, err error) {
		err = r.Scan(&k, &v)
		return k, v, err
	})
}

// listed lists what q finds, at most limit rows (0: all), each row
// converted by f into what the store hands out.
func listed[R, T any](q *gorm.DB, limit int, what string, f func(R) T) ([]T, error) {
	rows, err := limited[R](q, limit, what)
	return mapped(rows, f), err
}

// mapped converts each row read into what the store hands out.
func mapped[R, T any](rows []R, f func(R) T) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = f(r)
	}
	return out
}

// whereEqual narrows q to the rows whose column equals the value, for each
// column, value pair given; an empty value filters nothing.
func whereEqual(q *gorm.DB, pairs ...string) *gorm.DB {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			q = q.Where(pairs[i]+" = ?", pairs[i+1])
		}
	}
	return q
}
