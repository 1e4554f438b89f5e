package compensation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cockpit/backend/audit"
	"cockpit/backend/clocks"
	"cockpit/backend/people"
	"cockpit/backend/store"
)

// Request is a stored request with its decisions.
type Request = store.CompRequest

// Budget is a spending limit with what was spent.
type Budget = store.Budget

// Errors callers test for.
var (
	ErrOwnRequest   = errors.New("nobody may decide their own compensation request")
	ErrNotCovered   = errors.New("no rule of the approval matrix covers this request")
	ErrMayNotDecide = errors.New("your role may not decide this request under the approval matrix")
	ErrNeedReason   = errors.New("a rejection needs a reason")
	ErrOverBudget   = errors.New("approving this request would exceed a budget")
	ErrNotPending   = errors.New("the request is no longer pending")
)

// Who may do what, besides the matrix.
var (
	requesters = []people.Role{people.Supervisor, people.Manager, people.Legal}
	readers    = []people.Role{people.Supervisor, people.Manager, people.Legal, people.Admin}
	deciders   = []people.Role{people.Supervisor, people.Manager, people.Legal, people.Admin}
	executors  = []people.Role{people.Supervisor, people.Manager}
	exporters  = []people.Role{people.Manager}
)

// DefaultEscalateAfter is how long a request may wait before it is flagged to managers.
const DefaultEscalateAfter = 4 * time.Hour

// MaxReason bounds free text (reasons are shown in queues and kept in the audit trail).
const MaxReason = 2000

// Service runs compensation requests. Every method takes the acting user and checks the role itself,
// so the bound services and the CLI cannot skip a check.
type Service struct {
	Store         *store.Store
	Clock         clocks.Clock
	Zone          *time.Location
	EscalateAfter time.Duration
}

// New returns a service with the default escalation time, showing times in zone. Load replaces the
// default by the workspace's setting.
func New(st *store.Store, clock clocks.Clock, zone *time.Location) *Service {
	return &Service{Store: st, Clock: clock, Zone: zone, EscalateAfter: DefaultEscalateAfter}
}

// Load reads the workspace's escalation time, if an admin set one.
func (s *Service) Load(ctx context.Context) error {
	d, ok, err := s.Store.EscalateAfter(ctx)
	if err != nil {
		return err
	}
	if ok {
		s.EscalateAfter = d
	}
	return nil
}

// SetEscalateAfter changes how long a request may wait before it is escalated (admin only; audited).
func (s *Service) SetEscalateAfter(ctx context.Context, by people.User, d time.Duration) error {
	if err := people.Require(by, people.Admin); err != nil {
		return err
	}
	if d < 10*time.Minute || d > 14*24*time.Hour {
		return fmt.Errorf("escalation time must be between 10 minutes and 14 days, not %s", d)
	}
	if err := s.Load(ctx); err != nil {
		return err
	}
	before := s.EscalateAfter
	err := s.Store.Tx(ctx, func(tx *sql.Tx) error {
		if err := store.SetEscalateAfterTx(ctx, tx, d); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "compensation.escalate_after", ObjectType: "settings",
			ObjectID: "compensation.escalate_after", At: s.Clock.Now(), Detail: map[string]string{"before": before.String(), "after": d.String()}})
	})
	if err == nil {
		s.EscalateAfter = d
	}
	return err
}

// NewRequest is what a supervisor submits.
type NewRequest struct {
	CaseID    int64        `json:"caseId"`
	Type      Type         `json:"type"`
	AmountFen int64        `json:"amountFen"`
	Reason    string       `json:"reason"`
	Evidence  []string     `json:"evidence"`
	Shift     string       `json:"shift"`
	Calc      *Calculation `json:"calc,omitempty"` // the statutory calculation the amount came from
}

func checkText(what, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if required && s == "" {
		return s, fmt.Errorf("%s is required", what)
	}
	if utf8.RuneCountInString(s) > MaxReason {
		return s, fmt.Errorf("%s is longer than %d characters", what, MaxReason)
	}
	return s, nil
}

