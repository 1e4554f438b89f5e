package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Incident is a group incident with how many cases it links.
type Incident struct {
	ID          int64     `json:"id"`
	Key         string    `json:"key"`
	Title       string    `json:"title"`
	Level       int       `json:"level"`
	Status      string    `json:"status"` // open | contained | closed
	OwnerID     int64     `json:"owner_id"`
	Owner       string    `json:"owner"`
	OpenedAt    time.Time `json:"opened_at"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	Reason      string    `json:"reason"`
	Customers   int       `json:"customers"`
	WindowStart time.Time `json:"window_start"`
	CaseCount   int       `json:"case_count"`
}

const incidentCols = `i.id, i.incident_key, i.title, i.level, i.status, COALESCE(i.owner_id, 0), COALESCE(p.display_name, p.username, ''),
	i.opened_at, i.closed_at, i.reason, i.customers, i.window_start, (SELECT COUNT(*) FROM cases c WHERE c.incident_id = i.id)`

const incidentFrom = ` FROM incidents i LEFT JOIN people p ON p.id = i.owner_id`

func scanIncident(row interface{ Scan(...any) error }) (Incident, error) {
	var in Incident
	var opened string
	var closed, window sql.NullString
	err := row.Scan(&in.ID, &in.Key, &in.Title, &in.Level, &in.Status, &in.OwnerID, &in.Owner, &opened, &closed, &in.Reason,
		&in.Customers, &window, &in.CaseCount)
	in.OpenedAt, _ = ParseTime(opened)
	in.ClosedAt, in.WindowStart = parseNullTime(closed), parseNullTime(window)
	return in, err
}

// OpenIncidentByKeyTx finds the open (or contained) incident for a key.
func OpenIncidentByKeyTx(ctx context.Context, tx *sql.Tx, key string) (Incident, bool, error) {
	in, err := scanIncident(tx.QueryRowContext(ctx, "SELECT "+incidentCols+incidentFrom+
		" WHERE (i.incident_key = $1 OR i.incident_key LIKE $2) AND i.status <> 'closed' ORDER BY i.id DESC LIMIT 1", key, escapeLike(key)+"@%"))
	if errors.Is(err, sql.ErrNoRows) {
		return in, false, nil
	}
	if err != nil {
		return in, false, fmt.Errorf("incident %s: %w", key, err)
	}
	return in, true, nil
}

// CreateIncidentTx opens an incident. A key whose earlier incident is closed gets "@<opened time>" so
// that a second wave about the same batch is a new incident, not a reopened one.
func CreateIncidentTx(ctx context.Context, tx *sql.Tx, in Incident) (int64, error) {
	key := in.Key
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM incidents WHERE incident_key = $1", key).Scan(&n); err != nil {
		return 0, fmt.Errorf("incident key %s: %w", key, err)
	}
	if n > 0 {
		key += "@" + FormatTime(in.OpenedAt)
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO incidents (incident_key, title, level, status, owner_id, opened_at, reason, customers, window_start)
		VALUES ($1, $2, $3, 'open', $4, $5, $6, $7, $8) RETURNING id`, key, in.Title, in.Level, nullID(in.OwnerID),
		FormatTime(in.OpenedAt), in.Reason, in.Customers, nullTime(in.WindowStart)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("open incident %s: %w", key, err)
	}
	return id, nil
}

// UpdateIncidentCountsTx records the latest distinct-customer count and explanation.
func UpdateIncidentCountsTx(ctx context.Context, tx *sql.Tx, id int64, customers int, reason string) error {
	_, err := tx.ExecContext(ctx, "UPDATE incidents SET customers = $1, reason = $2 WHERE id = $3", customers, reason, id)
	if err != nil {
		return fmt.Errorf("update incident %d: %w", id, err)
	}
	return nil
}

