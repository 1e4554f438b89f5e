package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"cockpit/backend/audit"
	"cockpit/backend/cli"
	"cockpit/backend/evidence"
	"cockpit/backend/filings"
	"cockpit/backend/people"
	"cockpit/backend/rules"
)

// Evidence is the bound service of a case's evidence folder: list, add, collect what ingestion stored,
// preview (masked for supervisors), custody log, redacted copies, verify and the ZIP export.
//
// Events: "evidence:changed" {caseId} after anything is added.
type Evidence struct {
	core *Core
	// SaveAs asks where to write an export; nil uses the window's save dialog. Tests set it.
	SaveAs func(title, defaultName string) (string, error)
}

// legal builds the evidence and filing services over the open workspace. The calendar comes from the
// shipped rules (holiday tables) and is compiled once.
func (c *Core) legal() (*evidence.Service, *filings.Service, error) {
	st, err := c.ready()
	if err != nil {
		return nil, nil, err
	}
	cal, err := legalCalendar()
	if err != nil {
		return nil, nil, err
	}
	zone, err := cli.LoadZone(c.Global.Zone)
	if err != nil {
		return nil, nil, err
	}
	c.mu.RLock()
	bl := c.Blobs
	c.mu.RUnlock()
	log := audit.Log{Store: st, Clock: c.Clock}
	ev := &evidence.Service{Repo: st, Blobs: bl, Clock: c.Clock, Audit: log}
	fl := &filings.Service{Repo: st, Templates: filings.DefaultTemplates(), Calendar: cal, Clock: c.Clock, Zone: zone, Audit: log}
	return ev, fl, nil
}

var (
	calendarOnce sync.Once
	calendarVal  filings.DeadlineCalculator
	calendarErr  error
)

func legalCalendar() (filings.DeadlineCalculator, error) {
	calendarOnce.Do(func() {
		rs, err := rules.Default()
		if err != nil {
			calendarErr = err
			return
		}
		compiled, err := rules.Compile(rs)
		if err != nil {
			calendarErr = err
			return
		}
		calendarVal = compiled.Calendar
	})
	return calendarVal, calendarErr
}

func actor(u people.User) evidence.Actor { return evidence.Actor{Name: u.Username, Role: u.Role} }

func (s *Evidence) begin(roles ...people.Role) (*evidence.Service, evidence.Actor, error) {
	u, err := s.core.Require(roles...)
	if err != nil {
		return nil, evidence.Actor{}, err
	}
	ev, _, err := s.core.legal()
	return ev, actor(u), err
}

// List returns a case's evidence folder.
func (s *Evidence) List(caseID int64) ([]evidence.Item, error) {
	ev, _, err := s.begin(people.CaseWorkers...)
	if err != nil {
		return nil, err
	}
	return ev.List(context.Background(), evidence.Folder{CaseID: caseID})
}

// Add stores a file dropped onto the case as a new original.
func (s *Evidence) Add(caseID int64, name string, data []byte) (evidence.Item, error) {
	ev, a, err := s.begin(people.CaseWorkers...)
	if err != nil {
		return evidence.Item{}, err
	}
	it, _, err := ev.AddFile(context.Background(), a, evidence.Folder{CaseID: caseID}, name, bytes.NewReader(data))
	if err != nil {
		return it, err
	}
	s.core.Events.Emit("evidence:changed", map[string]any{"caseId": caseID})
	return it, nil
}

// Collect brings the case's ingested mail and attachments into the folder; it returns how many joined.
func (s *Evidence) Collect(caseID int64) (int, error) {
	ev, a, err := s.begin(people.CaseWorkers...)
	if err != nil {
		return 0, err
	}
	n, err := ev.Collect(context.Background(), a, caseID)
	if n > 0 {
		s.core.Events.Emit("evidence:changed", map[string]any{"caseId": caseID})
	}
	return n, err
}