// Submit files a new pending request. The amount must be covered by some rule of the matrix, or nobody
// could ever approve it.
func (s *Service) Submit(ctx context.Context, by people.User, n NewRequest) (Request, error) {
	if err := people.Require(by, requesters...); err != nil {
		return Request{}, err
	}
	if n.CaseID <= 0 {
		return Request{}, fmt.Errorf("a compensation request needs a case")
	}
	if !n.Type.Valid() {
		return Request{}, fmt.Errorf("unknown compensation type %q", n.Type)
	}
	if n.AmountFen <= 0 || n.AmountFen > MaxFen {
		return Request{}, fmt.Errorf("%w: amount must be more than 0 and at most %s yuan", ErrAmount, FormatYuan(MaxFen))
	}
	var err error
	if n.Reason, err = checkText("reason", n.Reason, true); err != nil {
		return Request{}, err
	}
	if n.Shift, err = checkText("shift", n.Shift, false); err != nil {
		return Request{}, err
	}
	if len(n.Evidence) > 50 {
		return Request{}, fmt.Errorf("at most 50 evidence links")
	}
	calc := ""
	if n.Calc != nil {
		if n.Type != StatutoryDamage {
			return Request{}, fmt.Errorf("a statutory calculation only goes with a statutory_damages request")
		}
		// Recompute rather than trust the client's figures.
		c, err := Calculate(n.Calc.Rule, n.Calc.PriceFen, n.Calc.LossFen)
		if err != nil {
			return Request{}, err
		}
		calc = fmt.Sprintf(`{"rule":%q,"priceFen":%d,"lossFen":%d,"amountFen":%d}`, c.Rule, c.PriceFen, c.LossFen, c.AmountFen)
	}
	now := s.Clock.Now()
	var id int64
	err = s.Store.Tx(ctx, func(tx *sql.Tx) error {
		rules, err := store.ApprovalRulesTx(ctx, tx)
		if err != nil {
			return err
		}
		if len(Covering(rules, n.Type, n.AmountFen)) == 0 {
			return fmt.Errorf("%w (%s of %s yuan); ask an admin to extend it", ErrNotCovered, n.Type, FormatYuan(n.AmountFen))
		}
		id, err = store.InsertCompRequestTx(ctx, tx, store.CompRequest{CaseID: n.CaseID, Type: string(n.Type), AmountFen: n.AmountFen,
			Reason: n.Reason, Evidence: n.Evidence, CalcJSON: calc, Shift: n.Shift, RequesterID: by.ID, RequestedAt: now})
		if err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "compensation.request", ObjectType: "compensation",
			ObjectID: strconv.FormatInt(id, 10), At: now, Detail: map[string]any{"case_id": n.CaseID, "type": n.Type,
				"amount_fen": n.AmountFen, "reason": n.Reason, "shift": n.Shift}})
	})
	if err != nil {
		return Request{}, err
	}
	return s.Store.CompRequest(ctx, id)
}

// Verdicts.
const (
	Approve = "approve"
	Reject  = "reject"
)

