package imapsync

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"cockpit/backend/ingest"
)

// Watcher keeps one source mirrored while its context lives: a sync at start, then one IDLE connection
// per folder; new mail (EXISTS), a removal (EXPUNGE) or a flag change (FETCH) triggers another sync. A periodic sync is the safety net for servers
// without IDLE and for changes IDLE does not announce (a UIDVALIDITY reset).
type Watcher struct {
	Deps         Deps
	Connector    Connector
	PollInterval time.Duration // default DefaultPollInterval
	// OnSynced is called after every sync of the source (from the watcher's goroutine).
	OnSynced func(ingest.Stats, error)
	Progress ingest.ProgressFunc
}

// DefaultPollInterval is how often a watcher syncs without being woken by IDLE.
const DefaultPollInterval = 5 * time.Minute

// Run blocks until ctx is done.
func (w *Watcher) Run(ctx context.Context, sourceID int64) error {
	src, err := w.Deps.Pipeline.Store.GetSource(ctx, sourceID)
	if err != nil {
		return err
	}
	acct, err := AccountOf(src)
	if err != nil {
		return err
	}
	if w.Connector.Secrets == nil {
		w.Connector.Secrets = w.Deps.Secrets
	}
	poll := w.PollInterval
	if poll <= 0 {
		poll = DefaultPollInterval
	}
	trigger := make(chan struct{}, 1)
	// A flag change pushed over IDLE makes the next sync list the flags even on a server without
	// CONDSTORE, whose listings are otherwise spaced by FlagRecheck.
	var flagsPushed atomic.Bool
	notify := func(flags bool) {
		if flags {
			flagsPushed.Store(true)
		}
		select {
		case trigger <- struct{}{}:
		default: // a sync is already pending; it will see this message too
		}
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, f := range src.Folders {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			w.idle(ctx, acct, src.ID, name, notify)
		}(f.Name)
	}
	notify(false)
	ticker := time.NewTicker(poll)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		case <-trigger:
		}
		// Re-read the source: folders or settings may have changed.
		cur, err := w.Deps.Pipeline.Store.GetSource(ctx, sourceID)
		if err != nil {
			if w.OnSynced != nil {
				w.OnSynced(ingest.Stats{}, err)
			}
			continue
		}
		conn := w.Connector
		conn.RecheckFlags = flagsPushed.Swap(false)
		res, err := ingest.Connectors{"imap": conn}.SyncSource(ctx, w.Deps.Pipeline, conn, cur, w.Progress)
		if w.OnSynced != nil && ctx.Err() == nil {
			w.OnSynced(res.Stats, err)
		}
	}
}

// idle holds an IDLE connection on one folder, reconnecting with backoff, and calls notify on new mail,
// a removal or (flags true) a flag change.
func (w *Watcher) idle(ctx context.Context, acct Account, sourceID int64, folder string, notify func(flags bool)) {
	for attempt := 0; ctx.Err() == nil; attempt++ {
		password, err := w.Connector.Secrets.Get(SecretKey(sourceID))
		if err == nil {
			err = w.idleOnce(ctx, acct, password, folder, notify)
			if err == nil {
				attempt = 0
			}
		}
		wait := time.Second << min(attempt, 6) // up to about a minute between attempts
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

func (w *Watcher) idleOnce(ctx context.Context, acct Account, password, folder string, notify func(flags bool)) error {
	handler := &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				notify(false)
			}
		},
		Expunge: func(uint32) { notify(false) },
		Fetch: func(m *imapclient.FetchMessageData) {
			_, _ = m.Collect() // the client waits until a pushed FETCH is read
			notify(true)
		},
	}
	c, err := dial(ctx, acct, password, handler)
	if err != nil {
		return err
	}
	defer c.Close()
	if !offersIdle(c) {
		// The periodic sync covers servers without IDLE; keep this goroutine quiet until ctx ends.
		<-ctx.Done()
		return nil
	}
	if _, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return err
	}
	cmd, err := c.Idle()
	if err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		_ = cmd.Close()
		return nil
	case <-c.Closed():
		return errClosed
	}
}

func offersIdle(c *imapclient.Client) bool {
	return c.Caps().Has(imap.CapIdle) || c.Caps().Has(imap.CapIMAP4rev2)
}

type closedError struct{}

func (closedError) Error() string { return "IDLE connection closed by the server" }

var errClosed error = closedError{}

// Manager runs a Watcher for every enabled IMAP source until its context ends; Reload restarts them after
// accounts change.
type Manager struct {
	Deps     Deps
	Progress ingest.ProgressFunc
	OnSynced func(sourceID int64, st ingest.Stats, err error)

	mu     sync.Mutex
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Start (re)starts the watchers under ctx.
func (m *Manager) Start(ctx context.Context) error {
	m.Stop()
	srcs, err := m.Deps.Pipeline.Store.ListSources(ctx, "imap")
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	cctx, cancel := context.WithCancel(ctx)
	m.cancel = cancel
	for _, src := range srcs {
		if !src.Enabled {
			continue
		}
		id := src.ID
		w := &Watcher{Deps: m.Deps, Connector: Connector{Secrets: m.Deps.Secrets}, Progress: m.Progress,
			OnSynced: func(st ingest.Stats, err error) {
				if m.OnSynced != nil {
					m.OnSynced(id, st, err)
				}
			}}
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			_ = w.Run(cctx, id) // errors are reported through OnSynced and the folder status
		}()
	}
	return nil
}

// Stop ends all watchers and waits for them.
func (m *Manager) Stop() {
	m.mu.Lock()
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	m.mu.Unlock()
	m.wg.Wait()
}
