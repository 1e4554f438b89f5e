package board

import (
	"cockpit/backend/people"
	"context"
	"errors"
	"fmt"
	"testing"

	"cockpit/backend/audit"
	"cockpit/backend/cases"
	"cockpit/backend/store"
)

func TestMoveWritesEventAndAudit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	alice := people.User{Username: "alice", Role: "supervisor"}
	id := f.ids["allergy"]
	res, err := f.svc.Move(ctx, alice, Move{CaseID: id, Level: 1, OwnerID: f.alice, Reason: "  顾客就医，升级一级  "})
	if err != nil {
		t.Fatal(err)
	}
	if res.Card.Case.Level != 1 || res.Card.Case.OwnerID != f.alice || len(res.Changes) != 2 {
		t.Errorf("result %+v", res)
	}
	events, err := f.st.CaseEvents(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events[1:] {
		kinds = append(kinds, e.Kind)
		if e.Actor != "alice" || e.Channel != "internal" || !e.OccurredAt.Equal(t0) {
			t.Errorf("event %+v", e)
		}
	}
	if fmt.Sprint(kinds) != "[level owner]" || events[1].Summary != "level: 2 → 1 (顾客就医，升级一级)" || events[2].Summary != "owner: bob → alice (顾客就医，升级一级)" {
		t.Errorf("timeline %v: %q / %q", kinds, events[1].Summary, events[2].Summary)
	}
	rows, err := f.st.ListAudit(ctx, store.AuditFilter{Action: "case.move"})
	if err != nil || len(rows) != 1 || rows[0].Actor != "alice" || rows[0].ObjectID != fmt.Sprint(id) {
		t.Fatalf("audit %+v %v", rows, err)
	}
	if rep, err := audit.Verify(ctx, f.st); err != nil || !rep.OK {
		t.Errorf("audit chain %+v %v", rep, err)
	}
	// The level is kept as an override, so that the engine's next refresh does not undo the move.
	if ov, err := f.st.Overrides(ctx, id, true); err != nil || len(ov) != 1 || ov[0].Field != "level" || ov[0].Value != "1" || ov[0].Actor != "alice" {
		t.Errorf("overrides %+v %v", ov, err)
	}
	// The board follows: the case is now in L1.
	if got := boardKeys(t, f, Query{Filter: Filter{Levels: []int{1}}}); fmt.Sprint(got) != "[allergy milk regulator]" {
		t.Errorf("L1 after move: %v", got)
	}
}

func TestMoveRefusalsWriteNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sup := people.User{Username: "alice", Role: "supervisor"}
	id := f.ids["milk"]
	tests := []struct {
		name string
		who  people.User
		m    Move
		want error
	}{
		{"legal may not move", people.User{Username: "lee", Role: "legal"}, Move{CaseID: id, Level: 2, Reason: "x"}, ErrForbidden},
		{"no reason", sup, Move{CaseID: id, Level: 2, Reason: "  "}, ErrInvalid},
		{"nothing to change", sup, Move{CaseID: id, Reason: "x"}, ErrInvalid},
		{"bad level", sup, Move{CaseID: id, Level: 4, Reason: "x"}, ErrInvalid},
		{"bad status", sup, Move{CaseID: id, Status: "lost", Reason: "x"}, ErrInvalid},
		{"long reason", sup, Move{CaseID: id, Level: 2, Reason: string(make([]rune, MaxReason+1))}, ErrInvalid},
		{"same level", sup, Move{CaseID: id, Level: 1, Reason: "x"}, store.ErrNoChange},
		{"unknown case", sup, Move{CaseID: 9999, Level: 1, Reason: "x"}, store.ErrNotFound},
		{"unknown owner", sup, Move{CaseID: id, OwnerID: 9999, Reason: "x"}, store.ErrNotFound},
		// The level change is valid but the owner is not: the whole move rolls back.
		{"partly bad rolls back", sup, Move{CaseID: id, Level: 3, OwnerID: 9999, Reason: "x"}, store.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := f.svc.Move(ctx, tt.who, tt.m); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
	c, err := f.st.GetCase(ctx, id)
	if err != nil || c.Level != 1 || c.Status != cases.StatusOpen {
		t.Errorf("case changed: %+v %v", c, err)
	}
	events, _ := f.st.CaseEvents(ctx, id)
	rows, _ := f.st.ListAudit(ctx, store.AuditFilter{})
	if len(events) != 2 || len(rows) != 0 {
		t.Errorf("refused moves wrote %d events, %d audit rows", len(events)-2, len(rows))
	}
}

func TestMoveStatusAndNearest(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.svc.Move(ctx, people.User{Username: "bob", Role: "manager"}, Move{CaseID: f.ids["late"], Status: cases.StatusResolved, Reason: "已补发"}); err != nil {
		t.Fatal(err)
	}
	if got := boardKeys(t, f, Query{}); fmt.Sprint(got) != "[allergy milk new regulator]" {
		t.Errorf("open board after resolving: %v", got)
	}
	h := t0.Add
	ds := []cases.Deadline{
		{Clock: "met", DueAt: h(-5e9), State: "met"},
		{Clock: "later", DueAt: h(7200e9), State: "running"},
		{Clock: "sooner", DueAt: h(3600e9), State: "warning80"},
		{Clock: "paused", DueAt: h(60e9), State: "paused"},
	}
	if n := Nearest(ds); n == nil || n.Clock != "sooner" {
		t.Errorf("nearest %+v", n)
	}
	ds = append(ds, cases.Deadline{Clock: "breached", DueAt: h(-3600e9 * 48), State: "breached"})
	if n := Nearest(ds); n == nil || n.Clock != "breached" {
		t.Errorf("nearest with a breach %+v", n)
	}
	if n := Nearest([]cases.Deadline{{Clock: "met", State: "met"}}); n != nil {
		t.Errorf("nearest of met clocks %+v", n)
	}
}
