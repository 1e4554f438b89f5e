package board

import (
	"cockpit/backend/people"
	"context"
	"errors"
	"testing"

	"cockpit/backend/store"
)

func TestSavedViews(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	alice, bob := people.User{Username: "alice", Role: "supervisor"}, people.User{Username: "bob", Role: "supervisor"}
	q := Query{GroupBy: store.GroupByStatus, Filter: Filter{Flags: []string{"safety"}, Query: "奶粉"}}
	v, err := f.svc.SaveView(ctx, alice, " 安全 ", q)
	if err != nil || v.ID == 0 || v.Name != "安全" {
		t.Fatalf("save %+v %v", v, err)
	}
	// Same name replaces; bob's views are his own.
	q.Filter.Query = "结块"
	if v2, err := f.svc.SaveView(ctx, alice, "安全", q); err != nil || v2.ID != v.ID {
		t.Fatalf("replace %+v %v", v2, err)
	}
	if _, err := f.svc.SaveView(ctx, bob, "安全", Query{}); err != nil {
		t.Fatal(err)
	}
	list, err := f.svc.Views(ctx, alice)
	if err != nil || len(list) != 1 || list[0].Filter.Query != "结块" || list[0].GroupBy != store.GroupByStatus || list[0].Filter.Flags[0] != "safety" {
		t.Fatalf("alice's views %+v %v", list, err)
	}
	// A saved view reproduces its board.
	if got := boardKeys(t, f, Query{GroupBy: list[0].GroupBy, Filter: list[0].Filter}); len(got) != 1 || got[0] != "milk" {
		t.Errorf("board of the saved view: %v", got)
	}
	if err := f.svc.DeleteView(ctx, bob, v.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("bob deleted alice's view: %v", err)
	}
	if err := f.svc.DeleteView(ctx, alice, v.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := f.svc.Views(ctx, alice); len(list) != 0 {
		t.Errorf("after delete %+v", list)
	}
	for _, name := range []string{"", "   ", string(make([]rune, MaxViewName+1))} {
		if _, err := f.svc.SaveView(ctx, alice, name, Query{}); !errors.Is(err, ErrInvalid) {
			t.Errorf("name %q: %v", name, err)
		}
	}
	if _, err := f.svc.SaveView(ctx, alice, "bad", Query{Filter: Filter{Levels: []int{9}}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad filter saved: %v", err)
	}
}
