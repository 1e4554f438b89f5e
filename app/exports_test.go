package app

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSaveExport(t *testing.T) {
	dir := t.TempDir()
	b64 := base64.StdEncoding.EncodeToString([]byte("类型,数量\nproduct,3\n"))
	tests := []struct {
		name, file, data string
		want             string // base name of the written file; "" means an error
	}{
		{"plain", "review-2026-06-01.csv", b64, "review-2026-06-01.csv"},
		{"same name again is not overwritten", "review-2026-06-01.csv", b64, "review-2026-06-01-2.csv"},
		{"directories are dropped", "../../etc/passwd", b64, "passwd"},
		{"odd characters replaced", "每日复盘 6/1.png", b64, "1.png"},
		{"chinese kept", "每日复盘.csv", b64, "每日复盘.csv"},
		{"dot files refused as names", "...", b64, ""},
		{"not base64", "x.csv", "%%%", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path, err := saveExport(dir, tc.file, tc.data)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("saveExport(%q) = %s, want an error", tc.file, path)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if filepath.Dir(path) != dir || filepath.Base(path) != tc.want {
				t.Fatalf("path %s, want %s in %s", path, tc.want, dir)
			}
			got, err := os.ReadFile(path)
			if err != nil || !strings.HasPrefix(string(got), "类型,数量") {
				t.Fatalf("content %q, %v", got, err)
			}
			if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
				t.Fatalf("mode %v, want 0600", fi.Mode().Perm())
			}
		})
	}
}
