package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cockpit/backend/cases"
	"cockpit/backend/store"
)

func TestDeadlineCommand(t *testing.T) {
	dir := t.TempDir() // no workspace: the shipped rules are used and nothing is created
	tests := []struct {
		name    string
		args    []string
		code    int
		stdout  string
		stderr  string
		dueDate string
		skipped int
		asJSON  bool
	}{
		{name: "working days over National Day", args: []string{"--from", "2026-09-28", "--working-days", "7", "--json"}, dueDate: "2026-10-13", skipped: 8, asJSON: true},
		{name: "calendar days extended past the holiday", args: []string{"--from", "2026-09-28", "--days", "7", "--json"}, dueDate: "2026-10-08", skipped: 3, asJSON: true},
		{name: "no extension", args: []string{"--from", "2026-09-28", "--days", "7", "--extend", "none", "--json"}, dueDate: "2026-10-05", asJSON: true},
		{name: "text output", args: []string{"--from", "2026-02-13", "--working-days", "3"}, stdout: "due 2026-02-25 24:00"},
		{name: "unknown year is exit 2 naming the year", args: []string{"--from", "2026-12-28", "--working-days", "7"}, code: ExitUsage, stderr: "no holiday table for 2027"},
		{name: "both periods", args: []string{"--from", "2026-09-28", "--days", "1", "--working-days", "1"}, code: ExitUsage, stderr: "exactly one"},
		{name: "no period", args: []string{"--from", "2026-09-28"}, code: ExitUsage, stderr: "exactly one"},
		{name: "bad date", args: []string{"--from", "28.09.2026", "--days", "1"}, code: ExitUsage, stderr: "YYYY-MM-DD"},
		{name: "missing --from", args: []string{"--days", "1"}, code: ExitUsage, stderr: "--from is required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCLI(t, dir, "", append([]string{"deadline"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, tc.code, out, errs)
			}
			if tc.stdout != "" && !strings.Contains(out, tc.stdout) {
				t.Errorf("stdout %q lacks %q", out, tc.stdout)
			}
			if tc.stderr != "" && !strings.Contains(errs, tc.stderr) {
				t.Errorf("stderr %q lacks %q", errs, tc.stderr)
			}
			if tc.asJSON {
				var v struct {
					DueDate string `json:"due_date"`
					DueAt   string `json:"due_at"`
					Skipped []struct {
						Date string `json:"date"`
						Kind string `json:"kind"`
					} `json:"skipped"`
				}
				if err := json.Unmarshal([]byte(out), &v); err != nil {
					t.Fatalf("%v: %s", err, out)
				}
				at, err := time.Parse(time.RFC3339, v.DueAt)
				if v.DueDate != tc.dueDate || len(v.Skipped) != tc.skipped || err != nil || at.Format("2006-01-02") != tc.dueDate {
					t.Errorf("got %+v (%v), want due %s with %d skipped", v, err, tc.dueDate, tc.skipped)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "cockpit.db")); !os.IsNotExist(err) {
		t.Errorf("deadline created a workspace: %v", err)
	}
}

func TestReclassifyThenCasesJSONCarriesClocks(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(context.Background(), dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC().Add(-10 * time.Minute)
	_, err = st.InsertSynthetic(context.Background(), []store.SyntheticCase{{Title: "面霜过敏", Type: "unknown", Status: cases.StatusOpen,
		CustomerEmail: "x@example.cn", OpenedAt: at, Events: []store.SyntheticEvent{{Kind: "email", Channel: "email", At: at,
			Body: "用了你们的面霜脸上过敏红肿，我要去12315投诉。"}}}})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCLI(t, dir, "", "reclassify"); code != ExitOK || !strings.Contains(out, "1 cases refreshed, 1 changed") {
		t.Fatalf("reclassify: %d %s %s", code, out, errs)
	}
	code, out, errs := runCLI(t, dir, "", "cases", "--json")
	if code != ExitOK {
		t.Fatalf("cases: %d %s", code, errs)
	}
	var v cases.Summary
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &v); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	flags := map[string]bool{}
	for _, f := range v.Flags {
		flags[f.Name] = f.Evidence != ""
	}
	if v.Level != 1 || v.Type != "product" || !flags["safety"] || !flags["regulator"] {
		t.Errorf("case %+v", v)
	}
	byClock := map[string]cases.Deadline{}
	for _, d := range v.Deadlines {
		byClock[d.Clock] = d
	}
	contact, ok := byClock["sla_contact_l1"]
	if !ok || !contact.DueAt.Equal(at.Add(30*time.Minute).Truncate(time.Millisecond)) || contact.State != "running" || contact.Why == "" {
		t.Errorf("contact clock %+v in %+v", contact, v.Deadlines)
	}
	if _, ok := byClock["sla_solution_l1"]; !ok {
		t.Errorf("no solution clock in %+v", v.Deadlines)
	}
}
