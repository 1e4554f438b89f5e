package imapsync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"cockpit/backend/ingest"
	"cockpit/backend/secrets"
	"cockpit/backend/store"
)

// Deps is what a sync needs.
type Deps struct {
	Pipeline *ingest.Pipeline
	Secrets  secrets.Store
}

// Connector plugs IMAP into ingest.Connectors under kind "imap".
type Connector struct {
	Secrets secrets.Store
	// Backoff is the pause before reconnect attempt n (1-based); nil means 1s, 2s, 4s, 8s, 16s.
	Backoff func(n int) time.Duration
	// MaxReconnects per folder pass before the folder is reported failed (default 5).
	MaxReconnects int
	// RecheckFlags lists every mirrored message's flags on a server without CONDSTORE whenever the last
	// listing was: the watcher sets it when IDLE announced a flag change.
	RecheckFlags bool
	turnHeld     bool // the caller holds the account's turn (SyncNow)
}

// SyncOnce implements ingest.Connector.
func (c Connector) SyncOnce(ctx context.Context, p *ingest.Pipeline, src store.Source, progress ingest.ProgressFunc) (ingest.Stats, error) {
	acct, err := AccountOf(src)
	if err != nil {
		return ingest.Stats{}, err
	}
	if err := acct.Validate(); err != nil {
		return ingest.Stats{}, fmt.Errorf("source %q: %w", src.Name, err)
	}
	password, err := c.Secrets.Get(SecretKey(src.ID))
	if err != nil {
		return ingest.Stats{}, fmt.Errorf("source %q: password: %w", src.Name, err)
	}
	if progress == nil {
		progress = func(ingest.Progress) {}
	}
	if !c.turnHeld {
		release, err := takeTurn(ctx, p.Store, src.ID)
		if err != nil {
			return ingest.Stats{}, err
		}
		defer release()
	}
	s := &syncer{conn: c, p: p, src: src, acct: acct, password: password, progress: progress}
	defer s.close()
	return s.run(ctx)
}

// Passes over one account run one after another: passes running together would each fetch every new
// message, only for all but one copy to be skipped at the commit. A pass that waits its turn (the
// watcher's, SyncOnce's) finds what the one before left, usually nothing; SyncNow does not wait. Keyed by
// store too, as each open workspace numbers its sources from 1.
var turns sync.Map // accountKey -> chan struct{} (a semaphore of one)

type accountKey struct {
	st *store.Store
	id int64
}

func turnOf(st *store.Store, sourceID int64) chan struct{} {
	v, _ := turns.LoadOrStore(accountKey{st, sourceID}, make(chan struct{}, 1))
	return v.(chan struct{})
}

