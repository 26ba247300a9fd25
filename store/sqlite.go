package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
)

// SQLite has one writer at a time. When several connections of a pool race
// for the write lock, the losers sleep in SQLite's busy handler (1 ms,
// 2 ms, 5 ms … up to 100 ms a round) and wake to try again: under load
// that puts hundreds of milliseconds on the slowest commands while the
// lock sits free. So this process queues its own write transactions in
// Go instead: a transaction takes the write gate before BEGIN IMMEDIATE
// and gives it back at COMMIT or ROLLBACK, and the next one in line starts
// at once. The busy timeout still covers other processes on the same file.
//
// Reads outside transactions do not take the gate: in WAL mode they run
// beside the writer on the pool's other connections.

// sqliteIdle is how many connections the pool keeps open between uses
// (opening one re-reads the schema). The pool has no upper bound: a
// transaction waiting at the write gate holds its connection, and the
// one holding the gate may still need another to read.
const sqliteIdle = 8

// writeGate lets one write transaction of this process run at a time, in
// the order they asked.
type writeGate struct {
	slot chan struct{}
	wait time.Duration // as long as SQLite's busy timeout
}

var errGateTimeout = errors.New("database is locked: waited too long for the write lock")

func (g *writeGate) acquire(ctx context.Context) error {
	select {
	case g.slot <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slot <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return errGateTimeout
	}
}

func (g *writeGate) release() { <-g.slot }

// openSQLite opens a pool on a SQLite DSN whose transactions pass the
// write gate.
func openSQLite(dsn string, busy time.Duration) *sql.DB {
	db := sql.OpenDB(&sqliteConnector{dsn: dsn, gate: &writeGate{slot: make(chan struct{}, 1), wait: busy}})
	db.SetMaxIdleConns(sqliteIdle)
	return db
}

// sqliteConnector opens mattn/go-sqlite3 connections wrapped in gatedConn.
type sqliteConnector struct {
	dsn  string
	gate *writeGate
	drv  sqlite3.SQLiteDriver
}

func (c *sqliteConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(*sqlite3.SQLiteConn)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("sqlite driver returned %T, not *sqlite3.SQLiteConn", conn)
	}
	return &gatedConn{SQLiteConn: sc, gate: c.gate}, nil
}

func (c *sqliteConnector) Driver() driver.Driver { return &c.drv }

// gatedConn is a SQLite connection whose transactions hold the write gate.
// database/sql uses a connection from one goroutine at a time.
type gatedConn struct {
	*sqlite3.SQLiteConn
	gate *writeGate
	tx   *gatedTx // the open transaction, if any
}

func (c *gatedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := c.gate.acquire(ctx); err != nil {
		return nil, fmt.Errorf("begin transaction: %w", err)
	}
	tx, err := c.SQLiteConn.BeginTx(ctx, opts)
	if err != nil {
		c.gate.release()
		return nil, err
	}
	c.tx = &gatedTx{Tx: tx, release: c.gate.release}
	return c.tx, nil
}

// Begin is the old form of BeginTx; database/sql does not call it, but it
// must not bypass the gate either.
func (c *gatedConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// Close gives the gate back if a transaction was left open.
func (c *gatedConn) Close() error {
	if c.tx != nil {
		c.tx.done()
	}
	return c.SQLiteConn.Close()
}

// gatedTx gives the gate back when it ends, once.
type gatedTx struct {
	driver.Tx
	release func()
	once    sync.Once
}

func (t *gatedTx) done() { t.once.Do(t.release) }

func (t *gatedTx) Commit() error {
	defer t.done()
	return t.Tx.Commit()
}

func (t *gatedTx) Rollback() error {
	defer t.done()
	return t.Tx.Rollback()
}
