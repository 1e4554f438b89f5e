package shifts_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"cockpit/backend/cases"
	"cockpit/backend/clocks"
	"cockpit/backend/engine"
	"cockpit/backend/people"
	"cockpit/backend/shifts"
	"cockpit/backend/store"
)

type fixture struct {
	st                  *store.Store
	clock               *clocks.Fixed
	svc                 *shifts.Service
	day, night, mgr, ad people.User
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, clock: &clocks.Fixed{T: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}}
	f.svc = &shifts.Service{Store: st, Engine: engine.New(st, f.clock)}
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		for _, p := range []struct {
			name string
			role people.Role
			dst  *people.User
		}{{"day", people.Supervisor, &f.day}, {"night", people.Supervisor, &f.night}, {"boss", people.Manager, &f.mgr}, {"root", people.Admin, &f.ad}} {
			u, err := store.CreatePersonTx(ctx, tx, store.Person{Username: p.name, Role: string(p.role), Active: true, CreatedAt: f.clock.T})
			if err != nil {
				return err
			}
			*p.dst = u
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRosterHandoverAndEscalation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	if _, err := f.svc.AddShift(ctx, f.day, shifts.ShiftInput{Name: "x", StartsAt: start, EndsAt: start.Add(10 * time.Hour), SupervisorID: f.day.ID}); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("a supervisor edited the roster: %v", err)
	}
	if _, err := f.svc.AddShift(ctx, f.mgr, shifts.ShiftInput{Name: "bad", StartsAt: start, EndsAt: start, SupervisorID: f.day.ID}); !errors.Is(err, shifts.ErrInvalid) {
		t.Errorf("empty shift: %v", err)
	}
	if _, err := f.svc.AddShift(ctx, f.mgr, shifts.ShiftInput{Name: "admin", StartsAt: start, EndsAt: start.Add(time.Hour), SupervisorID: f.ad.ID}); !errors.Is(err, shifts.ErrInvalid) {
		t.Errorf("admin as supervisor: %v", err)
	}
	if _, err := f.svc.AddShift(ctx, f.mgr, shifts.ShiftInput{Name: "早班", StartsAt: start, EndsAt: start.Add(10 * time.Hour), SupervisorID: f.day.ID, ManagerID: f.mgr.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddShift(ctx, f.mgr, shifts.ShiftInput{Name: "晚班", StartsAt: start.Add(10 * time.Hour), EndsAt: start.Add(20 * time.Hour), SupervisorID: f.night.ID}); err != nil {
		t.Fatal(err)
	}
	roster, err := f.svc.Roster(ctx, f.day, start, start.Add(24*time.Hour))
	if err != nil || len(roster) != 2 || roster[0].Supervisor != "day" {
		t.Fatalf("roster %+v %v", roster, err)
	}

	// The day supervisor owns a level-1 case (engine auto-assignment) and a level-3 one.
	at := f.clock.T.Add(-time.Hour)
	ids, err := f.st.InsertSynthetic(ctx, []store.SyntheticCase{
		{Title: "过敏", Type: "unknown", Status: cases.StatusOpen, CustomerEmail: "a@x.cn", OpenedAt: at,
			Events: []store.SyntheticEvent{{Kind: "email", Channel: "email", At: at, Body: "用了面霜过敏红肿"}}},
		{Title: "发票", Type: "unknown", Status: cases.StatusOpen, OwnerID: f.day.ID, CustomerEmail: "b@x.cn", OpenedAt: at,
			Events: []store.SyntheticEvent{{Kind: "email", Channel: "email", At: at, Body: "发票还没开"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Engine.RefreshAll(ctx, true); err != nil {
		t.Fatal(err)
	}
	mine, err := f.svc.MyCases(ctx, f.day)
	if err != nil || len(mine) != 2 {
		t.Fatalf("my cases %d %v", len(mine), err)
	}

	sheet, err := f.svc.Generate(ctx, f.day, f.night.ID, "过敏客户已电话安抚")
	if err != nil {
		t.Fatal(err)
	}
	if len(sheet.Items) != 1 || sheet.Items[0].ID != ids[0] || sheet.Items[0].Deadline == nil || sheet.FromShiftID == 0 {
		t.Fatalf("sheet items %+v from %d", sheet.Items, sheet.FromShiftID)
	}
	if _, err := f.svc.Acknowledge(ctx, f.night, sheet.ID, ""); err == nil {
		t.Error("acknowledged before sign-off")
	}
	if _, err := f.svc.SignOff(ctx, f.night, sheet.ID, ""); !errors.Is(err, people.ErrForbidden) {
		t.Errorf("the incoming supervisor signed off: %v", err)
	}
	f.clock.Advance(10 * time.Minute)
	if sheet, err = f.svc.SignOff(ctx, f.day, sheet.ID, ""); err != nil || sheet.SignedAt.IsZero() || sheet.Notes != "过敏客户已电话安抚" {
		t.Fatalf("sign off: %+v %v", sheet, err)
	}
	// Not yet overdue: nothing escalates. 31 minutes later it goes to the shift's manager, once.
	if esc, err := f.svc.EscalateOverdue(ctx); err != nil || len(esc) != 0 {
		t.Fatalf("early escalation: %d %v", len(esc), err)
	}
	f.clock.Advance(31 * time.Minute)
	esc, err := f.svc.EscalateOverdue(ctx)
	if err != nil || len(esc) != 1 || esc[0].EscalatedToID != f.mgr.ID {
		t.Fatalf("escalation: %+v %v", esc, err)
	}
	if again, _ := f.svc.EscalateOverdue(ctx); len(again) != 0 {
		t.Error("escalated twice")
	}
	if _, err := f.svc.Acknowledge(ctx, f.day, sheet.ID, ""); !errors.Is(err, people.ErrForbidden) {
		t.Errorf("the outgoing supervisor acknowledged: %v", err)
	}
	if _, err := f.svc.Acknowledge(ctx, f.night, sheet.ID, "收到"); err != nil {
		t.Fatal(err)
	}
	c, err := f.st.GetCase(ctx, ids[0])
	if err != nil || c.OwnerID != f.night.ID {
		t.Errorf("level-1 case owner %d after handover", c.OwnerID)
	}
	if c, _ := f.st.GetCase(ctx, ids[1]); c.OwnerID != f.day.ID {
		t.Errorf("level-3 case moved too: owner %d", c.OwnerID)
	}
	hist, err := f.svc.History(ctx, f.mgr, 0)
	if err != nil || len(hist) != 1 || hist[0].AcknowledgedAt.IsZero() {
		t.Errorf("history %+v %v", hist, err)
	}

	// Bulk reassignment needs a reason and an owner who can own cases.
	if _, err := f.svc.BulkReassign(ctx, f.mgr, shifts.Reassign{CaseIDs: ids, ToID: f.day.ID}); !errors.Is(err, shifts.ErrInvalid) {
		t.Errorf("no reason: %v", err)
	}
	if _, err := f.svc.BulkReassign(ctx, f.mgr, shifts.Reassign{CaseIDs: ids, ToID: f.ad.ID, Reason: "x"}); !errors.Is(err, shifts.ErrInvalid) {
		t.Errorf("to an admin: %v", err)
	}
	n, err := f.svc.BulkReassign(ctx, f.mgr, shifts.Reassign{CaseIDs: ids, ToID: f.mgr.ID, Reason: "夜班人手不足，经理接手"})
	if err != nil || n != 2 {
		t.Fatalf("bulk reassign %d %v", n, err)
	}
	ev, _ := f.st.CaseEvents(ctx, ids[1])
	if last := ev[len(ev)-1]; last.Kind != "owner" || last.Actor != "boss" {
		t.Errorf("timeline: %+v", last)
	}
}
