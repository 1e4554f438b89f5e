// Package store holds every SQL statement of Cockpit. Domain packages ask it for typed values and never
// see SQL, so that a later PostgreSQL deployment only has to replace this package's DDL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// TimeFormat is fixed width so that TEXT comparison orders times correctly.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// FormatTime renders t in UTC for storage.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// ParseTime reads a stored time; the empty string is the zero time.
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(TimeFormat, s)
	if err != nil {
		// Accept plain RFC 3339 as written by hand-made fixtures.
		t, err = time.Parse(time.RFC3339Nano, s)
	}
	return t.UTC(), err
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return FormatTime(t)
}

func parseNullTime(ns sql.NullString) time.Time {
	if !ns.Valid {
		return time.Time{}
	}
	t, _ := ParseTime(ns.String)
	return t
}

// Mode says whether this process may write.
type Mode int

const (
	// ReadWrite takes the data-dir lock; a second writer is refused with ErrLocked.
	ReadWrite Mode = iota
	// ReadOnly never writes and never locks (the tray companion, read commands while the app runs).
	ReadOnly
)

// ErrLocked means another Cockpit process is writing to the same data dir.
var ErrLocked = errors.New("another Cockpit process is using this data directory")

// ErrNotWritable means this user may not write the data dir or the database file; reading may still work.
var ErrNotWritable = errors.New("the data directory is not writable")

// Store is the database: one writer connection (SQLite allows one writer; queuing them in Go avoids
// SQLITE_BUSY storms) and a small pool of readers that WAL lets run beside it.
type Store struct {
	Dir   string
	Path  string
	Mode  Mode
	write *sql.DB
	read  *sql.DB
	lock  *os.File
	// orderPatternsGen counts saves of the order patterns, so that a pipeline that keeps them compiled
	// knows when to read them again. Only this process writes (the lock file), so a counter suffices.
	orderPatternsGen atomic.Uint64
}

// DefaultDir is os.UserConfigDir()/cockpit.
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user config dir (use --data-dir): %w", err)
	}
	return filepath.Join(base, "cockpit"), nil
}

