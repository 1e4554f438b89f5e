package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"cockpit/backend/cases"
)

func TestListCasesSearch(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, t.TempDir(), ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 6, 20, 2, 0, 0, 0, time.UTC)
	ev := func(body string) []SyntheticEvent {
		return []SyntheticEvent{{Kind: "email", Channel: "email", At: at, Summary: "投诉", Body: body}}
	}
	ids, err := st.InsertSynthetic(ctx, []SyntheticCase{
		{Title: "奶粉结块", OrderNo: "JD1", OpenedAt: at, Events: ev("宝宝喝了拉肚子")},
		{Title: "Parcel late", OrderNo: "JD2", OpenedAt: at, Events: ev("Tracking has not moved")},
		{Title: "面霜过敏", OrderNo: "TB3", OpenedAt: at, Events: ev("脸上起红疹 100% 真实")},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Edits, re-links and deletions reach the index through the triggers.
	for _, w := range []struct {
		q    string
		args []any
	}{
		{"UPDATE cases SET title = '面霜严重过敏' WHERE id = $1", []any{ids[2]}},
		{"INSERT INTO case_events (case_id, kind, occurred_at, body_text) VALUES ($1, 'note', '2026-06-20T02:00:00.000Z', '临时备注 zzyzx')", []any{ids[2]}},
		{"UPDATE case_events SET body_text = '改过的备注 qqwwee' WHERE body_text = '临时备注 zzyzx'", nil},
	} {
		if _, err := st.exec(ctx, w.q, w.args...); err != nil {
			t.Fatalf("%s: %v", w.q, err)
		}
	}
	if _, err := st.exec(ctx, "UPDATE case_events SET case_id = $1 WHERE body_text LIKE '改过的备注%'", ids[0]); err != nil {
		t.Fatal(err)
	}
	extra, err := st.InsertSynthetic(ctx, []SyntheticCase{{Title: "将被删除的案件", OpenedAt: at, Events: ev("删除测试 xyzzy")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.exec(ctx, "DELETE FROM cases WHERE id = $1", extra[0]); err != nil {
		t.Fatal(err)
	}
	// An indexed entry edited, and one written and dropped inside a single transaction (migration 0011
	// indexes at commit).
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			"UPDATE case_events SET body_text = 'Tracking has not moved since Monday' WHERE body_text = 'Tracking has not moved'",
			"INSERT INTO case_events (case_id, kind, occurred_at, body_text) VALUES (2, 'note', '2026-06-20T02:00:00.000Z', '草稿 plugh')",
			"DELETE FROM case_events WHERE body_text = '草稿 plugh'",
			"INSERT INTO case_events (case_id, kind, actor, occurred_at, summary) VALUES (3, 'level', 'engine', '2026-06-20T02:00:00.000Z', 'level: 0 → 2 (quuxengine)')",
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, idx := range []string{"case_event_fts", "case_title_fts"} {
		if _, err := st.exec(ctx, "INSERT INTO "+idx+"("+idx+") VALUES ('integrity-check')"); err != nil {
			t.Fatalf("%s: %v", idx, err)
		}
	}
	tests := []struct {
		q    string
		want string
	}{
		{"奶粉", "[1]"},             // 2 chars: LIKE fallback
		{"拉肚子", "[1]"},            // 3 chars: trigram, in a body
		{"tracking moved", "[2]"}, // two index terms, both must match
		{"严重过敏", "[3]"},           // the edited title
		{"面霜过敏", "[]"},            // the old title is gone from the index
		{"jd2", "[2]"},            // order number, any case
		{"100%", "[3]"},           // % is literal
		{"10_%", "[]"},
		{"  ", "[1 2 3]"},
		{"zzyzx", "[]"},         // the note's old text
		{"qqwwee", "[1]"},       // its new text, on the case it was moved to
		{"xyzzy", "[]"},         // the deleted case's events
		{"将被删除", "[]"},          // and its title
		{"since monday", "[2]"}, // an indexed entry's new text
		{"plugh", "[]"},         // written and deleted before commit
		{"quuxengine", "[]"},    // the engine's bookkeeping is not indexed
	}
	for _, tt := range tests {
		list, err := st.ListCases(ctx, cases.Filter{Query: tt.q})
		if err != nil {
			t.Fatalf("%q: %v", tt.q, err)
		}
		var got []int64
		for _, c := range list {
			for i, id := range ids {
				if c.ID == id {
					got = append(got, int64(i+1))
				}
			}
		}
		slices.Sort(got)
		if fmt.Sprint(got) != tt.want {
			t.Errorf("%q: got %v, want %s", tt.q, got, tt.want)
		}
	}
}

// FuzzSearch: whatever a user types (FTS5 operators, quotes, LIKE wildcards, invalid UTF-8) is a
// search, never an SQL error.
func FuzzSearch(f *testing.F) {
	ctx := context.Background()
	st, err := Open(ctx, f.TempDir(), ReadWrite)
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 6, 20, 2, 0, 0, 0, time.UTC)
	if _, err := st.InsertSynthetic(ctx, []SyntheticCase{{Title: "奶粉结块 NEAR(a b)", OpenedAt: at,
		Events: []SyntheticEvent{{Kind: "email", At: at, Body: `he said "稍等" AND left`}}}}); err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"奶粉", `"稍等"`, "NEAR(a b)", "a* OR b", "^x", "col:abc", `\%_`, "\xff\xfe奶", "\"\"\"", "-abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := st.ListCases(ctx, cases.Filter{Query: q, Limit: 5}); err != nil {
			t.Fatalf("query %q: %v", q, err)
		}
		bf, err := st.PrepareBoard(ctx, BoardFilter{Query: q}, GroupByLevel, at)
		if err != nil {
			t.Fatalf("prepare %q: %v", q, err)
		}
		if _, err := st.BoardCounts(ctx, GroupByLevel, bf); err != nil {
			t.Fatalf("counts %q: %v", q, err)
		}
	})
}
