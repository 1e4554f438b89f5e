package main

import (
	"database/sql"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"cockpit/backend/blobs"
	"cockpit/backend/ingest/imapsync/dovecottest"
	"cockpit/backend/ingest/mailparse"
)

// The floor is the least a full ingest can do with the libraries the issue names, timed on the same
// server in the same round as mbsync and Cockpit: go-imap v2 fetching BODY.PEEK[] in batches of 500,
// SHA-256 and the raw message into the blob store, go-message parsing with every attachment into the
// store, and the text into an FTS5 trigram table of modernc SQLite, a row per message, in transactions of
// 500. No dedupe, threading, case linking, audit trail, progress or classification. It is written here,
// not taken from the sync, so that nothing Cockpit adds is in it: it shows how much of Cockpit's time is
// the work itself and how much is Cockpit, and whether a ratio is reachable at all on this machine.
type floorStage int

const (
	floorMirror floorStage = iota // fetch, hash, raw to the blob store, a row
	floorParse                    // and parse, attachments to the blob store, the text in the row
	floorIndex                    // and the text into the full-text index
)

var floorStages = []struct {
	stage floorStage
	label string
}{
	{floorMirror, "mirror (fetch, SHA-256, raw to the blob store, a row each)"},
	{floorParse, "+ parse (text, attachments to the evidence store)"},
	{floorIndex, "+ full-text index (FTS5 trigram)"},
}

type floorFigures struct {
	Stage     string  `json:"stage"`
	Seconds   float64 `json:"seconds"`
	Ratio     float64 `json:"ratio"`
	CPU       float64 `json:"cpu_seconds"`
	ServerCPU float64 `json:"server_cpu_seconds"` // Dovecot's
}

// floorBatch is both the UID FETCH batch and the rows per transaction.
const floorBatch = 500

type floorMessage struct {
	sum  string
	raw  []byte
	msg  *mailparse.Message
	size int
}

// runFloor pulls all n messages through the stage's work into an empty place under dir and returns the
// wall and CPU seconds (this process's, so nothing else may run in it meanwhile).
func runFloor(dir string, srv *dovecottest.Server, n int, stage floorStage) (seconds, cpu float64, err error) {
	work := filepath.Join(dir, "floor")
	if err := os.MkdirAll(work, 0o700); err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(work)
	runtime.GC() // the garbage of the rounds before is not this run's
	cpu0 := selfCPU()
	t0 := time.Now()
	store := blobs.New(filepath.Join(work, "blobs"))
	db, err := floorDB(filepath.Join(work, "floor.db"), stage)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	fetched := make(chan floorMessage, 64)
	parsed := make(chan floorMessage, 64)
	go func() {
		defer close(parsed)
		for m := range fetched {
			if stage >= floorParse {
				msg, err := mailparse.Parse(m.raw, store.Put)
				if err != nil {
					// Cockpit would quarantine it; here it just has no text. (The bench's messages all read:
					// Cockpit's round quarantines none.)
					msg = &mailparse.Message{}
				}
				m.msg = msg
			}
			m.raw = nil
			parsed <- m
		}
	}()
	committed := make(chan error, 1)
	go func() { committed <- floorCommit(db, parsed, stage, n) }()
	ferr := floorFetch(srv, n, store, fetched)
	close(fetched)
	cerr := <-committed
	if ferr != nil {
		return 0, 0, ferr
	}
	if cerr != nil {
		return 0, 0, cerr
	}
	return time.Since(t0).Seconds(), selfCPU() - cpu0, nil
}

