package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"cockpit/backend/cases"
)

func TestListCasesSearch(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
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
	checkSearchIndexes(t, st)
	tests := []struct {
		q    string
		want string
	}{
		{"奶粉", "[1]"},             // 2 chars: the trigrams that begin with them
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

// checkSearchIndexes runs FTS5's own consistency check on every full-text table, and checks that the
// timeline tables hold exactly the entries of the cases in their statuses (but the engine's), and the
// title table one entry per case.
func checkSearchIndexes(t *testing.T, st *Store) {
	t.Helper()
	ctx := context.Background()
	for _, idx := range []string{"case_title_fts", "case_event_open_fts", "case_event_closed_fts"} {
		if _, err := st.exec(ctx, "INSERT INTO "+idx+"("+idx+") VALUES ('integrity-check')"); err != nil {
			t.Fatalf("%s: %v", idx, err)
		}
	}
	for idx, cond := range map[string]string{
		"case_event_open_fts":   "c.status IN ('open', 'pending')",
		"case_event_closed_fts": "c.status NOT IN ('open', 'pending')",
		"case_title_fts":        "",
	} {
		want := "SELECT (e.case_id << 32) | e.id FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.actor IS NOT 'engine' AND " + cond
		if cond == "" {
			want = "SELECT id FROM cases"
		}
		var extra, missing int
		err := st.reader().QueryRowContext(ctx, "SELECT (SELECT count(*) FROM (SELECT rowid FROM "+idx+" EXCEPT "+want+")),"+
			" (SELECT count(*) FROM ("+want+" EXCEPT SELECT rowid FROM "+idx+"))").Scan(&extra, &missing)
		if err != nil {
			t.Fatalf("%s: %v", idx, err)
		}
		if extra != 0 || missing != 0 {
			t.Errorf("%s holds %d entries it should not and lacks %d", idx, extra, missing)
		}
	}
}

// searchIDs returns, as 1-based positions in ids, the cases that ListCases finds for q among statuses
// and, when statuses is nil, those of the board grouped by status (every status) too; with statuses
// open and pending, those of the board grouped by level (its default).
func searchIDs(t *testing.T, st *Store, ids []int64, q string, statuses []cases.Status) []int {
	t.Helper()
	ctx := context.Background()
	pos := func(id int64) int { return slices.Index(ids, id) + 1 }
	activity := func(c cases.Case) time.Time {
		if c.LastMessageAt.IsZero() {
			return c.OpenedAt
		}
		return c.LastMessageAt
	}
	list, err := st.ListCases(ctx, cases.Filter{Query: q, Status: statuses})
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	var got []int
	for _, c := range list {
		if p := pos(c.ID); p > 0 {
			got = append(got, p)
		}
	}
	slices.Sort(got)
	group := GroupByStatus
	if len(statuses) > 0 {
		group = GroupByLevel
	}
	bf, err := st.PrepareBoard(ctx, BoardFilter{Query: q, Statuses: statuses}, group, time.Now())
	if err != nil {
		t.Fatalf("board %q: %v", q, err)
	}
	counts, err := st.BoardCounts(ctx, group, bf)
	if err != nil {
		t.Fatalf("board %q: %v", q, err)
	}
	// The columns' windows, read in two halves, hold the cases the list holds, most recently active first.
	var board []int
	for _, c := range counts {
		half := (c.Count + 1) / 2
		for _, w := range [][2]int{{0, half}, {half, c.Count + 5}} {
			cards, err := st.BoardCards(ctx, group, bf, c.Level, c.Status, w[0], w[1])
			if err != nil {
				t.Fatalf("board %q: %v", q, err)
			}
			for i, card := range cards {
				if i > 0 && cmp.Or(activity(card).Compare(activity(cards[i-1])), cmp.Compare(card.ID, cards[i-1].ID)) > 0 {
					t.Errorf("board %q: column %+v out of order", q, c)
				}
				board = append(board, pos(card.ID))
			}
		}
	}
	slices.Sort(board)
	if fmt.Sprint(board) != fmt.Sprint(got) {
		t.Errorf("%q in %v: the board shows %v, the list %v", q, statuses, board, got)
	}
	return got
}

var openStatuses = []cases.Status{cases.StatusOpen, cases.StatusPending}

// Terms of every length, and cases whose status moves them between the open and closed timeline tables.
func TestSearchTermsAndStatuses(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	at := time.Date(2026, 6, 20, 2, 0, 0, 0, time.UTC)
	ev := func(summary, body string) []SyntheticEvent {
		return []SyntheticEvent{{Kind: "email", Channel: "email", At: at, Summary: summary, Body: body}}
	}
	ids, err := st.InsertSynthetic(ctx, []SyntheticCase{
		{Title: "婴儿奶粉", OrderNo: "TB100", OpenedAt: at, Events: ev("投诉", "宝宝喝了拉肚子")},
		{Title: "Parcel late", OrderNo: "JD2", OpenedAt: at, Status: cases.StatusPending, Events: ev("物流", "Tracking has not moved")},
		{Title: "面霜过敏", OrderNo: "TB3", OpenedAt: at, Status: cases.StatusResolved, Events: ev("", `他说"稍等"然后挂了 100% 真`)},
		{Title: "退款", OrderNo: "", OpenedAt: at, Status: cases.StatusClosed, Events: ev("Re: 退款", "Ärger über den Händler ok")},
		{Title: "Order 质量", OrderNo: "PDD7x", OpenedAt: at, Events: ev("follow-up", "快递员代签，东西质量差")},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q          string
		all, board string // every status; open and pending only
	}{
		{"奶粉", "[1]", "[1]"}, // two characters ending a title
		{"拉肚", "[1]", "[1]"}, // and starting a trigram inside a body
		{"肚子", "[1]", "[1]"}, // and ending a body
		{"量差", "[5]", "[5]"}, // after a comma, at the end
		{"质量", "[5]", "[5]"}, // in a title and a body
		{"退款", "[4]", "[]"},  // a whole title, a closed case
		{"子", "[1]", "[1]"},  // one character: LIKE
		{"差", "[5]", "[5]"},
		{"TR", "[2]", "[2]"}, // ASCII folds
		{"tr", "[2]", "[2]"},
		{"d2", "[2]", "[2]"}, // end of an order number
		{"7X", "[5]", "[5]"},
		{"JD", "[2]", "[2]"},
		{"üb", "[4]", "[]"}, // case beyond ASCII: LIKE, exact
		{"Är", "[4]", "[]"},
		{"über", "[4]", "[]"}, // trigrams fold it
		{"ok", "[4]", "[]"},
		{`"稍`, "[3]", "[]"}, // a quote is a character
		{`"稍等"`, "[3]", "[]"},
		{"100%", "[3]", "[]"},
		{"0%", "[3]", "[]"},
		{"%", "[3]", "[]"},
		{"真", "[3]", "[]"},
		{"快递员代签", "[5]", "[5]"},
		{"代签，东", "[5]", "[5]"}, // punctuation inside a term
		{"Re:", "[4]", "[]"},
		{"e:", "[4]", "[]"},
		{"-up", "[5]", "[5]"},
		{"奶粉 拉肚子", "[1]", "[1]"}, // terms of different kinds, all must match
		{"奶粉 tr", "[]", "[]"},
		{"ab", "[]", "[]"},
		{"粉奶", "[]", "[]"},
		{"e r", "[2 4 5]", "[2 5]"}, // every case with an e and an r
	}
	run := func(label string) {
		t.Helper()
		for _, tt := range tests {
			if got := fmt.Sprint(searchIDs(t, st, ids, tt.q, nil)); got != tt.all {
				t.Errorf("%s: %q, any status: got %s, want %s", label, tt.q, got, tt.all)
			}
			if got := fmt.Sprint(searchIDs(t, st, ids, tt.q, openStatuses)); got != tt.board {
				t.Errorf("%s: %q, open cases: got %s, want %s", label, tt.q, got, tt.board)
			}
		}
		checkSearchIndexes(t, st)
	}
	run("as inserted")

	// Closing and reopening move a case's entries between the tables; an entry written in the same
	// transaction is indexed by the status the case has at commit.
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		for _, w := range []struct {
			q    string
			args []any
		}{
			{"INSERT INTO case_events (case_id, kind, occurred_at, body_text) VALUES ($1, 'note', '2026-06-21T02:00:00.000Z', '回访 xq')", []any{ids[0]}},
			{"UPDATE cases SET status = 'closed' WHERE id = $1", []any{ids[0]}},
			{"UPDATE cases SET status = 'open' WHERE id = $1", []any{ids[2]}},
			{"INSERT INTO case_events (case_id, kind, occurred_at, body_text) VALUES ($1, 'note', '2026-06-21T02:00:00.000Z', '补充 zq')", []any{ids[3]}},
			{"UPDATE cases SET status = 'pending' WHERE id = $1", []any{ids[3]}},
			{"UPDATE cases SET status = 'resolved' WHERE id = $1", []any{ids[1]}},
		} {
			if _, err := tx.ExecContext(ctx, w.q, w.args...); err != nil {
				return fmt.Errorf("%s: %w", w.q, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ q, all, board string }{
		{"奶粉", "[1]", "[]"}, {"xq", "[1]", "[]"}, {"拉肚子", "[1]", "[]"},
		{"稍等", "[3]", "[3]"}, {"100%", "[3]", "[3]"},
		{"退款", "[4]", "[4]"}, {"zq", "[4]", "[4]"}, {"über", "[4]", "[4]"},
		{"tracking", "[2]", "[]"}, {"TR", "[2]", "[]"},
	} {
		if got := fmt.Sprint(searchIDs(t, st, ids, tt.q, nil)); got != tt.all {
			t.Errorf("after moves: %q, any status: got %s, want %s", tt.q, got, tt.all)
		}
		if got := fmt.Sprint(searchIDs(t, st, ids, tt.q, openStatuses)); got != tt.board {
			t.Errorf("after moves: %q, open cases: got %s, want %s", tt.q, got, tt.board)
		}
	}
	checkSearchIndexes(t, st)
	// Back again: every expectation of the first round holds once more.
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		for _, w := range []string{
			"DELETE FROM case_events WHERE body_text IN ('回访 xq', '补充 zq')",
			"UPDATE cases SET status = 'open' WHERE id = " + fmt.Sprint(ids[0]),
			"UPDATE cases SET status = 'resolved' WHERE id = " + fmt.Sprint(ids[2]),
			"UPDATE cases SET status = 'closed' WHERE id = " + fmt.Sprint(ids[3]),
			"UPDATE cases SET status = 'pending' WHERE id = " + fmt.Sprint(ids[1]),
		} {
			if _, err := tx.ExecContext(ctx, w); err != nil {
				return fmt.Errorf("%s: %w", w, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	run("moved back")
}

// Random texts, statuses and edits: every search answers what a plain substring scan of the same rows
// answers (ASCII letters in any case, as the trigram tokenizer and LIKE both fold them), the case
// engine's entries aside.
func TestSearchMatchesSubstringScan(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	r := rand.New(rand.NewPCG(6, 12315))
	alphabet := []rune("奶粉拉肚子过敏退款快递aAbB1%_\"*:- ，")
	text := func(max int) string {
		n := r.IntN(max + 1)
		b := make([]rune, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	statuses := []cases.Status{cases.StatusOpen, cases.StatusPending, cases.StatusResolved, cases.StatusClosed}
	at := time.Date(2026, 6, 20, 2, 0, 0, 0, time.UTC)
	var list []SyntheticCase
	for range 60 {
		c := SyntheticCase{Title: text(6), OrderNo: text(3), OpenedAt: at, Status: statuses[r.IntN(4)]}
		for range 1 + r.IntN(4) {
			c.Events = append(c.Events, SyntheticEvent{Kind: "email", At: at, Summary: text(4), Body: text(10)})
		}
		list = append(list, c)
	}
	ids, err := st.InsertSynthetic(ctx, list)
	if err != nil {
		t.Fatal(err)
	}
	fold := func(s string) string {
		return strings.Map(func(r rune) rune { return unicode.To(unicode.LowerCase, r) }, s)
	}
	for round := range 4 {
		if round > 0 {
			// Status moves, new, edited, re-linked and deleted entries, new titles, a dropped case.
			err := st.Tx(ctx, func(tx *sql.Tx) error {
				for range 25 {
					id := ids[round+r.IntN(len(ids)-round)] // ids[1:round] are gone
					var q string
					var args []any
					switch r.IntN(6) {
					case 0, 1:
						q, args = "UPDATE cases SET status = $1 WHERE id = $2", []any{string(statuses[r.IntN(4)]), id}
					case 2: // now and then the engine's bookkeeping, which is never searched
						q, args = "INSERT INTO case_events (case_id, kind, actor, occurred_at, summary, body_text) VALUES ($1, 'note', $2, '2026-06-21T00:00:00.000Z', $3, $4)",
							[]any{id, []string{"", "", "engine"}[r.IntN(3)], text(4), text(10)}
					case 3:
						q, args = "UPDATE case_events SET body_text = $1, case_id = COALESCE((SELECT id FROM cases WHERE id = $2), case_id) WHERE id = (SELECT max(id) FROM case_events WHERE case_id = $3)", []any{text(10), ids[r.IntN(len(ids))], id}
					case 4:
						q, args = "DELETE FROM case_events WHERE id = (SELECT min(id) FROM case_events WHERE case_id = $1)", []any{id}
					case 5:
						q, args = "UPDATE cases SET title = $1, order_no = $2 WHERE id = $3", []any{text(6), text(3), id}
					}
					if _, err := tx.ExecContext(ctx, q, args...); err != nil {
						return fmt.Errorf("%s: %w", q, err)
					}
				}
				_, err := tx.ExecContext(ctx, "DELETE FROM cases WHERE id = $1", ids[round])
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		checkSearchIndexes(t, st)
		// What each case holds, read back from the rows themselves.
		texts := map[int64][]string{}
		rows, err := st.reader().QueryContext(ctx, `SELECT c.id, c.status, c.title, c.order_no, COALESCE(e.summary, ''), COALESCE(e.body_text, '')
			FROM cases c LEFT JOIN case_events e ON e.case_id = c.id AND e.actor IS NOT 'engine'`)
		if err != nil {
			t.Fatal(err)
		}
		status := map[int64]string{}
		for rows.Next() {
			var id int64
			var s, title, order, summary, body string
			if err := rows.Scan(&id, &s, &title, &order, &summary, &body); err != nil {
				t.Fatal(err)
			}
			status[id] = s
			texts[id] = append(texts[id], fold(title), fold(order), fold(summary), fold(body))
		}
		rows.Close()
		want := func(q string, open bool) string {
			var got []int
			for i, id := range ids {
				s, ok := status[id]
				if !ok || (open && s != "open" && s != "pending") {
					continue
				}
				all := true
				for _, term := range SearchTerms(q) {
					if !slices.ContainsFunc(texts[id], func(x string) bool { return strings.Contains(x, fold(term)) }) {
						all = false
					}
				}
				if all {
					got = append(got, i+1)
				}
			}
			return fmt.Sprint(got)
		}
		for range 80 {
			q := text(1 + r.IntN(4))
			if r.IntN(4) == 0 {
				q = text(2) + " " + text(3)
			}
			if got := fmt.Sprint(searchIDs(t, st, ids, q, nil)); got != want(q, false) {
				t.Errorf("round %d: %q, any status: got %s, want %s", round, q, got, want(q, false))
			}
			if got := fmt.Sprint(searchIDs(t, st, ids, q, openStatuses)); got != want(q, true) {
				t.Errorf("round %d: %q, open cases: got %s, want %s", round, q, got, want(q, true))
			}
		}
	}
}

// FuzzSearch: whatever a user types (FTS5 operators, quotes, LIKE wildcards, invalid UTF-8) is a
// search, never an SQL error.
func FuzzSearch(f *testing.F) {
	ctx := context.Background()
	st := openTestStore(f)
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
		if _, err := st.BoardCards(ctx, GroupByLevel, bf, 0, "", -1, -1); err != nil {
			t.Fatalf("cards %q: %v", q, err)
		}
	})
}
