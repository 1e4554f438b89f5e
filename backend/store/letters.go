package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Letter is a file from the letters folder with what was read from it and, once decided, where it went.
type Letter struct {
	ID             int64     `json:"id"`
	SourceID       int64     `json:"source_id"`
	Filename       string    `json:"filename"`
	SHA256         string    `json:"sha256"`
	Size           int64     `json:"size"`
	Format         string    `json:"format"`
	Text           string    `json:"text"`
	TextStatus     string    `json:"text_status"` // text | no_text | error
	Note           string    `json:"note"`
	WorkOrderNo    string    `json:"work_order_no"`
	Office         string    `json:"office"`
	ReceivedOn     time.Time `json:"received_on,omitzero"`
	StatedDeadline time.Time `json:"stated_deadline,omitzero"`
	DeadlineText   string    `json:"deadline_text"`
	Status         string    `json:"status"` // proposed | filed | dismissed
	CaseID         int64     `json:"case_id"`
	RawItemID      int64     `json:"raw_item_id"`
	FoundAt        time.Time `json:"found_at"`
	DecidedAt      time.Time `json:"decided_at,omitzero"`
	DecidedBy      string    `json:"decided_by"`
}

// AddLetter records a newly found file; created is false when the same bytes were found before in this
// source (the existing letter's id is returned).
func (s *Store) AddLetter(ctx context.Context, l Letter) (id int64, created bool, err error) {
	db, err := s.writer()
	if err != nil {
		return 0, false, err
	}
	err = db.QueryRowContext(ctx, `INSERT INTO letters (source_id, filename, sha256, size, format, text, text_status, note,
		work_order_no, office, received_on, stated_deadline, deadline_text, found_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (source_id, sha256) DO NOTHING RETURNING id`,
		l.SourceID, l.Filename, l.SHA256, l.Size, l.Format, l.Text, l.TextStatus, l.Note, l.WorkOrderNo, l.Office,
		nullTime(l.ReceivedOn), nullTime(l.StatedDeadline), l.DeadlineText, FormatTime(l.FoundAt)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = db.QueryRowContext(ctx, `SELECT id FROM letters WHERE source_id = $1 AND sha256 = $2`, l.SourceID, l.SHA256).Scan(&id)
		return id, false, err
	}
	if err != nil {
		return 0, false, fmt.Errorf("record letter %s: %w", l.Filename, err)
	}
	return id, true, nil
}

// LetterIDBySHA returns the letter with these bytes in the source, 0 when there is none (so a scan need
// not read the same file twice).
func (s *Store) LetterIDBySHA(ctx context.Context, sourceID int64, sha string) (int64, error) {
	var id int64
	err := s.reader().QueryRowContext(ctx, `SELECT id FROM letters WHERE source_id = $1 AND sha256 = $2`, sourceID, sha).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("find letter: %w", err)
	}
	return id, nil
}

const letterColumns = `id, source_id, filename, sha256, size, format, text, text_status, note, work_order_no, office,
	received_on, stated_deadline, deadline_text, status, COALESCE(case_id, 0), COALESCE(raw_item_id, 0), found_at, decided_at, decided_by`

func scanLetter(row interface{ Scan(...any) error }) (Letter, error) {
	var l Letter
	var recv, dl, found, decided sql.NullString
	err := row.Scan(&l.ID, &l.SourceID, &l.Filename, &l.SHA256, &l.Size, &l.Format, &l.Text, &l.TextStatus, &l.Note,
		&l.WorkOrderNo, &l.Office, &recv, &dl, &l.DeadlineText, &l.Status, &l.CaseID, &l.RawItemID, &found, &decided, &l.DecidedBy)
	l.ReceivedOn, l.StatedDeadline, l.FoundAt, l.DecidedAt = parseNullTime(recv), parseNullTime(dl), parseNullTime(found), parseNullTime(decided)
	return l, err
}

// ListLetters returns letters with the status ("" = all), newest first.
func (s *Store) ListLetters(ctx context.Context, status string, limit int) ([]Letter, error) {
	if limit <= 0 {
		limit = 200
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT `+letterColumns+` FROM letters WHERE ($1 = '' OR status = $1)
		ORDER BY id DESC LIMIT $2`, status, limit)
	if err != nil {
		return nil, fmt.Errorf("list letters: %w", err)
	}
	defer rows.Close()
	out := []Letter{}
	for rows.Next() {
		l, err := scanLetter(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// GetLetter returns one letter.
func (s *Store) GetLetter(ctx context.Context, id int64) (Letter, error) {
	l, err := scanLetter(s.reader().QueryRowContext(ctx, `SELECT `+letterColumns+` FROM letters WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return l, fmt.Errorf("letter %d: %w", id, ErrNotFound)
	}
	return l, err
}

// ErrLetterDecided means the letter was already filed or dismissed.
var ErrLetterDecided = errors.New("this letter was already decided")

// DecideLetter records the confirmed fields and the decision (filed into case/raw item, or dismissed).
// Only a proposed letter can be decided, so two people cannot file the same letter twice.
func (s *Store) DecideLetter(ctx context.Context, l Letter) error {
	res, err := s.exec(ctx, `UPDATE letters SET status = $1, work_order_no = $2, office = $3, received_on = $4, stated_deadline = $5,
		case_id = $6, raw_item_id = $7, decided_at = $8, decided_by = $9, note = $10 WHERE id = $11 AND status = 'proposed'`,
		l.Status, l.WorkOrderNo, l.Office, nullTime(l.ReceivedOn), nullTime(l.StatedDeadline), ingestNullID(l.CaseID),
		ingestNullID(l.RawItemID), FormatTime(l.DecidedAt), l.DecidedBy, l.Note, l.ID)
	if err != nil {
		return fmt.Errorf("decide letter %d: %w", l.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("letter %d: %w", l.ID, ErrLetterDecided)
	}
	return nil
}

// LetterCounts counts a source's letters by status (proposed, filed, dismissed).
func (s *Store) LetterCounts(ctx context.Context, sourceID int64) (map[string]int, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT status, COUNT(*) FROM letters WHERE source_id = $1 GROUP BY status`, sourceID)
	if err != nil {
		return nil, fmt.Errorf("count letters: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}
