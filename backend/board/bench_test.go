package board

import (
	"context"
	"testing"

	"cockpit/backend/board/synth"
	"cockpit/backend/clocks"
	"cockpit/backend/store"
)

// BenchmarkBoard times the board queries on a 5,000-case / 50,000-message workspace. `make bench-board`
// runs the same queries at 100,000 / 1,000,000 and reports p50/p95; this one is for quick comparisons
// while changing a query (go test -run '^$' -bench . ./backend/board).
func BenchmarkBoard(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, b.TempDir(), store.ReadWrite)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	owners, err := synth.Fill(ctx, st, synth.Params{Cases: 5000, Messages: 50000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	svc := &Service{Store: st, Clock: clocks.System{}}
	for _, bc := range []struct {
		name string
		q    Query
	}{
		{"level", Query{}},
		{"status", Query{GroupBy: store.GroupByStatus}},
		{"filtered", Query{Filter: Filter{Types: []string{"product"}, Flags: []string{"safety"}, OwnerIDs: owners[:2]}}},
		{"search-trigram", Query{Filter: Filter{Query: "拉肚子"}}},
		{"search-like", Query{Filter: Filter{Query: "奶粉"}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.Board(ctx, bc.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
