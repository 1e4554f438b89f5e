package app

import (
	"context"
	"fmt"
	"time"

	"cockpit/backend/cases"
	"cockpit/backend/people"
	"cockpit/backend/shifts"
	"cockpit/backend/store"
)

// Shifts is the bound service for ownership across shifts: roster, my cases, handover sheets
// (generate, sign off, acknowledge), bulk reassignment, history and escalation of unacknowledged
// handovers. Roles are checked in backend/shifts.
//
// Events: "roster:changed" store.Shift; "handover:signed", "handover:acknowledged",
// "handover:escalated" shifts.Sheet; "board:changed" {caseId: 0} when owners change.
type Shifts struct {
	core   *Core
	engine *Engine
}

func (s *Shifts) service(roles ...people.Role) (*shifts.Service, people.User, error) {
	eng, err := s.engine.engine()
	if err != nil {
		return nil, people.User{}, err
	}
	u, err := s.core.Require(roles...)
	if err != nil {
		return nil, u, err
	}
	return &shifts.Service{Store: eng.Store, Engine: eng}, u, nil
}

// Roster lists the shifts overlapping [from, to) (RFC 3339 times).
func (s *Shifts) Roster(from, to string) ([]store.Shift, error) {
	svc, u, err := s.service(people.Anyone...)
	if err != nil {
		return nil, err
	}
	f, err := time.Parse(time.RFC3339, from)
	if err != nil {
		return nil, fmt.Errorf("from: want RFC 3339: %w", err)
	}
	t, err := time.Parse(time.RFC3339, to)
	if err != nil {
		return nil, fmt.Errorf("to: want RFC 3339: %w", err)
	}
	return svc.Roster(context.Background(), u, f, t)
}

// AddShift puts a supervisor on the roster (managers and admins).
func (s *Shifts) AddShift(in shifts.ShiftInput) (store.Shift, error) {
	svc, u, err := s.service(people.Anyone...)
	if err != nil {
		return store.Shift{}, err
	}
	sh, err := svc.AddShift(context.Background(), u, in)
	if err != nil {
		return sh, err
	}
	s.core.Events.Emit("roster:changed", sh)
	return sh, nil
}

// MyCases lists the signed-in person's open cases with their clocks.
func (s *Shifts) MyCases() ([]cases.Summary, error) {
	svc, u, err := s.service(people.Anyone...)
	if err != nil {
		return nil, err
	}
	return svc.MyCases(context.Background(), u)
}

// GenerateHandover drafts the handover sheet from the signed-in supervisor to incomingID.
func (s *Shifts) GenerateHandover(incomingID int64, notes string) (shifts.Sheet, error) {
	svc, u, err := s.service(people.Anyone...)
	if err != nil {
		return shifts.Sheet{}, err
	}
	return svc.Generate(context.Background(), u, incomingID, notes)
}

// SignOff is the outgoing supervisor's signature with notes.
func (s *Shifts) SignOff(id int64, notes string) (shifts.Sheet, error) {
	svc, u, err := s.service(people.Anyone...)
	if err != nil {
		return shifts.Sheet{}, err
	}
	sh, err := svc.SignOff(context.Background(), u, id, notes)
	if err != nil {
		return sh, err
	}
	s.core.Events.Emit("handover:signed", sh)
	return sh, nil
}

// Acknowledge is the incoming supervisor taking the listed cases and incidents over.
func (s *Shifts) Acknowledge(id int64, note string) (shifts.Sheet, error) {
	svc, u, err := s.service(people.Anyone...)
	if err != nil {
		return shifts.Sheet{}, err
	}
	sh, err := svc.Acknowledge(context.Background(), u, id, note)
	if err != nil {
		return sh, err
	}
	s.core.Events.Emit("handover:acknowledged", sh)
	s.core.Events.Emit("board:changed", map[string]int64{"caseId": 0})
	return sh, nil
}

// BulkReassign moves cases to another owner with a reason; it returns how many moved.
func (s *Shifts) BulkReassign(r shifts.Reassign) (int, error) {
	svc, u, err := s.service(people.Anyone...)
	if err != nil {
		return 0, err
	}
	n, err := svc.BulkReassign(context.Background(), u, r)
	if err != nil {
		return 0, err
	}
	s.core.Events.Emit("board:changed", map[string]int64{"caseId": 0})
	return n, nil
}

// History lists handover sheets, newest first (limit 0: 100).
func (s *Shifts) History(limit int) ([]shifts.Sheet, error) {
	svc, u, err := s.service(people.Anyone...)
	if err != nil {
		return nil, err
	}
	return svc.History(context.Background(), u, limit)
}

// Get returns one handover sheet.
func (s *Shifts) Get(id int64) (shifts.Sheet, error) {
	svc, u, err := s.service(people.Anyone...)
	if err != nil {
		return shifts.Sheet{}, err
	}
	return svc.Get(context.Background(), u, id)
}

// EscalateOverdue escalates handovers left unacknowledged past the rules' limit to a manager and
// returns (and emits) them. The UI calls it on a timer while the window is open.
func (s *Shifts) EscalateOverdue() ([]shifts.Sheet, error) {
	svc, _, err := s.service(people.Anyone...)
	if err != nil {
		return nil, err
	}
	out, err := svc.EscalateOverdue(context.Background())
	for _, sh := range out {
		s.core.Events.Emit("handover:escalated", sh)
	}
	return out, err
}