// Incidents lists incidents, newest first; status "" means every status.
func (s *Store) Incidents(ctx context.Context, status string) ([]Incident, error) {
	q := "SELECT " + incidentCols + incidentFrom
	var args []any
	if status != "" {
		q += " WHERE i.status = $1"
		args = append(args, status)
	}
	rows, err := s.reader().QueryContext(ctx, q+" ORDER BY i.opened_at DESC, i.id DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("list incidents: %w", err)
	}
	defer rows.Close()
	out := []Incident{}
	for rows.Next() {
		in, err := scanIncident(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// GetIncident returns one incident.
func (s *Store) GetIncident(ctx context.Context, id int64) (Incident, error) {
	in, err := scanIncident(s.reader().QueryRowContext(ctx, "SELECT "+incidentCols+incidentFrom+" WHERE i.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return in, fmt.Errorf("incident %d: %w", id, ErrNotFound)
	}
	return in, err
}

// SetIncidentStatusTx moves an incident to open, contained or closed.
func SetIncidentStatusTx(ctx context.Context, tx *sql.Tx, id int64, status string, at time.Time) error {
	var closed any
	if status == "closed" {
		closed = FormatTime(at)
	}
	res, err := tx.ExecContext(ctx, "UPDATE incidents SET status = $1, closed_at = $2 WHERE id = $3", status, closed, id)
	if err != nil {
		return fmt.Errorf("incident %d to %s: %w", id, status, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("incident %d: %w", id, ErrNotFound)
	}
	return nil
}

// SetIncidentOwnerTx gives an incident its one owner.
func SetIncidentOwnerTx(ctx context.Context, tx *sql.Tx, id, ownerID int64) error {
	if _, err := tx.ExecContext(ctx, "UPDATE incidents SET owner_id = $1 WHERE id = $2", nullID(ownerID), id); err != nil {
		return fmt.Errorf("owner of incident %d: %w", id, err)
	}
	return nil
}

// ChecklistState is one response step of an incident.
type ChecklistState struct {
	ItemID string    `json:"item_id"`
	DoneAt time.Time `json:"done_at,omitzero"`
	DoneBy string    `json:"done_by,omitempty"`
	Note   string    `json:"note,omitempty"`
}

// IncidentChecklist returns the steps recorded for an incident.
func (s *Store) IncidentChecklist(ctx context.Context, id int64) (map[string]ChecklistState, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT item_id, done_at, done_by, note FROM incident_checklist WHERE incident_id = $1", id)
	if err != nil {
		return nil, fmt.Errorf("checklist of incident %d: %w", id, err)
	}
	defer rows.Close()
	out := map[string]ChecklistState{}
	for rows.Next() {
		var c ChecklistState
		var done sql.NullString
		if err := rows.Scan(&c.ItemID, &done, &c.DoneBy, &c.Note); err != nil {
			return nil, err
		}
		c.DoneAt = parseNullTime(done)
		out[c.ItemID] = c
	}
	return out, rows.Err()
}

// SetChecklistItemTx ticks (or unticks, with a zero time) one response step.
func SetChecklistItemTx(ctx context.Context, tx *sql.Tx, id int64, c ChecklistState) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO incident_checklist (incident_id, item_id, done_at, done_by, note) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (incident_id, item_id) DO UPDATE SET done_at = excluded.done_at, done_by = excluded.done_by, note = excluded.note`,
		id, c.ItemID, nullTime(c.DoneAt), c.DoneBy, c.Note)
	if err != nil {
		return fmt.Errorf("checklist %s of incident %d: %w", c.ItemID, id, err)
	}
	return nil
}

// CaseContact is a case opened at At with its sub-type, for trend alerts.
type CaseContact struct {
	Subtype string
	At      time.Time
}

// CaseContacts lists cases opened in [from, to).
func (s *Store) CaseContacts(ctx context.Context, from, to time.Time) ([]CaseContact, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT subtype, opened_at FROM cases WHERE opened_at >= $1 AND opened_at < $2",
		FormatTime(from), FormatTime(to))
	if err != nil {
		return nil, fmt.Errorf("contacts: %w", err)
	}
	defer rows.Close()
	var out []CaseContact
	for rows.Next() {
		var c CaseContact
		var at string
		if err := rows.Scan(&c.Subtype, &at); err != nil {
			return nil, err
		}
		c.At, _ = ParseTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// TrendAlert is a stored trend alert.
type TrendAlert struct {
	ID             int64     `json:"id"`
	Day            string    `json:"day"`
	Subtype        string    `json:"subtype"`
	Count          int       `json:"count"`
	Total          int       `json:"total"`
	Percent        int       `json:"percent"`
	Response       string    `json:"response"`
	CreatedAt      time.Time `json:"created_at"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	AcknowledgedBy string    `json:"acknowledged_by,omitempty"`
}

// UpsertTrendAlert records a day's trend; counts are refreshed, and created reports a new alert.
func (s *Store) UpsertTrendAlert(ctx context.Context, a TrendAlert) (created bool, err error) {
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		e := tx.QueryRowContext(ctx, "SELECT id FROM trend_alerts WHERE day = $1 AND subtype = $2", a.Day, a.Subtype).Scan(&id)
		switch {
		case errors.Is(e, sql.ErrNoRows):
			created = true
			_, e = tx.ExecContext(ctx, `INSERT INTO trend_alerts (day, subtype, count, total, percent, response, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.Day, a.Subtype, a.Count, a.Total, a.Percent, a.Response, FormatTime(a.CreatedAt))
		case e == nil:
			_, e = tx.ExecContext(ctx, "UPDATE trend_alerts SET count = $1, total = $2, percent = $3 WHERE id = $4", a.Count, a.Total, a.Percent, id)
		}
		return e
	})
	if err != nil {
		return false, fmt.Errorf("trend alert %s %s: %w", a.Day, a.Subtype, err)
	}
	return created, nil
}

// TrendAlerts lists alerts from day (YYYY-MM-DD) on, newest first.
func (s *Store) TrendAlerts(ctx context.Context, fromDay string) ([]TrendAlert, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT id, day, subtype, count, total, percent, response, created_at, acknowledged_at, acknowledged_by
		FROM trend_alerts WHERE day >= $1 ORDER BY day DESC, percent DESC`, fromDay)
	if err != nil {
		return nil, fmt.Errorf("trend alerts: %w", err)
	}
	defer rows.Close()
	out := []TrendAlert{}
	for rows.Next() {
		var a TrendAlert
		var created string
		var ack sql.NullString
		if err := rows.Scan(&a.ID, &a.Day, &a.Subtype, &a.Count, &a.Total, &a.Percent, &a.Response, &created, &ack, &a.AcknowledgedBy); err != nil {
			return nil, err
		}
		a.CreatedAt, _ = ParseTime(created)
		a.AcknowledgedAt = parseNullTime(ack)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AckTrendAlertTx marks an alert as handled.
func AckTrendAlertTx(ctx context.Context, tx *sql.Tx, id int64, by string, at time.Time) error {
	res, err := tx.ExecContext(ctx, "UPDATE trend_alerts SET acknowledged_at = $1, acknowledged_by = $2 WHERE id = $3 AND acknowledged_at IS NULL",
		FormatTime(at), by, id)
	if err != nil {
		return fmt.Errorf("acknowledge trend alert %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("trend alert %d (unknown or already acknowledged): %w", id, ErrNotFound)
	}
	return nil
}

// CaseIDsOfIncident lists the cases linked to an incident.
func (s *Store) CaseIDsOfIncident(ctx context.Context, id int64) ([]int64, error) {
	ids, err := queryIDs(ctx, s.reader(), "SELECT id FROM cases WHERE incident_id = $1 ORDER BY opened_at, id", id)
	if err != nil {
		return nil, fmt.Errorf("cases of incident %d: %w", id, err)
	}
	return ids, nil
}
