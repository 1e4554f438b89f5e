package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Source is one feed of raw items (an IMAP account, a helpdesk, ...). Config is the kind-specific JSON
// (host, port, user ...); secrets never go in it.
type Source struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"`
	Name       string    `json:"name"`
	ConfigJSON string    `json:"config_json"`
	Enabled    bool      `json:"enabled"`
	CreatedAt  time.Time `json:"created_at"`
	LastRunAt  time.Time `json:"last_run_at"`
	LastError  string    `json:"last_error"`
	Folders    []Folder  `json:"folders"`
}

// Folder is a mailbox (or other sub-feed) of a source with its role and sync state.
type Folder struct {
	ID               int64     `json:"id"`
	SourceID         int64     `json:"source_id"`
	Name             string    `json:"name"`
	Role             string    `json:"role"` // complaints | regulator
	UIDValidity      uint32    `json:"uidvalidity"`
	UIDNext          uint32    `json:"uidnext"`
	LastUID          uint32    `json:"last_uid"`
	HighestModSeq    uint64    `json:"highest_modseq"`
	LastSyncAt       time.Time `json:"last_sync_at"`
	LastError        string    `json:"last_error"`
	MessageCount     int       `json:"message_count"`
	QuarantinedCount int       `json:"quarantined_count"`
	DuplicateCount   int       `json:"duplicate_count"`
	RemovedCount     int       `json:"removed_count"` // mirrored, then deleted on the server (Cockpit keeps them)
	// FlagsCheckedAt is when a sync last listed every mirrored message's flags, which it does on a
	// server without CONDSTORE (zero: not yet under this UIDVALIDITY).
	FlagsCheckedAt time.Time `json:"flags_checked_at"`
}

// ErrDuplicateName means a source with that name exists.
var ErrDuplicateName = errors.New("a source with this name already exists")

// CreateSource inserts a source and its folders in one transaction.
func (s *Store) CreateSource(ctx context.Context, src Source, now time.Time) (int64, error) {
	var id int64
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO sources (kind, name, config_json, enabled, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, src.Kind, src.Name, src.ConfigJSON, sqlBool01(src.Enabled), FormatTime(now)).Scan(&id)
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return fmt.Errorf("source %q: %w", src.Name, ErrDuplicateName)
			}
			return fmt.Errorf("create source %q: %w", src.Name, err)
		}
		for _, f := range src.Folders {
			if _, err := tx.ExecContext(ctx, `INSERT INTO source_folders (source_id, name, role) VALUES ($1, $2, $3)`,
				id, f.Name, f.Role); err != nil {
				return fmt.Errorf("add folder %q: %w", f.Name, err)
			}
		}
		return nil
	})
	return id, err
}

// UpdateSourceConfig replaces a source's config, enabled flag and folder roles. Folders not listed are
// removed (their raw items stay); existing ones keep their sync state.
func (s *Store) UpdateSourceConfig(ctx context.Context, src Source) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sources SET config_json = $1, enabled = $2 WHERE id = $3`,
			src.ConfigJSON, sqlBool01(src.Enabled), src.ID)
		if err != nil {
			return fmt.Errorf("update source %d: %w", src.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("source %d: %w", src.ID, ErrNotFound)
		}
		keep := make([]any, 0, len(src.Folders)+1)
		keep = append(keep, src.ID)
		var ph []string
		for _, f := range src.Folders {
			if _, err := tx.ExecContext(ctx, `INSERT INTO source_folders (source_id, name, role) VALUES ($1, $2, $3)
				ON CONFLICT (source_id, name) DO UPDATE SET role = excluded.role`, src.ID, f.Name, f.Role); err != nil {
				return fmt.Errorf("folder %q: %w", f.Name, err)
			}
			keep = append(keep, f.Name)
			ph = append(ph, fmt.Sprintf("$%d", len(keep)))
		}
		q := `DELETE FROM source_folders WHERE source_id = $1`
		if len(ph) > 0 {
			q += ` AND name NOT IN (` + strings.Join(ph, ",") + `)`
		}
		if _, err := tx.ExecContext(ctx, q, keep...); err != nil {
			return fmt.Errorf("drop folders: %w", err)
		}
		return nil
	})
}

// DeleteSource removes a source and its folders. Raw items and cases it fed are evidence and stay, so a
// source that has fed anything is disabled instead; deleted reports which happened.
func (s *Store) DeleteSource(ctx context.Context, id int64) (deleted bool, err error) {
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM raw_items WHERE source_id = $1`, id).Scan(&n); err != nil {
			return fmt.Errorf("source %d: %w", id, err)
		}
		var res sql.Result
		if n > 0 {
			res, err = tx.ExecContext(ctx, `UPDATE sources SET enabled = 0, name = name || ' (removed ' || id || ')' WHERE id = $1 AND enabled = 1`, id)
		} else {
			deleted = true
			res, err = tx.ExecContext(ctx, `DELETE FROM sources WHERE id = $1`, id)
		}
		if err != nil {
			return fmt.Errorf("remove source %d: %w", id, err)
		}
		if c, _ := res.RowsAffected(); c == 0 {
			return fmt.Errorf("source %d: %w", id, ErrNotFound)
		}
		return nil
	})
	return deleted, err
}

