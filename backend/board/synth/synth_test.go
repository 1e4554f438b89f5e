package synth

import (
	"context"
	"testing"

	"cockpit/backend/cases"
	"cockpit/backend/store"
)

func TestFillIsExactAndDeterministic(t *testing.T) {
	ctx := context.Background()
	fill := func() []cases.Case {
		st, err := store.Open(ctx, t.TempDir(), store.ReadWrite)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		owners, err := Fill(ctx, st, Params{Cases: 200, Messages: 1000, Owners: 4, Seed: 7, Batch: 64})
		if err != nil || len(owners) != 4 {
			t.Fatalf("fill: %v %v", owners, err)
		}
		list, err := st.ListCases(ctx, cases.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		events := 0
		for _, c := range list {
			ev, err := st.CaseEvents(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			events += len(ev)
		}
		if len(list) != 200 || events != 1000 {
			t.Fatalf("%d cases, %d messages", len(list), events)
		}
		return list
	}
	a, b := fill(), fill()
	open, types := 0, map[string]int{}
	for i := range a {
		if a[i].Title != b[i].Title || a[i].Level != b[i].Level || a[i].Status != b[i].Status {
			t.Fatalf("not deterministic at %d: %+v / %+v", i, a[i], b[i])
		}
		if a[i].Status == cases.StatusOpen || a[i].Status == cases.StatusPending {
			open++
		}
		types[a[i].Type]++
	}
	// The seed handbook's mix: product 45%, logistics 30%, service 25% (loosely, 200 draws), and a
	// board of open work that is a minority of all cases.
	if types["product"] < 60 || types["logistics"] < 35 || types["service"] < 30 || open == 0 || open > 100 {
		t.Errorf("mix %v, open %d", types, open)
	}
}
