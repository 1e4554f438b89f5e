package letters

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"cockpit/backend/ingest"
	"cockpit/backend/store"
)

// Settings of a letters source.
type Settings struct {
	Folder string `json:"folder"`
}

// MaxLetterSize bounds what is read; regulator letters are a few MB at most.
const MaxLetterSize = 100 << 20

// AddSource creates a letters source watching folder.
func AddSource(ctx context.Context, st *store.Store, name, folder string, now time.Time) (int64, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return 0, errors.New("source name is required")
	}
	abs, err := filepath.Abs(strings.TrimSpace(folder))
	if err != nil {
		return 0, fmt.Errorf("letters folder: %w", err)
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return 0, fmt.Errorf("letters folder %s is not a readable directory", abs)
	}
	cfg, _ := json.Marshal(Settings{Folder: abs})
	return st.CreateSource(ctx, store.Source{Kind: "letters", Name: name, ConfigJSON: string(cfg), Enabled: true}, now)
}

// Found is one file handled by a scan.
type Found struct {
	LetterID int64  `json:"letter_id"`
	Name     string `json:"name"`
	New      bool   `json:"new"`
	Error    string `json:"error,omitempty"`
}

// AddFile keeps a letter's original in the blob store, extracts its text and records the proposal.
// The same bytes found again (renamed, copied, dropped twice) return the existing letter.
func AddFile(ctx context.Context, p *ingest.Pipeline, sourceID int64, name string, data []byte, modTime time.Time) (Found, error) {
	f := Found{Name: filepath.Base(name)}
	if FormatOf(name) == "" {
		return f, fmt.Errorf("%s: %w", f.Name, ErrUnsupported)
	}
	sum := sha256.Sum256(data)
	hexSum := hex.EncodeToString(sum[:])
	if id, err := p.Store.LetterIDBySHA(ctx, sourceID, hexSum); err != nil || id != 0 {
		f.LetterID = id
		return f, err
	}
	if _, _, err := p.Blobs.PutBytes(data); err != nil {
		return f, fmt.Errorf("keep %s: %w", f.Name, err)
	}
	x, err := Extract(name, data, p.Blobs.Put)
	if err != nil {
		return f, err
	}
	received := modTime
	if x.Mail != nil && !x.Mail.Date.IsZero() {
		received = x.Mail.Date
	}
	prop := Propose(x.Text, p.Location(), received)
	id, created, err := p.Store.AddLetter(ctx, store.Letter{SourceID: sourceID, Filename: f.Name, SHA256: hexSum, Size: int64(len(data)),
		Format: x.Format, Text: x.Text, TextStatus: x.Status, Note: x.Note, WorkOrderNo: prop.WorkOrderNo, Office: prop.Office,
		ReceivedOn: prop.ReceivedOn, StatedDeadline: prop.Deadline, DeadlineText: prop.DeadlineText, FoundAt: p.Now()})
	f.LetterID, f.New = id, created
	return f, err
}

// Scan reads every letter file in the source's folder (and its subfolders) that is not known yet. One
// unreadable file is reported and the scan goes on.
func Scan(ctx context.Context, p *ingest.Pipeline, src store.Source) ([]Found, error) {
	var set Settings
	if err := json.Unmarshal([]byte(src.ConfigJSON), &set); err != nil || set.Folder == "" {
		return nil, fmt.Errorf("letters source %q has no folder configured", src.Name)
	}
	var out []Found
	err := filepath.WalkDir(set.Folder, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == set.Folder {
				return fmt.Errorf("letters folder %s: %w", set.Folder, err)
			}
			out = append(out, Found{Name: path, Error: err.Error()})
			return nil
		}
		base := d.Name()
		if d.IsDir() {
			if path != set.Folder && strings.HasPrefix(base, ".") {
				return filepath.SkipDir
			}
			return nil
		}
		// Hidden files and office lock files ("~$letter.docx") are not letters; partial downloads neither.
		if strings.HasPrefix(base, ".") || strings.HasPrefix(base, "~$") || FormatOf(base) == "" {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		info, err := d.Info()
		if err != nil {
			out = append(out, Found{Name: base, Error: err.Error()})
			return nil
		}
		if info.Size() > MaxLetterSize {
			out = append(out, Found{Name: base, Error: fmt.Sprintf("larger than %d MB: not read", MaxLetterSize>>20)})
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			out = append(out, Found{Name: base, Error: err.Error()})
			return nil
		}
		f, err := AddFile(ctx, p, src.ID, path, data, info.ModTime())
		if err != nil {
			f.Error = err.Error()
		}
		out = append(out, f)
		return nil
	})
	return out, err
}

// Confirm is what a person settles for a letter: the fields as corrected, and where it goes.
type Confirm struct {
	WorkOrderNo string    `json:"work_order_no"`
	Office      string    `json:"office"`
	ReceivedOn  time.Time `json:"received_on"`
	Deadline    time.Time `json:"deadline"`
	CaseID      int64     `json:"case_id"`    // file into this case
	NewMatter   bool      `json:"new_matter"` // or open a new regulator matter
}

// Auditor appends to the audit trail (audit.Log has this method).
type Auditor interface {
	Record(ctx context.Context, actor, action, objectType, objectID string, detail map[string]any) error
}

