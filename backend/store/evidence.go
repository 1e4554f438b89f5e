package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"cockpit/backend/evidence"
)

const evidenceColumns = `id, COALESCE(case_id, 0), COALESCE(incident_id, 0), sha256, size, content_type, kind, source,
	filename, COALESCE(raw_item_id, 0), COALESCE(attachment_id, 0), COALESCE(derived_from, 0), note, captured_by, captured_at`

func scanEvidence(row interface{ Scan(...any) error }) (evidence.Item, error) {
	var it evidence.Item
	var kind, at string
	err := row.Scan(&it.ID, &it.CaseID, &it.IncidentID, &it.SHA256, &it.Size, &it.ContentType, &kind, &it.Source,
		&it.Filename, &it.RawItemID, &it.AttachmentID, &it.DerivedFrom, &it.Note, &it.CapturedBy, &at)
	if err != nil {
		return it, err
	}
	it.Kind = evidence.Kind(kind)
	it.CapturedAt, err = ParseTime(at)
	return it, err
}

func optionalID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// AddEvidence inserts an item and its capture entry in one transaction; the same bytes in the same
// folder return the existing item (created=false), so retried collection duplicates nothing.
func (s *Store) AddEvidence(ctx context.Context, it evidence.Item, seal func(id int64) evidence.Custody) (evidence.Item, bool, error) {
	created := false
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var existing evidence.Item
		var err error
		if it.CaseID != 0 {
			existing, err = scanEvidence(tx.QueryRowContext(ctx, "SELECT "+evidenceColumns+" FROM evidence_items WHERE case_id = $1 AND sha256 = $2", it.CaseID, it.SHA256))
		} else {
			existing, err = scanEvidence(tx.QueryRowContext(ctx, "SELECT "+evidenceColumns+" FROM evidence_items WHERE case_id IS NULL AND incident_id = $1 AND sha256 = $2", it.IncidentID, it.SHA256))
		}
		if err == nil {
			it = existing
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO evidence_items (case_id, incident_id, sha256, size, content_type, kind,
			source, filename, raw_item_id, attachment_id, derived_from, note, captured_by, captured_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			optionalID(it.CaseID), optionalID(it.IncidentID), it.SHA256, it.Size, it.ContentType, string(it.Kind), it.Source,
			it.Filename, optionalID(it.RawItemID), optionalID(it.AttachmentID), optionalID(it.DerivedFrom), it.Note, it.CapturedBy,
			FormatTime(it.CapturedAt)).Scan(&it.ID)
		if err != nil {
			return err
		}
		it.CapturedAt = it.CapturedAt.UTC().Truncate(time.Millisecond)
		created = true
		return insertCustody(ctx, tx, seal(it.ID))
	})
	if err != nil {
		return evidence.Item{}, false, fmt.Errorf("add evidence: %w", err)
	}
	return it, created, nil
}

func insertCustody(ctx context.Context, tx *sql.Tx, c evidence.Custody) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO evidence_custody (item_id, seq, at, actor, action, detail_json, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, c.ItemID, c.Seq, FormatTime(c.At), c.Actor, string(c.Action), c.Detail, c.PrevHash, c.Hash)
	if err != nil {
		return fmt.Errorf("custody entry %d of evidence %d: %w", c.Seq, c.ItemID, err)
	}
	return nil
}

const custodyColumns = "id, item_id, seq, at, actor, action, detail_json, prev_hash, hash"

func scanCustody(row interface{ Scan(...any) error }) (evidence.Custody, error) {
	var c evidence.Custody
	var at, action string
	if err := row.Scan(&c.ID, &c.ItemID, &c.Seq, &at, &c.Actor, &action, &c.Detail, &c.PrevHash, &c.Hash); err != nil {
		return c, err
	}
	c.Action = evidence.Action(action)
	var err error
	c.At, err = ParseTime(at)
	return c, err
}