// Decide records by's verdict on request id. The requester can never decide their own request; the
// role must be allowed by the matrix for the request's type and amount; a rejection needs a reason and
// closes the request; an approval closes it once a rule is satisfied and no budget would be exceeded.
func (s *Service) Decide(ctx context.Context, by people.User, id int64, verdict, reason string) (Request, error) {
	if err := people.Require(by, deciders...); err != nil {
		return Request{}, err
	}
	if verdict != Approve && verdict != Reject {
		return Request{}, fmt.Errorf("verdict must be approve or reject, not %q", verdict)
	}
	reason, err := checkText("reason", reason, verdict == Reject)
	if err != nil {
		if verdict == Reject && reason == "" {
			return Request{}, ErrNeedReason
		}
		return Request{}, err
	}
	now := s.Clock.Now()
	objectID := strconv.FormatInt(id, 10)
	var selfAttempt bool
	err = s.Store.Tx(ctx, func(tx *sql.Tx) error {
		r, err := store.CompRequestTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.RequesterID == by.ID {
			selfAttempt = true
			return ErrOwnRequest
		}
		if r.Status != "pending" {
			return fmt.Errorf("%w (request %d is %s)", ErrNotPending, id, r.Status)
		}
		rules, err := store.ApprovalRulesTx(ctx, tx)
		if err != nil {
			return err
		}
		t := Type(r.Type)
		if !MayDecide(rules, people.RoleOf(by), t, r.AmountFen) {
			return fmt.Errorf("%w (%s, %s of %s yuan)", ErrMayNotDecide, by.Role, r.Type, FormatYuan(r.AmountFen))
		}
		d := store.CompDecision{RequestID: id, ApproverID: by.ID, Approver: by.Username, Role: by.Role, Verdict: verdict, Reason: reason, DecidedAt: now}
		if err := store.InsertCompDecisionTx(ctx, tx, d); err != nil {
			return err
		}
		detail := map[string]any{"verdict": verdict, "reason": reason, "amount_fen": r.AmountFen, "type": r.Type, "role": by.Role}
		status := ""
		switch {
		case verdict == Reject:
			status = "rejected"
		case Satisfied(rules, t, r.AmountFen, append(r.Decisions, d)):
			if err := s.checkBudgets(ctx, tx, r, append(r.Decisions, d), now); err != nil {
				return err
			}
			status = "approved"
		}
		if status != "" {
			if err := store.SetCompStatusTx(ctx, tx, id, status, now); err != nil {
				return err
			}
			detail["status"] = status
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "compensation." + verdict, ObjectType: "compensation",
			ObjectID: objectID, At: now, Detail: detail})
	})
	if selfAttempt {
		// The refusal itself is a decision worth keeping: someone tried to approve their own request.
		if aerr := audit.Record(ctx, s.Store, audit.Entry{Actor: by.Username, Action: "compensation.self_decision_refused",
			ObjectType: "compensation", ObjectID: objectID, At: now, Detail: map[string]any{"verdict": verdict}}); aerr != nil {
			return Request{}, errors.Join(err, aerr)
		}
	}
	if err != nil {
		return Request{}, err
	}
	return s.Store.CompRequest(ctx, id)
}

// checkBudgets refuses a final approval that would take a shift's or an approving manager's budget
// below zero.
func (s *Service) checkBudgets(ctx context.Context, tx *sql.Tx, r Request, decisions []store.CompDecision, now time.Time) error {
	type scope struct{ scope, key string }
	var scopes []scope
	if r.Shift != "" {
		scopes = append(scopes, scope{"shift", r.Shift})
	}
	for _, d := range decisions {
		if d.Verdict == Approve && d.Role == string(people.Manager) {
			scopes = append(scopes, scope{"manager", d.Approver})
		}
	}
	for _, sc := range scopes {
		budgets, err := store.BudgetsAtTx(ctx, tx, sc.scope, sc.key, now)
		if err != nil {
			return err
		}
		for _, b := range budgets {
			if left := b.LimitFen - b.SpentFen; r.AmountFen > left {
				return fmt.Errorf("%w: %s budget of %s has %s yuan left, the request is %s yuan", ErrOverBudget, sc.scope, sc.key,
					FormatYuan(left), FormatYuan(r.AmountFen))
			}
		}
	}
	return nil
}

// Cancel withdraws a pending request; only its requester may.
func (s *Service) Cancel(ctx context.Context, by people.User, id int64, reason string) (Request, error) {
	if err := people.Require(by, requesters...); err != nil {
		return Request{}, err
	}
	reason, err := checkText("reason", reason, false)
	if err != nil {
		return Request{}, err
	}
	now := s.Clock.Now()
	err = s.Store.Tx(ctx, func(tx *sql.Tx) error {
		r, err := store.CompRequestTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.RequesterID != by.ID {
			return fmt.Errorf("%w: only the requester may cancel request %d", people.ErrForbidden, id)
		}
		if r.Status != "pending" {
			return fmt.Errorf("%w (request %d is %s)", ErrNotPending, id, r.Status)
		}
		if err := store.SetCompStatusTx(ctx, tx, id, "cancelled", now); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "compensation.cancel", ObjectType: "compensation",
			ObjectID: strconv.FormatInt(id, 10), At: now, Detail: map[string]any{"reason": reason}})
	})
	if err != nil {
		return Request{}, err
	}
	return s.Store.CompRequest(ctx, id)
}

