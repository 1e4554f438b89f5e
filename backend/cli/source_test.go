package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The headless path of issue 4: import a sheet (preview, import, re-import, undo) and file a letter from a
// watched folder, all through the command line.
func TestImportAndLettersCLI(t *testing.T) {
	dir := t.TempDir()
	step := func(stdin string, want int, args ...string) string {
		t.Helper()
		code, out, errs := runCLI(t, dir, stdin, args...)
		if code != want {
			t.Fatalf("cockpit %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errs)
		}
		return out + errs
	}
	sheet := filepath.Join("..", "ingest", "importer", "testdata", "generic_gb18030.csv")
	step("admin-password-1\n", ExitOK, "user", "add", "root", "--role", "admin")

	if out := step("", ExitOK, "import", sheet, "--preview"); !strings.Contains(out, "gb18030") || !strings.Contains(out, "bad row 4:") {
		t.Fatalf("preview:\n%s", out)
	}
	if out := step("", ExitOK, "import", sheet); !strings.Contains(out, "3 imported") || !strings.Contains(out, "row 5:") {
		t.Fatalf("import:\n%s", out)
	}
	if out := step("", ExitOK, "import", sheet, "--preset", "generic"); !strings.Contains(out, "0 imported") || !strings.Contains(out, "4 already there") {
		t.Fatalf("re-import:\n%s", out)
	}
	step("", ExitUsage, "import", sheet, "--preset", "nope")
	step("", ExitUsage, "import", "--undo", "1")
	if out := step("admin-password-1\n", ExitOK, "import", "--undo", "1", "--user", "root"); !strings.Contains(out, "3 rows removed") {
		t.Fatalf("undo:\n%s", out)
	}
	if out := step("", ExitOK, "import", "--list"); !strings.Contains(out, "undone") {
		t.Fatalf("list:\n%s", out)
	}

	folder := filepath.Join(dir, "letters-in")
	os.MkdirAll(folder, 0o755)
	os.WriteFile(filepath.Join(folder, "转办单.txt"), []byte("杭州市西湖区市场监督管理局\n工单编号：ZJ12315-2026-0042\n请于2026年12月3日前回复。\n"), 0o644)
	step("", ExitOK, "source", "add", "letters", "--name", "来函", "--folder", folder)
	if out := step("", ExitOK, "sync", "--once", "--kind", "letters"); !strings.Contains(out, "来函 (letters)") {
		t.Fatalf("sync:\n%s", out)
	}
	if out := step("", ExitOK, "letters", "list"); !strings.Contains(out, "ZJ12315-2026-0042") || !strings.Contains(out, "杭州市西湖区市场监督管理局") {
		t.Fatalf("letters list:\n%s", out)
	}
	step("", ExitUsage, "letters", "file", "L1", "--new")
	if out := step("admin-password-1\n", ExitOK, "letters", "file", "L1", "--new", "--user", "root"); !strings.Contains(out, "new: true") {
		t.Fatalf("file:\n%s", out)
	}
	if out := step("", ExitOK, "source", "list"); !strings.Contains(out, "filed 1") || !strings.Contains(out, "import") {
		t.Fatalf("source list:\n%s", out)
	}
	step("", ExitUsage, "source", "add", "rt", "--name", "x")
}
