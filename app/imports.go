package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"cockpit/backend/audit"
	"cockpit/backend/cli"
	"cockpit/backend/ingest"
	"cockpit/backend/ingest/importer"
	"cockpit/backend/people"
	"cockpit/backend/pii"
	"cockpit/backend/store"
)

// Imports is the bound service of file imports: pick a file, map its columns, preview, import, see the
// bad rows, undo an import as a whole.
//
// Events: "imports:changed" {importId} after an import or an undo; "cases:changed" when cases changed.
type Imports struct {
	core *Core
	// Choose asks for a file; nil uses the window's open dialog. Tests set it.
	Choose func(title string) (string, error)
}

// intake builds the ingest pipeline over the open workspace with the case engine's hook, so imported
// rows and filed letters are classified and clocked like mail.
func (c *Core) intake() (*ingest.Pipeline, *store.Store, error) {
	st, err := c.ready()
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
	eng, err := c.caseEngine()
	if err != nil {
		return nil, nil, err
	}
	return &ingest.Pipeline{Store: st, Blobs: bl, Clock: c.Clock, Zone: zone, OnCaseChanged: eng.OnCaseChanged}, st, nil
}

// ImportRequest names the file and, after the mapping step, the preset and mapping the user settled on.
type ImportRequest struct {
	Path    string           `json:"path"`
	Preset  string           `json:"preset"`  // "" guesses from the header
	Mapping importer.Mapping `json:"mapping"` // nil: the preset's automatic mapping
}

// Presets lists the built-in layouts and the fields a column can map to.
func (s *Imports) Presets() (map[string]any, error) {
	if _, err := s.core.Require(people.CaseWorkers...); err != nil {
		return nil, err
	}
	return map[string]any{"presets": importer.Presets, "fields": importer.Fields}, nil
}

// ChooseFile opens the file dialog; "" means the user cancelled.
func (s *Imports) ChooseFile() (string, error) {
	if _, err := s.core.Require(people.CaseWorkers...); err != nil {
		return "", err
	}
	if s.Choose != nil {
		return s.Choose("Import")
	}
	return runtime.OpenFileDialog(s.core.ctx, runtime.OpenDialogOptions{Title: "导入 / Import",
		Filters: []runtime.FileFilter{{DisplayName: "CSV, Excel, JSON", Pattern: "*.csv;*.xlsx;*.json;*.ndjson;*.txt"}}})
}

func (s *Imports) plan(req ImportRequest) (importer.Plan, []byte, error) {
	if req.Path == "" {
		return importer.Plan{}, nil, errors.New("choose a file first")
	}
	data, err := os.ReadFile(req.Path)
	if err != nil {
		return importer.Plan{}, nil, fmt.Errorf("read %s: %w", req.Path, err)
	}
	zone, err := cli.LoadZone(s.core.Global.Zone)
	if err != nil {
		return importer.Plan{}, nil, err
	}
	pl, err := importer.MakePlan(req.Path, data, req.Preset, req.Mapping, zone)
	return pl, data, err
}

// Preview reads the file with the mapping and shows the first rows and every bad row; nothing is written.
// Cells can hold customer data, so roles that do not see PII get the reasons without the cell values.
func (s *Imports) Preview(req ImportRequest) (importer.Preview, error) {
	u, err := s.core.Require(people.CaseWorkers...)
	if err != nil {
		return importer.Preview{}, err
	}
	pl, _, err := s.plan(req)
	if err != nil {
		return importer.Preview{}, err
	}
	pv := pl.Preview(req.Path, 20)
	if !people.SeesPII(people.Role(u.Role)) {
		maskParsed(pv.Rows)
		maskParsed(pv.BadRows)
	}
	return pv, nil
}

func maskParsed(rows []importer.Parsed) {
	for i := range rows {
		for _, f := range []string{importer.FieldName, importer.FieldEmail, importer.FieldPhone} {
			if v := rows[i].Fields[f]; v != "" {
				rows[i].Fields[f] = maskField(f, v)
			}
		}
	}
}

// Run imports the file.
func (s *Imports) Run(req ImportRequest) (importer.Report, error) {
	u, err := s.core.Require(people.CaseWorkers...)
	if err != nil {
		return importer.Report{}, err
	}
	pl, data, err := s.plan(req)
	if err != nil {
		return importer.Report{}, err
	}
	p, st, err := s.core.intake()
	if err != nil {
		return importer.Report{}, err
	}
	rep, err := importer.Import(context.Background(), p, audit.Log{Store: st, Clock: s.core.Clock}, req.Path, data, pl, u.Username)
	if rep.ImportID != 0 {
		s.core.Events.Emit("imports:changed", map[string]any{"importId": rep.ImportID})
	}
	if rep.Imported > 0 {
		s.core.Events.Emit("cases:changed", nil)
	}
	return rep, err
}

// List returns past imports, newest first.
func (s *Imports) List() ([]store.Import, error) {
	if _, err := s.core.Require(people.CaseWorkers...); err != nil {
		return nil, err
	}
	st, err := s.core.ready()
	if err != nil {
		return nil, err
	}
	return st.ListImports(context.Background(), 200)
}

// Rows returns an import's rows with the given status ("bad" for the bad-row report, "" for all).
// Cell values are withheld from roles that do not see PII.
func (s *Imports) Rows(importID int64, status string) ([]store.ImportRow, error) {
	u, err := s.core.Require(people.CaseWorkers...)
	if err != nil {
		return nil, err
	}
	st, err := s.core.ready()
	if err != nil {
		return nil, err
	}
	rows, err := st.ImportRows(context.Background(), importID, status)
	if err != nil || people.SeesPII(people.Role(u.Role)) {
		return rows, err
	}
	for i := range rows {
		rows[i].CellsJSON = maskCells(rows[i].CellsJSON)
	}
	return rows, nil
}

// maskCells keeps the column names and masks every value, so a supervisor can still see which column
// a bad row's reason is about.
func maskCells(js string) string {
	var cells map[string]string
	if json.Unmarshal([]byte(js), &cells) != nil {
		return "{}"
	}
	for k, v := range cells {
		cells[k] = maskField("", v)
	}
	b, _ := json.Marshal(cells)
	return string(b)
}

// Undo removes everything the import added (cases it opened included) and records who did it.
func (s *Imports) Undo(importID int64) (store.UndoResult, error) {
	u, err := s.core.Require(people.Supervisor, people.Manager, people.Legal)
	if err != nil {
		return store.UndoResult{}, err
	}
	st, err := s.core.ready()
	if err != nil {
		return store.UndoResult{}, err
	}
	res, err := importer.Undo(context.Background(), st, audit.Log{Store: st, Clock: s.core.Clock}, importID, u.Username, s.core.Clock.Now())
	if err != nil {
		return res, err
	}
	s.core.Events.Emit("imports:changed", map[string]any{"importId": importID})
	s.core.Events.Emit("cases:changed", nil)
	return res, nil
}

// maskField masks a value by what it is; unknown cells keep only their first character.
func maskField(field, v string) string {
	switch field {
	case importer.FieldEmail:
		return pii.Email(v)
	case importer.FieldPhone:
		return pii.Phone(v)
	}
	return pii.Name(v)
}
