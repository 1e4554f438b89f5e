package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"cockpit/backend/cases"
)

// EngineInput is everything the case engine reads about one case.
type EngineInput struct {
	Case           cases.Case
	Platform       string
	SKU            string
	ProductName    string
	BatchNo        string
	OrderAmountFen int64
	// CustomerKey identifies the customer for distinct counting: "e:<address>", else "c:<id>".
	CustomerKey string
	// Bodies are the customer's messages (email, ticket, letter, import), oldest first.
	Bodies   []string
	Contacts int
	Events   []cases.Event
}

// customerKinds are the timeline kinds that carry the customer's (or regulator's) words.
var customerKinds = []string{"email", "ticket", "letter", "import"}

// EngineInput loads a case, its order, its customer messages and its timeline.
func (s *Store) EngineInput(ctx context.Context, caseID int64) (EngineInput, error) {
	var in EngineInput
	c, err := s.GetCase(ctx, caseID)
	if err != nil {
		return in, err
	}
	in.Case = c
	if c.OrderNo != "" {
		err := s.reader().QueryRowContext(ctx, `SELECT platform, sku, product_name, batch_no, amount_fen FROM orders WHERE order_no = $1`,
			c.OrderNo).Scan(&in.Platform, &in.SKU, &in.ProductName, &in.BatchNo, &in.OrderAmountFen)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return in, fmt.Errorf("order of case %d: %w", caseID, err)
		}
	}
	// The address first: one person writing from one address is one customer even if two customer
	// rows exist for them.
	switch {
	case c.Customer.Email != "":
		in.CustomerKey = "e:" + strings.ToLower(strings.TrimSpace(c.Customer.Email))
	case c.CustomerID != 0:
		in.CustomerKey = fmt.Sprintf("c:%d", c.CustomerID)
	default:
		in.CustomerKey = fmt.Sprintf("case:%d", caseID) // unknown sender: counts as its own customer
	}
	if in.Events, err = s.CaseEvents(ctx, caseID); err != nil {
		return in, err
	}
	for _, e := range in.Events {
		for _, k := range customerKinds {
			if e.Kind == k {
				in.Bodies = append(in.Bodies, e.BodyText)
				in.Contacts++
			}
		}
	}
	return in, nil
}

// CaseIDs lists case ids, open ones (open or pending) only when openOnly.
func (s *Store) CaseIDs(ctx context.Context, openOnly bool) ([]int64, error) {
	q := "SELECT id FROM cases"
	if openOnly {
		q += " WHERE status IN ('open', 'pending')"
	}
	ids, err := queryIDs(ctx, s.reader(), q+" ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list case ids: %w", err)
	}
	return ids, nil
}

// ClassificationRow is the classifier's own decision on a case, before overrides.
type ClassificationRow struct {
	CaseID       int64
	Type         string
	Subtype      string
	Level        int
	ResultJSON   string
	RuleVersion  int
	InputHash    string
	ClassifiedAt time.Time
}

// Classification returns the stored classification; false if the case was never classified.
func (s *Store) Classification(ctx context.Context, caseID int64) (ClassificationRow, bool, error) {
	var r ClassificationRow
	var at string
	err := s.reader().QueryRowContext(ctx, `SELECT case_id, type, subtype, level, result_json, rule_version, input_hash, classified_at
		FROM case_classification WHERE case_id = $1`, caseID).Scan(&r.CaseID, &r.Type, &r.Subtype, &r.Level, &r.ResultJSON,
		&r.RuleVersion, &r.InputHash, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("classification of case %d: %w", caseID, err)
	}
	r.ClassifiedAt, _ = ParseTime(at)
	return r, true, nil
}

