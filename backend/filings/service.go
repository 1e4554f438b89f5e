package filings

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"cockpit/backend/clocks"
	"cockpit/backend/evidence"
)

// Matter is one regulator matter of a case.
type Matter struct {
	ID          int64      `json:"id"`
	CaseID      int64      `json:"case_id"`
	Type        MatterType `json:"type"`
	Title       string     `json:"title"`
	Regulator   string     `json:"regulator"`
	WorkOrderNo string     `json:"work_order_no"`
	ReceivedAt  time.Time  `json:"received_at"`
	OwnerID     int64      `json:"owner_id,omitempty"`
	Owner       string     `json:"owner"`
	Status      Status     `json:"status"`
	ReadyAt     time.Time  `json:"ready_at,omitempty"`
	SubmittedAt time.Time  `json:"submitted_at,omitempty"`
	RepliedAt   time.Time  `json:"replied_at,omitempty"`
	ClosedAt    time.Time  `json:"closed_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// Item is one checklist line of a case (MatterID 0: the scenario checklist) with its linked evidence.
type Item struct {
	ID          int64     `json:"id"`
	CaseID      int64     `json:"case_id"`
	MatterID    int64     `json:"matter_id,omitempty"`
	Template    string    `json:"template"`
	Requirement           // code, labels, group, optional, basis
	Position    int       `json:"position"`
	EvidenceIDs []int64   `json:"evidence_ids"`
	SignedBy    string    `json:"signed_by,omitempty"`
	SignedAt    time.Time `json:"signed_at,omitempty"`
	Note        string    `json:"note,omitempty"`
	// MatterStatus is the status of the item's matter ("" for scenario items).
	MatterStatus Status `json:"matter_status,omitempty"`
}

// Item states.
const (
	StateMissing = "missing" // required, nothing linked (nor to a sibling of its group)
	StateCovered = "covered" // nothing linked, but another item of its group is
	StateOpen    = "open"    // optional and nothing linked
	StateLinked  = "linked"  // evidence linked, not signed
	StateSigned  = "signed"
)

// States computes each item's state within its checklist (items of one case and matter).
func States(items []Item) map[int64]string {
	linkedGroup := map[string]bool{}
	for _, it := range items {
		if it.Group != "" && len(it.EvidenceIDs) > 0 {
			linkedGroup[groupKey(it)] = true
		}
	}
	out := map[int64]string{}
	for _, it := range items {
		switch {
		case len(it.EvidenceIDs) > 0 && it.SignedBy != "":
			out[it.ID] = StateSigned
		case len(it.EvidenceIDs) > 0:
			out[it.ID] = StateLinked
		case it.Group != "" && linkedGroup[groupKey(it)]:
			out[it.ID] = StateCovered
		case it.Optional:
			out[it.ID] = StateOpen
		default:
			out[it.ID] = StateMissing
		}
	}
	return out
}

func groupKey(it Item) string {
	return strconv.FormatInt(it.MatterID, 10) + "/" + it.Template + "/" + it.Group
}

// Missing is what a board card shows: a requirement with no evidence yet. A group shows once, with
// its alternatives joined.
type Missing struct {
	MatterID int64  `json:"matter_id,omitempty"`
	Code     string `json:"code"`
	ZH       string `json:"zh"`
	EN       string `json:"en"`
}

// MissingOf lists the unmet requirements of a case's checklist items.
func MissingOf(items []Item) []Missing {
	states := States(items)
	out := []Missing{}
	groups := map[string]int{}
	for _, it := range items {
		if states[it.ID] != StateMissing {
			continue
		}
		if it.Group == "" {
			out = append(out, Missing{MatterID: it.MatterID, Code: it.Code, ZH: it.ZH, EN: it.EN})
			continue
		}
		if i, seen := groups[groupKey(it)]; seen {
			out[i].ZH += " 或 " + it.ZH
			out[i].EN += " or " + it.EN
			continue
		}
		groups[groupKey(it)] = len(out)
		out = append(out, Missing{MatterID: it.MatterID, Code: it.Group, ZH: it.ZH, EN: it.EN})
	}
	return out
}

// Repo is the storage the service needs; *store.Store implements it.
type Repo interface {
	CreateMatter(ctx context.Context, m Matter, items []Item) (Matter, error)
	GetMatter(ctx context.Context, id int64) (Matter, error)
	ListMatters(ctx context.Context, caseID int64) ([]Matter, error)
	// MoveMatter changes the status if it is still from, stamping the date column of to.
	MoveMatter(ctx context.Context, id int64, from, to Status, at time.Time) error
	// AddChecklistItems inserts the items a case's scenario checklist lacks; it returns how many.
	AddChecklistItems(ctx context.Context, items []Item) (int, error)
	ChecklistItems(ctx context.Context, caseIDs []int64) (map[int64][]Item, error)
	GetChecklistItem(ctx context.Context, id int64) (Item, error)
	LinkEvidence(ctx context.Context, itemID, evidenceID int64, by string, at time.Time) error
	// UnlinkEvidence also clears the item's sign-off: what was signed changed.
	UnlinkEvidence(ctx context.Context, itemID, evidenceID int64) error
	SignChecklistItem(ctx context.Context, itemID int64, by string, at time.Time, note string) error
	GetEvidence(ctx context.Context, id int64) (evidence.Item, error)
	// PersonRole finds an active person's id and role.
	PersonRole(ctx context.Context, username string) (int64, string, error)
}

// Service is the filings workspace.
type Service struct {
	Repo      Repo
	Templates Templates
	Calendar  DeadlineCalculator
	Clock     clocks.Clock
	Zone      *time.Location
	Audit     evidence.Auditor
}

// ErrForbidden is evidence.ErrForbidden: one error for role refusals across the legal workspace.
var ErrForbidden = evidence.ErrForbidden

// signs says whether a role may sign off checklist items and move matters: the legal liaison, managers.
func signs(role string) bool { return role == "legal" || role == "manager" }

func (s *Service) audit(ctx context.Context, a evidence.Actor, action, objType string, id int64, detail map[string]any) error {
	if err := s.Audit.Record(ctx, a.Name, action, objType, strconv.FormatInt(id, 10), detail); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// ApplyScenario adds a scenario's requirement checklist to a case; applying it again adds nothing.
func (s *Service) ApplyScenario(ctx context.Context, a evidence.Actor, caseID int64, scenario string) (int, error) {
	sc, ok := s.Templates.Scenarios[scenario]
	if !ok {
		return 0, fmt.Errorf("unknown scenario %q (known: %s)", scenario, strings.Join(s.Templates.ScenarioNames(), ", "))
	}
	items := make([]Item, 0, len(sc.Items))
	for i, r := range sc.Items {
		items = append(items, Item{CaseID: caseID, Template: "scenario:" + scenario, Requirement: r, Position: i})
	}
	n, err := s.Repo.AddChecklistItems(ctx, items)
	if err != nil {
		return 0, fmt.Errorf("apply scenario %s to case %d: %w", scenario, caseID, err)
	}
	if n > 0 {
		return n, s.audit(ctx, a, "filing.scenario", "case", caseID, map[string]any{"scenario": scenario, "items": n})
	}
	return 0, nil
}

// NewMatter is what opening a matter needs.
type NewMatter struct {
	CaseID      int64      `json:"case_id"`
	Type        MatterType `json:"type"`
	Title       string     `json:"title"`
	Regulator   string     `json:"regulator"`
	WorkOrderNo string     `json:"work_order_no"`
	ReceivedAt  time.Time  `json:"received_at"`
	Owner       string     `json:"owner"` // username of the legal liaison; empty: the actor
}

// CreateMatter opens a regulator matter with its checklist template. Only the legal liaison or a
// manager opens one, and the owner must be a legal liaison.
func (s *Service) CreateMatter(ctx context.Context, a evidence.Actor, n NewMatter) (Matter, error) {
	if !signs(a.Role) {
		return Matter{}, fmt.Errorf("open a regulator matter: %w (%s)", ErrForbidden, a.Role)
	}
	tpl, ok := s.Templates.Matters[n.Type]
	if !ok {
		return Matter{}, fmt.Errorf("unknown matter type %q", n.Type)
	}
	if n.CaseID <= 0 {
		return Matter{}, errors.New("a matter belongs to a case")
	}
	if n.ReceivedAt.IsZero() {
		return Matter{}, errors.New("the receipt date is required: it decides the deadlines and the rule in force")
	}
	if n.ReceivedAt.After(s.Clock.Now().Add(24 * time.Hour)) {
		return Matter{}, fmt.Errorf("receipt date %s is in the future", n.ReceivedAt.In(s.Zone).Format("2006-01-02"))
	}
	if n.Owner == "" {
		n.Owner = a.Name
	}
	ownerID, role, err := s.Repo.PersonRole(ctx, n.Owner)
	if err != nil {
		return Matter{}, fmt.Errorf("owner %q: %w", n.Owner, err)
	}
	if role != "legal" {
		return Matter{}, fmt.Errorf("owner %q is %s; a regulator matter is owned by a legal liaison", n.Owner, role)
	}
	if strings.TrimSpace(n.Title) == "" {
		n.Title = tpl.ZH
	}
	now := s.Clock.Now().UTC()
	m := Matter{CaseID: n.CaseID, Type: n.Type, Title: strings.TrimSpace(n.Title), Regulator: strings.TrimSpace(n.Regulator),
		WorkOrderNo: strings.TrimSpace(n.WorkOrderNo), ReceivedAt: n.ReceivedAt.UTC(), OwnerID: ownerID, Owner: n.Owner,
		Status: StatusDraft, CreatedAt: now, UpdatedAt: now}
	items := make([]Item, 0, len(tpl.Items))
	for i, r := range tpl.Items {
		items = append(items, Item{CaseID: n.CaseID, Template: "matter:" + string(n.Type), Requirement: r, Position: i})
	}
	m, err = s.Repo.CreateMatter(ctx, m, items)
	if err != nil {
		return Matter{}, fmt.Errorf("open %s matter for case %d: %w", n.Type, n.CaseID, err)
	}
	return m, s.audit(ctx, a, "filing.create", "filing", m.ID, map[string]any{"case_id": m.CaseID, "type": string(m.Type),
		"owner": m.Owner, "received_at": m.ReceivedAt, "rule": RuleInForce(m.ReceivedAt, s.Zone).ID})
}

// Link ticks a checklist item by linking evidence of the same case.
func (s *Service) Link(ctx context.Context, a evidence.Actor, itemID, evidenceID int64) error {
	it, err := s.Repo.GetChecklistItem(ctx, itemID)
	if err != nil {
		return err
	}
	ev, err := s.Repo.GetEvidence(ctx, evidenceID)
	if err != nil {
		return err
	}
	if ev.CaseID != it.CaseID {
		return fmt.Errorf("evidence %d belongs to another folder than case %d", evidenceID, it.CaseID)
	}
	if err := s.Repo.LinkEvidence(ctx, itemID, evidenceID, a.Name, s.Clock.Now()); err != nil {
		return fmt.Errorf("link evidence %d to checklist item %d: %w", evidenceID, itemID, err)
	}
	return s.audit(ctx, a, "filing.link", "checklist_item", itemID, map[string]any{"evidence_id": evidenceID, "code": it.Code})
}

// Unlink removes a link; a signed item loses its sign-off.
func (s *Service) Unlink(ctx context.Context, a evidence.Actor, itemID, evidenceID int64) error {
	if err := s.Repo.UnlinkEvidence(ctx, itemID, evidenceID); err != nil {
		return fmt.Errorf("unlink evidence %d from checklist item %d: %w", evidenceID, itemID, err)
	}
	return s.audit(ctx, a, "filing.unlink", "checklist_item", itemID, map[string]any{"evidence_id": evidenceID})
}

// Sign records the legal liaison's sign-off of an item whose evidence she has checked.
func (s *Service) Sign(ctx context.Context, a evidence.Actor, itemID int64, note string) error {
	if !signs(a.Role) {
		return fmt.Errorf("sign checklist item %d: %w (%s)", itemID, ErrForbidden, a.Role)
	}
	it, err := s.Repo.GetChecklistItem(ctx, itemID)
	if err != nil {
		return err
	}
	if len(it.EvidenceIDs) == 0 {
		return fmt.Errorf("sign checklist item %d (%s): link the evidence first", itemID, it.ZH)
	}
	if err := s.Repo.SignChecklistItem(ctx, itemID, a.Name, s.Clock.Now(), note); err != nil {
		return err
	}
	return s.audit(ctx, a, "filing.sign", "checklist_item", itemID, map[string]any{"code": it.Code, "evidence": it.EvidenceIDs, "note": note})
}

// Unsign withdraws a sign-off.
func (s *Service) Unsign(ctx context.Context, a evidence.Actor, itemID int64, reason string) error {
	if !signs(a.Role) {
		return fmt.Errorf("withdraw sign-off of item %d: %w (%s)", itemID, ErrForbidden, a.Role)
	}
	if err := s.Repo.SignChecklistItem(ctx, itemID, "", time.Time{}, reason); err != nil {
		return err
	}
	return s.audit(ctx, a, "filing.unsign", "checklist_item", itemID, map[string]any{"reason": reason})
}

// SetStatus moves a matter. "ready" needs every requirement met and every linked item signed.
func (s *Service) SetStatus(ctx context.Context, a evidence.Actor, matterID int64, to Status) (Matter, error) {
	if !signs(a.Role) {
		return Matter{}, fmt.Errorf("move matter %d: %w (%s)", matterID, ErrForbidden, a.Role)
	}
	m, err := s.Repo.GetMatter(ctx, matterID)
	if err != nil {
		return m, err
	}
	if !CanMove(m.Status, to) {
		return m, fmt.Errorf("matter %d is %s and cannot become %s", matterID, m.Status, to)
	}
	if to == StatusReady {
		lists, err := s.Repo.ChecklistItems(ctx, []int64{m.CaseID})
		if err != nil {
			return m, err
		}
		var mine []Item
		for _, it := range lists[m.CaseID] {
			if it.MatterID == m.ID {
				mine = append(mine, it)
			}
		}
		if missing := MissingOf(mine); len(missing) > 0 {
			names := make([]string, 0, len(missing))
			for _, x := range missing {
				names = append(names, x.ZH)
			}
			return m, fmt.Errorf("matter %d is not ready: missing %s", matterID, strings.Join(names, "；"))
		}
		for id, st := range States(mine) {
			if st == StateLinked {
				return m, fmt.Errorf("matter %d is not ready: checklist item %d is not signed off", matterID, id)
			}
		}
	}
	if err := s.Repo.MoveMatter(ctx, matterID, m.Status, to, s.Clock.Now()); err != nil {
		return m, fmt.Errorf("move matter %d to %s: %w", matterID, to, err)
	}
	if err := s.audit(ctx, a, "filing.status", "filing", matterID, map[string]any{"from": string(m.Status), "to": string(to)}); err != nil {
		return m, err
	}
	return s.Repo.GetMatter(ctx, matterID)
}

// MatterView is a matter with its rule set, deadlines and checklist.
type MatterView struct {
	Matter
	Rule      RuleSet          `json:"rule"`
	Deadlines []Deadline       `json:"deadlines"`
	Items     []Item           `json:"items"`
	States    map[int64]string `json:"states"`
	Missing   []Missing        `json:"missing"`
}

// CaseFilings is everything the Regulator-filing tab shows for a case.
type CaseFilings struct {
	CaseID    int64            `json:"case_id"`
	Checklist []Item           `json:"checklist"` // scenario requirements
	States    map[int64]string `json:"states"`
	Missing   []Missing        `json:"missing"` // across the scenario checklist and every open matter
	Matters   []MatterView     `json:"matters"`
}

// Case assembles a case's checklists and matters with computed deadlines.
func (s *Service) Case(ctx context.Context, caseID int64) (CaseFilings, error) {
	lists, err := s.Repo.ChecklistItems(ctx, []int64{caseID})
	if err != nil {
		return CaseFilings{}, err
	}
	matters, err := s.Repo.ListMatters(ctx, caseID)
	if err != nil {
		return CaseFilings{}, err
	}
	byMatter := map[int64][]Item{}
	for _, it := range lists[caseID] {
		byMatter[it.MatterID] = append(byMatter[it.MatterID], it)
	}
	out := CaseFilings{CaseID: caseID, Checklist: nonNil(byMatter[0]), States: States(byMatter[0]),
		Missing: MissingOf(byMatter[0]), Matters: []MatterView{}}
	now := s.Clock.Now()
	for _, m := range matters {
		items := nonNil(byMatter[m.ID])
		v := MatterView{Matter: m, Rule: RuleInForce(m.ReceivedAt, s.Zone), Deadlines: s.Templates.Deadlines(m, s.Calendar, s.Zone, now),
			Items: items, States: States(items), Missing: MissingOf(items)}
		if m.Status != StatusClosed {
			out.Missing = append(out.Missing, v.Missing...)
		}
		out.Matters = append(out.Matters, v)
	}
	return out, nil
}

func nonNil(items []Item) []Item {
	if items == nil {
		return []Item{}
	}
	return items
}

// MissingByCase is what the board cards show: each case's unmet requirements (scenario checklist and
// open matters), in one query for the whole page.
func (s *Service) MissingByCase(ctx context.Context, caseIDs []int64) (map[int64][]Missing, error) {
	lists, err := s.Repo.ChecklistItems(ctx, caseIDs)
	if err != nil {
		return nil, err
	}
	out := map[int64][]Missing{}
	for caseID, items := range lists {
		// Items come ordered by matter (scenario items first); closed matters no longer ask for anything.
		for start := 0; start < len(items); {
			end := start
			for end < len(items) && items[end].MatterID == items[start].MatterID {
				end++
			}
			if items[start].MatterStatus != StatusClosed {
				out[caseID] = append(out[caseID], MissingOf(items[start:end])...)
			}
			start = end
		}
	}
	return out, nil
}
