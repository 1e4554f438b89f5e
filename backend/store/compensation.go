package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// CompRequest is one compensation request on a case with its decisions.
type CompRequest struct {
	ID          int64          `json:"id"`
	CaseID      int64          `json:"caseId"`
	CaseTitle   string         `json:"caseTitle"`
	OrderNo     string         `json:"orderNo"`
	Customer    string         `json:"customer"` // raw display name: callers mask it (package pii)
	Type        string         `json:"type"`
	AmountFen   int64          `json:"amountFen"`
	Reason      string         `json:"reason"`
	Evidence    []string       `json:"evidence"`
	CalcJSON    string         `json:"calc"`
	Shift       string         `json:"shift"`
	RequesterID int64          `json:"requesterId"`
	Requester   string         `json:"requester"`
	RequestedAt time.Time      `json:"requestedAt"`
	Status      string         `json:"status"`
	EscalatedAt time.Time      `json:"escalatedAt"`
	DecidedAt   time.Time      `json:"decidedAt"`
	Execution   string         `json:"execution"`
	ExecRef     string         `json:"execRef"`
	ExecutedBy  string         `json:"executedBy"`
	ExecutedAt  time.Time      `json:"executedAt"`
	Decisions   []CompDecision `json:"decisions"`
}

// CompDecision is one person's approve or reject.
type CompDecision struct {
	ID         int64     `json:"id"`
	RequestID  int64     `json:"requestId"`
	ApproverID int64     `json:"approverId"`
	Approver   string    `json:"approver"`
	Role       string    `json:"role"`
	Verdict    string    `json:"verdict"`
	Reason     string    `json:"reason"`
	DecidedAt  time.Time `json:"decidedAt"`
}

// ApprovalRule is one row of the approval matrix. Type "" covers every type; MaxFen 0 has no limit.
type ApprovalRule struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Role      string `json:"role"`
	MaxFen    int64  `json:"maxFen"`
	Approvers int    `json:"approvers"`
}

// Budget is an optional spending limit for a shift or a manager over a period, with what was spent.
type Budget struct {
	ID       int64     `json:"id"`
	Scope    string    `json:"scope"` // shift | manager
	Key      string    `json:"key"`   // shift name or manager username
	StartsAt time.Time `json:"startsAt"`
	EndsAt   time.Time `json:"endsAt"`
	LimitFen int64     `json:"limitFen"`
	SpentFen int64     `json:"spentFen"`
}

// CompFilter narrows a request listing. Zero values mean "any".
type CompFilter struct {
	Status      []string
	CaseID      int64
	RequesterID int64
	Limit       int
}

const compColumns = `r.id, r.case_id, c.title, c.order_no, COALESCE(cu.display_name, ''), r.comp_type, r.amount_fen,
	r.reason, r.evidence_json, r.calc_json, r.shift, r.requester_id, rp.username, r.requested_at, r.status,
	r.escalated_at, r.decided_at, r.execution, r.exec_ref, COALESCE(ep.username, ''), r.executed_at`

const compFrom = ` FROM compensation_requests r JOIN cases c ON c.id = r.case_id
	LEFT JOIN customers cu ON cu.id = c.customer_id JOIN people rp ON rp.id = r.requester_id
	LEFT JOIN people ep ON ep.id = r.executed_by`

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func scanComp(row interface{ Scan(...any) error }) (CompRequest, error) {
	var r CompRequest
	var evidence, requested string
	var escalated, decided, executed sql.NullString
	if err := row.Scan(&r.ID, &r.CaseID, &r.CaseTitle, &r.OrderNo, &r.Customer, &r.Type, &r.AmountFen,
		&r.Reason, &evidence, &r.CalcJSON, &r.Shift, &r.RequesterID, &r.Requester, &requested, &r.Status,
		&escalated, &decided, &r.Execution, &r.ExecRef, &r.ExecutedBy, &executed); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(evidence), &r.Evidence); err != nil {
		return r, fmt.Errorf("compensation request %d: evidence list: %w", r.ID, err)
	}
	if r.Evidence == nil {
		r.Evidence = []string{}
	}
	r.RequestedAt, _ = ParseTime(requested)
	r.EscalatedAt = parseNullTime(escalated)
	r.DecidedAt = parseNullTime(decided)
	r.ExecutedAt = parseNullTime(executed)
	r.Decisions = []CompDecision{}
	return r, nil
}