// SetExecution records how an approved request was carried out (paid, refunded, coupon issued,
// replacement sent) with a payment or coupon reference.
func (s *Service) SetExecution(ctx context.Context, by people.User, id int64, execution, ref string) (Request, error) {
	if err := people.Require(by, executors...); err != nil {
		return Request{}, err
	}
	fits, ok := executionFits[execution]
	if !ok {
		return Request{}, fmt.Errorf("execution must be paid, refunded, coupon_issued or replacement_sent, not %q", execution)
	}
	ref, err := checkText("reference", ref, false)
	if err != nil {
		return Request{}, err
	}
	now := s.Clock.Now()
	err = s.Store.Tx(ctx, func(tx *sql.Tx) error {
		r, err := store.CompRequestTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if !slices.Contains(fits, Type(r.Type)) {
			return fmt.Errorf("a %s request cannot be marked %s", r.Type, execution)
		}
		if err := store.SetCompExecutionTx(ctx, tx, id, execution, ref, by.ID, now); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "compensation.execute", ObjectType: "compensation",
			ObjectID: strconv.FormatInt(id, 10), At: now, Detail: map[string]any{"execution": execution, "ref": ref, "previous": r.Execution}})
	})
	if err != nil {
		return Request{}, err
	}
	return s.Store.CompRequest(ctx, id)
}

// Escalate flags every request pending for longer than EscalateAfter (audited as "system") and returns
// how many it flagged. The queue calls it, so escalation needs no background job.
func (s *Service) Escalate(ctx context.Context) (int, error) {
	if s.EscalateAfter <= 0 {
		return 0, nil
	}
	now := s.Clock.Now()
	var n int
	err := s.Store.Tx(ctx, func(tx *sql.Tx) error {
		ids, err := store.EscalateCompRequestsTx(ctx, tx, now.Add(-s.EscalateAfter), now)
		if err != nil {
			return err
		}
		n = len(ids)
		for _, id := range ids {
			if err := audit.RecordTx(ctx, tx, audit.Entry{Actor: "system", Action: "compensation.escalate", ObjectType: "compensation",
				ObjectID: strconv.FormatInt(id, 10), At: now, Detail: map[string]any{"after": s.EscalateAfter.String()}}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// QueueItem is a pending request as an approver sees it.
type QueueItem struct {
	Request
	CanDecide bool   `json:"canDecide"`
	Why       string `json:"why"` // why this person cannot decide it, if not
}

// Queue returns pending requests, escalated first then oldest first, saying for each whether by may
// decide it. Escalation runs first, so the queue is never staler than the clock.
func (s *Service) Queue(ctx context.Context, by people.User) ([]QueueItem, error) {
	if err := people.Require(by, deciders...); err != nil {
		return nil, err
	}
	if s.Store.Mode == store.ReadWrite {
		if _, err := s.Escalate(ctx); err != nil {
			return nil, err
		}
	}
	list, err := s.Store.ListCompRequests(ctx, store.CompFilter{Status: []string{"pending"}})
	if err != nil {
		return nil, err
	}
	rules, err := s.Store.ApprovalRules(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]QueueItem, 0, len(list))
	for _, r := range list {
		q := QueueItem{Request: masked(r)}
		switch {
		case r.RequesterID == by.ID:
			q.Why = "own request"
		case !MayDecide(rules, people.RoleOf(by), Type(r.Type), r.AmountFen):
			q.Why = "not allowed by the approval matrix"
		case decided(r, by.ID):
			q.Why = "already decided"
		default:
			q.CanDecide = true
		}
		out = append(out, q)
	}
	sortQueue(out)
	return out, nil
}

func decided(r Request, id int64) bool {
	for _, d := range r.Decisions {
		if d.ApproverID == id {
			return true
		}
	}
	return false
}

func sortQueue(q []QueueItem) {
	sort.SliceStable(q, func(i, j int) bool {
		a, b := q[i], q[j]
		if a.EscalatedAt.IsZero() != b.EscalatedAt.IsZero() {
			return !a.EscalatedAt.IsZero()
		}
		return a.RequestedAt.Before(b.RequestedAt)
	})
}

// List returns requests (of a case, or all), customer names masked unless the role sees PII.
func (s *Service) List(ctx context.Context, by people.User, f store.CompFilter) ([]Request, error) {
	if err := people.Require(by, readers...); err != nil {
		return nil, err
	}
	list, err := s.Store.ListCompRequests(ctx, f)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i] = masked(list[i])
	}
	return list, nil
}

// Rules returns the approval matrix (every signed-in role may read it: it explains the queue).
func (s *Service) Rules(ctx context.Context, by people.User) ([]Rule, error) {
	if err := people.Require(by, readers...); err != nil {
		return nil, err
	}
	return s.Store.ApprovalRules(ctx)
}

// SetRules replaces the matrix; admin only, audited with the old and new tables.
func (s *Service) SetRules(ctx context.Context, by people.User, rules []Rule) ([]Rule, error) {
	if err := people.Require(by, people.Admin); err != nil {
		return nil, err
	}
	if err := ValidateRules(rules); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	err := s.Store.Tx(ctx, func(tx *sql.Tx) error {
		before, err := store.ApprovalRulesTx(ctx, tx)
		if err != nil {
			return err
		}
		if err := store.ReplaceApprovalRulesTx(ctx, tx, rules); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "approval_matrix.update", ObjectType: "approval_matrix",
			At: now, Detail: map[string]any{"before": before, "after": rules}})
	})
	if err != nil {
		return nil, err
	}
	return s.Store.ApprovalRules(ctx)
}

