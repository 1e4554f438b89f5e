package cli

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"cockpit/backend/blobs"
	"cockpit/backend/store"
)

// TestEvidenceAndFilingCommands drives the legal liaison's work through the command line only:
// add evidence (hostile names included), verify, export the ZIP, tick and sign a checklist, move a
// matter, export the packet, then tamper with a stored file and see verify name it and fail.
func TestEvidenceAndFilingCommands(t *testing.T) {
	dir := t.TempDir()
	step := func(stdin string, want int, args ...string) string {
		t.Helper()
		code, out, errs := runCLI(t, dir, stdin, args...)
		if code != want {
			t.Fatalf("%v: exit %d, want %d\nstdout %s\nstderr %s", args, code, want, out, errs)
		}
		return out + errs
	}
	step("admin-password-1\n", ExitOK, "user", "add", "root", "--role", "admin")
	step("admin-password-1\nlegal-password-1\n", ExitOK, "user", "add", "li", "--role", "legal", "--user", "root")
	step("admin-password-1\nsup-password-1\n", ExitOK, "user", "add", "zhang", "--role", "supervisor", "--user", "root")
	t.Setenv("LEGAL_PW", "legal-password-1")
	t.Setenv("SUP_PW", "sup-password-1")
	asLegal := []string{"--user", "li", "--password-env", "LEGAL_PW"}
	asSup := []string{"--user", "zhang", "--password-env", "SUP_PW"}

	st, err := store.Open(context.Background(), dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := st.InsertSynthetic(context.Background(), []store.SyntheticCase{{Title: "奶粉结块投诉", Status: "open", OpenedAt: time.Now()}})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	caseID := strconv.FormatInt(ids[0], 10)

	files := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(files, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	receipt := write("签收底单.jpg", "\xff\xd8\xff\xe0 receipt")
	con := write("CON.txt", "检测报告")
	out := step("", ExitOK, append([]string{"evidence", "add", caseID, receipt, con}, asSup...)...)
	if strings.Count(out, "added E") != 2 {
		t.Fatalf("add: %s", out)
	}
	step("", ExitOK, append([]string{"evidence", "add", caseID, write("x", "passwd content"), "--name", "../../etc/passwd"}, asSup...)...)
	if out := step("", ExitOK, append([]string{"evidence", "add", caseID, receipt}, asSup...)...); !strings.Contains(out, "already in the folder") {
		t.Fatalf("re-add: %s", out)
	}
	if out := step("", ExitFailure, append([]string{"evidence", "add", caseID, filepath.Join(files, "missing.pdf"), con}, asSup...)...); !strings.Contains(out, "missing.pdf") || !strings.Contains(out, "1 of 2 files") {
		t.Fatalf("add with a missing file: %s", out)
	}
	step("", ExitOK, "evidence", "verify", caseID)
	step("", ExitFailure, append([]string{"evidence", "export", caseID, "--out", filepath.Join(files, "sup.zip")}, asSup...)...)
	zipPath := filepath.Join(files, "evidence.zip")
	step("", ExitOK, append([]string{"evidence", "export", caseID, "--out", zipPath}, asLegal...)...)
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	zr.Close()
	if got := strings.Join(names, " "); got != "originals/0001_签收底单.jpg originals/0002__CON.txt originals/0003_passwd manifest.json" {
		t.Errorf("zip entries: %s", got)
	}
	if out := step("", ExitOK, "evidence", "custody", "E1"); !strings.Contains(out, "captured") || !strings.Contains(out, "exported") {
		t.Errorf("custody: %s", out)
	}

	step("", ExitOK, append([]string{"filing", "scenario", caseID, "not_received"}, asSup...)...)
	step("", ExitOK, append([]string{"filing", "link", "1", "E1"}, asSup...)...)
	if out := step("", ExitFailure, append([]string{"filing", "sign", "1"}, asSup...)...); !strings.Contains(out, "not allowed") {
		t.Errorf("supervisor sign-off: %s", out)
	}
	step("", ExitOK, append([]string{"filing", "sign", "1", "--note", "底单原件已核对"}, asLegal...)...)
	step("", ExitOK, append([]string{"filing", "create", caseID, "--type", "odr_dispute", "--received", "2026-09-29 10:00", "--work-order", "W-1"}, asLegal...)...)
	out = step("", ExitOK, "filing", "show", caseID)
	for _, want := range []string{"signed", "odr_dispute", "2026-10-19 24:00", "order121", "原始订单与交易记录"} {
		if !strings.Contains(out, want) {
			t.Errorf("filing show lacks %q:\n%s", want, out)
		}
	}
	if out := step("", ExitFailure, append([]string{"filing", "status", "1", "ready"}, asLegal...)...); !strings.Contains(out, "not ready") {
		t.Errorf("ready with missing items: %s", out)
	}
	step("", ExitOK, append([]string{"filing", "status", "1", "closed"}, asLegal...)...)
	packetDir := filepath.Join(files, "packet")
	if _, err := os.Stat("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"); err == nil || os.Getenv("COCKPIT_CI") == "1" {
		out = step("", ExitOK, append([]string{"filing", "export", caseID, "--out", packetDir}, asLegal...)...)
		for _, f := range []string{"case-" + caseID + "-packet.pdf", "case-" + caseID + "-evidence.zip"} {
			if fi, err := os.Stat(filepath.Join(packetDir, f)); err != nil || fi.Size() == 0 {
				t.Errorf("%s: %v", f, err)
			}
		}
	}

	// Tamper with the stored receipt: verify names it and fails.
	st, err = store.Open(context.Background(), dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	it, err := st.GetEvidence(context.Background(), 1)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	p, _ := blobs.New(filepath.Join(dir, "blobs")).Path(it.SHA256)
	if err := os.WriteFile(p, []byte("forged"), 0o600); err != nil {
		t.Fatal(err)
	}
	out = step("", ExitFailure, "evidence", "verify")
	if !strings.Contains(out, "file_changed: evidence 1 \"签收底单.jpg\"") || strings.Count(out, "file_changed") != 1 {
		t.Errorf("verify after tampering: %s", out)
	}
}
