// Package shifts is ownership across shift changes: the roster (who supervises when), "my cases",
// handover sheets (the outgoing supervisor signs off with notes, the incoming one acknowledges and
// takes the cases over), bulk reassignment, and escalation of unacknowledged handovers to the manager.
package shifts

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"cockpit/backend/audit"
	"cockpit/backend/cases"
	"cockpit/backend/engine"
	"cockpit/backend/people"
	"cockpit/backend/store"
)

// ErrInvalid marks bad input.
var ErrInvalid = errors.New("invalid")

// Service runs the roster and handovers.
type Service struct {
	Store  *store.Store
	Engine *engine.Engine
}

func (s *Service) now() time.Time { return s.Engine.Clock.Now().UTC() }

// ShiftInput is a new roster entry.
type ShiftInput struct {
	Name         string    `json:"name"`
	StartsAt     time.Time `json:"starts_at"`
	EndsAt       time.Time `json:"ends_at"`
	SupervisorID int64     `json:"supervisor_id"`
	ManagerID    int64     `json:"manager_id"` // who unacknowledged handovers escalate to (optional)
}

// AddShift puts a supervisor on the roster (manager or admin), audited.
func (s *Service) AddShift(ctx context.Context, by people.User, in ShiftInput) (store.Shift, error) {
	if err := people.Require(by, people.Manager, people.Admin); err != nil {
		return store.Shift{}, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || !in.EndsAt.After(in.StartsAt) || in.EndsAt.Sub(in.StartsAt) > 24*time.Hour {
		return store.Shift{}, fmt.Errorf("%w: a shift needs a name and an end after its start, at most 24 h later", ErrInvalid)
	}
	sup, err := s.Store.Person(ctx, in.SupervisorID)
	if err != nil {
		return store.Shift{}, fmt.Errorf("supervisor: %w", err)
	}
	if !sup.Active || (sup.Role != string(people.Supervisor) && sup.Role != string(people.Manager)) {
		return store.Shift{}, fmt.Errorf("%w: %s cannot supervise a shift (role %s)", ErrInvalid, sup.Username, sup.Role)
	}
	if in.ManagerID != 0 {
		m, err := s.Store.Person(ctx, in.ManagerID)
		if err != nil {
			return store.Shift{}, fmt.Errorf("manager: %w", err)
		}
		if !m.Active || m.Role != string(people.Manager) {
			return store.Shift{}, fmt.Errorf("%w: %s is not an active manager", ErrInvalid, m.Username)
		}
	}
	id, err := s.Store.InsertShift(ctx, store.Shift{Name: in.Name, StartsAt: in.StartsAt.UTC(), EndsAt: in.EndsAt.UTC(),
		SupervisorID: in.SupervisorID, ManagerID: in.ManagerID}, s.now())
	if err != nil {
		return store.Shift{}, err
	}
	if err := audit.Record(ctx, s.Store, audit.Entry{Actor: by.Username, Action: "shift.add", ObjectType: "shift",
		ObjectID: strconv.FormatInt(id, 10), Detail: in, At: s.now()}); err != nil {
		return store.Shift{}, err
	}
	return s.Store.GetShift(ctx, id)
}

// Roster lists shifts overlapping [from, to) (every signed-in role may read it).
func (s *Service) Roster(ctx context.Context, by people.User, from, to time.Time) ([]store.Shift, error) {
	if err := people.Require(by, people.Anyone...); err != nil {
		return nil, err
	}
	return s.Store.Shifts(ctx, from, to)
}

// MyCases lists the open cases owned by the user, with their clocks, most urgent level first.
func (s *Service) MyCases(ctx context.Context, by people.User) ([]cases.Summary, error) {
	if err := people.Require(by, people.CaseWorkers...); err != nil {
		return nil, err
	}
	return s.owned(ctx, by.ID, 0)
}

// owned lists open cases of owner with level <= maxLevel (0: any), summarised with deadlines.
func (s *Service) owned(ctx context.Context, owner int64, maxLevel int) ([]cases.Summary, error) {
	list, err := s.Store.ListCases(ctx, cases.Filter{OwnerID: owner, Status: []cases.Status{cases.StatusOpen, cases.StatusPending}})
	if err != nil {
		return nil, err
	}
	var keep []cases.Case
	for _, c := range list {
		if maxLevel == 0 || (c.Level >= 1 && int(c.Level) <= maxLevel) {
			keep = append(keep, c)
		}
	}
	dl, err := s.Engine.Deadlines(ctx, keep)
	if err != nil {
		return nil, err
	}
	out := make([]cases.Summary, 0, len(keep))
	for _, c := range keep {
		v := cases.Summarize(c, false)
		v.Deadlines = dl[c.ID]
		out = append(out, v)
	}
	return out, nil
}

// Item is one line of a handover sheet: a level-1/2 case or an incident the outgoing supervisor owns.
type Item struct {
	Kind     string          `json:"kind"` // case | incident
	ID       int64           `json:"id"`
	Title    string          `json:"title"`
	Level    int             `json:"level"`
	Status   string          `json:"status"`
	Flags    []string        `json:"flags,omitempty"`
	Deadline *cases.Deadline `json:"deadline,omitempty"` // the most pressing clock
}

// Sheet is a handover record with its items.
type Sheet struct {
	store.Handover
	Items []Item `json:"items"`
}

func sheet(h store.Handover) (Sheet, error) {
	sh := Sheet{Handover: h, Items: []Item{}}
	if h.ItemsJSON != "" {
		if err := json.Unmarshal([]byte(h.ItemsJSON), &sh.Items); err != nil {
			return sh, fmt.Errorf("handover %d items: %w", h.ID, err)
		}
	}
	return sh, nil
}

// items lists what the outgoing supervisor hands over.
func (s *Service) items(ctx context.Context, outgoing int64) ([]Item, error) {
	list, err := s.owned(ctx, outgoing, 2)
	if err != nil {
		return nil, err
	}
	items := []Item{}
	for _, c := range list {
		it := Item{Kind: "case", ID: c.ID, Title: c.Title, Level: int(c.Level), Status: string(c.Status)}
		for _, f := range c.Flags {
			it.Flags = append(it.Flags, f.Name)
		}
		it.Deadline = mostPressing(c.Deadlines)
		items = append(items, it)
	}
	incs, err := s.Store.Incidents(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, in := range incs {
		if in.OwnerID == outgoing && in.Status != "closed" {
			items = append(items, Item{Kind: "incident", ID: in.ID, Title: in.Title, Level: in.Level, Status: in.Status})
		}
	}
	return items, nil
}

// mostPressing is the earliest due clock that is not met.
func mostPressing(ds []cases.Deadline) *cases.Deadline {
	var best *cases.Deadline
	for i := range ds {
		d := ds[i]
		if d.State == "met" || d.DueAt.IsZero() {
			continue
		}
		if best == nil || d.DueAt.Before(best.DueAt) {
			best = &d
		}
	}
	return best
}

// Generate drafts the handover sheet from the signed-in supervisor to incomingID.
func (s *Service) Generate(ctx context.Context, by people.User, incomingID int64, notes string) (Sheet, error) {
	if err := people.Require(by, people.Supervisor, people.Manager); err != nil {
		return Sheet{}, err
	}
	in, err := s.Store.Person(ctx, incomingID)
	if err != nil {
		return Sheet{}, fmt.Errorf("incoming supervisor: %w", err)
	}
	if !in.Active || in.ID == by.ID || (in.Role != string(people.Supervisor) && in.Role != string(people.Manager)) {
		return Sheet{}, fmt.Errorf("%w: %s cannot take over this shift", ErrInvalid, in.Username)
	}
	items, err := s.items(ctx, by.ID)
	if err != nil {
		return Sheet{}, err
	}
	b, _ := json.Marshal(items)
	now := s.now()
	h := store.Handover{OutgoingID: by.ID, IncomingID: incomingID, Notes: strings.TrimSpace(notes), ItemsJSON: string(b), CreatedAt: now}
	if cur, ok, err := s.Store.ShiftAt(ctx, now); err != nil {
		return Sheet{}, err
	} else if ok {
		h.FromShiftID = cur.ID
	}
	if next, ok, err := s.Store.ShiftAt(ctx, now.Add(time.Hour)); err != nil {
		return Sheet{}, err
	} else if ok && next.ID != h.FromShiftID {
		h.ToShiftID = next.ID
	}
	var id int64
	err = s.Store.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = store.InsertHandoverTx(ctx, tx, h); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "handover.draft", ObjectType: "handover",
			ObjectID: strconv.FormatInt(id, 10), Detail: map[string]any{"incoming": in.Username, "items": len(items)}, At: now})
	})
	if err != nil {
		return Sheet{}, err
	}
	return s.Get(ctx, by, id)
}

