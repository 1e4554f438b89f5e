package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// RuleSetRow is one saved version of the case engine's rule set (the JSON is owned by package rules).
type RuleSetRow struct {
	Version       int       `json:"version"`
	EffectiveFrom string    `json:"effective_from"`
	BodyJSON      string    `json:"-"`
	Note          string    `json:"note"`
	CreatedBy     string    `json:"created_by"`
	CreatedAt     time.Time `json:"created_at"`
}

// InsertRuleSetTx saves a new version (one more than the highest) and returns its number.
func InsertRuleSetTx(ctx context.Context, tx *sql.Tx, r RuleSetRow) (int, error) {
	var v int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) + 1 FROM rule_sets").Scan(&v); err != nil {
		return 0, fmt.Errorf("next rule set version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO rule_sets (version, effective_from, body_json, note, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, v, r.EffectiveFrom, r.BodyJSON, r.Note, r.CreatedBy, FormatTime(r.CreatedAt)); err != nil {
		return 0, fmt.Errorf("save rule set version %d: %w", v, err)
	}
	return v, nil
}

// RuleSetHistory lists saved versions, newest first, without their bodies.
func (s *Store) RuleSetHistory(ctx context.Context) ([]RuleSetRow, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT version, effective_from, '', note, created_by, created_at
		FROM rule_sets ORDER BY version DESC`)
	if err != nil {
		return nil, fmt.Errorf("rule set history: %w", err)
	}
	defer rows.Close()
	out := []RuleSetRow{}
	for rows.Next() {
		r, err := scanRuleSet(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanRuleSet(row interface{ Scan(...any) error }) (RuleSetRow, error) {
	var r RuleSetRow
	var at string
	if err := row.Scan(&r.Version, &r.EffectiveFrom, &r.BodyJSON, &r.Note, &r.CreatedBy, &at); err != nil {
		return r, err
	}
	r.CreatedAt, _ = ParseTime(at)
	return r, nil
}

// ActiveRuleSet returns the newest version in effect on day (YYYY-MM-DD); false if none is saved.
func (s *Store) ActiveRuleSet(ctx context.Context, day string) (RuleSetRow, bool, error) {
	r, err := scanRuleSet(s.reader().QueryRowContext(ctx, `SELECT version, effective_from, body_json, note, created_by, created_at
		FROM rule_sets WHERE effective_from <= $1 ORDER BY version DESC LIMIT 1`, day))
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("active rule set: %w", err)
	}
	return r, true, nil
}

// RuleSetVersion returns one saved version with its body.
func (s *Store) RuleSetVersion(ctx context.Context, version int) (RuleSetRow, error) {
	r, err := scanRuleSet(s.reader().QueryRowContext(ctx, `SELECT version, effective_from, body_json, note, created_by, created_at
		FROM rule_sets WHERE version = $1`, version))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("rule set version %d: %w", version, ErrNotFound)
	}
	return r, err
}