// SaveClassificationTx stores the classifier's decision.
func SaveClassificationTx(ctx context.Context, tx *sql.Tx, r ClassificationRow) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO case_classification (case_id, type, subtype, level, result_json, rule_version, input_hash, classified_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (case_id) DO UPDATE SET type = excluded.type, subtype = excluded.subtype, level = excluded.level,
		result_json = excluded.result_json, rule_version = excluded.rule_version, input_hash = excluded.input_hash,
		classified_at = excluded.classified_at`,
		r.CaseID, r.Type, r.Subtype, r.Level, r.ResultJSON, r.RuleVersion, r.InputHash, FormatTime(r.ClassifiedAt))
	if err != nil {
		return fmt.Errorf("save classification of case %d: %w", r.CaseID, err)
	}
	return nil
}

// CaseDecision is the engine's final word on a case (after overrides).
type CaseDecision struct {
	CaseID     int64
	Type       string
	Subtype    string
	Level      int
	Flags      []cases.Flag
	IncidentID int64
	At         time.Time
}

// DecisionChange is one field the decision changed.
type DecisionChange struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// ApplyDecisionTx writes type, sub-type, level, incident and flags to the case and returns what changed
// (nothing when the decision is what the case already has, so refreshes are idempotent).
func ApplyDecisionTx(ctx context.Context, tx *sql.Tx, d CaseDecision) ([]DecisionChange, error) {
	var typ, sub string
	var level int
	var incident int64
	err := tx.QueryRowContext(ctx, "SELECT type, subtype, level, COALESCE(incident_id, 0) FROM cases WHERE id = $1", d.CaseID).
		Scan(&typ, &sub, &level, &incident)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("case %d: %w", d.CaseID, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read case %d: %w", d.CaseID, err)
	}
	var changes []DecisionChange
	add := func(field, from, to string) {
		if from != to {
			changes = append(changes, DecisionChange{Field: field, From: from, To: to})
		}
	}
	add("type", typ, d.Type)
	add("subtype", sub, d.Subtype)
	add("level", fmt.Sprint(level), fmt.Sprint(d.Level))
	add("incident", fmt.Sprint(incident), fmt.Sprint(d.IncidentID))
	old, err := flagsTx(ctx, tx, d.CaseID)
	if err != nil {
		return nil, err
	}
	add("flags", flagText(old), flagText(d.Flags))
	if len(changes) == 0 {
		return nil, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE cases SET type = $1, subtype = $2, level = $3, incident_id = $4, updated_at = $5 WHERE id = $6`,
		d.Type, d.Subtype, d.Level, nullID(d.IncidentID), FormatTime(d.At), d.CaseID); err != nil {
		return nil, fmt.Errorf("update case %d: %w", d.CaseID, err)
	}
	if flagText(old) != flagText(d.Flags) {
		if _, err := tx.ExecContext(ctx, "DELETE FROM case_flags WHERE case_id = $1", d.CaseID); err != nil {
			return nil, fmt.Errorf("replace flags of case %d: %w", d.CaseID, err)
		}
		for _, f := range d.Flags {
			if _, err := tx.ExecContext(ctx, "INSERT INTO case_flags (case_id, flag, evidence) VALUES ($1, $2, $3)", d.CaseID, f.Name, f.Evidence); err != nil {
				return nil, fmt.Errorf("flag case %d %s: %w", d.CaseID, f.Name, err)
			}
		}
	}
	return changes, nil
}

