package app

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"cockpit/backend/cli"
	"cockpit/backend/compensation"
	"cockpit/backend/people"
	"cockpit/backend/store"
)

// Approvals is the bound service of compensation: the calculators, requests on a case, the approval
// queue, decisions, execution status, the matrix, budgets and the finance export. The roles are
// checked twice: the guard line here, and precisely (matrix, own request) in backend/compensation.
//
// Events: "compensation:changed" Request after every change.
type Approvals struct{ core *Core }

// signedIn checks the caller's role first, then builds the service, so a refused caller costs no I/O.
func (s *Approvals) signedIn(roles ...people.Role) (*compensation.Service, people.User, error) {
	who, err := s.core.Require(roles...)
	if err != nil {
		return nil, who, err
	}
	svc, err := s.service()
	return svc, who, err
}

func (s *Approvals) service() (*compensation.Service, error) {
	st, err := s.core.ready()
	if err != nil {
		return nil, err
	}
	zone, err := cli.LoadZone(s.core.Global.Zone)
	if err != nil {
		return nil, err
	}
	svc := compensation.New(st, s.core.Clock, zone)
	return svc, svc.Load(context.Background())
}

// CalcInput is a calculator form: yuan amounts as typed ("99.90"), parsed exactly to fen.
type CalcInput struct {
	Rule  string `json:"rule"`
	Price string `json:"price"`
	Loss  string `json:"loss"`
}

func (in CalcInput) fen() (int64, int64, error) {
	price, err := compensation.ParseYuan(in.Price)
	if err != nil {
		return 0, 0, fmt.Errorf("price: %w", err)
	}
	var loss int64
	if in.Loss != "" {
		if loss, err = compensation.ParseYuan(in.Loss); err != nil {
			return 0, 0, fmt.Errorf("loss: %w", err)
		}
	}
	return price, loss, nil
}

// Calc runs a statutory calculator (cpl55 or fsl148) and returns the amount, basis and exceptions.
func (s *Approvals) Calc(in CalcInput) (compensation.Calculation, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return compensation.Calculation{}, err
	}
	price, loss, err := in.fen()
	if err != nil {
		return compensation.Calculation{}, err
	}
	return compensation.Calculate(in.Rule, price, loss)
}

// RequestInput is the request form; Amount is yuan as typed.
type RequestInput struct {
	CaseID   int64      `json:"caseId"`
	Type     string     `json:"type"`
	Amount   string     `json:"amount"`
	Reason   string     `json:"reason"`
	Evidence []string   `json:"evidence"`
	Shift    string     `json:"shift"`
	Calc     *CalcInput `json:"calc"`
}

// Submit files a compensation request on a case.
func (s *Approvals) Submit(in RequestInput) (compensation.Request, error) {
	svc, who, err := s.signedIn(people.Supervisor, people.Manager, people.Legal)
	if err != nil {
		return compensation.Request{}, err
	}
	fen, err := compensation.ParseYuan(in.Amount)
	if err != nil {
		return compensation.Request{}, fmt.Errorf("amount: %w", err)
	}
	n := compensation.NewRequest{CaseID: in.CaseID, Type: compensation.Type(in.Type), AmountFen: fen, Reason: in.Reason,
		Evidence: in.Evidence, Shift: in.Shift}
	if in.Calc != nil {
		price, loss, err := in.Calc.fen()
		if err != nil {
			return compensation.Request{}, err
		}
		n.Calc = &compensation.Calculation{Rule: in.Calc.Rule, PriceFen: price, LossFen: loss}
	}
	return s.emit(svc.Submit(context.Background(), who, n))
}

func (s *Approvals) emit(r compensation.Request, err error) (compensation.Request, error) {
	if err == nil {
		s.core.Events.Emit("compensation:changed", r)
	}
	return r, err
}

// ForCase lists a case's requests, newest first.
func (s *Approvals) ForCase(caseID int64) ([]compensation.Request, error) {
	svc, who, err := s.signedIn(people.Anyone...)
	if err != nil {
		return nil, err
	}
	return svc.List(context.Background(), who, store.CompFilter{CaseID: caseID})
}

// List lists requests by status ("" for all), newest first, at most limit (0: 500).
func (s *Approvals) List(status string, limit int) ([]compensation.Request, error) {
	svc, who, err := s.signedIn(people.Anyone...)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	f := store.CompFilter{Limit: limit}
	if status != "" {
		f.Status = []string{status}
	}
	return svc.List(context.Background(), who, f)
}

// Queue is the approval queue: pending requests, escalated first, each saying whether you may decide it.
func (s *Approvals) Queue() ([]compensation.QueueItem, error) {
	svc, who, err := s.signedIn(people.Anyone...)
	if err != nil {
		return nil, err
	}
	return svc.Queue(context.Background(), who)
}

// Decide approves or rejects (verdict "approve" | "reject"; a rejection needs a reason).
func (s *Approvals) Decide(id int64, verdict, reason string) (compensation.Request, error) {
	svc, who, err := s.signedIn(people.Anyone...)
	if err != nil {
		return compensation.Request{}, err
	}
	return s.emit(svc.Decide(context.Background(), who, id, verdict, reason))
}

