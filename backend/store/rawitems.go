package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

const rawCols = `id, source_id, folder, uidvalidity, external_id, kind, message_id, sha256, size, status, error,
	COALESCE(case_id, 0), received_at, ingested_at, attempts, mail_flags, expunged_at`

func scanRaw(row interface{ Scan(...any) error }) (RawItem, error) {
	var r RawItem
	var uidv int64
	var received sql.NullString
	var ingested, flags string
	var expunged sql.NullString
	err := row.Scan(&r.ID, &r.SourceID, &r.Folder, &uidv, &r.ExternalID, &r.Kind, &r.MessageID, &r.SHA256, &r.Size,
		&r.Status, &r.Error, &r.CaseID, &received, &ingested, &r.Attempts, &flags, &expunged)
	r.UIDValidity = uint32(uidv)
	r.MailFlags, r.ExpungedAt = splitFlags(flags), parseNullTime(expunged)
	r.ReceivedAt = parseNullTime(received)
	r.IngestedAt, _ = ParseTime(ingested)
	return r, err
}

// GetRawItem returns one raw item.
func (s *Store) GetRawItem(ctx context.Context, id int64) (RawItem, error) {
	r, err := scanRaw(s.reader().QueryRowContext(ctx, `SELECT `+rawCols+` FROM raw_items WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("raw item %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("raw item %d: %w", id, err)
	}
	return r, nil
}

// RawItemFilter narrows ListRawItems; zero values mean any.
type RawItemFilter struct {
	SourceID int64
	Status   string
	Limit    int
}

// ListRawItems returns raw items newest first (the quarantine list is Status "quarantined").
func (s *Store) ListRawItems(ctx context.Context, f RawItemFilter) ([]RawItem, error) {
	if f.Limit <= 0 {
		f.Limit = 500
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT `+rawCols+` FROM raw_items
		WHERE ($1 = 0 OR source_id = $1) AND ($2 = '' OR status = $2) ORDER BY id DESC LIMIT $3`, f.SourceID, f.Status, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list raw items: %w", err)
	}
	defer rows.Close()
	out := []RawItem{}
	for rows.Next() {
		r, err := scanRaw(rows)
		if err != nil {
			return nil, fmt.Errorf("list raw items: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RawItemCounts counts raw items by status (for a source, or all with 0).
func (s *Store) RawItemCounts(ctx context.Context, sourceID int64) (map[string]int, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT status, COUNT(*) FROM raw_items WHERE ($1 = 0 OR source_id = $1) GROUP BY status`, sourceID)
	if err != nil {
		return nil, fmt.Errorf("count raw items: %w", err)
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

// RetryFailed records another failed parse of a quarantined item with the new error.
func (s *Store) RetryFailed(ctx context.Context, id int64, msg string, at time.Time) error {
	_, err := s.exec(ctx, `UPDATE raw_items SET attempts = attempts + 1, error = $1, retried_at = $2 WHERE id = $3`, msg, FormatTime(at), id)
	if err != nil {
		return fmt.Errorf("record retry of raw item %d: %w", id, err)
	}
	return nil
}

// FolderRole returns the role of a source's folder ("complaints" when the folder is not configured).
func (s *Store) FolderRole(ctx context.Context, sourceID int64, folder string) (string, error) {
	var role string
	err := s.reader().QueryRowContext(ctx, `SELECT role FROM source_folders WHERE source_id = $1 AND name = $2`, sourceID, folder).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return "complaints", nil
	}
	if err != nil {
		return "", fmt.Errorf("folder role: %w", err)
	}
	return role, nil
}

// Attachments returns a case's attachments (caseID) or a raw item's (rawItemID when caseID is 0).
func (s *Store) Attachments(ctx context.Context, caseID, rawItemID int64) ([]AttachmentRow, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT id, raw_item_id, COALESCE(case_id, 0), filename, content_type,
		content_id, sha256, size FROM attachments WHERE ($1 <> 0 AND case_id = $1) OR ($1 = 0 AND raw_item_id = $2) ORDER BY id`, caseID, rawItemID)
	if err != nil {
		return nil, fmt.Errorf("attachments: %w", err)
	}
	defer rows.Close()
	out := []AttachmentRow{}
	for rows.Next() {
		var a AttachmentRow
		if err := rows.Scan(&a.ID, &a.RawItemID, &a.CaseID, &a.Filename, &a.ContentType, &a.ContentID, &a.SHA256, &a.Size); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// EventHTML returns the stored (already sanitised) HTML of a timeline event and its raw item.
func (s *Store) EventHTML(ctx context.Context, eventID int64) (html string, rawItemID int64, err error) {
	err = s.reader().QueryRowContext(ctx, `SELECT body_html, COALESCE(raw_item_id, 0) FROM case_events WHERE id = $1`, eventID).Scan(&html, &rawItemID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, fmt.Errorf("event %d: %w", eventID, ErrNotFound)
	}
	if err != nil {
		return "", 0, fmt.Errorf("event %d: %w", eventID, err)
	}
	return html, rawItemID, nil
}

// IngestedCaseCount is how many distinct cases ingested items fed (for benchmarks and status pages).
func (s *Store) IngestedCaseCount(ctx context.Context) (int, error) {
	var n int
	err := s.reader().QueryRowContext(ctx, `SELECT COUNT(DISTINCT case_id) FROM raw_items WHERE status = 'ingested'`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count cases: %w", err)
	}
	return n, nil
}