func takeTurn(ctx context.Context, st *store.Store, sourceID int64) (release func(), err error) {
	turn := turnOf(st, sourceID)
	select {
	case turn <- struct{}{}:
		return func() { <-turn }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func tryTurn(st *store.Store, sourceID int64) (release func(), ok bool) {
	turn := turnOf(st, sourceID)
	select {
	case turn <- struct{}{}:
		return func() { <-turn }, true
	default:
		return nil, false
	}
}

// SyncOnce syncs one IMAP source (by id) once: everything on the server now is committed when it returns.
// A pass over the account already running is waited for.
func SyncOnce(ctx context.Context, d Deps, sourceID int64, progress ingest.ProgressFunc) (ingest.Stats, error) {
	return syncSource(ctx, d, sourceID, progress, true)
}

// ErrSyncing says a pass over the account is running already: its progress is being reported.
var ErrSyncing = errors.New("this account is being synced already; its progress shows on the Sources page")

// SyncNow is SyncOnce for a person's click: when a pass over the account is running (the watcher's, or
// the click before), it returns ErrSyncing at once rather than wait for that pass and then find nothing.
func SyncNow(ctx context.Context, d Deps, sourceID int64, progress ingest.ProgressFunc) (ingest.Stats, error) {
	return syncSource(ctx, d, sourceID, progress, false)
}

func syncSource(ctx context.Context, d Deps, sourceID int64, progress ingest.ProgressFunc, wait bool) (ingest.Stats, error) {
	src, err := d.Pipeline.Store.GetSource(ctx, sourceID)
	if err != nil {
		return ingest.Stats{}, err
	}
	if src.Kind != "imap" {
		return ingest.Stats{}, fmt.Errorf("source %q is %s, not imap", src.Name, src.Kind)
	}
	conn := Connector{Secrets: d.Secrets}
	if !wait {
		// Taken here, before SyncSource, so that a busy account is not recorded as a failed run.
		release, ok := tryTurn(d.Pipeline.Store, src.ID)
		if !ok {
			return ingest.Stats{}, ErrSyncing
		}
		defer release()
		conn.turnHeld = true
	}
	res, err := ingest.Connectors{"imap": conn}.SyncSource(ctx, d.Pipeline, conn, src, progress)
	return res.Stats, err
}

type syncer struct {
	conn     Connector
	p        *ingest.Pipeline
	src      store.Source
	acct     Account
	password string
	progress ingest.ProgressFunc
	client   *imapclient.Client
	hooks    *ingest.Hooks
	inMemory atomic.Int64 // bytes of fetched messages held in memory for the parser (see maxInMemory)
}

func (s *syncer) close() {
	if s.client != nil {
		s.client.Close()
		s.client = nil
	}
}

func (s *syncer) backoff(n int) time.Duration {
	if s.conn.Backoff != nil {
		return s.conn.Backoff(n)
	}
	return time.Second << min(n-1, 4)
}

func (s *syncer) connect(ctx context.Context) error {
	if s.client != nil {
		return nil
	}
	s.progress(ingest.Progress{SourceID: s.src.ID, Source: s.src.Name, Phase: "connect"})
	c, err := dial(ctx, s.acct, s.password, nil)
	if err != nil {
		return err
	}
	s.client = c
	return nil
}

func (s *syncer) run(ctx context.Context) (ingest.Stats, error) {
	s.hooks = s.p.StartHooks(ctx)
	defer s.hooks.Close() // every case this sync changed is refreshed before SyncOnce returns
	var total ingest.Stats
	var errs []error
	for _, f := range s.src.Folders {
		st, err := s.folder(ctx, f)
		total.Merge(st)
		total.Folders++
		msg := ""
		if err != nil {
			msg = err.Error()
			total.Errors = append(total.Errors, f.Name+": "+msg)
			errs = append(errs, fmt.Errorf("folder %s: %w", f.Name, err))
			s.progress(ingest.Progress{SourceID: s.src.ID, Source: s.src.Name, Folder: f.Name, Phase: "error", Error: msg})
		}
		if ctx.Err() != nil {
			break
		}
		var le *loginError
		if errors.As(err, &le) {
			break // every other folder would fail the same way
		}
	}
	if s.client != nil {
		_ = s.client.Logout().Wait()
	}
	return total, errors.Join(errs...)
}

// folder syncs one mailbox, reconnecting with backoff when the connection drops. Every pass resumes from
// the committed high-water mark, so a drop loses and repeats nothing.
func (s *syncer) folder(ctx context.Context, f store.Folder) (ingest.Stats, error) {
	max := s.conn.MaxReconnects
	if max == 0 {
		max = 5
	}
	var total ingest.Stats
	var sel *imap.SelectData
	var err error
	for attempt := 0; ; attempt++ {
		var st ingest.Stats
		st, sel, err = s.folderPass(ctx, f.ID)
		total.Merge(st)
		if err == nil || ctx.Err() != nil || !retryable(err) || attempt >= max {
			break
		}
		s.close()
		s.progress(ingest.Progress{SourceID: s.src.ID, Source: s.src.Name, Folder: f.Name, Phase: "connect",
			Error: fmt.Sprintf("connection lost (%v); retry %d of %d", err, attempt+1, max)})
		select {
		case <-ctx.Done():
		case <-time.After(s.backoff(attempt + 1)):
		}
	}
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	var uidNext uint32
	if sel != nil {
		uidNext = uint32(sel.UIDNext)
	}
	if rerr := s.p.Store.FolderSynced(context.WithoutCancel(ctx), f.ID, uidNext, s.now(), msg); rerr != nil && err == nil {
		err = rerr
	}
	return total, err
}

func (s *syncer) now() time.Time {
	if s.p.Clock != nil {
		return s.p.Clock.Now()
	}
	return time.Now().UTC()
}

// retryable: network trouble is; a refusal from the server (NO/BAD: no such mailbox, bad login) and
// local failures (database, disk) are not.
func retryable(err error) bool {
	var ie *imap.Error
	var le *loginError
	var pe *pipelineError
	if errors.As(err, &ie) || errors.As(err, &le) || errors.As(err, &pe) {
		return false
	}
	return true
}

// pipelineError marks a local failure while committing, which reconnecting cannot fix.
type pipelineError struct{ err error }

func (e *pipelineError) Error() string { return e.err.Error() }
func (e *pipelineError) Unwrap() error { return e.err }

type fetched struct {
	uid      uint32
	sum      string
	internal time.Time
	flags    []string
	raw      []byte // the message, when small enough to hand to the parser from memory
}

type prepared struct {
	fetched
	pr  *ingest.Parsed
	err error
}

// folderPass is one connection's worth of work on a folder.
func (s *syncer) folderPass(ctx context.Context, folderID int64) (ingest.Stats, *imap.SelectData, error) {
	var stats ingest.Stats
	if err := s.connect(ctx); err != nil {
		return stats, nil, err
	}
	// Re-read the folder: the high-water mark may have moved in an earlier pass.
	f, err := s.folderState(ctx, folderID)
	if err != nil {
		return stats, nil, &pipelineError{err}
	}
	c := s.client
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	condstore := c.Caps().Has(imap.CapCondStore)
	sel, err := c.Select(f.Name, &imap.SelectOptions{ReadOnly: true, CondStore: condstore}).Wait()
	if err != nil {
		return stats, nil, fmt.Errorf("examine %s: %w", f.Name, err)
	}
	if f.UIDValidity != sel.UIDValidity {
		// New mailbox or UIDVALIDITY reset: UIDs mean nothing any more, mirror again from the start. The
		// pipeline's dedupe on Message-ID + SHA-256 keeps already ingested mail from being added twice.
		if err := s.p.Store.ResetFolder(ctx, f.ID, sel.UIDValidity); err != nil {
			return stats, sel, &pipelineError{err}
		}
		f.LastUID, f.HighestModSeq = 0, 0
	}
	var uids []imap.UID
	if sel.NumMessages > 0 && (sel.UIDNext == 0 || uint32(sel.UIDNext) > f.LastUID+1) {
		sd, err := c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: imap.UID(f.LastUID + 1), Stop: 0}}}}, nil).Wait()
		if err != nil {
			return stats, sel, fmt.Errorf("search %s: %w", f.Name, err)
		}
		for _, u := range sd.AllUIDs() {
			if uint32(u) > f.LastUID { // "n:*" also matches the last message when n is past the end
				uids = append(uids, u)
			}
		}
	}
	if err := s.mailboxChanges(ctx, c, f, sel, condstore, len(uids), &stats); err != nil {
		return stats, sel, err
	}
	if len(uids) == 0 {
		s.progress(ingest.Progress{SourceID: s.src.ID, Source: s.src.Name, Folder: f.Name, Phase: "done"})
		return stats, sel, nil
	}
	item := ingest.Item{SourceID: s.src.ID, FolderID: f.ID, Folder: f.Name, Role: f.Role, UIDValidity: sel.UIDValidity}
	prog := ingest.Progress{SourceID: s.src.ID, Source: s.src.Name, Folder: f.Name, Phase: "fetch", Total: len(uids)}
	s.progress(prog)

	// The fetch loop streams bodies into the blob store while one committer parses and commits them in UID
	// order, so network, hashing and SQLite overlap and the high-water mark only ever moves forward.
	// A third stage between them parses (and stores attachments), so the two cores both have work.
	work := make(chan fetched, 64)
	parsed := make(chan prepared, 64)
	// The parser gives back the budget of every message it takes; what a pass that failed half-way
	// never handed over is forgotten here, as its stages have all ended.
	s.inMemory.Store(0)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(parsed)
		for m := range work {
			var pr *ingest.Parsed
			var err error
			if m.raw != nil {
				pr, err = s.p.PrepareBytes(cctx, m.sum, m.raw)
				s.inMemory.Add(-int64(len(m.raw)))
				m.raw = nil // the batch it joins must not keep it
			} else {
				pr, err = s.p.Prepare(cctx, m.sum)
			}
			select {
			case parsed <- prepared{fetched: m, pr: pr, err: err}:
			case <-cctx.Done():
			}
		}
	}()
	committed := make(chan error, 1)
	go func() {
		var cerr error
		for batch := range batches(parsed, maxBatch) {
			if cerr != nil {
				continue
			}
			items := make([]ingest.Prepared, 0, len(batch))
			for _, m := range batch {
				if m.err != nil {
					cerr = m.err
					break
				}
				it := item
				it.UID, it.ReceivedAt, it.MailFlags = m.uid, m.internal, m.flags
				items = append(items, ingest.Prepared{Item: it, Parsed: m.pr})
			}
			if len(items) > 0 {
				outs, err := s.p.CommitBatch(ctx, items, s.hooks)
				if err != nil {
					cerr = err
				}
				for _, out := range outs {
					stats.Add(out)
					prog.Done++
					switch out.Status {
					case ingest.StatusIngested:
						prog.Ingested++
					case ingest.StatusQuarantined:
						prog.Quarantined++
					case ingest.StatusDuplicate:
						prog.Duplicates++
					}
				}
			}
			if cerr != nil {
				cerr = &pipelineError{cerr}
				cancel()
				continue
			}
			s.progress(prog)
		}
		committed <- cerr
	}()
	ferr := s.fetchAll(cctx, c, uids, work)
	close(work)
	cerr := <-committed
	if cerr != nil {
		return stats, sel, cerr
	}
	if ferr != nil {
		return stats, sel, ferr
	}
	prog.Phase = "done"
	s.progress(prog)
	return stats, sel, nil
}

