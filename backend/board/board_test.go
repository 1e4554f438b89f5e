package board

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"cockpit/backend/cases"
	"cockpit/backend/filings"
	"cockpit/backend/store"
)

func keysOf(t *testing.T, f *fixture, cards []Card) []string {
	t.Helper()
	var out []string
	for _, c := range cards {
		for k, id := range f.ids {
			if id == c.Case.ID {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// boardKeys runs q and returns the fixture keys of every card on the board, sorted.
func boardKeys(t *testing.T, f *fixture, q Query) []string {
	t.Helper()
	b, err := f.svc.Board(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var all []Card
	total := 0
	for _, col := range b.Columns {
		if col.Count != len(col.Cards) {
			t.Errorf("column %s: count %d but %d cards in a window of %d", col.Key, col.Count, len(col.Cards), DefaultWindow)
		}
		total += col.Count
		all = append(all, col.Cards...)
	}
	if total != b.Total {
		t.Errorf("total %d, columns add up to %d", b.Total, total)
	}
	return keysOf(t, f, all)
}

func TestBoardFilters(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"open board by level", Query{}, []string{"allergy", "late", "milk", "new", "regulator"}},
		{"by status includes closed", Query{GroupBy: store.GroupByStatus}, []string{"allergy", "closed", "late", "milk", "new", "regulator"}},
		{"owner", Query{Filter: Filter{OwnerIDs: []int64{f.alice}}}, []string{"milk"}},
		{"owner or unassigned", Query{Filter: Filter{OwnerIDs: []int64{f.bob}, Unassigned: true}}, []string{"allergy", "late", "new", "regulator"}},
		{"unassigned", Query{Filter: Filter{Unassigned: true}}, []string{"late", "new", "regulator"}},
		{"type", Query{Filter: Filter{Types: []string{"product"}}}, []string{"allergy", "milk"}},
		{"flag any of", Query{Filter: Filter{Flags: []string{"medical", "group"}}}, []string{"allergy", "milk"}},
		{"breached: stored state or due time gone by, not paused or met", Query{GroupBy: store.GroupByStatus, Filter: Filter{Breached: true}}, []string{"milk", "regulator"}},
		{"shift: its supervisor's cases", Query{Filter: Filter{ShiftID: f.bobShift}}, []string{"allergy"}},
		{"regulator matters", Query{Filter: Filter{Regulator: true}}, []string{"regulator"}},
		{"level", Query{Filter: Filter{Levels: []int{1}}}, []string{"milk", "regulator"}},
		{"closed only", Query{Filter: Filter{Statuses: []cases.Status{cases.StatusClosed}}}, []string{"closed"}},
		{"filters combine", Query{Filter: Filter{Types: []string{"product"}, Levels: []int{2}}}, []string{"allergy"}},
		{"search 2 chars (LIKE fallback) in title and bodies", Query{Filter: Filter{Query: "奶粉"}}, []string{"milk", "regulator"}},
		{"search 3+ chars (trigram) in a body", Query{Filter: Filter{Query: "拉肚子"}}, []string{"milk"}},
		{"search 3+ chars in a summary", Query{Filter: Filter{Query: "市场监管"}}, []string{"regulator"}},
		{"search English, any case", Query{Filter: Filter{Query: "TRACKING"}}, []string{"late"}},
		{"search order number", Query{Filter: Filter{Query: "JD100003"}}, []string{"late"}},
		{"search terms AND, mixed index and fallback", Query{Filter: Filter{Query: "奶粉 工单"}}, []string{"regulator"}},
		{"search 1 char", Query{Filter: Filter{Query: "霜"}}, []string{"allergy"}},
		{"search no match", Query{Filter: Filter{Query: "不存在的内容"}}, nil},
		{"search FTS syntax is literal", Query{Filter: Filter{Query: `"AND* NOT:`}}, nil},
		{"search LIKE wildcards are literal", Query{Filter: Filter{Query: "%_"}}, nil},
		{"search with filter", Query{Filter: Filter{Query: "奶粉", Regulator: true}}, []string{"regulator"}},
		{"closed case found by status board search", Query{GroupBy: store.GroupByStatus, Filter: Filter{Query: "赠品"}}, []string{"closed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := boardKeys(t, f, tt.q); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBoardColumnsAndWindows(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b, err := f.svc.Board(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	counts := map[string]int{}
	for _, c := range b.Columns {
		keys = append(keys, c.Key)
		counts[c.Key] = c.Count
	}
	if !slices.Equal(keys, []string{"L1", "L2", "L3", "L0"}) {
		t.Errorf("columns %v", keys)
	}
	if counts["L1"] != 2 || counts["L2"] != 1 || counts["L3"] != 1 || counts["L0"] != 1 {
		t.Errorf("counts %v", counts)
	}
	// Most recently active first: the regulator letter (5 h ago) before the milk case's reminder (2 h ago)? No:
	// the milk case's last message is newer.
	l1 := b.Columns[0].Cards
	if len(l1) != 2 || l1[0].Case.ID != f.ids["milk"] || l1[1].Case.ID != f.ids["regulator"] {
		t.Errorf("L1 order: %+v", l1)
	}
	if got := l1[0].Case.Customer; got != "王**" {
		t.Errorf("customer not masked: %q", got)
	}
	if !slices.Equal(l1[0].Case.Channels, []string{"email"}) || len(l1[0].Case.Flags) != 2 {
		t.Errorf("channels %v flags %v", l1[0].Case.Channels, l1[0].Case.Flags)
	}
	w, err := f.svc.Window(ctx, Query{}, "L1", 1, 10)
	if err != nil || len(w) != 1 || w[0].Case.ID != f.ids["regulator"] {
		t.Errorf("window from 1: %v %+v", err, w)
	}
	for _, bad := range []struct {
		key           string
		offset, limit int
	}{{"L9", 0, 10}, {"L1", -1, 10}, {"L1", 0, 0}, {"L1", 0, MaxWindow + 1}, {"open", 0, 10}} {
		if _, err := f.svc.Window(ctx, Query{}, bad.key, bad.offset, bad.limit); !errors.Is(err, ErrInvalid) {
			t.Errorf("window %+v: want ErrInvalid, got %v", bad, err)
		}
	}
	for _, q := range []Query{{GroupBy: "owner"}, {Window: -1}, {Filter: Filter{Levels: []int{7}}}, {Filter: Filter{Statuses: []cases.Status{"gone"}}}} {
		if _, err := f.svc.Board(ctx, q); !errors.Is(err, ErrInvalid) {
			t.Errorf("board %+v: want ErrInvalid, got %v", q, err)
		}
	}
}

func TestCardsCarryMissingEvidence(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var asked []int64
	f.svc.Missing = func(_ context.Context, ids []int64) (map[int64][]filings.Missing, error) {
		asked = append(asked, ids...)
		return map[int64][]filings.Missing{f.ids["milk"]: {{Code: "test_report", ZH: "检测报告", EN: "Test report"}}}, nil
	}
	b, err := f.svc.Board(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(asked) != b.Total {
		t.Errorf("asked for %d cases, the board shows %d", len(asked), b.Total)
	}
	for _, col := range b.Columns {
		for _, c := range col.Cards {
			want := 0
			if c.Case.ID == f.ids["milk"] {
				want = 1
			}
			if len(c.Missing) != want {
				t.Errorf("case %d: missing %+v, want %d item(s)", c.Case.ID, c.Missing, want)
			}
		}
	}
	f.svc.Missing = func(context.Context, []int64) (map[int64][]filings.Missing, error) {
		return nil, errors.New("db gone")
	}
	if _, err := f.svc.Board(ctx, Query{}); err == nil || !strings.Contains(err.Error(), "missing evidence") {
		t.Errorf("a failing lookup must fail the board with context, got %v", err)
	}
}

func TestCardsCarryOnlyTheNearestClock(t *testing.T) {
	f := newFixture(t)
	due := f.svc.Clock.Now().Add(time.Hour)
	f.svc.Deadlines = func(_ context.Context, list []cases.Case) (map[int64][]cases.Deadline, error) {
		out := map[int64][]cases.Deadline{}
		for _, c := range list {
			if c.ID == f.ids["milk"] {
				out[c.ID] = []cases.Deadline{
					{Clock: "later", State: "running", DueAt: due.Add(time.Hour), Why: "running"},
					{Clock: "sooner", State: "running", DueAt: due, Why: "running"},
				}
			}
		}
		return out, nil
	}
	b, err := f.svc.Board(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range b.Columns {
		for _, c := range col.Cards {
			// The case's whole list of clocks is the case view's to show; a card carries the one to act on.
			if len(c.Case.Deadlines) != 0 {
				t.Errorf("case %d carries %d clocks", c.Case.ID, len(c.Case.Deadlines))
			}
			if c.Case.ID == f.ids["milk"] && (c.Nearest == nil || c.Nearest.Clock != "sooner") {
				t.Errorf("milk case's nearest clock: %+v", c.Nearest)
			} else if c.Case.ID != f.ids["milk"] && c.Nearest != nil {
				t.Errorf("case %d without clocks has nearest %+v", c.Case.ID, c.Nearest)
			}
		}
	}
}
