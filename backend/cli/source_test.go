package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"cockpit/backend/ingest/rt/rttest"
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

// TestRTSourceCLI is the headless RT path: `source add rt` (token on stdin, checked against the server),
// `source test`, then `sync --once` twice: the second adds nothing.
func TestRTSourceCLI(t *testing.T) {
	live := rttest.New(t)
	sd := rttest.Seeder{T: t, Srv: live}
	tk := sd.CreateTicket("命令行同步 投诉", "客户投诉：命令行同步测试，订单号 JD5550001112", 70)
	dir := t.TempDir()
	t.Setenv("COCKPIT_SECRETS", "file")
	step := func(stdin string, want int, args ...string) string {
		t.Helper()
		code, out, errs := runCLI(t, dir, stdin, args...)
		if code != want {
			t.Fatalf("cockpit %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errs)
		}
		return out + errs
	}
	step("wrong-token\n", ExitFailure, "source", "add", "rt", "--name", "helpdesk", "--url", live.URL)
	out := step(live.Token+"\n", ExitOK, "source", "add", "rt", "--name", "helpdesk", "--url", live.URL, "--queue", "General",
		"--filter", "id = "+strconv.FormatInt(tk, 10))
	if !strings.Contains(out, "connected to RT 5.") || !strings.Contains(out, "token stored in the file") {
		t.Fatalf("add:\n%s", out)
	}
	step("", ExitOK, "source", "test", "helpdesk")
	if out := step("", ExitOK, "sync", "--once", "--kind", "rt"); !strings.Contains(out, "helpdesk (rt)") || !strings.Contains(out, "(1 new cases)") {
		t.Fatalf("first sync:\n%s", out)
	}
	if out := step("", ExitOK, "sync", "--once", "--kind", "rt"); !strings.Contains(out, "ingested 0") {
		t.Fatalf("second sync:\n%s", out)
	}
	if out := step("", ExitOK, "cases"); !strings.Contains(out, "命令行同步 投诉") {
		t.Fatalf("cases:\n%s", out)
	}
	if db, err := os.ReadFile(filepath.Join(dir, "cockpit.db")); err != nil || strings.Contains(string(db), live.Token) {
		t.Fatalf("the token is in the database file (%v)", err)
	}
}
