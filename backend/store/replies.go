package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ReplyScript is one entry of the reply script library.
type ReplyScript struct {
	ID        int64     `json:"id"`
	Key       string    `json:"key"`
	Category  string    `json:"category"`
	Lang      string    `json:"lang"` // zh-CN | en
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Source    string    `json:"source"`
	Default   bool      `json:"default"` // unedited seed phrasing
	UpdatedAt time.Time `json:"updatedAt"`
	UpdatedBy string    `json:"updatedBy"`
}

// InsertDefaultScripts adds the shipped scripts that were never in the library. Scripts already there
// (edited or deleted) are left alone, so a restart never undoes a supervisor's edit.
func (s *Store) InsertDefaultScripts(ctx context.Context, list []ReplyScript, at time.Time) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range list {
			if _, err := tx.ExecContext(ctx, `INSERT INTO reply_scripts (script_key, category, lang, title, body, source, is_default, updated_at, updated_by)
				VALUES ($1, $2, $3, $4, $5, $6, 1, $7, 'system') ON CONFLICT (script_key) DO NOTHING`,
				r.Key, r.Category, r.Lang, r.Title, r.Body, r.Source, FormatTime(at)); err != nil {
				return fmt.Errorf("default script %s: %w", r.Key, err)
			}
		}
		return nil
	})
}

const scriptColumns = "id, script_key, category, lang, title, body, source, is_default, updated_at, updated_by"

func scanScript(row interface{ Scan(...any) error }) (ReplyScript, error) {
	var r ReplyScript
	var def int
	var at string
	if err := row.Scan(&r.ID, &r.Key, &r.Category, &r.Lang, &r.Title, &r.Body, &r.Source, &def, &at, &r.UpdatedBy); err != nil {
		return r, err
	}
	r.Default = def != 0
	r.UpdatedAt, _ = ParseTime(at)
	return r, nil
}

// ReplyScripts lists the library (lang "" = all languages) by category and title.
func (s *Store) ReplyScripts(ctx context.Context, lang string) ([]ReplyScript, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+scriptColumns+` FROM reply_scripts
		WHERE deleted_at IS NULL AND ($1 = '' OR lang = $1) ORDER BY category, lang DESC, title, id`, lang)
	if err != nil {
		return nil, fmt.Errorf("reply scripts: %w", err)
	}
	defer rows.Close()
	out := []ReplyScript{}
	for rows.Next() {
		r, err := scanScript(rows)
		if err != nil {
			return nil, fmt.Errorf("reply scripts: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReplyScript returns one live script by key.
func (s *Store) ReplyScript(ctx context.Context, key string) (ReplyScript, error) {
	r, err := scanScript(s.reader().QueryRowContext(ctx, "SELECT "+scriptColumns+" FROM reply_scripts WHERE script_key = $1 AND deleted_at IS NULL", key))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("script %q: %w", key, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("script %q: %w", key, err)
	}
	return r, nil
}

// SaveReplyScript creates or edits the script r.Key (an edit clears is_default; a deleted key comes
// back), then runs also in the same transaction for the audit entry.
func (s *Store) SaveReplyScript(ctx context.Context, r ReplyScript, at time.Time, also func(*sql.Tx) error) (ReplyScript, error) {
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = scanScript(tx.QueryRowContext(ctx, `INSERT INTO reply_scripts (script_key, category, lang, title, body, source, is_default, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)
			ON CONFLICT (script_key) DO UPDATE SET category = excluded.category, lang = excluded.lang, title = excluded.title,
				body = excluded.body, is_default = 0, updated_at = excluded.updated_at, updated_by = excluded.updated_by, deleted_at = NULL
			RETURNING `+scriptColumns, r.Key, r.Category, r.Lang, r.Title, r.Body, r.Source, FormatTime(at), r.UpdatedBy))
		if err != nil {
			return fmt.Errorf("save script %q: %w", r.Key, err)
		}
		return also(tx)
	})
	return r, err
}

// DeleteReplyScript hides a script (kept for replies that cite it), with also in the same transaction.
func (s *Store) DeleteReplyScript(ctx context.Context, key, by string, at time.Time, also func(*sql.Tx) error) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE reply_scripts SET deleted_at = $1, updated_by = $2 WHERE script_key = $3 AND deleted_at IS NULL",
			FormatTime(at), by, key)
		if err != nil {
			return fmt.Errorf("delete script %q: %w", key, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("script %q: %w", key, ErrNotFound)
		}
		return also(tx)
	})
}

// CaseReply is a drafted reply recorded on a case timeline (kind "reply"; sending is not Cockpit's job).
type CaseReply struct {
	CaseID   int64
	Actor    string
	At       time.Time
	Channel  string // the channel it is meant for: email | helpdesk | regulator
	Summary  string
	Body     string
	DataJSON string
}

// AddCaseReply appends r to its case timeline and runs also(tx, eventID) in the same transaction.
func (s *Store) AddCaseReply(ctx context.Context, r CaseReply, also func(tx *sql.Tx, eventID int64) error) (int64, error) {
	var id int64
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO case_events (case_id, kind, channel, actor, occurred_at, summary, body_text, data_json)
			SELECT id, 'reply', $2, $3, $4, $5, $6, $7 FROM cases WHERE id = $1 RETURNING id`,
			r.CaseID, r.Channel, r.Actor, FormatTime(r.At), r.Summary, r.Body, r.DataJSON).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("case %d: %w", r.CaseID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("record reply on case %d: %w", r.CaseID, err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE cases SET updated_at = $1 WHERE id = $2", FormatTime(r.At), r.CaseID); err != nil {
			return fmt.Errorf("record reply on case %d: %w", r.CaseID, err)
		}
		return also(tx, id)
	})
	return id, err
}