// Get returns one handover sheet.
func (s *Service) Get(ctx context.Context, by people.User, id int64) (Sheet, error) {
	if err := people.Require(by, people.Anyone...); err != nil {
		return Sheet{}, err
	}
	h, err := s.Store.GetHandover(ctx, id)
	if err != nil {
		return Sheet{}, err
	}
	return sheet(h)
}

// SignOff is the outgoing supervisor's signature: the item list is refreshed and frozen with the notes.
func (s *Service) SignOff(ctx context.Context, by people.User, id int64, notes string) (Sheet, error) {
	if err := people.Require(by, people.Supervisor, people.Manager); err != nil {
		return Sheet{}, err
	}
	h, err := s.Store.GetHandover(ctx, id)
	if err != nil {
		return Sheet{}, err
	}
	if h.OutgoingID != by.ID {
		return Sheet{}, fmt.Errorf("%w: only %s, the outgoing supervisor, can sign this handover off", people.ErrForbidden, h.Outgoing)
	}
	if strings.TrimSpace(notes) == "" {
		notes = h.Notes
	}
	items, err := s.items(ctx, by.ID)
	if err != nil {
		return Sheet{}, err
	}
	b, _ := json.Marshal(items)
	now := s.now()
	err = s.Store.Tx(ctx, func(tx *sql.Tx) error {
		if err := store.SignHandoverTx(ctx, tx, id, strings.TrimSpace(notes), string(b), now); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "handover.sign", ObjectType: "handover",
			ObjectID: strconv.FormatInt(id, 10), Detail: map[string]any{"notes": notes, "items": items}, At: now})
	})
	if err != nil {
		return Sheet{}, err
	}
	return s.Get(ctx, by, id)
}

