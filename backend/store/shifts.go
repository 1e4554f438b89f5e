package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Shift is one roster entry: who supervises from StartsAt to EndsAt.
type Shift struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	StartsAt     time.Time `json:"starts_at"`
	EndsAt       time.Time `json:"ends_at"`
	SupervisorID int64     `json:"supervisor_id"`
	Supervisor   string    `json:"supervisor"`
	ManagerID    int64     `json:"manager_id,omitempty"`
	Manager      string    `json:"manager,omitempty"`
}

const shiftCols = `s.id, s.name, s.starts_at, s.ends_at, s.supervisor_id, COALESCE(NULLIF(sp.display_name, ''), sp.username, ''),
	COALESCE(s.manager_id, 0), COALESCE(NULLIF(mp.display_name, ''), mp.username, '')`

const shiftFrom = ` FROM shifts s LEFT JOIN people sp ON sp.id = s.supervisor_id LEFT JOIN people mp ON mp.id = s.manager_id`

func scanShift(row interface{ Scan(...any) error }) (Shift, error) {
	var sh Shift
	var from, to string
	err := row.Scan(&sh.ID, &sh.Name, &from, &to, &sh.SupervisorID, &sh.Supervisor, &sh.ManagerID, &sh.Manager)
	sh.StartsAt, _ = ParseTime(from)
	sh.EndsAt, _ = ParseTime(to)
	return sh, err
}

