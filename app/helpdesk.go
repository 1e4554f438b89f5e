package app

import (
	"context"
	"fmt"
	"os"

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
