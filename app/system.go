package app

import (
	"cockpit/backend/cli"
	"cockpit/backend/version"
)

// System answers what the first screen needs: is the workspace open, where, which version.
type System struct{ core *Core }

// StatusDTO describes the open workspace.
type StatusDTO struct {
	Version string `json:"version"`
	DataDir string `json:"dataDir"`
	Open    bool   `json:"open"`
	Error   string `json:"error"`
	Zone    string `json:"zone"`
	Demo    bool   `json:"demo"`
}

// Status reports whether the workspace opened and why not.
func (s *System) Status() StatusDTO {
	st := StatusDTO{Version: version.String(), DataDir: s.core.Global.DataDir, Zone: s.core.Global.Zone, Demo: s.core.Global.Demo}
	if st.Zone == "" {
		st.Zone = cli.DefaultZone
	}
	if _, err := s.core.ready(); err != nil {
		st.Error = err.Error()
	} else {
		st.Open = true
	}
	return st
}
