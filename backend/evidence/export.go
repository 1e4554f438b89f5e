package evidence

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"strings"
	"time"
)

// ManifestVersion changes when the manifest's meaning changes.
const ManifestVersion = 1

// Manifest describes an evidence ZIP: one entry per original, with the hash the recipient re-checks.
type Manifest struct {
	Version    int             `json:"version"`
	Folder     Folder          `json:"folder"`
	Title      string          `json:"title,omitempty"`
	ExportedAt time.Time       `json:"exported_at"`
	ExportedBy string          `json:"exported_by"`
	Files      []ManifestEntry `json:"files"`
}

// ManifestEntry is one file of the ZIP.
type ManifestEntry struct {
	Path         string    `json:"path"` // inside the ZIP
	EvidenceID   int64     `json:"evidence_id"`
	OriginalName string    `json:"original_name"`
	SHA256       string    `json:"sha256"`
	Size         int64     `json:"size"`
	ContentType  string    `json:"content_type"`
	Kind         Kind      `json:"kind"`
	Source       string    `json:"source"`
	DerivedFrom  int64     `json:"derived_from,omitempty"`
	CapturedBy   string    `json:"captured_by"`
	CapturedAt   time.Time `json:"captured_at"`
}

// ZipPath is where an item goes inside an export: a fixed folder, the item id (unique, so two files
// called "photo.jpg" cannot collide) and the sanitised name.
func ZipPath(it Item) string {
	return fmt.Sprintf("originals/%04d_%s", it.ID, SafeName(it.Filename))
}

// Export writes a ZIP of a folder's originals with manifest.json, refusing to export a file whose
// bytes no longer match its hash, and records the export in every item's custody log.
func (s *Service) Export(ctx context.Context, a Actor, f Folder, title string, w io.Writer) (Manifest, error) {
	if !SeesOriginals(a.Role) {
		return Manifest{}, fmt.Errorf("export %s: %w (%s)", f, ErrForbidden, a.Role)
	}
	items, err := s.List(ctx, f)
	if err != nil {
		return Manifest{}, err
	}
	m := Manifest{Version: ManifestVersion, Folder: f, Title: title, ExportedAt: s.Clock.Now().UTC(), ExportedBy: a.Name,
		Files: []ManifestEntry{}}
	zw := zip.NewWriter(w)
	for _, it := range items {
		_, data, err := s.open(ctx, it.ID)
		if err != nil {
			return Manifest{}, fmt.Errorf("export %s: %w", f, err)
		}
		p := ZipPath(it)
		if !fs.ValidPath(p) { // SafeName guarantees this; the check keeps a future change honest
			return Manifest{}, fmt.Errorf("export %s: unsafe path %q", f, p)
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: p, Method: zipMethod(it.ContentType), Modified: it.CapturedAt})
		if err != nil {
			return Manifest{}, fmt.Errorf("export %s: %w", f, err)
		}
		if _, err := fw.Write(data); err != nil {
			return Manifest{}, fmt.Errorf("export %s: %w", f, err)
		}
		m.Files = append(m.Files, ManifestEntry{Path: p, EvidenceID: it.ID, OriginalName: it.Filename, SHA256: it.SHA256,
			Size: it.Size, ContentType: it.ContentType, Kind: it.Kind, Source: it.Source, DerivedFrom: it.DerivedFrom,
			CapturedBy: it.CapturedBy, CapturedAt: it.CapturedAt})
	}
	mw, err := zw.Create("manifest.json")
	if err != nil {
		return Manifest{}, err
	}
	enc := json.NewEncoder(mw)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return Manifest{}, err
	}
	if err := zw.Close(); err != nil {
		return Manifest{}, fmt.Errorf("export %s: %w", f, err)
	}
	// Logged after the archive is complete, so a failed export leaves no "exported" claims behind.
	for _, it := range items {
		if err := s.Log(ctx, a, it.ID, ActionExported, map[string]any{"path": ZipPath(it), "title": title}); err != nil {
			return m, err
		}
	}
	if err := s.Audit.Record(ctx, a.Name, "evidence.export", "folder", f.String(), map[string]any{"files": len(m.Files)}); err != nil {
		return m, fmt.Errorf("audit export of %s: %w", f, err)
	}
	return m, nil
}

// zipMethod stores formats that are compressed already (photos, video, PDF, archives): deflating them
// again costs time and gains nothing.
func zipMethod(contentType string) uint16 {
	ct, _, _ := mime.ParseMediaType(contentType)
	switch {
	case strings.HasPrefix(ct, "image/") && ct != "image/bmp", strings.HasPrefix(ct, "video/"), strings.HasPrefix(ct, "audio/"),
		ct == "application/pdf", ct == "application/zip", ct == "application/x-rar-compressed", ct == "application/gzip":
		return zip.Store
	}
	return zip.Deflate
}