func floorDB(path string, stage floorStage) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-32768)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	schema := []string{`CREATE TABLE messages (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
		subject TEXT NOT NULL, sender TEXT NOT NULL, body_text TEXT NOT NULL)`}
	if stage >= floorIndex {
		// As Cockpit's timeline index (migrations 0011 and 0012): contentless, trigram, 8 MiB of terms per segment.
		schema = append(schema, `CREATE VIRTUAL TABLE messages_fts USING fts5(subject, body_text, content='', contentless_delete=1, tokenize='trigram')`,
			`INSERT INTO messages_fts(messages_fts, rank) VALUES ('hashsize', 8388608)`)
	}
	for _, q := range schema {
		if _, err := db.Exec(q); err != nil {
			db.Close()
			return nil, fmt.Errorf("floor schema: %w", err)
		}
	}
	return db, nil
}

func floorFetch(srv *dovecottest.Server, n int, store *blobs.Store, out chan<- floorMessage) error {
	conn, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		return err
	}
	c := imapclient.New(conn, nil)
	defer c.Close()
	if err := c.Login(srv.User, srv.Password).Wait(); err != nil {
		return fmt.Errorf("floor login: %w", err)
	}
	if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return fmt.Errorf("floor examine: %w", err)
	}
	opts := &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{{Peek: true}}}
	for first := uint32(1); first <= uint32(n); first += floorBatch {
		var set imap.SeqSet
		set.AddRange(first, min(first+floorBatch-1, uint32(n)))
		cmd := c.Fetch(set, opts)
		for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
			for it := msg.Next(); it != nil; it = msg.Next() {
				body, ok := it.(imapclient.FetchItemDataBodySection)
				if !ok || body.Literal == nil {
					continue
				}
				raw := make([]byte, body.Literal.Size())
				if _, err := io.ReadFull(body.Literal, raw); err != nil {
					return fmt.Errorf("floor fetch: %w", err)
				}
				sum, _, err := store.PutBytes(raw)
				if err != nil {
					return err
				}
				out <- floorMessage{sum: sum, raw: raw, size: len(raw)}
			}
		}
		if err := cmd.Close(); err != nil {
			return fmt.Errorf("floor fetch: %w", err)
		}
	}
	return c.Logout().Wait()
}

func floorCommit(db *sql.DB, in <-chan floorMessage, stage floorStage, n int) error {
	var tx *sql.Tx
	rows := 0
	var err error
	for m := range in {
		if err != nil {
			continue // drain, so the parser ends
		}
		if tx == nil {
			if tx, err = db.Begin(); err != nil {
				continue
			}
		}
		var subject, sender, text string
		if m.msg != nil {
			subject, sender, text = m.msg.Subject, m.msg.From.Email, m.msg.Text
		}
		var res sql.Result
		if res, err = tx.Exec(`INSERT INTO messages (sha256, size, subject, sender, body_text) VALUES (?, ?, ?, ?, ?)`,
			m.sum, m.size, subject, sender, text); err != nil {
			continue
		}
		if stage >= floorIndex {
			id, _ := res.LastInsertId()
			if _, err = tx.Exec(`INSERT INTO messages_fts (rowid, subject, body_text) VALUES (?, ?, ?)`, id, subject, text); err != nil {
				continue
			}
		}
		if rows++; rows%floorBatch == 0 {
			err, tx = tx.Commit(), nil
		}
	}
	if err == nil && tx != nil {
		err = tx.Commit()
	}
	if err == nil && rows != n {
		err = fmt.Errorf("floor stored %d of %d messages", rows, n)
	}
	if err != nil {
		return fmt.Errorf("floor commit: %w", err)
	}
	return nil
}

func selfCPU() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// servedCPU is what Dovecot spent serving a client that has just logged out: its mail process's time
// reaches the master once the master has reaped it, so this waits (up to 3 s) for the figure to move
// and settle.
func servedCPU(srv *dovecottest.Server, before time.Duration) float64 {
	last := before
	for range 30 {
		time.Sleep(100 * time.Millisecond)
		now, err := srv.ServedCPU()
		if err != nil {
			return 0
		}
		if now != before && now == last {
			break
		}
		last = now
	}
	return (last - before).Seconds()
}