// maxBatch bounds how many parsed messages one transaction commits; batchWindow is how long a batch
// collects after its first message. Each commit writes a new full-text index segment that FTS5 later
// merges into the others, and rewrites the pages it shares with the commit before, so a few large batches
// cost far less than many small ones: in make bench-imap, batches that filled up (1 s) took a tenth less
// CPU than those of a quarter second (about 180 messages). A second is nothing to a sync, nor to a mail
// that IDLE announces.
const (
	maxBatch    = 500
	batchWindow = time.Second
)

// batches groups the items coming on in: each batch is the next item plus whatever else arrives within
// batchWindow (up to max).
func batches(in <-chan prepared, max int) <-chan []prepared {
	out := make(chan []prepared)
	go func() {
		defer close(out)
		for m := range in {
			batch := []prepared{m}
			window := time.NewTimer(batchWindow)
		more:
			for len(batch) < max {
				select {
				case m, ok := <-in:
					if !ok {
						break more
					}
					batch = append(batch, m)
				case <-window.C:
					break more
				}
			}
			window.Stop()
			out <- batch
		}
	}()
	return out
}

// mailboxChanges records what changed on the server for the messages mirrored before this pass: which
// have gone from the folder and whose flags changed. Nothing is fetched again and nothing mirrored is
// deleted; arriving is how many new messages the pass found.
func (s *syncer) mailboxChanges(ctx context.Context, c *imapclient.Client, f store.Folder, sel *imap.SelectData, condstore bool, arriving int, stats *ingest.Stats) error {
	mb := store.Mailbox{SourceID: s.src.ID, Folder: f.Name, UIDValidity: sel.UIDValidity}
	if f.LastUID > 0 {
		mirrored, err := s.p.Store.StillInMailbox(ctx, mb)
		if err != nil {
			return &pipelineError{err}
		}
		// The folder holds the mirrored messages still there and the arriving ones: fewer means some went.
		// (A message arriving since the EXAMINE only costs a search that finds nothing gone.)
		if int(sel.NumMessages) < mirrored+arriving {
			sd, err := c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: 1, Stop: imap.UID(f.LastUID)}}}}, nil).Wait()
			if err != nil {
				return fmt.Errorf("search %s: %w", f.Name, err)
			}
			onServer := map[uint32]bool{}
			for _, u := range sd.AllUIDs() {
				onServer[uint32(u)] = true
			}
			n, err := s.p.Store.MarkExpunged(ctx, mb, f.LastUID, onServer, s.now())
			if err != nil {
				return &pipelineError{err}
			}
			stats.Removed += n
		}
	}
	// HIGHESTMODSEQ 0: the server offers CONDSTORE but keeps no mod-sequences for this mailbox (NOMODSEQ),
	// so it is treated as a server without.
	if condstore && sel.HighestModSeq != 0 {
		if sel.HighestModSeq == f.HighestModSeq {
			return nil
		}
		// From a mark of 0 (first pass after an upgrade, or after a UIDVALIDITY reset) every message's flags.
		if err := s.fetchFlags(ctx, c, f, mb, f.HighestModSeq, stats); err != nil {
			return err
		}
		// Changes after the EXAMINE have higher mod-sequences: the next pass asks for them.
		if err := s.p.Store.FolderModSeq(ctx, f.ID, sel.HighestModSeq); err != nil {
			return &pipelineError{err}
		}
		return nil
	}
	if f.LastUID == 0 && arriving == 0 {
		return nil // an empty folder: no flags to follow, and nothing worth a write every FlagRecheck
	}
	checked := s.now()
	// A check in the future means the clock was set back: check now rather than wait for it.
	if since := checked.Sub(f.FlagsCheckedAt); !s.conn.RecheckFlags && !f.FlagsCheckedAt.IsZero() && since >= 0 && since < FlagRecheck {
		return nil
	}
	if err := s.fetchFlags(ctx, c, f, mb, 0, stats); err != nil {
		return err
	}
	if err := s.p.Store.FlagsChecked(ctx, f.ID, checked); err != nil {
		return &pipelineError{err}
	}
	return nil
}

