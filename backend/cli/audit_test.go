package cli

import (
	"bytes"
	"context"
	"database/sql"
	"strings"
	"testing"

	"cockpit/backend/audit"
	"cockpit/backend/store"
)

// runCLI runs one command line against dir and returns exit code, stdout and stderr.
func runCLI(t *testing.T, dir string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(Global{DataDir: dir}, args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestAuditVerifyNamesEditedRow(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(context.Background(), dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"1", "2", "3"} {
		if err := audit.Record(context.Background(), st, audit.Entry{Actor: "alice", Action: "case.status", ObjectType: "case", ObjectID: id}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	if code, out, errs := runCLI(t, dir, "", "audit", "verify"); code != ExitOK || !strings.Contains(out, "intact: 3 rows") {
		t.Fatalf("clean verify: %d %q %q", code, out, errs)
	}
	if code, out, _ := runCLI(t, dir, "", "audit", "list", "--object", "case:2", "--json"); code != ExitOK || strings.Count(out, "\n") != 1 || !strings.Contains(out, `"object_id":"2"`) {
		t.Fatalf("list: %d %q", code, out)
	}

	db, err := sql.Open("sqlite", "file:"+dir+"/cockpit.db")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET actor = 'mallory' WHERE id = 2"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	code, out, errs := runCLI(t, dir, "", "audit", "verify")
	if code != ExitFailure || !strings.Contains(out, "edited\trow 2\t") || strings.Contains(out, "row 1") || strings.Contains(out, "row 3") {
		t.Fatalf("tampered verify: %d %q %q", code, out, errs)
	}
	if code, _, _ := runCLI(t, dir, "", "audit", "frobnicate"); code != ExitUsage {
		t.Fatalf("unknown subcommand exit %d", code)
	}
}