func flagsTx(ctx context.Context, tx *sql.Tx, caseID int64) ([]cases.Flag, error) {
	rows, err := tx.QueryContext(ctx, "SELECT flag, evidence FROM case_flags WHERE case_id = $1 ORDER BY flag", caseID)
	if err != nil {
		return nil, fmt.Errorf("flags of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []cases.Flag
	for rows.Next() {
		var f cases.Flag
		if err := rows.Scan(&f.Name, &f.Evidence); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// flagText is a comparable rendering of a flag list (names and evidence, sorted by name).
func flagText(fs []cases.Flag) string {
	parts := make([]string, 0, len(fs))
	for _, f := range fs {
		parts = append(parts, f.Name+"="+f.Evidence)
	}
	sort.Strings(parts)
	return strings.Join(parts, "\n")
}

// InsertEventTx appends an internal event to a case timeline.
func InsertEventTx(ctx context.Context, tx *sql.Tx, e cases.Event) (int64, error) {
	if e.DataJSON == "" {
		e.DataJSON = "{}"
	}
	if e.Channel == "" {
		e.Channel = "internal"
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO case_events (case_id, kind, channel, actor, occurred_at, summary, body_text, data_json)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, e.CaseID, e.Kind, e.Channel, e.Actor, FormatTime(e.OccurredAt),
		e.Summary, e.BodyText, e.DataJSON).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add %s event to case %d: %w", e.Kind, e.CaseID, err)
	}
	return id, nil
}

// Override is a supervisor's correction of the engine on one field, with the reason.
type Override struct {
	ID        int64     `json:"id"`
	CaseID    int64     `json:"case_id"`
	Field     string    `json:"field"` // level | type | subtype | flags
	Value     string    `json:"value"` // flags: comma-separated names
	Reason    string    `json:"reason"`
	Actor     string    `json:"actor"`
	At        time.Time `json:"at"`
	ClearedAt time.Time `json:"cleared_at,omitzero"`
	ClearedBy string    `json:"cleared_by,omitempty"`
}

// InsertOverrideTx records an override; any earlier active override of the field is cleared by it.
func InsertOverrideTx(ctx context.Context, tx *sql.Tx, o Override) (int64, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE case_overrides SET cleared_at = $1, cleared_by = $2
		WHERE case_id = $3 AND field = $4 AND cleared_at IS NULL`, FormatTime(o.At), o.Actor, o.CaseID, o.Field); err != nil {
		return 0, fmt.Errorf("supersede override: %w", err)
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO case_overrides (case_id, field, value, reason, actor, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		o.CaseID, o.Field, o.Value, o.Reason, o.Actor, FormatTime(o.At)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("override %s of case %d: %w", o.Field, o.CaseID, err)
	}
	return id, nil
}

// ClearOverrideTx hands a field back to the engine; false if there was no active override.
func ClearOverrideTx(ctx context.Context, tx *sql.Tx, caseID int64, field, actor string, at time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE case_overrides SET cleared_at = $1, cleared_by = $2
		WHERE case_id = $3 AND field = $4 AND cleared_at IS NULL`, FormatTime(at), actor, caseID, field)
	if err != nil {
		return false, fmt.Errorf("clear override: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// Overrides lists a case's overrides, newest first; activeOnly drops cleared ones.
func (s *Store) Overrides(ctx context.Context, caseID int64, activeOnly bool) ([]Override, error) {
	q := `SELECT id, case_id, field, value, reason, actor, at, cleared_at, cleared_by FROM case_overrides WHERE case_id = $1`
	if activeOnly {
		q += " AND cleared_at IS NULL"
	}
	rows, err := s.reader().QueryContext(ctx, q+" ORDER BY at DESC, id DESC", caseID)
	if err != nil {
		return nil, fmt.Errorf("overrides of case %d: %w", caseID, err)
	}
	defer rows.Close()
	out := []Override{}
	for rows.Next() {
		var o Override
		var at string
		var cleared sql.NullString
		if err := rows.Scan(&o.ID, &o.CaseID, &o.Field, &o.Value, &o.Reason, &o.Actor, &at, &cleared, &o.ClearedBy); err != nil {
			return nil, err
		}
		o.At, _ = ParseTime(at)
		o.ClearedAt = parseNullTime(cleared)
		out = append(out, o)
	}
	return out, rows.Err()
}

// CaseKey is one incident key of a case.
type CaseKey struct {
	CaseID     int64
	Key        string
	Customer   string
	At         time.Time
	IncidentID int64 // the case's current incident (0: none)
}

// SetCaseKeysTx replaces a case's incident keys.
func SetCaseKeysTx(ctx context.Context, tx *sql.Tx, caseID int64, keys []string, customer string, at time.Time) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM case_keys WHERE case_id = $1", caseID); err != nil {
		return fmt.Errorf("replace keys of case %d: %w", caseID, err)
	}
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_keys (case_id, key, customer_key, at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (case_id, key) DO NOTHING`, caseID, k, customer, FormatTime(at)); err != nil {
			return fmt.Errorf("key %s of case %d: %w", k, caseID, err)
		}
	}
	return nil
}

// CasesWithKeys returns every case key row for the given keys.
func (s *Store) CasesWithKeys(ctx context.Context, keys []string) ([]CaseKey, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	ph := make([]string, len(keys))
	args := make([]any, len(keys))
	for i, k := range keys {
		ph[i], args[i] = fmt.Sprintf("$%d", i+1), k
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT k.case_id, k.key, k.customer_key, k.at, COALESCE(c.incident_id, 0)
		FROM case_keys k JOIN cases c ON c.id = k.case_id WHERE k.key IN (`+strings.Join(ph, ",")+`) ORDER BY k.at, k.case_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("cases by key: %w", err)
	}
	defer rows.Close()
	var out []CaseKey
	for rows.Next() {
		var k CaseKey
		var at string
		if err := rows.Scan(&k.CaseID, &k.Key, &k.Customer, &at, &k.IncidentID); err != nil {
			return nil, err
		}
		k.At, _ = ParseTime(at)
		out = append(out, k)
	}
	return out, rows.Err()
}