// FlagRecheck is how long a server without CONDSTORE goes between two listings of every mirrored
// message's flags. Such a server cannot say what changed, and listing on every pass would cost a full
// FLAGS listing (about 2 MB for 50,000 messages) at each new message IDLE announces. A colleague's
// answer shows at once where IDLE announces the change (Connector.RecheckFlags), else within this time
// or the watcher's poll interval, whichever is longer.
const FlagRecheck = 2 * time.Minute

// fetchFlags records the flags of the mirrored messages of f that changed since mod-sequence
// changedSince (0: all of them; the store writes only those that differ).
func (s *syncer) fetchFlags(ctx context.Context, c *imapclient.Client, f store.Folder, mb store.Mailbox, changedSince uint64, stats *ingest.Stats) error {
	if f.LastUID == 0 {
		return nil // nothing mirrored yet: this pass fetches each message with its flags
	}
	opts := &imap.FetchOptions{UID: true, Flags: true, ChangedSince: changedSince}
	msgs, err := c.Fetch(imap.UIDSet{imap.UIDRange{Start: 1, Stop: imap.UID(f.LastUID)}}, opts).Collect()
	if err != nil {
		return fmt.Errorf("fetch flags of %s: %w", f.Name, err)
	}
	flags := make(map[uint32][]string, len(msgs))
	for _, m := range msgs {
		if m.UID != 0 {
			flags[uint32(m.UID)] = flagStrings(m.Flags)
		}
	}
	n, err := s.p.Store.SetMailFlags(ctx, mb, flags)
	if err != nil {
		return &pipelineError{err}
	}
	stats.FlagsChanged += n
	return nil
}