// AppendCustody appends the entry build makes from the item's last entry; the write transaction
// serialises appends, so two viewers cannot fork the chain.
func (s *Store) AppendCustody(ctx context.Context, itemID int64, build func(last *evidence.Custody) evidence.Custody) (evidence.Custody, error) {
	var c evidence.Custody
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM evidence_items WHERE id = $1", itemID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("evidence %d: %w", itemID, ErrNotFound)
		}
		var last *evidence.Custody
		l, err := scanCustody(tx.QueryRowContext(ctx, "SELECT "+custodyColumns+" FROM evidence_custody WHERE item_id = $1 ORDER BY seq DESC LIMIT 1", itemID))
		switch {
		case err == nil:
			last = &l
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		c = build(last)
		return insertCustody(ctx, tx, c)
	})
	return c, err
}

// GetEvidence returns one item.
func (s *Store) GetEvidence(ctx context.Context, id int64) (evidence.Item, error) {
	it, err := scanEvidence(s.reader().QueryRowContext(ctx, "SELECT "+evidenceColumns+" FROM evidence_items WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return it, fmt.Errorf("evidence %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return it, fmt.Errorf("evidence %d: %w", id, err)
	}
	return it, nil
}

// ListEvidence lists a folder in capture order; the zero folder lists everything.
func (s *Store) ListEvidence(ctx context.Context, f evidence.Folder) ([]evidence.Item, error) {
	q := "SELECT " + evidenceColumns + " FROM evidence_items"
	var args []any
	switch {
	case f.CaseID != 0:
		q, args = q+" WHERE case_id = $1", []any{f.CaseID}
	case f.IncidentID != 0:
		q, args = q+" WHERE incident_id = $1", []any{f.IncidentID}
	}
	rows, err := s.reader().QueryContext(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, fmt.Errorf("list evidence: %w", err)
	}
	defer rows.Close()
	out := []evidence.Item{}
	for rows.Next() {
		it, err := scanEvidence(rows)
		if err != nil {
			return nil, fmt.Errorf("list evidence: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// CustodyLogs returns the logs of the given items, each oldest first.
func (s *Store) CustodyLogs(ctx context.Context, itemIDs []int64) (map[int64][]evidence.Custody, error) {
	out := map[int64][]evidence.Custody{}
	err := eachRowOfIDs(ctx, s.reader(), "SELECT "+custodyColumns+" FROM evidence_custody WHERE item_id IN :ids ORDER BY item_id, seq, id", itemIDs,
		func(rows *sql.Rows) error {
			c, err := scanCustody(rows)
			if err != nil {
				return err
			}
			out[c.ItemID] = append(out[c.ItemID], c)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("custody logs: %w", err)
	}
	return out, nil
}

// CaseOriginals lists what ingestion stored for a case: its raw items (not quarantined ones, which
// belong to no case) and their attachments.
func (s *Store) CaseOriginals(ctx context.Context, caseID int64) ([]evidence.Original, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT kind, sha256, size, external_id, id FROM raw_items
		WHERE case_id = $1 AND status <> 'quarantined' ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("originals of case %d: %w", caseID, err)
	}
	out := []evidence.Original{}
	for rows.Next() {
		var o evidence.Original
		var kind, ext string
		if err := rows.Scan(&kind, &o.SHA256, &o.Size, &ext, &o.RawItemID); err != nil {
			rows.Close()
			return nil, err
		}
		o.Kind = evidence.Kind(kind)
		o.Filename = fmt.Sprintf("%s-%d.eml", kind, o.RawItemID)
		if kind != "email" {
			o.Filename = fmt.Sprintf("%s-%d.txt", kind, o.RawItemID)
		}
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.reader().QueryContext(ctx, `SELECT a.id, a.raw_item_id, a.filename, a.content_type, a.sha256, a.size
		FROM attachments a LEFT JOIN raw_items r ON r.id = a.raw_item_id
		WHERE a.case_id = $1 OR (a.case_id IS NULL AND r.case_id = $1) ORDER BY a.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("attachments of case %d: %w", caseID, err)
	}
	defer rows.Close()
	for rows.Next() {
		o := evidence.Original{Kind: evidence.KindAttachment}
		if err := rows.Scan(&o.AttachmentID, &o.RawItemID, &o.Filename, &o.ContentType, &o.SHA256, &o.Size); err != nil {
			return nil, err
		}
		if strings.TrimSpace(o.Filename) == "" {
			o.Filename = fmt.Sprintf("attachment-%d", o.AttachmentID)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
