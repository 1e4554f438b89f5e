package ingest

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"cockpit/backend/store"
)

// Progress is reported while a source syncs; the app throttles it into `sync:progress` events.
type Progress struct {
	SourceID    int64  `json:"source_id"`
	Source      string `json:"source"`
	Folder      string `json:"folder"`
	Phase       string `json:"phase"` // connect | folder | fetch | done | error
	Done        int    `json:"done"`  // items handled in this folder so far
	Total       int    `json:"total"` // items to handle in this folder (0 = unknown)
	Ingested    int    `json:"ingested"`
	Quarantined int    `json:"quarantined"`
	Duplicates  int    `json:"duplicates"`
	Error       string `json:"error,omitempty"`
}

// ProgressFunc receives progress; it must not block for long (it runs on the sync goroutine).
type ProgressFunc func(Progress)

// Stats sums one run.
type Stats struct {
	Fetched     int `json:"fetched"`
	Ingested    int `json:"ingested"`
	Quarantined int `json:"quarantined"`
	Duplicates  int `json:"duplicates"`
	Skipped     int `json:"skipped"`
	NewCases    int `json:"new_cases"`
	Folders     int `json:"folders"`
	// What changed on the server for mail mirrored before: messages gone from their folder, flags changed.
	Removed      int      `json:"removed"`
	FlagsChanged int      `json:"flags_changed"`
	Errors       []string `json:"errors,omitempty"`
}

// Add counts one outcome.
func (s *Stats) Add(o Outcome) {
	s.Fetched++
	switch o.Status {
	case StatusIngested:
		s.Ingested++
		if o.NewCase {
			s.NewCases++
		}
	case StatusQuarantined:
		s.Quarantined++
	case StatusDuplicate:
		s.Duplicates++
	case StatusSkipped:
		s.Skipped++
	}
}

// Merge adds another run's figures.
func (s *Stats) Merge(o Stats) {
	s.Fetched += o.Fetched
	s.Ingested += o.Ingested
	s.Quarantined += o.Quarantined
	s.Duplicates += o.Duplicates
	s.Skipped += o.Skipped
	s.NewCases += o.NewCases
	s.Folders += o.Folders
	s.Removed += o.Removed
	s.FlagsChanged += o.FlagsChanged
	s.Errors = append(s.Errors, o.Errors...)
}

// Connector pulls one kind of source (imap, rt, ...) through the pipeline. SyncOnce makes one pass and
// returns when everything available now is committed; it records per-folder status itself.
type Connector interface {
	SyncOnce(ctx context.Context, p *Pipeline, src store.Source, progress ProgressFunc) (Stats, error)
}

// Connectors maps a source kind to its connector; `cockpit sync` and the app iterate enabled sources
// through it, so a new kind plugs in by adding an entry.
type Connectors map[string]Connector

// SourceResult is one source's run.
type SourceResult struct {
	Source store.Source `json:"source"`
	Stats  Stats        `json:"stats"`
	Error  string       `json:"error,omitempty"`
}

// SyncAll runs every enabled source (only kind when kind != "") once, one after the other. One source's
// failure is recorded on it and does not stop the others; the error joins all failures.
func (c Connectors) SyncAll(ctx context.Context, p *Pipeline, kind string, progress ProgressFunc) ([]SourceResult, error) {
	srcs, err := p.Store.ListSources(ctx, kind)
	if err != nil {
		return nil, err
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].ID < srcs[j].ID })
	var out []SourceResult
	var errs []error
	for _, src := range srcs {
		if !src.Enabled {
			continue
		}
		conn, ok := c[src.Kind]
		if !ok {
			continue // kinds without a connector (import files, letters) are fed by their own commands
		}
		res, err := c.SyncSource(ctx, p, conn, src, progress)
		out = append(out, res)
		if err != nil {
			errs = append(errs, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return out, errors.Join(errs...)
}

// SyncSource runs one source and records its last run and error.
func (c Connectors) SyncSource(ctx context.Context, p *Pipeline, conn Connector, src store.Source, progress ProgressFunc) (SourceResult, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	st, err := conn.SyncOnce(ctx, p, src, progress)
	res := SourceResult{Source: src, Stats: st}
	msg := ""
	if err != nil {
		msg = err.Error()
		res.Error = msg
		err = fmt.Errorf("source %q: %w", src.Name, err)
	}
	if rerr := p.Store.SourceRan(context.WithoutCancel(ctx), src.ID, p.now(), msg); rerr != nil && err == nil {
		err = rerr
	}
	return res, err
}