// flagStrings keeps the flags that say something about the message. \Recent only says which session
// saw it first (IMAP4rev2 dropped it): kept, a listing by another connection would count as a change.
func flagStrings(fs []imap.Flag) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		if !strings.EqualFold(string(f), `\Recent`) {
			out = append(out, string(f))
		}
	}
	return out
}

func (s *syncer) folderState(ctx context.Context, id int64) (store.Folder, error) {
	fs, err := s.p.Store.Folders(ctx, s.src.ID)
	if err != nil {
		return store.Folder{}, err
	}
	for _, f := range fs {
		if f.ID == id {
			return f, nil
		}
	}
	return store.Folder{}, fmt.Errorf("folder %d of source %q: %w", id, s.src.Name, store.ErrNotFound)
}

func (s *syncer) fetchAll(ctx context.Context, c *imapclient.Client, uids []imap.UID, work chan<- fetched) error {
	batch := s.acct.BatchSize
	if batch <= 0 {
		batch = 200
	}
	opts := &imap.FetchOptions{UID: true, InternalDate: true, Flags: true,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}}} // BODY.PEEK[]: never sets \Seen
	for i := 0; i < len(uids); i += batch {
		set := imap.UIDSetNum(uids[i:min(i+batch, len(uids))]...)
		if err := s.fetchBatch(ctx, c, set, opts, work); err != nil {
			return err
		}
	}
	return nil
}

