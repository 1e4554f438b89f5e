package store

import (
	"container/list"
	"context"
	"database/sql/driver"
	"fmt"
	"reflect"

	"modernc.org/sqlite" // pure Go driver: no cgo SQLite anywhere in the binary
)

// database/sql prepares, runs and finalizes a statement for every call that passes SQL text, and the
// SQLite driver has no statement cache of its own. Parsing and planning the same few dozen statements
// again for every message and every case refresh was a tenth of a sync's CPU time (the profile of `make
// bench-imap`). Neither database/sql nor the driver offers a cache, and keeping *sql.Stmt handles by hand
// cannot work on the writer, whose only connection is busy inside the transaction that wants them. So
// each connection keeps its recently used statements itself, below, and reuses them for the same SQL.
// SQLite re-prepares a kept statement on its own when the schema changes (sqlite3_prepare_v2).

// stmtCacheSize bounds the statements kept per connection; the board builds its SQL from filters, so the
// set of texts is open-ended and the least recently used are finalized.
const stmtCacheSize = 256

// newCachingConnector opens connections to dsn that keep their prepared statements.
func newCachingConnector(dsn string) (driver.Connector, error) {
	base, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite connector: %w", err)
	}
	return cachingConnector{base}, nil
}

type cachingConnector struct{ base driver.Connector }

func (c cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: conn, byQuery: map[string]*list.Element{}, lru: list.New()}, nil
}

func (c cachingConnector) Driver() driver.Driver { return c.base.Driver() }

// cachingConn forwards every optional interface of the driver's connection, as the driver asks of
// wrappers (sqlite.NewConnector), and answers ExecContext and QueryContext from its kept statements.
// database/sql uses a connection from one goroutine at a time, so it needs no lock.
type cachingConn struct {
	driver.Conn
	byQuery map[string]*list.Element // of *keptStmt
	lru     *list.List               // front: most recently used
}

type keptStmt struct {
	query string
	stmt  driver.Stmt
	// busy while rows read from it are open: a second query of the same text in that time (a loop
	// over rows that runs queries of its own) gets a statement of its own.
	busy bool
}

func (c *cachingConn) Unwrap() driver.Conn { return c.Conn }

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *cachingConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

func (c *cachingConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *cachingConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

func (c *cachingConn) Close() error {
	for e := c.lru.Front(); e != nil; e = e.Next() {
		_ = e.Value.(*keptStmt).stmt.Close()
	}
	c.byQuery, c.lru = nil, nil
	return c.Conn.Close()
}

// kept returns the statement kept for query, preparing and keeping it when there is none, or nil when
// the kept one is busy.
func (c *cachingConn) kept(ctx context.Context, query string) (*keptStmt, error) {
	if e, ok := c.byQuery[query]; ok {
		k := e.Value.(*keptStmt)
		if k.busy {
			return nil, nil
		}
		c.lru.MoveToFront(e)
		return k, nil
	}
	st, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	k := &keptStmt{query: query, stmt: st}
	c.byQuery[query] = c.lru.PushFront(k)
	for e := c.lru.Back(); c.lru.Len() > stmtCacheSize && e != c.lru.Front(); {
		prev := e.Prev()
		if old := e.Value.(*keptStmt); !old.busy {
			_ = old.stmt.Close()
			delete(c.byQuery, old.query)
			c.lru.Remove(e)
		}
		e = prev
	}
	return k, nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	k, err := c.kept(ctx, query)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	return k.stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	k, err := c.kept(ctx, query)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	rows, err := k.stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	k.busy = true
	return &keptRows{Rows: rows, kept: k}, nil
}

// keptRows frees its statement for the next query when closed (the driver resets it then).
type keptRows struct {
	driver.Rows
	kept *keptStmt
}

func (r *keptRows) Close() error {
	err := r.Rows.Close()
	r.kept.busy = false
	return err
}

// The driver's rows describe their columns; database/sql asks for that through these interfaces.

func (r *keptRows) ColumnTypeDatabaseTypeName(i int) string {
	return r.Rows.(driver.RowsColumnTypeDatabaseTypeName).ColumnTypeDatabaseTypeName(i)
}

func (r *keptRows) ColumnTypeScanType(i int) reflect.Type {
	return r.Rows.(driver.RowsColumnTypeScanType).ColumnTypeScanType(i)
}

func (r *keptRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	return r.Rows.(driver.RowsColumnTypeNullable).ColumnTypeNullable(i)
}

func (r *keptRows) ColumnTypeLength(i int) (int64, bool) {
	return r.Rows.(driver.RowsColumnTypeLength).ColumnTypeLength(i)
}

func (r *keptRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	return r.Rows.(driver.RowsColumnTypePrecisionScale).ColumnTypePrecisionScale(i)
}
