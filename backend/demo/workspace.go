package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"cockpit/backend/clocks"
	"cockpit/backend/engine"
	"cockpit/backend/ingest"
	"cockpit/backend/ingest/imapsync"
	"cockpit/backend/people"
	"cockpit/backend/secrets"
	"cockpit/backend/store"
)

// SourceName is the demo mailbox's IMAP source.
const SourceName = "Demo mailbox 演示邮箱"

// DefaultSeed is the seed of `cockpit demo` and the first-run "open demo workspace".
const DefaultSeed = 1

// LiveEvery is how often the open demo delivers a new complaint.
const LiveEvery = 45 * time.Second

// State is what a demo workspace remembers so that re-opening it regenerates the same mail: the seed,
// the time the mail was generated relative to, and when each live complaint was delivered.
type State struct {
	Seed   uint64      `json:"seed"`
	Anchor time.Time   `json:"anchor"`
	Live   []time.Time `json:"live"`
}

// Workspace is an open demo: its mail served on 127.0.0.1 and registered as an ordinary IMAP source.
type Workspace struct {
	Store    *store.Store
	Secrets  secrets.Store
	Pipeline *ingest.Pipeline
	Engine   *engine.Engine
	Clock    clocks.Clock

	State State
	// Staff are the demo users found in the workspace, by username.
	Staff    map[string]people.User
	Mailbox  *Mailbox
	Server   *Server
	SourceID int64

	mu sync.Mutex // guards State.Live and deliveries
}

// Deps are the parts a demo workspace runs on; the pipeline and the engine must use Store (the pipeline's
// OnCaseChanged is normally Engine.OnCaseChanged, so demo cases are classified like any other).
type Deps struct {
	Store    *store.Store
	Secrets  secrets.Store
	Pipeline *ingest.Pipeline
	Engine   *engine.Engine
	Clock    clocks.Clock
	// Log receives the IMAP server's error log (nil: discarded).
	Log io.Writer
}

// Open starts the demo mailbox for the data dir behind d.Store: on first use it generates mail for seed
// relative to now and remembers that; later it regenerates the same mail (and the live complaints
// delivered so far), so a sync finds nothing new. It then registers (or re-points) the IMAP source.
func Open(ctx context.Context, d Deps, seed uint64) (*Workspace, error) {
	w := &Workspace{Store: d.Store, Secrets: d.Secrets, Pipeline: d.Pipeline, Engine: d.Engine, Clock: d.Clock}
	js, err := d.Store.DemoState(ctx)
	if err != nil {
		return nil, err
	}
	if js != "" {
		if err := json.Unmarshal([]byte(js), &w.State); err != nil {
			return nil, fmt.Errorf("demo state in this workspace is unreadable (%w); use a new --data-dir", err)
		}
	} else {
		w.State = State{Seed: seed, Anchor: d.Clock.Now().UTC().Truncate(time.Second), Live: []time.Time{}}
		if err := w.save(ctx); err != nil {
			return nil, err
		}
	}
	// People and roster first, so the case engine assigns the synced cases to the supervisor on duty.
	if w.Staff, err = ensureStaff(ctx, people.New(d.Store, d.Clock)); err != nil {
		return nil, err
	}
	if err := w.ensureRoster(ctx); err != nil {
		return nil, err
	}
	if w.Mailbox, err = Generate(w.State.Seed, w.State.Anchor); err != nil {
		return nil, err
	}
	if w.Server, err = Serve(w.Mailbox, d.Log); err != nil {
		return nil, err
	}
	for n, at := range w.State.Live {
		_, m, err := Live(w.State.Seed, n, at)
		if err == nil {
			err = w.Server.Deliver(m)
		}
		if err != nil {
			w.Server.Close()
			return nil, err
		}
	}
	if w.SourceID, err = w.register(ctx); err != nil {
		w.Server.Close()
		return nil, err
	}
	return w, nil
}

// ensureRoster keeps the roster running from the mail's first day to three days ahead.
func (w *Workspace) ensureRoster(ctx context.Context) error {
	return ensureRoster(ctx, w.Store, w.Engine, w.Staff, w.State.Anchor.Add(-10*24*time.Hour), w.Clock.Now().Add(3*24*time.Hour))
}

func (w *Workspace) save(ctx context.Context) error {
	js, err := json.Marshal(w.State)
	if err != nil {
		return err
	}
	return w.Store.SaveDemoState(ctx, string(js))
}

// register adds the demo mailbox as an IMAP source through imapsync, or points the existing one at this
// run's port; the folders keep their sync state.
func (w *Workspace) register(ctx context.Context) (int64, error) {
	host, portText, err := net.SplitHostPort(w.Server.Addr)
	if err != nil {
		return 0, err
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return 0, err
	}
	acct := imapsync.Account{Host: host, Port: port, Security: imapsync.SecurityPlain, Username: Username}
	folders := []imapsync.Folder{{Name: FolderComplaints, Role: ingest.RoleComplaints}, {Name: FolderRegulator, Role: ingest.RoleRegulator}}
	src, err := w.Store.SourceByName(ctx, SourceName)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return imapsync.AddAccount(ctx, w.Store, w.Secrets, SourceName, acct, folders, Password, w.Clock.Now())
	case err != nil:
		return 0, err
	}
	if _, err := imapsync.UpdateAccount(ctx, w.Store, w.Secrets, src.ID, acct, folders, true, Password); err != nil { // same roles as before
		return 0, fmt.Errorf("re-point the demo mailbox: %w", err)
	}
	return src.ID, nil
}

// Sync mirrors the demo mailbox once, exactly as `cockpit sync` does for a real account.
func (w *Workspace) Sync(ctx context.Context, progress ingest.ProgressFunc) (ingest.Stats, error) {
	return imapsync.SyncOnce(ctx, imapsync.Deps{Pipeline: w.Pipeline, Secrets: w.Secrets}, w.SourceID, progress)
}

// DeliverNext delivers the next live complaint, dated now, and remembers it.
func (w *Workspace) DeliverNext(ctx context.Context) (Thread, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.ensureRoster(ctx); err != nil { // a demo left open for days keeps a supervisor on duty
		return Thread{}, err
	}
	at := w.Clock.Now().UTC().Truncate(time.Second)
	th, m, err := Live(w.State.Seed, len(w.State.Live), at)
	if err != nil {
		return th, err
	}
	// Remember first: a crash after delivery must not make the next start deliver other mail at this UID.
	w.State.Live = append(w.State.Live, at)
	if err := w.save(ctx); err != nil {
		w.State.Live = w.State.Live[:len(w.State.Live)-1]
		return th, err
	}
	return th, w.Server.Deliver(m)
}

// RunLive delivers a complaint every interval until ctx ends; onDeliver (may be nil) hears of each one
// or of the error that prevented it. The ingest watcher picks the mail up through IDLE.
func (w *Workspace) RunLive(ctx context.Context, every time.Duration, onDeliver func(Thread, error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			th, err := w.DeliverNext(ctx)
			if onDeliver != nil {
				onDeliver(th, err)
			}
		}
	}
}

// Close stops the mail server. The source stays registered; the next Open re-points it.
func (w *Workspace) Close() error { return w.Server.Close() }

// DirBeside is where the first-run screen opens the demo for a user whose workspace is dataDir: a
// sibling directory, so that demo mail never mixes with real cases.
func DirBeside(dataDir string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(dataDir)), filepath.Base(filepath.Clean(dataDir))+"-demo")
}
