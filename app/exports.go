package app

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"cockpit/backend/people"
)

// Exports saves files the frontend produced (the daily review's CSV, a PNG of its charts) under
// <data-dir>/exports. The WebView cannot download files itself, and writing to a fixed folder instead of
// a save dialog keeps the export scriptable and testable; the UI shows the path.
//
// Events: "export:saved" {path}.
type Exports struct{ core *Core }

// maxExportBytes bounds one export (a review PNG of every chart is a few MB at most).
const maxExportBytes = 32 << 20

var unsafeName = regexp.MustCompile(`[^\p{L}\p{N}._-]+`)

// exportName reduces a suggested name to a plain file name: no directories, no leading dots, only
// letters, digits, dot, dash and underscore.
func exportName(name string) (string, error) {
	base := strings.TrimLeft(unsafeName.ReplaceAllString(filepath.Base(name), "_"), "._")
	if base == "" || len(base) > 120 {
		return "", fmt.Errorf("export name %q is empty or longer than 120 characters", name)
	}
	return base, nil
}

// Save writes the base64 data as exports/<name> (an existing file of that name gets a -2, -3 ... suffix,
// never overwritten) and returns the full path.
func (s *Exports) Save(name, data string) (string, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return "", err
	}
	s.core.mu.RLock()
	dir := filepath.Join(s.core.Global.DataDir, "exports")
	s.core.mu.RUnlock()
	path, err := saveExport(dir, name, data)
	if err != nil {
		return "", err
	}
	s.core.Events.Emit("export:saved", map[string]string{"path": path})
	return path, nil
}

func saveExport(dir, name, data string) (string, error) {
	base, err := exportName(name)
	if err != nil {
		return "", err
	}
	if base64.StdEncoding.DecodedLen(len(data)) > maxExportBytes {
		return "", fmt.Errorf("export %s is larger than %d MB", base, maxExportBytes>>20)
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return "", fmt.Errorf("export %s: data is not base64: %w", base, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("export folder: %w", err)
	}
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	for i := 1; i < 1000; i++ {
		path := filepath.Join(dir, base)
		if i > 1 {
			path = filepath.Join(dir, fmt.Sprintf("%s-%d%s", stem, i, ext))
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if os.IsExist(err) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("export %s: %w", base, err)
		}
		if _, err := f.Write(raw); err != nil {
			f.Close()
			os.Remove(path)
			return "", fmt.Errorf("export %s: %w", base, err)
		}
		if err := f.Close(); err != nil {
			os.Remove(path)
			return "", fmt.Errorf("export %s: %w", base, err)
		}
		return path, nil
	}
	return "", fmt.Errorf("export %s: too many files of that name", base)
}