// InsertShift adds a roster entry.
func (s *Store) InsertShift(ctx context.Context, sh Shift, now time.Time) (int64, error) {
	db, err := s.writer()
	if err != nil {
		return 0, err
	}
	var id int64
	err = db.QueryRowContext(ctx, `INSERT INTO shifts (name, starts_at, ends_at, supervisor_id, manager_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, sh.Name, FormatTime(sh.StartsAt), FormatTime(sh.EndsAt), sh.SupervisorID,
		nullID(sh.ManagerID), FormatTime(now)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add shift %s: %w", sh.Name, err)
	}
	return id, nil
}

// Shifts lists shifts overlapping [from, to), earliest first.
func (s *Store) Shifts(ctx context.Context, from, to time.Time) ([]Shift, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+shiftCols+shiftFrom+" WHERE s.ends_at > $1 AND s.starts_at < $2 ORDER BY s.starts_at, s.id",
		FormatTime(from), FormatTime(to))
	if err != nil {
		return nil, fmt.Errorf("shifts: %w", err)
	}
	defer rows.Close()
	out := []Shift{}
	for rows.Next() {
		sh, err := scanShift(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// ShiftAt returns the shift running at t (the latest-starting one if they overlap); false if none.
func (s *Store) ShiftAt(ctx context.Context, t time.Time) (Shift, bool, error) {
	sh, err := scanShift(s.reader().QueryRowContext(ctx, "SELECT "+shiftCols+shiftFrom+
		" WHERE s.starts_at <= $1 AND s.ends_at > $1 ORDER BY s.starts_at DESC, s.id DESC LIMIT 1", FormatTime(t)))
	if errors.Is(err, sql.ErrNoRows) {
		return sh, false, nil
	}
	if err != nil {
		return sh, false, fmt.Errorf("shift at %s: %w", FormatTime(t), err)
	}
	return sh, true, nil
}

// GetShift returns one shift.
func (s *Store) GetShift(ctx context.Context, id int64) (Shift, error) {
	sh, err := scanShift(s.reader().QueryRowContext(ctx, "SELECT "+shiftCols+shiftFrom+" WHERE s.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return sh, fmt.Errorf("shift %d: %w", id, ErrNotFound)
	}
	return sh, err
}

// Handover is one shift change record.
type Handover struct {
	ID             int64     `json:"id"`
	FromShiftID    int64     `json:"from_shift_id,omitempty"`
	ToShiftID      int64     `json:"to_shift_id,omitempty"`
	OutgoingID     int64     `json:"outgoing_id"`
	Outgoing       string    `json:"outgoing"`
	IncomingID     int64     `json:"incoming_id"`
	Incoming       string    `json:"incoming"`
	Notes          string    `json:"notes"`
	ItemsJSON      string    `json:"-"`
	CreatedAt      time.Time `json:"created_at"`
	SignedAt       time.Time `json:"signed_at,omitzero"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	AckNote        string    `json:"ack_note,omitempty"`
	EscalatedAt    time.Time `json:"escalated_at,omitzero"`
	EscalatedToID  int64     `json:"escalated_to_id,omitempty"`
	EscalatedTo    string    `json:"escalated_to,omitempty"`
}

const handoverCols = `h.id, COALESCE(h.from_shift_id, 0), COALESCE(h.to_shift_id, 0), h.outgoing_id, COALESCE(op.username, ''),
	h.incoming_id, COALESCE(ip.username, ''), h.notes, h.items_json, h.created_at, h.signed_at, h.acknowledged_at, h.ack_note,
	h.escalated_at, COALESCE(h.escalated_to, 0), COALESCE(ep.username, '')`

const handoverFrom = ` FROM handovers h LEFT JOIN people op ON op.id = h.outgoing_id LEFT JOIN people ip ON ip.id = h.incoming_id
	LEFT JOIN people ep ON ep.id = h.escalated_to`

func scanHandover(row interface{ Scan(...any) error }) (Handover, error) {
	var h Handover
	var created string
	var signed, acked, escalated sql.NullString
	err := row.Scan(&h.ID, &h.FromShiftID, &h.ToShiftID, &h.OutgoingID, &h.Outgoing, &h.IncomingID, &h.Incoming, &h.Notes,
		&h.ItemsJSON, &created, &signed, &acked, &h.AckNote, &escalated, &h.EscalatedToID, &h.EscalatedTo)
	h.CreatedAt, _ = ParseTime(created)
	h.SignedAt, h.AcknowledgedAt, h.EscalatedAt = parseNullTime(signed), parseNullTime(acked), parseNullTime(escalated)
	return h, err
}

// InsertHandoverTx creates a handover sheet (not yet signed).
func InsertHandoverTx(ctx context.Context, tx *sql.Tx, h Handover) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO handovers (from_shift_id, to_shift_id, outgoing_id, incoming_id, notes, items_json, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, nullID(h.FromShiftID), nullID(h.ToShiftID), h.OutgoingID, h.IncomingID,
		h.Notes, h.ItemsJSON, FormatTime(h.CreatedAt)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create handover: %w", err)
	}
	return id, nil
}