// Cancel withdraws your own pending request.
func (s *Approvals) Cancel(id int64, reason string) (compensation.Request, error) {
	svc, who, err := s.signedIn(people.Supervisor, people.Manager, people.Legal)
	if err != nil {
		return compensation.Request{}, err
	}
	return s.emit(svc.Cancel(context.Background(), who, id, reason))
}

// SetExecution records how an approved request was carried out.
func (s *Approvals) SetExecution(id int64, execution, ref string) (compensation.Request, error) {
	svc, who, err := s.signedIn(people.Supervisor, people.Manager)
	if err != nil {
		return compensation.Request{}, err
	}
	return s.emit(svc.SetExecution(context.Background(), who, id, execution, ref))
}

// Rules returns the approval matrix.
func (s *Approvals) Rules() ([]compensation.Rule, error) {
	svc, who, err := s.signedIn(people.Anyone...)
	if err != nil {
		return nil, err
	}
	return svc.Rules(context.Background(), who)
}

// SetRules replaces the approval matrix (admin only; audited).
func (s *Approvals) SetRules(rules []compensation.Rule) ([]compensation.Rule, error) {
	svc, who, err := s.signedIn(people.Admin)
	if err != nil {
		return nil, err
	}
	out, err := svc.SetRules(context.Background(), who, rules)
	if err == nil {
		s.core.Events.Emit("compensation:rules", out)
	}
	return out, err
}

// Budgets lists budgets with what is left.
func (s *Approvals) Budgets() ([]compensation.Budget, error) {
	svc, who, err := s.signedIn(people.Anyone...)
	if err != nil {
		return nil, err
	}
	return svc.Budgets(context.Background(), who)
}

// BudgetInput is the budget form: local dates (inclusive) and a yuan limit as typed.
type BudgetInput struct {
	Scope string `json:"scope"` // shift | manager
	Key   string `json:"key"`
	From  string `json:"from"` // YYYY-MM-DD
	To    string `json:"to"`   // YYYY-MM-DD, inclusive
	Limit string `json:"limit"`
}

// SetBudget creates or changes a budget (admin, manager; audited).
func (s *Approvals) SetBudget(in BudgetInput) (compensation.Budget, error) {
	svc, who, err := s.signedIn(people.Admin, people.Manager)
	if err != nil {
		return compensation.Budget{}, err
	}
	from, err := time.ParseInLocation("2006-01-02", in.From, svc.Zone)
	if err != nil {
		return compensation.Budget{}, fmt.Errorf("from: want YYYY-MM-DD, got %q", in.From)
	}
	to, err := time.ParseInLocation("2006-01-02", in.To, svc.Zone)
	if err != nil {
		return compensation.Budget{}, fmt.Errorf("to: want YYYY-MM-DD, got %q", in.To)
	}
	limit, err := compensation.ParseYuan(in.Limit)
	if err != nil {
		return compensation.Budget{}, fmt.Errorf("limit: %w", err)
	}
	return svc.SetBudget(context.Background(), who, compensation.Budget{Scope: in.Scope, Key: in.Key, StartsAt: from,
		EndsAt: to.AddDate(0, 0, 1), LimitFen: limit})
}

// DeleteBudget removes a budget (admin, manager; audited).
func (s *Approvals) DeleteBudget(id int64) error {
	svc, who, err := s.signedIn(people.Admin, people.Manager)
	if err != nil {
		return err
	}
	return svc.DeleteBudget(context.Background(), who, id)
}

// ExportCSV returns the approved requests decided between the local dates from..to (inclusive; empty:
// open) as CSV text for finance, PII masked; the frontend saves it. Managers only; audited.
func (s *Approvals) ExportCSV(from, to string) (string, error) {
	svc, who, err := s.signedIn(people.Manager)
	if err != nil {
		return "", err
	}
	var fromT, toT time.Time
	if from != "" {
		if fromT, err = time.ParseInLocation("2006-01-02", from, svc.Zone); err != nil {
			return "", fmt.Errorf("from: want YYYY-MM-DD, got %q", from)
		}
	}
	if to != "" {
		if toT, err = time.ParseInLocation("2006-01-02", to, svc.Zone); err != nil {
			return "", fmt.Errorf("to: want YYYY-MM-DD, got %q", to)
		}
		toT = toT.AddDate(0, 0, 1)
	}
	var buf bytes.Buffer
	if _, err := svc.ExportCSV(context.Background(), who, &buf, fromT, toT); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// EscalateAfterMinutes returns how long a pending request waits before it is escalated.
func (s *Approvals) EscalateAfterMinutes() (int, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return 0, err
	}
	svc, err := s.service()
	if err != nil {
		return 0, err
	}
	return int(svc.EscalateAfter / time.Minute), nil
}

// SetEscalateAfterMinutes changes it (admin only; audited).
func (s *Approvals) SetEscalateAfterMinutes(minutes int) error {
	svc, who, err := s.signedIn(people.Admin)
	if err != nil {
		return err
	}
	return svc.SetEscalateAfter(context.Background(), who, time.Duration(minutes)*time.Minute)
}