func listComp(ctx context.Context, q querier, f CompFilter) ([]CompRequest, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if len(f.Status) > 0 {
		var ph []string
		for _, s := range f.Status {
			ph = append(ph, arg(s))
		}
		where = append(where, "r.status IN ("+strings.Join(ph, ",")+")")
	}
	if f.CaseID != 0 {
		where = append(where, "r.case_id = "+arg(f.CaseID))
	}
	if f.RequesterID != 0 {
		where = append(where, "r.requester_id = "+arg(f.RequesterID))
	}
	query := "SELECT " + compColumns + compFrom
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY r.requested_at DESC, r.id DESC"
	if f.Limit > 0 {
		query += " LIMIT " + arg(f.Limit)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list compensation requests: %w", err)
	}
	out := []CompRequest{}
	index := map[int64]int{}
	for rows.Next() {
		r, err := scanComp(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		index[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, len(out))
	for i, r := range out {
		ids[i] = r.ID
	}
	err = eachRowOfIDs(ctx, q, `SELECT d.id, d.request_id, d.approver_id, p.username, d.role, d.verdict, d.reason, d.decided_at
		FROM compensation_decisions d JOIN people p ON p.id = d.approver_id
		WHERE d.request_id IN :ids ORDER BY d.decided_at, d.id`, ids, func(rows *sql.Rows) error {
		var d CompDecision
		var at string
		if err := rows.Scan(&d.ID, &d.RequestID, &d.ApproverID, &d.Approver, &d.Role, &d.Verdict, &d.Reason, &at); err != nil {
			return err
		}
		d.DecidedAt, _ = ParseTime(at)
		i := index[d.RequestID]
		out[i].Decisions = append(out[i].Decisions, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("compensation decisions: %w", err)
	}
	return out, nil
}

// ListCompRequests returns matching requests, newest first, with their decisions.
func (s *Store) ListCompRequests(ctx context.Context, f CompFilter) ([]CompRequest, error) {
	return listComp(ctx, s.reader(), f)
}

func oneComp(ctx context.Context, q querier, id int64) (CompRequest, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+compColumns+compFrom+" WHERE r.id = $1", id)
	if err != nil {
		return CompRequest{}, fmt.Errorf("compensation request %d: %w", id, err)
	}
	if !rows.Next() {
		rows.Close()
		return CompRequest{}, fmt.Errorf("compensation request %d: %w", id, ErrNotFound)
	}
	r, err := scanComp(rows)
	rows.Close()
	if err != nil {
		return r, err
	}
	r.Decisions, err = decisionsOf(ctx, q, id)
	return r, err
}

// CompRequest returns one request with its decisions.
func (s *Store) CompRequest(ctx context.Context, id int64) (CompRequest, error) {
	return oneComp(ctx, s.reader(), id)
}

// CompRequestTx reads one request inside a decision's transaction.
func CompRequestTx(ctx context.Context, tx *sql.Tx, id int64) (CompRequest, error) {
	return oneComp(ctx, tx, id)
}

func decisionsOf(ctx context.Context, q querier, id int64) ([]CompDecision, error) {
	rows, err := q.QueryContext(ctx, `SELECT d.id, d.request_id, d.approver_id, p.username, d.role, d.verdict, d.reason, d.decided_at
		FROM compensation_decisions d JOIN people p ON p.id = d.approver_id WHERE d.request_id = $1 ORDER BY d.decided_at, d.id`, id)
	if err != nil {
		return nil, fmt.Errorf("decisions of request %d: %w", id, err)
	}
	defer rows.Close()
	out := []CompDecision{}
	for rows.Next() {
		var d CompDecision
		var at string
		if err := rows.Scan(&d.ID, &d.RequestID, &d.ApproverID, &d.Approver, &d.Role, &d.Verdict, &d.Reason, &at); err != nil {
			return nil, err
		}
		d.DecidedAt, _ = ParseTime(at)
		out = append(out, d)
	}
	return out, rows.Err()
}

// InsertCompRequestTx stores a new pending request and returns its id.
func InsertCompRequestTx(ctx context.Context, tx *sql.Tx, r CompRequest) (int64, error) {
	evidence, err := json.Marshal(r.Evidence)
	if err != nil {
		return 0, err
	}
	if r.Evidence == nil {
		evidence = []byte("[]")
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO compensation_requests (case_id, comp_type, amount_fen, reason, evidence_json,
		calc_json, shift, requester_id, requested_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending') RETURNING id`,
		r.CaseID, r.Type, r.AmountFen, r.Reason, string(evidence), r.CalcJSON, r.Shift, r.RequesterID, FormatTime(r.RequestedAt)).Scan(&id)
	if err != nil {
		if strings.Contains(err.Error(), "FOREIGN KEY") {
			return 0, fmt.Errorf("case %d: %w", r.CaseID, ErrNotFound)
		}
		return 0, fmt.Errorf("store compensation request: %w", err)
	}
	return id, nil
}

// InsertCompDecisionTx stores one approver's verdict; a second verdict by the same person is refused.
func InsertCompDecisionTx(ctx context.Context, tx *sql.Tx, d CompDecision) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO compensation_decisions (request_id, approver_id, role, verdict, reason, decided_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, d.RequestID, d.ApproverID, d.Role, d.Verdict, d.Reason, FormatTime(d.DecidedAt))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return fmt.Errorf("request %d already has your decision: %w", d.RequestID, ErrExists)
		}
		return fmt.Errorf("store decision on request %d: %w", d.RequestID, err)
	}
	return nil
}

// SetCompStatusTx moves a pending request to approved, rejected or cancelled. It only changes pending
// rows, so two racing decisions cannot both close it.
func SetCompStatusTx(ctx context.Context, tx *sql.Tx, id int64, status string, at time.Time) error {
	res, err := tx.ExecContext(ctx, "UPDATE compensation_requests SET status = $1, decided_at = $2 WHERE id = $3 AND status = 'pending'",
		status, FormatTime(at), id)
	if err != nil {
		return fmt.Errorf("set status of request %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("request %d is no longer pending", id)
	}
	return nil
}

// SetCompExecutionTx records that an approved request was carried out (paid, coupon issued...).
func SetCompExecutionTx(ctx context.Context, tx *sql.Tx, id int64, execution, ref string, by int64, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE compensation_requests SET execution = $1, exec_ref = $2, executed_by = $3, executed_at = $4
		WHERE id = $5 AND status = 'approved'`, execution, ref, by, FormatTime(at), id)
	if err != nil {
		return fmt.Errorf("set execution of request %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("request %d is not approved", id)
	}
	return nil
}

// EscalateCompRequestsTx flags pending requests waiting since before cutoff and returns their ids.
func EscalateCompRequestsTx(ctx context.Context, tx *sql.Tx, cutoff, now time.Time) ([]int64, error) {
	ids, err := queryIDs(ctx, tx, `UPDATE compensation_requests SET escalated_at = $1
		WHERE status = 'pending' AND escalated_at IS NULL AND requested_at <= $2 RETURNING id`, FormatTime(now), FormatTime(cutoff))
	if err != nil {
		return nil, fmt.Errorf("escalate requests: %w", err)
	}
	return ids, nil
}

func approvalRules(ctx context.Context, q querier) ([]ApprovalRule, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, comp_type, role, max_fen, approvers FROM approval_rules ORDER BY comp_type DESC, role, max_fen = 0, max_fen, id")
	if err != nil {
		return nil, fmt.Errorf("approval matrix: %w", err)
	}
	defer rows.Close()
	out := []ApprovalRule{}
	for rows.Next() {
		var r ApprovalRule
		if err := rows.Scan(&r.ID, &r.Type, &r.Role, &r.MaxFen, &r.Approvers); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ApprovalRules returns the approval matrix.
func (s *Store) ApprovalRules(ctx context.Context) ([]ApprovalRule, error) {
	return approvalRules(ctx, s.reader())
}

// ApprovalRulesTx reads the matrix inside a decision's transaction.
func ApprovalRulesTx(ctx context.Context, tx *sql.Tx) ([]ApprovalRule, error) {
	return approvalRules(ctx, tx)
}

// ReplaceApprovalRulesTx swaps the whole matrix (the admin edits it as one table).
func ReplaceApprovalRulesTx(ctx context.Context, tx *sql.Tx, rules []ApprovalRule) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM approval_rules"); err != nil {
		return fmt.Errorf("replace approval matrix: %w", err)
	}
	for _, r := range rules {
		if _, err := tx.ExecContext(ctx, "INSERT INTO approval_rules (comp_type, role, max_fen, approvers) VALUES ($1, $2, $3, $4)",
			r.Type, r.Role, r.MaxFen, r.Approvers); err != nil {
			return fmt.Errorf("replace approval matrix: %w", err)
		}
	}
	return nil
}

// budgetSpentSQL sums the approved requests charged to a budget: for a shift, the requests made on it;
// for a manager, the requests they approved. Both by decision time inside the period.
const budgetSpentSQL = `COALESCE((SELECT SUM(r.amount_fen) FROM compensation_requests r WHERE r.status = 'approved'
	AND r.decided_at >= b.starts_at AND r.decided_at < b.ends_at
	AND ((b.scope = 'shift' AND r.shift = b.scope_key) OR (b.scope = 'manager' AND EXISTS (
		SELECT 1 FROM compensation_decisions d JOIN people p ON p.id = d.approver_id
		WHERE d.request_id = r.id AND d.verdict = 'approve' AND p.username = b.scope_key)))), 0)`

func budgets(ctx context.Context, q querier, where string, args ...any) ([]Budget, error) {
	rows, err := q.QueryContext(ctx, "SELECT b.id, b.scope, b.scope_key, b.starts_at, b.ends_at, b.limit_fen, "+budgetSpentSQL+
		" FROM compensation_budgets b "+where+" ORDER BY b.starts_at DESC, b.scope, b.scope_key", args...)
	if err != nil {
		return nil, fmt.Errorf("budgets: %w", err)
	}
	defer rows.Close()
	out := []Budget{}
	for rows.Next() {
		var b Budget
		var from, to string
		if err := rows.Scan(&b.ID, &b.Scope, &b.Key, &from, &to, &b.LimitFen, &b.SpentFen); err != nil {
			return nil, err
		}
		b.StartsAt, _ = ParseTime(from)
		b.EndsAt, _ = ParseTime(to)
		out = append(out, b)
	}
	return out, rows.Err()
}

// ListBudgets returns every budget with what has been spent from it.
func (s *Store) ListBudgets(ctx context.Context) ([]Budget, error) {
	return budgets(ctx, s.reader(), "")
}

// BudgetsAtTx returns the budgets of scope/key whose period contains at.
func BudgetsAtTx(ctx context.Context, tx *sql.Tx, scope, key string, at time.Time) ([]Budget, error) {
	t := FormatTime(at)
	return budgets(ctx, tx, "WHERE b.scope = $1 AND b.scope_key = $2 AND b.starts_at <= $3 AND b.ends_at > $3", scope, key, t)
}

// UpsertBudgetTx creates or changes the budget of scope/key starting at b.StartsAt.
func UpsertBudgetTx(ctx context.Context, tx *sql.Tx, b Budget) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO compensation_budgets (scope, scope_key, starts_at, ends_at, limit_fen)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scope, scope_key, starts_at) DO UPDATE SET ends_at = excluded.ends_at,
		limit_fen = excluded.limit_fen RETURNING id`, b.Scope, b.Key, FormatTime(b.StartsAt), FormatTime(b.EndsAt), b.LimitFen).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("save budget %s %s: %w", b.Scope, b.Key, err)
	}
	return id, nil
}