const sourceCols = `id, kind, name, config_json, enabled, created_at, last_run_at, last_error`

func scanSource(row interface{ Scan(...any) error }) (Source, error) {
	var src Source
	var enabled int
	var created string
	var last sql.NullString
	if err := row.Scan(&src.ID, &src.Kind, &src.Name, &src.ConfigJSON, &enabled, &created, &last, &src.LastError); err != nil {
		return src, err
	}
	src.Enabled = enabled != 0
	src.CreatedAt, _ = ParseTime(created)
	src.LastRunAt = parseNullTime(last)
	src.Folders = []Folder{}
	return src, nil
}

// ListSources returns all sources (kind "" = every kind) with their folders, by name.
func (s *Store) ListSources(ctx context.Context, kind string) ([]Source, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE ($1 = '' OR kind = $1) ORDER BY name`, kind)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	var out []Source
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list sources: %w", err)
		}
		out = append(out, src)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Folders, err = s.Folders(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// GetSource returns one source with its folders.
func (s *Store) GetSource(ctx context.Context, id int64) (Source, error) {
	src, err := scanSource(s.reader().QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return src, fmt.Errorf("source %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return src, fmt.Errorf("source %d: %w", id, err)
	}
	src.Folders, err = s.Folders(ctx, id)
	return src, err
}

// SourceByName finds a source by its unique name.
func (s *Store) SourceByName(ctx context.Context, name string) (Source, error) {
	var id int64
	err := s.reader().QueryRowContext(ctx, `SELECT id FROM sources WHERE name = $1`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Source{}, fmt.Errorf("source %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return Source{}, fmt.Errorf("source %q: %w", name, err)
	}
	return s.GetSource(ctx, id)
}

// Folders lists a source's folders by name.
func (s *Store) Folders(ctx context.Context, sourceID int64) ([]Folder, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT id, source_id, name, role, uidvalidity, uidnext, last_uid,
		highest_modseq, last_sync_at, last_error, message_count, quarantined_count, duplicate_count, removed_count,
		flags_checked_at FROM source_folders WHERE source_id = $1 ORDER BY name`, sourceID)
	if err != nil {
		return nil, fmt.Errorf("folders of source %d: %w", sourceID, err)
	}
	defer rows.Close()
	out := []Folder{}
	for rows.Next() {
		var f Folder
		var last, flagsChecked sql.NullString
		var modseq int64
		if err := rows.Scan(&f.ID, &f.SourceID, &f.Name, &f.Role, &f.UIDValidity, &f.UIDNext, &f.LastUID, &modseq,
			&last, &f.LastError, &f.MessageCount, &f.QuarantinedCount, &f.DuplicateCount, &f.RemovedCount, &flagsChecked); err != nil {
			return nil, fmt.Errorf("folders of source %d: %w", sourceID, err)
		}
		f.HighestModSeq = uint64(modseq)
		f.LastSyncAt = parseNullTime(last)
		f.FlagsCheckedAt = parseNullTime(flagsChecked)
		out = append(out, f)
	}
	return out, rows.Err()
}

// ResetFolder records a new UIDVALIDITY: the high-water mark starts again at 0 and the folder is mirrored
// again; the dedupe on Message-ID + SHA-256 keeps that from duplicating anything.
func (s *Store) ResetFolder(ctx context.Context, folderID int64, uidValidity uint32) error {
	// Only when it really changed: two syncs meeting a new folder must not reset each other's progress.
	_, err := s.exec(ctx, `UPDATE source_folders SET uidvalidity = $1, last_uid = 0, uidnext = 0, highest_modseq = 0,
		flags_checked_at = NULL WHERE id = $2 AND uidvalidity <> $1`,
		int64(uidValidity), folderID)
	if err != nil {
		return fmt.Errorf("reset folder %d: %w", folderID, err)
	}
	return nil
}

// FolderSynced records the end of a folder pass: the server's UIDNEXT, and the error if any ("" clears
// it). The high-water mark moves only with each committed message (see IngestTx.AdvanceFolder), the
// MODSEQ only once the changes up to it are recorded (FolderModSeq).
func (s *Store) FolderSynced(ctx context.Context, folderID int64, uidNext uint32, at time.Time, lastErr string) error {
	_, err := s.exec(ctx, `UPDATE source_folders SET uidnext = CASE WHEN $1 > 0 THEN $1 ELSE uidnext END,
		last_sync_at = $2, last_error = $3 WHERE id = $4`,
		int64(uidNext), FormatTime(at), lastErr, folderID)
	if err != nil {
		return fmt.Errorf("record folder %d sync: %w", folderID, err)
	}
	return nil
}

// SourceRan records a finished run of a source.
func (s *Store) SourceRan(ctx context.Context, sourceID int64, at time.Time, lastErr string) error {
	if _, err := s.exec(ctx, `UPDATE sources SET last_run_at = $1, last_error = $2 WHERE id = $3`, FormatTime(at), lastErr, sourceID); err != nil {
		return fmt.Errorf("record source %d run: %w", sourceID, err)
	}
	return nil
}

func sqlBool01(b bool) int {
	if b {
		return 1
	}
	return 0
}
