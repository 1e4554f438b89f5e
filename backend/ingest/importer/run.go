package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"cockpit/backend/ingest"
	"cockpit/backend/store"
)

// SourceName is the one source every file import is recorded under (kind "import").
const SourceName = "文件导入 / File imports"

// Preview is what the mapping step shows before anything is written.
type Preview struct {
	Filename string   `json:"filename"`
	Format   string   `json:"format"`
	Encoding string   `json:"encoding"`
	Header   []string `json:"header"`
	Preset   string   `json:"preset"`
	Mapping  Mapping  `json:"mapping"`
	// MappingError is set when the mapping misses a required field; rows are still shown.
	MappingError string   `json:"mapping_error,omitempty"`
	Total        int      `json:"total"`
	Good         int      `json:"good"`
	Bad          int      `json:"bad"`
	Rows         []Parsed `json:"rows"` // the first rows, good and bad
	BadRows      []Parsed `json:"bad_rows"`
}

// Plan is a read file with its preset and mapping: what Preview shows and Import writes.
type Plan struct {
	Table  Table
	Preset Preset
	Map    Mapping
	Rows   []Parsed
}

// MakePlan reads data and parses every row. preset "" guesses from the header; a nil mapping uses the
// preset's automatic one.
func MakePlan(name string, data []byte, preset string, m Mapping, zone *time.Location) (Plan, error) {
	t, err := ReadTable(name, data)
	if err != nil {
		return Plan{}, fmt.Errorf("read %s: %w", filepath.Base(name), err)
	}
	var p Preset
	if preset == "" {
		p = Guess(t.Header)
	} else if p, err = PresetByName(preset); err != nil {
		return Plan{}, err
	}
	if m == nil {
		m = p.AutoMap(t.Header)
	}
	plan := Plan{Table: t, Preset: p, Map: m}
	for _, r := range t.Rows {
		if r.Err == "" && blank(r.Cells) {
			continue // empty lines between blocks are layout, not data
		}
		plan.Rows = append(plan.Rows, p.ParseRow(t.Header, m, r, zone))
	}
	return plan, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Preview summarises a plan; limit bounds the rows shown.
func (pl Plan) Preview(name string, limit int) Preview {
	pv := Preview{Filename: filepath.Base(name), Format: pl.Table.Format, Encoding: pl.Table.Encoding, Header: pl.Table.Header,
		Preset: pl.Preset.Name, Mapping: pl.Map, Total: len(pl.Rows), Rows: []Parsed{}, BadRows: []Parsed{}}
	if err := pl.Preset.CheckMapping(pl.Map, pl.Table.Header); err != nil {
		pv.MappingError = err.Error()
	}
	for _, r := range pl.Rows {
		if r.Error != "" {
			pv.Bad++
			pv.BadRows = append(pv.BadRows, r)
		} else {
			pv.Good++
		}
		if len(pv.Rows) < limit {
			pv.Rows = append(pv.Rows, r)
		}
	}
	return pv
}

// Report is an import's outcome.
type Report struct {
	ImportID  int64    `json:"import_id"`
	Total     int      `json:"total"`
	Imported  int      `json:"imported"`
	Duplicate int      `json:"duplicate"`
	Bad       int      `json:"bad"`
	NewCases  int      `json:"new_cases"`
	BadRows   []BadRow `json:"bad_rows"`
}

// BadRow is a rejected row: its number in the sheet and why.
type BadRow struct {
	Row    int    `json:"row"`
	Reason string `json:"reason"`
}

// Import writes a plan through the pipeline. The file is kept in the blob store; each good row becomes a
// raw item keyed by the preset and the row's key, so importing the same rows again adds nothing. A row
// that fails for an infrastructure reason stops the import with an error; rows done so far stay recorded.
func Import(ctx context.Context, p *ingest.Pipeline, au Auditor, name string, data []byte, pl Plan, actor string) (Report, error) {
	if err := pl.Preset.CheckMapping(pl.Map, pl.Table.Header); err != nil {
		return Report{}, err
	}
	now := p.Now()
	srcID, err := p.Store.EnsureSource(ctx, "import", SourceName, "{}", now)
	if err != nil {
		return Report{}, err
	}
	sum, size, err := p.Blobs.PutBytes(data)
	if err != nil {
		return Report{}, fmt.Errorf("keep %s: %w", name, err)
	}
	mjs, _ := json.Marshal(pl.Map)
	id, err := p.Store.CreateImport(ctx, store.Import{SourceID: srcID, Filename: filepath.Base(name), SHA256: sum, Size: size,
		Format: pl.Table.Format, Encoding: pl.Table.Encoding, Preset: pl.Preset.Name, MappingJSON: string(mjs),
		RowsTotal: len(pl.Rows), CreatedAt: now, CreatedBy: actor})
	if err != nil {
		return Report{}, err
	}
	rep := Report{ImportID: id, Total: len(pl.Rows), BadRows: []BadRow{}}
	rows := make([]store.ImportRow, 0, len(pl.Rows))
	var runErr error
	for _, r := range pl.Rows {
		cells, _ := json.Marshal(r.cells)
		row := store.ImportRow{ImportID: id, RowNo: r.No, CellsJSON: string(cells), ExternalID: r.Key}
		if r.Error != "" {
			row.Status, row.Reason = "bad", r.Error
			rep.Bad++
			rep.BadRows = append(rep.BadRows, BadRow{Row: r.No, Reason: r.Error})
			rows = append(rows, row)
			continue
		}
		out, err := p.IngestRecord(ctx, pl.record(srcID, id, r, cells))
		if err != nil {
			runErr = fmt.Errorf("row %d: %w", r.No, err)
			break
		}
		if out.Status == ingest.StatusSkipped {
			row.Status, row.Reason = "duplicate", "already imported (same "+keyName(r.Key)+")"
			rep.Duplicate++
		} else {
			row.Status, row.RawItemID, row.CaseID, row.NewCase = "imported", out.RawItemID, out.CaseID, out.NewCase
			rep.Imported++
			if out.NewCase {
				rep.NewCases++
			}
		}
		rows = append(rows, row)
	}
	if err := p.Store.FinishImport(context.WithoutCancel(ctx), id, rows); err != nil {
		return rep, err
	}
	if err := au.Record(context.WithoutCancel(ctx), actor, "import.run", "import", fmt.Sprint(id), map[string]any{
		"file": filepath.Base(name), "sha256": sum, "preset": pl.Preset.Name, "imported": rep.Imported,
		"duplicate": rep.Duplicate, "bad": rep.Bad}); err != nil {
		return rep, errors.Join(runErr, err)
	}
	return rep, runErr
}

// Auditor appends to the audit trail (audit.Log has this method).
type Auditor interface {
	Record(ctx context.Context, actor, action, objectType, objectID string, detail map[string]any) error
}

// Undo removes everything an import added (see store.UndoImport) and records who did it.
func Undo(ctx context.Context, st *store.Store, au Auditor, id int64, actor string, now time.Time) (store.UndoResult, error) {
	res, err := st.UndoImport(ctx, id, actor, now)
	if err != nil {
		return res, err
	}
	return res, au.Record(ctx, actor, "import.undo", "import", fmt.Sprint(id), map[string]any{
		"rows": res.Rows, "cases_removed": res.CasesRemoved, "cases_kept": res.CasesKept})
}

func keyName(key string) string {
	if strings.HasPrefix(key, "sha256:") {
		return "row content"
	}
	return "id " + key
}

func (pl Plan) record(srcID, importID int64, r Parsed, cells []byte) ingest.Record {
	f := r.Fields
	body := f[FieldBody]
	if facts := f[FieldFacts]; facts != "" {
		if body != "" {
			body += "\n\n"
		}
		body += "事实与理由 / Facts: " + facts
	}
	title := f[FieldSubject]
	if title == "" {
		title = firstLine(body, 60)
	}
	if pl.Preset.Regulator && f[FieldWorkOrderNo] != "" {
		title = "12315 " + f[FieldWorkOrderNo] + " " + title
	}
	role, channel := ingest.RoleComplaints, "import"
	if pl.Preset.Regulator {
		role, channel = ingest.RoleRegulator, "regulator"
	}
	data := map[string]any{"import_id": importID, "row": r.No, "preset": pl.Preset.Name}
	for _, k := range []string{FieldID, FieldStatus, FieldPriority, FieldRespondent} {
		if v := f[k]; v != "" {
			data[k] = v
		}
	}
	return ingest.Record{
		Item:           ingest.Item{SourceID: srcID, Folder: pl.Preset.Name, ExternalID: r.Key, Role: role, ReceivedAt: r.Created},
		Kind:           "import",
		Raw:            cells,
		At:             r.Created,
		Title:          title,
		EventKind:      "import",
		Channel:        channel,
		Actor:          pl.Preset.Name + " import",
		Summary:        firstLine(title, 120),
		Body:           body,
		CustomerName:   f[FieldName],
		CustomerEmail:  f[FieldEmail],
		OrderNo:        f[FieldOrderNo],
		WorkOrderNo:    f[FieldWorkOrderNo],
		StatedDeadline: r.Deadline,
		Data:           data,
	}
}

func firstLine(s string, max int) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return s
}
