package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"cockpit/backend/cli"
	"cockpit/backend/ingest"
	"cockpit/backend/ingest/rt"
	"cockpit/backend/people"
	"cockpit/backend/secrets"
)

// Helpdesk is the bound service for helpdesk sources (Request Tracker): add one, test it, pull it now.
// The Sources view lists them beside IMAP accounts and letters folders.
//
// Events: "sync:progress" while pulling (ingest.Progress), "sources:changed" and "cases:changed" after.
type Helpdesk struct{ core *Core }

// RTRequest is the RT source form; Token is only sent, never read back.
type RTRequest struct {
	Name     string      `json:"name"`
	Settings rt.Settings `json:"settings"`
	Token    string      `json:"token"`
}

func (s *Helpdesk) secrets() (secrets.Store, error) {
	return secrets.Open(s.core.Global.DataDir, os.Getenv("COCKPIT_SECRETS"))
}

// TestRT connects with the form's settings and returns RT's version.
func (s *Helpdesk) TestRT(req RTRequest) (string, error) {
	if _, err := s.core.Require(people.Admin, people.Manager); err != nil {
		return "", err
	}
	return rt.Test(context.Background(), req.Settings, req.Token, nil)
}

// AddRT saves an RT source; the token goes to the secrets store.
func (s *Helpdesk) AddRT(req RTRequest) (int64, error) {
	if _, err := s.core.Require(people.Admin, people.Manager); err != nil {
		return 0, err
	}
	st, err := s.core.ready()
	if err != nil {
		return 0, err
	}
	sec, err := s.secrets()
	if err != nil {
		return 0, err
	}
	id, err := rt.AddSource(context.Background(), st, sec, req.Name, req.Settings, req.Token, s.core.Clock.Now())
	if err == nil {
		s.core.Events.Emit("sources:changed", nil)
	}
	return id, err
}

// RunNow pulls one source (RT or a letters folder) through the connectors `cockpit sync` uses.
func (s *Helpdesk) RunNow(sourceID int64) (ingest.SourceResult, error) {
	if _, err := s.core.Require(people.CaseWorkers...); err != nil {
		return ingest.SourceResult{}, err
	}
	p, st, err := s.core.intake()
	if err != nil {
		return ingest.SourceResult{}, err
	}
	sec, err := s.secrets()
	if err != nil {
		return ingest.SourceResult{}, err
	}
	src, err := st.GetSource(context.Background(), sourceID)
	if err != nil {
		return ingest.SourceResult{}, err
	}
	conns := cli.Connectors(sec)
	conn, ok := conns[src.Kind]
	if !ok {
		return ingest.SourceResult{}, fmt.Errorf("sources of kind %s are not pulled (imports run from the Imports page)", src.Kind)
	}
	res, err := conns.SyncSource(context.Background(), p, conn, src, func(pr ingest.Progress) { s.core.Events.Emit("sync:progress", pr) })
	s.core.Events.Emit("sources:changed", nil)
	if res.Stats.Ingested > 0 {
		s.core.Events.Emit("cases:changed", nil)
	}
	return res, err
}

// SourceStatus is one non-IMAP source as the Sources view shows it (IMAP accounts come from
// Sources.ListAccounts): settings without secrets, last run, last error and counts.
type SourceStatus struct {
	ID        int64          `json:"id"`
	Kind      string         `json:"kind"` // rt | letters | import
	Name      string         `json:"name"`
	Enabled   bool           `json:"enabled"`
	Settings  map[string]any `json:"settings"`
	LastRunAt time.Time      `json:"last_run_at"`
	LastError string         `json:"last_error"`
	// Counts are raw items by status (ingested, duplicate ...) or, for letters folders, letters by status.
	Counts map[string]int `json:"counts"`
	// Cursor is where an RT pull resumes (the LastUpdated second of the newest ticket handled).
	Cursor time.Time `json:"cursor,omitzero"`
}

// List returns every RT source, letters folder and the file-import source with its status.
func (s *Helpdesk) List() ([]SourceStatus, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return nil, err
	}
	st, err := s.core.ready()
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	out := []SourceStatus{}
	for _, kind := range []string{"rt", "letters", "import"} {
		srcs, err := st.ListSources(ctx, kind)
		if err != nil {
			return nil, err
		}
		for _, src := range srcs {
			ss := SourceStatus{ID: src.ID, Kind: src.Kind, Name: src.Name, Enabled: src.Enabled, LastRunAt: src.LastRunAt,
				LastError: src.LastError, Settings: map[string]any{}}
			_ = json.Unmarshal([]byte(src.ConfigJSON), &ss.Settings) // never holds secrets (tokens are in the secrets store)
			if kind == "letters" {
				ss.Counts, err = st.LetterCounts(ctx, src.ID)
			} else {
				ss.Counts, err = st.RawItemCounts(ctx, src.ID)
			}
			if err != nil {
				return nil, err
			}
			if kind == "rt" {
				cur, err := st.RTCursor(ctx, src.ID)
				if err != nil {
					return nil, err
				}
				ss.Cursor = cur.LastUpdated
			}
			out = append(out, ss)
		}
	}
	return out, nil
}