// Acknowledge is the incoming supervisor taking over: every listed case and incident still owned by
// the outgoing supervisor moves to them, on each timeline and in the audit log, in one transaction.
func (s *Service) Acknowledge(ctx context.Context, by people.User, id int64, note string) (Sheet, error) {
	if err := people.Require(by, people.Supervisor, people.Manager); err != nil {
		return Sheet{}, err
	}
	h, err := s.Store.GetHandover(ctx, id)
	if err != nil {
		return Sheet{}, err
	}
	if h.IncomingID != by.ID {
		return Sheet{}, fmt.Errorf("%w: only %s, the incoming supervisor, can acknowledge this handover", people.ErrForbidden, h.Incoming)
	}
	sh, err := sheet(h)
	if err != nil {
		return Sheet{}, err
	}
	now := s.now()
	err = s.Store.Tx(ctx, func(tx *sql.Tx) error {
		if err := store.AckHandoverTx(ctx, tx, id, strings.TrimSpace(note), now); err != nil {
			return err
		}
		var moved []int64
		for _, it := range sh.Items {
			switch it.Kind {
			case "case":
				ok, err := transfer(ctx, tx, it.ID, h.OutgoingID, by, fmt.Sprintf("handover #%d from %s", id, h.Outgoing), now)
				if err != nil {
					return err
				}
				if ok {
					moved = append(moved, it.ID)
				}
			case "incident":
				in, err := store.IncidentOwnerTx(ctx, tx, it.ID)
				if err != nil {
					return err
				}
				if in == h.OutgoingID {
					if err := store.SetIncidentOwnerTx(ctx, tx, it.ID, by.ID); err != nil {
						return err
					}
				}
			}
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "handover.acknowledge", ObjectType: "handover",
			ObjectID: strconv.FormatInt(id, 10), Detail: map[string]any{"note": note, "cases_moved": moved}, At: now})
	})
	if err != nil {
		return Sheet{}, err
	}
	return s.Get(ctx, by, id)
}

// transfer moves a case from `from` to the actor when `from` still owns it (cases reassigned in the
// meantime stay where they are).
func transfer(ctx context.Context, tx *sql.Tx, caseID, from int64, to people.User, reason string, now time.Time) (bool, error) {
	prev, err := store.CaseOwnerTx(ctx, tx, caseID)
	if err != nil || prev != from {
		return false, err
	}
	if _, err := store.SetCaseOwnerTx(ctx, tx, caseID, to.ID, now); err != nil {
		return false, err
	}
	data, _ := json.Marshal(map[string]string{"to": to.Username, "reason": reason})
	_, err = store.InsertEventTx(ctx, tx, cases.Event{CaseID: caseID, Kind: "owner", Actor: to.Username, OccurredAt: now,
		Summary: fmt.Sprintf("owner: → %s (%s)", to.Username, reason), DataJSON: string(data)})
	return err == nil, err
}

// Reassign is a bulk reassignment with a reason (supervisors and managers), audited per batch.
type Reassign struct {
	CaseIDs []int64 `json:"case_ids"`
	ToID    int64   `json:"to_id"`
	Reason  string  `json:"reason"`
}