// File files a proposed letter as regulator correspondence into a case or a new regulator matter. The
// original bytes become the raw item and an attachment of the case, unchanged.
func File(ctx context.Context, p *ingest.Pipeline, au Auditor, id int64, c Confirm, actor string) (ingest.Outcome, error) {
	if c.CaseID == 0 && !c.NewMatter {
		return ingest.Outcome{}, errors.New("choose a case or a new regulator matter")
	}
	if c.CaseID != 0 && c.NewMatter {
		return ingest.Outcome{}, errors.New("choose either a case or a new regulator matter, not both")
	}
	l, err := p.Store.GetLetter(ctx, id)
	if err != nil {
		return ingest.Outcome{}, err
	}
	if l.Status != "proposed" {
		return ingest.Outcome{}, fmt.Errorf("letter %d: %w", id, store.ErrLetterDecided)
	}
	if c.CaseID != 0 {
		if _, err := p.Store.GetCase(ctx, c.CaseID); err != nil {
			return ingest.Outcome{}, err
		}
	}
	data, err := p.Blobs.ReadAll(l.SHA256)
	if err != nil {
		return ingest.Outcome{}, fmt.Errorf("letter %d original: %w", id, err)
	}
	files := []ingest.RecordFile{{Name: l.Filename, ContentType: contentType(l.Format, l.Filename), Data: data}}
	title := "监管来函 / Regulator letter"
	if c.Office != "" {
		title = c.Office + " 来函"
	}
	if c.WorkOrderNo != "" {
		title += " " + c.WorkOrderNo
	}
	body := l.Text
	if l.Note != "" {
		body = strings.TrimSpace(l.Note + "\n\n" + body)
	}
	at := c.ReceivedOn
	if at.IsZero() {
		at = l.FoundAt
	}
	out, err := p.IngestRecord(ctx, ingest.Record{
		Item:           ingest.Item{SourceID: l.SourceID, ExternalID: "sha256:" + l.SHA256, Role: ingest.RoleRegulator, ReceivedAt: l.FoundAt},
		Kind:           "letter",
		Raw:            data,
		At:             at,
		Title:          title,
		EventKind:      "letter",
		Channel:        "regulator",
		Actor:          c.Office,
		Summary:        title,
		Body:           body,
		WorkOrderNo:    c.WorkOrderNo,
		StatedDeadline: c.Deadline,
		Files:          files,
		Data: map[string]any{"letter_id": id, "office": c.Office, "filename": l.Filename, "text_status": l.TextStatus,
			"received_on": c.ReceivedOn},
		CaseID:  c.CaseID,
		NewCase: c.NewMatter,
	})
	if err != nil {
		return out, err
	}
	if out.Status == ingest.StatusSkipped {
		return out, fmt.Errorf("letter %d: the same file is already filed in another case", id)
	}
	l.Status, l.WorkOrderNo, l.Office, l.ReceivedOn, l.StatedDeadline = "filed", c.WorkOrderNo, c.Office, c.ReceivedOn, c.Deadline
	l.CaseID, l.RawItemID, l.DecidedAt, l.DecidedBy = out.CaseID, out.RawItemID, p.Now(), actor
	if err := p.Store.DecideLetter(ctx, l); err != nil {
		return out, err
	}
	return out, au.Record(ctx, actor, "letter.file", "letter", fmt.Sprint(id), map[string]any{"case_id": out.CaseID,
		"new_matter": c.NewMatter, "work_order_no": c.WorkOrderNo, "office": c.Office, "sha256": l.SHA256})
}

// Dismiss marks a letter as not regulator correspondence (a duplicate scan, an unrelated file); the
// original stays in the blob store.
func Dismiss(ctx context.Context, p *ingest.Pipeline, au Auditor, id int64, reason, actor string) error {
	if strings.TrimSpace(reason) == "" {
		return errors.New("say why the letter is dismissed")
	}
	l, err := p.Store.GetLetter(ctx, id)
	if err != nil {
		return err
	}
	l.Status, l.DecidedAt, l.DecidedBy = "dismissed", p.Now(), actor
	l.Note = strings.TrimSpace(l.Note + "\n" + "dismissed: " + reason)
	if err := p.Store.DecideLetter(ctx, l); err != nil {
		return err
	}
	return au.Record(ctx, actor, "letter.dismiss", "letter", fmt.Sprint(id), map[string]any{"reason": reason})
}

func contentType(format, name string) string {
	switch format {
	case "pdf":
		return "application/pdf"
	case "eml":
		return "message/rfc822"
	case "docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case "text":
		return "text/plain; charset=utf-8"
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".tif", ".tiff":
		return "image/tiff"
	}
	return "image/jpeg"
}

// Connector is the ingest.Connector for kind "letters": a sync scans the folder for new files. Letters
// then wait for a person to confirm them, so Stats counts files found, not cases.
type Connector struct{}

var _ ingest.Connector = Connector{}

// SyncOnce scans the folder.
func (Connector) SyncOnce(ctx context.Context, p *ingest.Pipeline, src store.Source, progress ingest.ProgressFunc) (ingest.Stats, error) {
	var st ingest.Stats
	found, err := Scan(ctx, p, src)
	for _, f := range found {
		switch {
		case f.Error != "":
			st.Errors = append(st.Errors, f.Name+": "+f.Error)
		case f.New:
			st.Fetched++
			st.Ingested++
		default:
			st.Skipped++
		}
	}
	if progress != nil {
		progress(ingest.Progress{SourceID: src.ID, Source: src.Name, Folder: "letters", Phase: "done", Done: len(found), Total: len(found),
			Ingested: st.Ingested})
	}
	return st, err
}