// Open opens (creating if needed) the database in dir and applies pending migrations.
func Open(ctx context.Context, dir string, mode Mode) (*Store, error) {
	s := &Store{Dir: dir, Path: filepath.Join(dir, "cockpit.db"), Mode: mode}
	if mode == ReadWrite {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create data dir %s: %w", dir, err)
		}
		if err := s.takeLock(); err != nil {
			return nil, err
		}
		// SQLite quietly opens a write-protected file read-only and fails only at the first write; say so now.
		if err := syscall.Access(s.Path, 2 /* W_OK */); err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.Close()
			return nil, fmt.Errorf("%w: %s is read-only (%w); fix its permissions to make changes", ErrNotWritable, s.Path, err)
		}
	} else if _, err := os.Stat(s.Path); err != nil {
		return nil, fmt.Errorf("open %s read-only: %w", s.Path, err)
	}
	if err := s.openPools(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if mode == ReadWrite {
		if err := s.migrate(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

func (s *Store) takeLock() error {
	f, err := os.OpenFile(filepath.Join(s.Dir, "cockpit.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		return fmt.Errorf("%w (%s): %w", ErrNotWritable, s.Dir, err)
	}
	if err != nil {
		return fmt.Errorf("open lock file in %s: %w", s.Dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		pid, _ := os.ReadFile(f.Name())
		f.Close()
		return fmt.Errorf("%w (%s, pid %s); close it or use another --data-dir", ErrLocked, s.Dir, strings.TrimSpace(string(pid)))
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(fmt.Sprint(os.Getpid())), 0)
	s.lock = f
	return nil
}

func (s *Store) dsn(readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Add("mode", "ro")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		// SQLite's default page cache is 2 MB; a sync's batch of several hundred messages dirties more
		// than that, and SQLite then spills pages to the WAL mid-transaction, writing some twice.
		q.Add("_pragma", "cache_size(-32768)")
		q.Add("_pragma", "synchronous(NORMAL)")
		// Inside a transaction, each statement that may fail half-way keeps the pages it changes in a
		// statement journal, by default a temp file: during a sync those writes were a third of SQLite's
		// write calls. In memory they are only copies; a statement journal holds a few pages at a time.
		q.Add("_pragma", "temp_store(MEMORY)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + s.Path + "?" + q.Encode()
}

func (s *Store) openPools(ctx context.Context) error {
	open := func(readOnly bool) (*sql.DB, error) {
		conns, err := newCachingConnector(s.dsn(readOnly))
		if err != nil {
			return nil, err
		}
		return sql.OpenDB(conns), nil
	}
	var err error
	if s.Mode == ReadWrite {
		if s.write, err = open(false); err != nil {
			return fmt.Errorf("open %s: %w", s.Path, err)
		}
		s.write.SetMaxOpenConns(1)
		if err := s.check(ctx, s.write); err != nil {
			return err
		}
	}
	if s.read, err = open(true); err != nil {
		return fmt.Errorf("open %s for reading: %w", s.Path, err)
	}
	s.read.SetMaxOpenConns(4)
	if s.Mode == ReadOnly {
		return s.check(ctx, s.read)
	}
	return nil
}

// check turns SQLite's terse errors into messages a user can act on.
func (s *Store) check(ctx context.Context, db *sql.DB) error {
	// Reading the schema catches a file that is not a database or has a damaged header. A full
	// quick_check would read every page (12 s on a 100,000-case workspace) before the window could paint;
	// damage deeper in the file is reported by SQLite on the pages a query touches.
	var tables int
	err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&tables)
	switch {
	case err != nil && (strings.Contains(err.Error(), "not a database") || strings.Contains(err.Error(), "malformed")):
		return fmt.Errorf("%s is not a Cockpit database or is corrupt (move it aside and restore a backup): %w", s.Path, err)
	case err != nil && (strings.Contains(err.Error(), "readonly") || strings.Contains(err.Error(), "read-only") || strings.Contains(err.Error(), "unable to open")):
		return fmt.Errorf("%w: cannot open %s (check permissions and free space): %w", ErrNotWritable, s.Path, err)
	case err != nil:
		return fmt.Errorf("open %s: %w", s.Path, err)
	}
	if s.Mode == ReadWrite {
		// A read-only file reads fine; find out now rather than on the first write.
		if _, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"); err != nil {
			return fmt.Errorf("%w: cannot write to %s (read-only file or disk full?): %w", ErrNotWritable, s.Path, err)
		}
	}
	return nil
}

// Close releases the pools and the lock.
func (s *Store) Close() error {
	var errs []error
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	if s.write != nil {
		errs = append(errs, s.write.Close())
	}
	if s.lock != nil {
		errs = append(errs, s.lock.Close())
	}
	return errors.Join(errs...)
}

// ErrReadOnly is returned by writes on a store opened ReadOnly.
var ErrReadOnly = errors.New("the database is open read-only")

func (s *Store) writer() (*sql.DB, error) {
	if s.write == nil {
		return nil, ErrReadOnly
	}
	return s.write, nil
}

// Tx runs fn in one write transaction.
func (s *Store) Tx(ctx context.Context, fn func(*sql.Tx) error) error {
	db, err := s.writer()
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := indexPending(ctx, tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// exec runs one write statement.
func (s *Store) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	db, err := s.writer()
	if err != nil {
		return nil, err
	}
	return db.ExecContext(ctx, q, args...)
}

// idChunk is how many ids one statement binds: far below every engine's limit on bound values, and
// one statement text per list length for the statement cache (stmtcache.go).
const idChunk = 500

// inIDs returns an IN list of placeholders for ids, "($1,$2,...)", and the values to bind. Callers
// keep len(ids) <= idChunk, or use eachRowOfIDs.
func inIDs(ids []int64) (string, []any) {
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i], args[i] = "$"+strconv.Itoa(i+1), id
	}
	return "(" + strings.Join(marks, ",") + ")", args
}

// eachRowOfIDs runs query once per chunk of idChunk ids, its ":ids" replaced by the chunk's IN list,
// and calls scan for each row: chunk after chunk, each in the query's order.
func eachRowOfIDs(ctx context.Context, q querier, query string, ids []int64, scan func(*sql.Rows) error) error {
	for start := 0; start < len(ids); start += idChunk {
		in, args := inIDs(ids[start:min(start+idChunk, len(ids))])
		rows, err := q.QueryContext(ctx, strings.Replace(query, ":ids", in, 1), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// queryIDs runs a query of one integer column (ids) and returns its values in order.
func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// reader returns the read pool; in ReadWrite mode reads see committed writes of the writer.
func (s *Store) reader() *sql.DB { return s.read }