// Budgets lists budgets with their remainder.
func (s *Service) Budgets(ctx context.Context, by people.User) ([]Budget, error) {
	if err := people.Require(by, readers...); err != nil {
		return nil, err
	}
	return s.Store.ListBudgets(ctx)
}

// SetBudget creates or changes a budget; admin or manager, audited.
func (s *Service) SetBudget(ctx context.Context, by people.User, b Budget) (Budget, error) {
	if err := people.Require(by, people.Admin, people.Manager); err != nil {
		return Budget{}, err
	}
	b.Key = strings.TrimSpace(b.Key)
	switch {
	case b.Scope != "shift" && b.Scope != "manager":
		return Budget{}, fmt.Errorf("budget scope must be shift or manager")
	case b.Key == "":
		return Budget{}, fmt.Errorf("budget needs a shift name or manager username")
	case !b.EndsAt.After(b.StartsAt):
		return Budget{}, fmt.Errorf("budget period must end after it starts")
	case b.LimitFen < 0 || b.LimitFen > MaxFen:
		return Budget{}, fmt.Errorf("%w: budget limit out of range", ErrAmount)
	}
	now := s.Clock.Now()
	err := s.Store.Tx(ctx, func(tx *sql.Tx) error {
		id, err := store.UpsertBudgetTx(ctx, tx, b)
		if err != nil {
			return err
		}
		b.ID = id
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "budget.set", ObjectType: "budget",
			ObjectID: strconv.FormatInt(id, 10), At: now, Detail: b})
	})
	return b, err
}

// DeleteBudget removes a budget; admin or manager, audited.
func (s *Service) DeleteBudget(ctx context.Context, by people.User, id int64) error {
	if err := people.Require(by, people.Admin, people.Manager); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.Store.Tx(ctx, func(tx *sql.Tx) error {
		if err := store.DeleteBudgetTx(ctx, tx, id); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "budget.delete", ObjectType: "budget",
			ObjectID: strconv.FormatInt(id, 10), At: now})
	})
}