func (s *syncer) fetchBatch(ctx context.Context, c *imapclient.Client, set imap.UIDSet, opts *imap.FetchOptions, work chan<- fetched) error {
	cmd := c.Fetch(set, opts)
	defer cmd.Close()
	for {
		msg := cmd.Next()
		if msg == nil {
			break
		}
		var m fetched
		got := false
		for {
			it := msg.Next()
			if it == nil {
				break
			}
			switch d := it.(type) {
			case imapclient.FetchItemDataUID:
				m.uid = uint32(d.UID)
			case imapclient.FetchItemDataInternalDate:
				m.internal = d.Time.UTC()
			case imapclient.FetchItemDataFlags:
				m.flags = flagStrings(d.Flags)
			case imapclient.FetchItemDataBodySection:
				if d.Literal == nil {
					continue
				}
				body := io.Reader(d.Literal)
				if n := d.Literal.Size(); n <= maxInMemory && s.inMemory.Load()+n <= inMemoryBudget {
					// Read whole, stored from memory and parsed from memory: not written and read back.
					s.inMemory.Add(n)
					m.raw = make([]byte, n)
					if _, err := io.ReadFull(d.Literal, m.raw); err != nil {
						return fmt.Errorf("fetch: %w", err)
					}
					body = bytes.NewReader(m.raw)
				}
				sum, _, err := s.p.StoreRaw(body)
				if err != nil {
					// A literal cut short by a dropped connection is retried; a disk failure is not.
					if isNetErr(err) {
						return fmt.Errorf("fetch: %w", err)
					}
					return &pipelineError{err}
				}
				m.sum, got = sum, true
			}
		}
		if !got || m.uid == 0 {
			continue // a FETCH without the body (flag update pushed by the server): nothing to ingest
		}
		select {
		case work <- m:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := cmd.Close(); err != nil {
		return fmt.Errorf("fetch: %w", err)
	}
	return nil
}

// A sync hands messages of up to maxInMemory bytes from the fetch to the parser in memory, as long as
// those on their way hold no more than inMemoryBudget (the queue between them holds 64 messages); the
// others stream to the blob store and are read back from it.
const (
	maxInMemory    = 1 << 20
	inMemoryBudget = 8 << 20
)

func isNetErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed)
}
