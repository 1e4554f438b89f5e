package audit_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"cockpit/backend/audit"
	"cockpit/backend/clocks"
	"cockpit/backend/store"
)

var t0 = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// templates holds migrated workspaces made once per run: an empty one and one with five entries. Tests
// copy the file rather than migrate a new one each (migrating is most of a test's time under -race).
var templates = struct {
	once              sync.Once
	base, empty, five string
	err               error
}{}

func TestMain(m *testing.M) {
	code := m.Run()
	if templates.base != "" {
		os.RemoveAll(templates.base)
	}
	os.Exit(code)
}

func template(t *testing.T, entries int) string {
	t.Helper()
	templates.once.Do(func() {
		base, err := os.MkdirTemp("", "cockpit-audit-test")
		if err != nil {
			templates.err = err
			return
		}
		templates.base = base
		for _, n := range []int{0, 5} {
			dir := filepath.Join(base, fmt.Sprint(n))
			st, err := store.Open(context.Background(), dir, store.ReadWrite)
			if err != nil {
				templates.err = err
				return
			}
			fill(t, st, n)
			st.Close()
		}
		templates.empty, templates.five = filepath.Join(base, "0"), filepath.Join(base, "5")
	})
	if templates.err != nil {
		t.Fatal(templates.err)
	}
	src := templates.empty
	if entries == 5 {
		src = templates.five
	}
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(src, "cockpit.db"))
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "cockpit.db"), b, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// workspace opens a copy of a template with 0 or 5 entries.
func workspace(t *testing.T, entries int) *store.Store {
	t.Helper()
	st := openStore(t, template(t, entries))
	t.Cleanup(func() { st.Close() })
	return st
}

