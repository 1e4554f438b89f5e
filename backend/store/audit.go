package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AuditRow is one stored audit entry. The hash chain is computed by package audit; the store only keeps
// the columns and the chain head.
type AuditRow struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	DetailJSON string    `json:"detail"`
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
	// RawAt is the stored time text exactly as written; the hash covers it, and a hand-edited time
	// may not parse back to the same text.
	RawAt string `json:"-"`
}

// AuditHead is the id and hash of the last entry ever appended. It lives outside audit_log so that
// deleting the newest rows (which leaves a valid-looking chain behind) is still noticed.
type AuditHead struct {
	ID   int64
	Hash string
}

const auditHeadKey = "audit.head"

// AppendAuditTx appends r inside tx: it assigns the next id and prev_hash from the chain head, lets seal
// fill in r.Hash, inserts the row and moves the head. Holding the write transaction serialises appends,
// so two writers can never chain from the same predecessor.
func AppendAuditTx(ctx context.Context, tx *sql.Tx, r AuditRow, seal func(*AuditRow) error) (AuditRow, error) {
	head, err := auditHead(ctx, tx)
	if err != nil {
		return r, err
	}
	var maxID int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM audit_log").Scan(&maxID); err != nil {
		return r, fmt.Errorf("audit: read last id: %w", err)
	}
	// Continue after whichever is further: a deleted tail leaves a gap that Verify names, a row
	// inserted behind our back is not overwritten.
	r.ID = max(head.ID, maxID) + 1
	r.PrevHash = head.Hash
	r.RawAt = FormatTime(r.At)
	if err := seal(&r); err != nil {
		return r, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (id, at, actor, action, object_type, object_id, detail_json, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		r.ID, r.RawAt, r.Actor, r.Action, r.ObjectType, r.ObjectID, r.DetailJSON, r.PrevHash, r.Hash); err != nil {
		return r, fmt.Errorf("audit: append %s %s/%s: %w", r.Action, r.ObjectType, r.ObjectID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, auditHeadKey, fmt.Sprintf("%d:%s", r.ID, r.Hash)); err != nil {
		return r, fmt.Errorf("audit: move chain head: %w", err)
	}
	return r, nil
}

// AppendAudit appends r in its own write transaction.
func (s *Store) AppendAudit(ctx context.Context, r AuditRow, seal func(*AuditRow) error) (AuditRow, error) {
	var out AuditRow
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = AppendAuditTx(ctx, tx, r, seal)
		return err
	})
	return out, err
}

type queryRower interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func auditHead(ctx context.Context, q queryRower) (AuditHead, error) {
	var v string
	err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", auditHeadKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		// No head yet: an empty log, or one written before the head existed; chain from its last row.
		var h AuditHead
		err = q.QueryRowContext(ctx, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&h.ID, &h.Hash)
		if errors.Is(err, sql.ErrNoRows) {
			return AuditHead{}, nil
		}
		if err != nil {
			return h, fmt.Errorf("audit: read last row: %w", err)
		}
		return h, nil
	}
	if err != nil {
		return AuditHead{}, fmt.Errorf("audit: read chain head: %w", err)
	}
	idText, hash, ok := strings.Cut(v, ":")
	id, perr := strconv.ParseInt(idText, 10, 64)
	if !ok || perr != nil {
		return AuditHead{}, fmt.Errorf("audit: chain head %q is damaged", v)
	}
	return AuditHead{ID: id, Hash: hash}, nil
}

// AuditHead returns the recorded head of the chain (zero for an empty log).
func (s *Store) AuditHead(ctx context.Context) (AuditHead, error) {
	return auditHead(ctx, s.reader())
}

// EachAudit calls fn for every audit row in id order, streaming so that a long log is not held in memory.
func (s *Store) EachAudit(ctx context.Context, fn func(AuditRow) error) error {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+auditColumns+" FROM audit_log ORDER BY id")
	if err != nil {
		return fmt.Errorf("audit: read log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanAudit(rows)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

const auditColumns = "id, at, actor, action, object_type, object_id, detail_json, prev_hash, hash"

func scanAudit(row interface{ Scan(...any) error }) (AuditRow, error) {
	var r AuditRow
	if err := row.Scan(&r.ID, &r.RawAt, &r.Actor, &r.Action, &r.ObjectType, &r.ObjectID, &r.DetailJSON, &r.PrevHash, &r.Hash); err != nil {
		return r, fmt.Errorf("audit: read row: %w", err)
	}
	// A damaged time is left zero rather than failing the read: Verify must still see the row, and
	// RawAt carries the text the hash check needs.
	r.At, _ = ParseTime(r.RawAt)
	return r, nil
}

// AuditFilter narrows an audit listing. Zero values mean "any".
type AuditFilter struct {
	Actor      string
	Action     string
	ObjectType string
	ObjectID   string
	Since      time.Time
	Limit      int
}

// ListAudit returns matching rows, newest first.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditRow, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.Actor != "" {
		where = append(where, "actor = "+arg(f.Actor))
	}
	if f.Action != "" {
		where = append(where, "action = "+arg(f.Action))
	}
	if f.ObjectType != "" {
		where = append(where, "object_type = "+arg(f.ObjectType))
	}
	if f.ObjectID != "" {
		where = append(where, "object_id = "+arg(f.ObjectID))
	}
	if !f.Since.IsZero() {
		where = append(where, "at >= "+arg(FormatTime(f.Since)))
	}
	q := "SELECT " + auditColumns + " FROM audit_log"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC"
	if f.Limit > 0 {
		q += " LIMIT " + arg(f.Limit)
	}
	rows, err := s.reader().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	out := []AuditRow{}
	for rows.Next() {
		r, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
