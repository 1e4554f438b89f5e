package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// DueClock is a running clock of an open case, for the tray companion's counts and reminders.
type DueClock struct {
	CaseID int64
	Title  string
	Level  int
	// Owner is the owner's username ("" when the case has none): the tray reminds users of their own cases.
	Owner   string
	ClockID string
	DueAt   time.Time
	State   string
}

// DueClocks lists the clocks of open and pending cases that fall due before until, breached ones
// included, soonest first. Met and paused clocks are left out: they cannot breach while so.
func (s *Store) DueClocks(ctx context.Context, until time.Time) ([]DueClock, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT cc.case_id, c.title, c.level, COALESCE(p.username, ''), cc.clock_id,
		cc.due_at, cc.state
		FROM case_clocks cc JOIN cases c ON c.id = cc.case_id LEFT JOIN people p ON p.id = c.owner_id
		WHERE c.status IN ('open', 'pending') AND cc.due_at IS NOT NULL AND cc.due_at < $1
		  AND cc.state NOT IN ('met', 'paused')
		ORDER BY cc.due_at, cc.case_id, cc.clock_id`, FormatTime(until))
	if err != nil {
		return nil, fmt.Errorf("due clocks: %w", err)
	}
	defer rows.Close()
	out := []DueClock{}
	for rows.Next() {
		var d DueClock
		var due sql.NullString
		if err := rows.Scan(&d.CaseID, &d.Title, &d.Level, &d.Owner, &d.ClockID, &due, &d.State); err != nil {
			return nil, fmt.Errorf("due clocks: %w", err)
		}
		d.DueAt = parseNullTime(due)
		out = append(out, d)
	}
	return out, rows.Err()
}