func fill(t *testing.T, st *store.Store, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		err := audit.Record(context.Background(), st, audit.Entry{Actor: "alice", Action: "case.status",
			ObjectType: "case", ObjectID: fmt.Sprint(i), Detail: map[string]any{"to": "resolved", "n": i},
			At: t0.Add(time.Duration(i) * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// tamper edits the SQLite file the way someone with a database tool would: drop the append-only
// triggers, then change rows.
func tamper(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range append([]string{"DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete"}, stmts...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func TestVerifyNamesTamperedRows(t *testing.T) {
	tests := []struct {
		name  string
		stmts []string
		want  []string // "kind:id[-last]" in order
	}{
		{"untouched", nil, nil},
		{"edit detail", []string{`UPDATE audit_log SET detail_json = '{"to":"closed","n":3}' WHERE id = 3`}, []string{"edited:3"}},
		{"edit actor", []string{`UPDATE audit_log SET actor = 'mallory' WHERE id = 1`}, []string{"edited:1"}},
		{"edit time", []string{`UPDATE audit_log SET at = '2026-01-01T00:00:00.000Z' WHERE id = 5`}, []string{"edited:5"}},
		{"delete middle", []string{`DELETE FROM audit_log WHERE id = 2`}, []string{"deleted:2"}},
		{"delete range", []string{`DELETE FROM audit_log WHERE id IN (2, 3)`}, []string{"deleted:2-3"}},
		{"delete last", []string{`DELETE FROM audit_log WHERE id = 5`}, []string{"deleted:5"}},
		{"insert past head", []string{`INSERT INTO audit_log (id, at, actor, action, object_type, object_id, detail_json, prev_hash, hash)
			SELECT 6, at, actor, action, object_type, object_id, detail_json, hash, 'x' FROM audit_log WHERE id = 5`}, []string{"edited:6", "inserted:6"}},
		{"rewrite with new hash", []string{`UPDATE audit_log SET actor = 'mallory', hash = 'ffff' WHERE id = 3`}, []string{"edited:3", "inserted:4"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := template(t, 5)
			tamper(t, dir+"/cockpit.db", tc.stmts...)
			st := openStore(t, dir)
			defer st.Close()
			rep, err := audit.Verify(context.Background(), st)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range rep.Problems {
				s := fmt.Sprintf("%s:%d", p.Kind, p.ID)
				if p.LastID != 0 && p.LastID != p.ID {
					s += fmt.Sprintf("-%d", p.LastID)
				}
				got = append(got, s)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("problems = %v, want %v (%+v)", got, tc.want, rep.Problems)
			}
			if rep.OK != (len(tc.want) == 0) {
				t.Fatalf("OK = %v with problems %v", rep.OK, got)
			}
		})
	}
}

func TestAppendOnlyTriggers(t *testing.T) {
	st := workspace(t, 5)
	db, err := sql.Open("sqlite", "file:"+st.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: err = %v, want append-only refusal", q, err)
		}
	}
}

func TestRecordTxRollsBackWithCaller(t *testing.T) {
	st := workspace(t, 0)
	ctx := context.Background()
	fill(t, st, 2)
	boom := errors.New("decision failed")
	err := st.Tx(ctx, func(tx *sql.Tx) error {
		if err := audit.RecordTx(ctx, tx, audit.Entry{Actor: "bob", Action: "compensation.approve", ObjectType: "compensation", ObjectID: "9", At: t0}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if err := st.Tx(ctx, func(tx *sql.Tx) error {
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: "bob", Action: "compensation.reject", ObjectType: "compensation", ObjectID: "9", At: t0})
	}); err != nil {
		t.Fatal(err)
	}
	rows, err := st.ListAudit(ctx, store.AuditFilter{Actor: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Action != "compensation.reject" || rows[0].ID != 3 {
		t.Fatalf("rows = %+v", rows)
	}
	rep, err := audit.Verify(ctx, st)
	if err != nil || !rep.OK || rep.Rows != 3 {
		t.Fatalf("verify = %+v, %v", rep, err)
	}
}

func TestRecordRejectsIncompleteEntries(t *testing.T) {
	st := workspace(t, 0)
	for _, e := range []audit.Entry{
		{Action: "x", ObjectType: "case"},
		{Actor: "a", ObjectType: "case"},
		{Actor: "a", Action: "x"},
		{Actor: "a", Action: "x", ObjectType: "case", Detail: func() {}},
	} {
		if err := audit.Record(context.Background(), st, e); err == nil {
			t.Fatalf("entry %+v accepted", e)
		}
	}
}

func TestConcurrentRecordsKeepOneChain(t *testing.T) {
	st := workspace(t, 0)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				if err := audit.Record(context.Background(), st, audit.Entry{Actor: fmt.Sprint("u", g), Action: "a", ObjectType: "o", ObjectID: fmt.Sprint(i)}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	rep, err := audit.Verify(context.Background(), st)
	if err != nil || !rep.OK || rep.Rows != 100 {
		t.Fatalf("verify = %+v, %v", rep, err)
	}
}

func BenchmarkRecord(b *testing.B) {
	st, err := store.Open(context.Background(), b.TempDir(), store.ReadWrite)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	for i := 0; b.Loop(); i++ {
		if err := audit.Record(context.Background(), st, audit.Entry{Actor: "a", Action: "case.note", ObjectType: "case", ObjectID: fmt.Sprint(i), Detail: map[string]int{"i": i}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify10k(b *testing.B) {
	st, err := store.Open(context.Background(), b.TempDir(), store.ReadWrite)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.Tx(ctx, func(tx *sql.Tx) error {
		for i := 0; i < 10000; i++ {
			if err := audit.RecordTx(ctx, tx, audit.Entry{Actor: "a", Action: "case.note", ObjectType: "case", ObjectID: fmt.Sprint(i), At: t0}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rep, err := audit.Verify(ctx, st)
		if err != nil || !rep.OK {
			b.Fatal(rep, err)
		}
	}
}

func TestLogStampsWithItsClock(t *testing.T) {
	st := workspace(t, 0)
	l := audit.Log{Store: st, Clock: &clocks.Fixed{T: t0}}
	if err := l.Record(context.Background(), "legal1", "evidence.copy", "evidence", "7", map[string]any{"purpose": "12315"}); err != nil {
		t.Fatal(err)
	}
	rows, err := st.ListAudit(context.Background(), store.AuditFilter{ObjectType: "evidence", ObjectID: "7"})
	if err != nil || len(rows) != 1 || !rows[0].At.Equal(t0) || rows[0].DetailJSON != `{"purpose":"12315"}` {
		t.Fatalf("rows = %+v, %v", rows, err)
	}
}
