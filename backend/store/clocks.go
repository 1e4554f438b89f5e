package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"cockpit/backend/cases"
)

// ClockRow is a clock a case carries, as last computed by the engine.
type ClockRow struct {
	CaseID     int64
	ClockID    string
	StartedAt  time.Time
	DueAt      time.Time
	State      string
	Percent    int
	Why        string
	ComputedAt time.Time
}

// ReplaceCaseClocksTx stores the case's clocks, dropping ones that no longer apply. When the clocks,
// their due times and states are what is stored already it writes nothing (readers replay percentages
// and explanations anyway), so refreshing an unchanged case costs no write.
func ReplaceCaseClocksTx(ctx context.Context, tx *sql.Tx, caseID int64, rows []ClockRow) error {
	same, err := sameClocksTx(ctx, tx, caseID, rows)
	if err != nil || same {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM case_clocks WHERE case_id = $1", caseID); err != nil {
		return fmt.Errorf("replace clocks of case %d: %w", caseID, err)
	}
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_clocks (case_id, clock_id, started_at, due_at, state, percent, why, computed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, caseID, r.ClockID, FormatTime(r.StartedAt), nullTime(r.DueAt), r.State, r.Percent,
			r.Why, FormatTime(r.ComputedAt)); err != nil {
			return fmt.Errorf("clock %s of case %d: %w", r.ClockID, caseID, err)
		}
	}
	return nil
}

func clockSig(id string, started, due time.Time, state string) string {
	return id + "|" + FormatTime(started) + "|" + FormatTime(due) + "|" + state
}

func sameClocksTx(ctx context.Context, tx *sql.Tx, caseID int64, rows []ClockRow) (bool, error) {
	q, err := tx.QueryContext(ctx, "SELECT clock_id, started_at, COALESCE(due_at, ''), state FROM case_clocks WHERE case_id = $1", caseID)
	if err != nil {
		return false, fmt.Errorf("clocks of case %d: %w", caseID, err)
	}
	defer q.Close()
	have := map[string]bool{}
	for q.Next() {
		var id, started, due, state string
		if err := q.Scan(&id, &started, &due, &state); err != nil {
			return false, err
		}
		s, _ := ParseTime(started)
		d, _ := ParseTime(due)
		have[clockSig(id, s, d, state)] = true
	}
	if err := q.Err(); err != nil || len(have) != len(rows) {
		return false, err
	}
	for _, r := range rows {
		if !have[clockSig(r.ClockID, r.StartedAt, r.DueAt, r.State)] {
			return false, nil
		}
	}
	return true, nil
}

// CaseClocks returns the stored clocks of the given cases.
func (s *Store) CaseClocks(ctx context.Context, caseIDs []int64) (map[int64][]ClockRow, error) {
	out := map[int64][]ClockRow{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	err := eachRowOfIDs(ctx, s.reader(), `SELECT case_id, clock_id, started_at, due_at, state, percent, why, computed_at
		FROM case_clocks WHERE case_id IN :ids ORDER BY case_id, due_at`, caseIDs, func(rows *sql.Rows) error {
		var r ClockRow
		var started, computed string
		var due sql.NullString
		if err := rows.Scan(&r.CaseID, &r.ClockID, &started, &due, &r.State, &r.Percent, &r.Why, &computed); err != nil {
			return err
		}
		r.StartedAt, _ = ParseTime(started)
		r.ComputedAt, _ = ParseTime(computed)
		r.DueAt = parseNullTime(due)
		out[r.CaseID] = append(out[r.CaseID], r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("case clocks: %w", err)
	}
	return out, nil
}

// ClockEvents returns the timelines of the given cases without message bodies: what clock replays need.
func (s *Store) ClockEvents(ctx context.Context, caseIDs []int64) (map[int64][]cases.Event, error) {
	out := map[int64][]cases.Event{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	err := eachRowOfIDs(ctx, s.reader(), `SELECT id, case_id, kind, channel, actor, occurred_at, summary, data_json
		FROM case_events WHERE case_id IN :ids ORDER BY case_id, occurred_at, id`, caseIDs, func(rows *sql.Rows) error {
		var e cases.Event
		var at string
		if err := rows.Scan(&e.ID, &e.CaseID, &e.Kind, &e.Channel, &e.Actor, &at, &e.Summary, &e.DataJSON); err != nil {
			return err
		}
		e.OccurredAt, _ = ParseTime(at)
		out[e.CaseID] = append(out[e.CaseID], e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("clock events: %w", err)
	}
	return out, nil
}