// Preview renders an item (masked for roles that do not see PII) and logs the viewing.
func (s *Evidence) Preview(itemID int64) (evidence.Preview, error) {
	ev, a, err := s.begin(people.CaseWorkers...)
	if err != nil {
		return evidence.Preview{}, err
	}
	return ev.Preview(context.Background(), a, itemID)
}

// Custody returns an item's chain-of-custody log.
func (s *Evidence) Custody(itemID int64) ([]evidence.Custody, error) {
	ev, _, err := s.begin(people.CaseWorkers...)
	if err != nil {
		return nil, err
	}
	return ev.Custody(context.Background(), itemID)
}

// Redact makes a masked derived copy; the original stays as it was.
func (s *Evidence) Redact(itemID int64) (evidence.Item, error) {
	ev, a, err := s.begin(people.CaseWorkers...)
	if err != nil {
		return evidence.Item{}, err
	}
	it, err := ev.Redact(context.Background(), a, itemID)
	if err != nil {
		return it, err
	}
	s.core.Events.Emit("evidence:changed", map[string]any{"caseId": it.CaseID})
	return it, nil
}

// Verify re-hashes the case's files and checks their custody logs.
func (s *Evidence) Verify(caseID int64) (evidence.Report, error) {
	ev, _, err := s.begin(people.CaseWorkers...)
	if err != nil {
		return evidence.Report{}, err
	}
	return ev.Verify(context.Background(), evidence.Folder{CaseID: caseID})
}

// SaveCopy writes one original where the user chooses (logged as "copied"); "" when cancelled.
func (s *Evidence) SaveCopy(itemID int64) (string, error) {
	ev, a, err := s.begin(people.Legal, people.Manager)
	if err != nil {
		return "", err
	}
	ctx := context.Background()
	st, err := s.core.ready()
	if err != nil {
		return "", err
	}
	it, err := st.GetEvidence(ctx, itemID)
	if err != nil {
		return "", err
	}
	path, err := s.pick("保存证据副本 Save a copy", evidence.SafeName(it.Filename))
	if err != nil || path == "" {
		return "", err
	}
	var buf bytes.Buffer
	if _, err := ev.Copy(ctx, a, itemID, &buf, "saved to "+filepath.Base(path)); err != nil {
		return "", err
	}
	return path, os.WriteFile(path, buf.Bytes(), 0o600)
}

// ExportZip writes the folder's originals and manifest.json to a ZIP the user chooses; "" when cancelled.
func (s *Evidence) ExportZip(caseID int64) (string, error) {
	ev, a, err := s.begin(people.Legal, people.Manager)
	if err != nil {
		return "", err
	}
	ctx := context.Background()
	st, err := s.core.ready()
	if err != nil {
		return "", err
	}
	c, err := st.GetCase(ctx, caseID)
	if err != nil {
		return "", err
	}
	path, err := s.pick("导出证据 Export evidence", fmt.Sprintf("case-%d-evidence.zip", caseID))
	if err != nil || path == "" {
		return "", err
	}
	var buf bytes.Buffer
	if _, err := ev.Export(ctx, a, evidence.Folder{CaseID: caseID}, c.Title, &buf); err != nil {
		return "", err
	}
	return path, os.WriteFile(path, buf.Bytes(), 0o600)
}

func (s *Evidence) pick(title, name string) (string, error) {
	if s.SaveAs != nil {
		return s.SaveAs(title, name)
	}
	return saveDialog(s.core, title, name)
}

func saveDialog(c *Core, title, name string) (string, error) {
	if c.ctx == nil {
		return "", errors.New("no window to ask where to save")
	}
	home, _ := os.UserHomeDir()
	return runtime.SaveFileDialog(c.ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: name, DefaultDirectory: home})
}

// dirDialog asks for a directory (the packet export).
func dirDialog(c *Core, title string) (string, error) {
	if c.ctx == nil {
		return "", errors.New("no window to ask where to save")
	}
	return runtime.OpenDirectoryDialog(c.ctx, runtime.OpenDialogOptions{Title: title, CanCreateDirectories: true})
}