// BulkReassign moves the listed cases to another owner in one transaction.
func (s *Service) BulkReassign(ctx context.Context, by people.User, r Reassign) (int, error) {
	if err := people.Require(by, people.Supervisor, people.Manager); err != nil {
		return 0, err
	}
	r.Reason = strings.TrimSpace(r.Reason)
	if r.Reason == "" || len(r.CaseIDs) == 0 || len(r.CaseIDs) > 5000 {
		return 0, fmt.Errorf("%w: choose 1-5000 cases and give a reason", ErrInvalid)
	}
	now := s.now()
	moved := 0
	err := s.Store.Tx(ctx, func(tx *sql.Tx) error {
		name, role, err := store.ActivePersonTx(ctx, tx, r.ToID)
		if err != nil {
			return err
		}
		if role == string(people.Admin) {
			return fmt.Errorf("%w: %s is an admin and does not own cases", ErrInvalid, name)
		}
		for _, id := range r.CaseIDs {
			prev, err := store.SetCaseOwnerTx(ctx, tx, id, r.ToID, now)
			if err != nil {
				return err
			}
			if prev == r.ToID {
				continue
			}
			moved++
			data, _ := json.Marshal(map[string]any{"from_id": prev, "to": name, "reason": r.Reason})
			if _, err := store.InsertEventTx(ctx, tx, cases.Event{CaseID: id, Kind: "owner", Actor: by.Username, OccurredAt: now,
				Summary: fmt.Sprintf("owner: → %s (%s)", name, r.Reason), DataJSON: string(data)}); err != nil {
				return err
			}
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "case.bulk_reassign", ObjectType: "case",
			ObjectID: fmt.Sprint(r.CaseIDs), Detail: r, At: now})
	})
	return moved, err
}

// History lists handovers, newest first.
func (s *Service) History(ctx context.Context, by people.User, limit int) ([]Sheet, error) {
	if err := people.Require(by, people.Anyone...); err != nil {
		return nil, err
	}
	hs, err := s.Store.Handovers(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Sheet, 0, len(hs))
	for _, h := range hs {
		sh, err := sheet(h)
		if err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, nil
}

// EscalateOverdue sends every handover left unacknowledged longer than the rules allow to a manager
// (the shift's manager, else the first active manager), audited; it returns the escalated sheets.
// The app calls it on a timer; the tray can do the same.
func (s *Service) EscalateOverdue(ctx context.Context) ([]Sheet, error) {
	comp, err := s.Engine.Rules(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	hs, err := s.Store.UnacknowledgedHandovers(ctx, now.Add(-time.Duration(comp.Set.Handover.AckMinutes)*time.Minute))
	if err != nil {
		return nil, err
	}
	var out []Sheet
	for _, h := range hs {
		mgr, err := s.managerFor(ctx, h)
		if err != nil {
			return out, err
		}
		var done bool
		err = s.Store.Tx(ctx, func(tx *sql.Tx) error {
			var err error
			if done, err = store.EscalateHandoverTx(ctx, tx, h.ID, mgr, now); err != nil || !done {
				return err
			}
			return audit.RecordTx(ctx, tx, audit.Entry{Actor: engine.Actor, Action: "handover.escalate", ObjectType: "handover",
				ObjectID: strconv.FormatInt(h.ID, 10), Detail: map[string]any{"manager_id": mgr, "signed_at": h.SignedAt,
					"ack_minutes": comp.Set.Handover.AckMinutes}, At: now})
		})
		if err != nil {
			return out, err
		}
		if done {
			fresh, err := s.Store.GetHandover(ctx, h.ID)
			if err != nil {
				return out, err
			}
			sh, err := sheet(fresh)
			if err != nil {
				return out, err
			}
			out = append(out, sh)
		}
	}
	return out, nil
}

func (s *Service) managerFor(ctx context.Context, h store.Handover) (int64, error) {
	for _, id := range []int64{h.ToShiftID, h.FromShiftID} {
		if id == 0 {
			continue
		}
		sh, err := s.Store.GetShift(ctx, id)
		if err != nil {
			return 0, err
		}
		if sh.ManagerID != 0 {
			return sh.ManagerID, nil
		}
	}
	list, err := s.Store.ListPeople(ctx)
	if err != nil {
		return 0, err
	}
	for _, p := range list {
		if p.Active && p.Role == string(people.Manager) {
			return p.ID, nil
		}
	}
	return 0, nil // no manager at all: still marked escalated so the tray shows it
}