// DeleteBudgetTx removes a budget.
func DeleteBudgetTx(ctx context.Context, tx *sql.Tx, id int64) error {
	res, err := tx.ExecContext(ctx, "DELETE FROM compensation_budgets WHERE id = $1", id)
	if err != nil {
		return fmt.Errorf("delete budget %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("budget %d: %w", id, ErrNotFound)
	}
	return nil
}

const escalateAfterKey = "compensation.escalate_after"

// EscalateAfter returns the configured wait before a pending request is escalated; ok is false when
// none is set (the caller's default applies).
func (s *Store) EscalateAfter(ctx context.Context) (d time.Duration, ok bool, err error) {
	var v string
	err = s.reader().QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", escalateAfterKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read %s: %w", escalateAfterKey, err)
	}
	d, err = time.ParseDuration(v)
	if err != nil {
		return 0, false, fmt.Errorf("setting %s = %q: %w", escalateAfterKey, v, err)
	}
	return d, true, nil
}

// SetEscalateAfterTx stores the wait before escalation.
func SetEscalateAfterTx(ctx context.Context, tx *sql.Tx, d time.Duration) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, escalateAfterKey, d.String()); err != nil {
		return fmt.Errorf("save %s: %w", escalateAfterKey, err)
	}
	return nil
}