// GetHandover returns one handover.
func (s *Store) GetHandover(ctx context.Context, id int64) (Handover, error) {
	h, err := scanHandover(s.reader().QueryRowContext(ctx, "SELECT "+handoverCols+handoverFrom+" WHERE h.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return h, fmt.Errorf("handover %d: %w", id, ErrNotFound)
	}
	return h, err
}

// Handovers lists handovers, newest first; limit 0 means 100.
func (s *Store) Handovers(ctx context.Context, limit int) ([]Handover, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.reader().QueryContext(ctx, "SELECT "+handoverCols+handoverFrom+" ORDER BY h.created_at DESC, h.id DESC LIMIT $1", limit)
	if err != nil {
		return nil, fmt.Errorf("handovers: %w", err)
	}
	defer rows.Close()
	out := []Handover{}
	for rows.Next() {
		h, err := scanHandover(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// SignHandoverTx records the outgoing supervisor's sign-off; only an unsigned sheet can be signed.
func SignHandoverTx(ctx context.Context, tx *sql.Tx, id int64, notes, itemsJSON string, at time.Time) error {
	res, err := tx.ExecContext(ctx, "UPDATE handovers SET notes = $1, items_json = $2, signed_at = $3 WHERE id = $4 AND signed_at IS NULL",
		notes, itemsJSON, FormatTime(at), id)
	if err != nil {
		return fmt.Errorf("sign handover %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("handover %d is unknown or already signed: %w", id, ErrNotFound)
	}
	return nil
}

// AckHandoverTx records the incoming supervisor's acknowledgement of a signed sheet.
func AckHandoverTx(ctx context.Context, tx *sql.Tx, id int64, note string, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE handovers SET acknowledged_at = $1, ack_note = $2
		WHERE id = $3 AND signed_at IS NOT NULL AND acknowledged_at IS NULL`, FormatTime(at), note, id)
	if err != nil {
		return fmt.Errorf("acknowledge handover %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("handover %d is unknown, not signed yet or already acknowledged: %w", id, ErrNotFound)
	}
	return nil
}

// EscalateHandoverTx records that an unacknowledged handover went to a manager (once).
func EscalateHandoverTx(ctx context.Context, tx *sql.Tx, id, managerID int64, at time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE handovers SET escalated_at = $1, escalated_to = $2
		WHERE id = $3 AND acknowledged_at IS NULL AND escalated_at IS NULL`, FormatTime(at), nullID(managerID), id)
	if err != nil {
		return false, fmt.Errorf("escalate handover %d: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// UnacknowledgedHandovers lists signed, unacknowledged, not yet escalated sheets signed before t.
func (s *Store) UnacknowledgedHandovers(ctx context.Context, signedBefore time.Time) ([]Handover, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+handoverCols+handoverFrom+
		" WHERE h.signed_at IS NOT NULL AND h.signed_at <= $1 AND h.acknowledged_at IS NULL AND h.escalated_at IS NULL ORDER BY h.signed_at",
		FormatTime(signedBefore))
	if err != nil {
		return nil, fmt.Errorf("unacknowledged handovers: %w", err)
	}
	defer rows.Close()
	var out []Handover
	for rows.Next() {
		h, err := scanHandover(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// SetCaseOwnerTx assigns a case (no timeline entry: callers record why).
func SetCaseOwnerTx(ctx context.Context, tx *sql.Tx, caseID, ownerID int64, at time.Time) (previous int64, err error) {
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(owner_id, 0) FROM cases WHERE id = $1", caseID).Scan(&previous); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("case %d: %w", caseID, ErrNotFound)
		}
		return 0, fmt.Errorf("owner of case %d: %w", caseID, err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE cases SET owner_id = $1, updated_at = $2 WHERE id = $3", nullID(ownerID), FormatTime(at), caseID); err != nil {
		return 0, fmt.Errorf("assign case %d: %w", caseID, err)
	}
	return previous, nil
}

// ActivePersonTx returns an active person's username, or ErrNotFound.
func ActivePersonTx(ctx context.Context, tx *sql.Tx, id int64) (string, string, error) {
	var name, role string
	err := tx.QueryRowContext(ctx, "SELECT username, role FROM people WHERE id = $1 AND active = 1", id).Scan(&name, &role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", fmt.Errorf("person %d (no active person with that id): %w", id, ErrNotFound)
	}
	return name, role, err
}

// CaseOwnerTx returns a case's owner id (0: none).
func CaseOwnerTx(ctx context.Context, tx *sql.Tx, caseID int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT COALESCE(owner_id, 0) FROM cases WHERE id = $1", caseID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("case %d: %w", caseID, ErrNotFound)
	}
	return id, err
}

// IncidentOwnerTx returns an incident's owner id (0: none).
func IncidentOwnerTx(ctx context.Context, tx *sql.Tx, id int64) (int64, error) {
	var owner int64
	err := tx.QueryRowContext(ctx, "SELECT COALESCE(owner_id, 0) FROM incidents WHERE id = $1", id).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("incident %d: %w", id, ErrNotFound)
	}
	return owner, err
}
