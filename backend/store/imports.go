package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Import is one imported file and its figures.
type Import struct {
	ID            int64     `json:"id"`
	SourceID      int64     `json:"source_id"`
	Filename      string    `json:"filename"`
	SHA256        string    `json:"sha256"`
	Size          int64     `json:"size"`
	Format        string    `json:"format"`
	Encoding      string    `json:"encoding"`
	Preset        string    `json:"preset"`
	MappingJSON   string    `json:"mapping_json"`
	RowsTotal     int       `json:"rows_total"`
	RowsImported  int       `json:"rows_imported"`
	RowsDuplicate int       `json:"rows_duplicate"`
	RowsBad       int       `json:"rows_bad"`
	Status        string    `json:"status"` // done | undone
	CreatedAt     time.Time `json:"created_at"`
	CreatedBy     string    `json:"created_by"`
	UndoneAt      time.Time `json:"undone_at,omitzero"`
	UndoneBy      string    `json:"undone_by"`
}

// ImportRow is one row's outcome.
type ImportRow struct {
	ImportID   int64  `json:"import_id"`
	RowNo      int    `json:"row"`
	Status     string `json:"status"` // imported | duplicate | bad | undone
	Reason     string `json:"reason"`
	CellsJSON  string `json:"cells_json"`
	ExternalID string `json:"external_id"`
	RawItemID  int64  `json:"raw_item_id"`
	CaseID     int64  `json:"case_id"`
	NewCase    bool   `json:"new_case"`
}

// EnsureSource returns the id of the source with this name, creating it with kind when missing.
func (s *Store) EnsureSource(ctx context.Context, kind, name, configJSON string, now time.Time) (int64, error) {
	src, err := s.SourceByName(ctx, name)
	if err == nil {
		if src.Kind != kind {
			return 0, fmt.Errorf("source %q is a %s source, not %s", name, src.Kind, kind)
		}
		return src.ID, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return 0, err
	}
	id, err := s.CreateSource(ctx, Source{Kind: kind, Name: name, ConfigJSON: configJSON, Enabled: true}, now)
	if errors.Is(err, ErrDuplicateName) { // created meanwhile by another writer of this process
		src, err := s.SourceByName(ctx, name)
		return src.ID, err
	}
	return id, err
}

// CreateImport records the start of an import.
func (s *Store) CreateImport(ctx context.Context, im Import) (int64, error) {
	var id int64
	db, err := s.writer()
	if err != nil {
		return 0, err
	}
	err = db.QueryRowContext(ctx, `INSERT INTO imports (source_id, filename, sha256, size, format, encoding, preset, mapping_json,
		rows_total, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		im.SourceID, im.Filename, im.SHA256, im.Size, im.Format, im.Encoding, im.Preset, im.MappingJSON, im.RowsTotal,
		FormatTime(im.CreatedAt), im.CreatedBy).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("record import of %s: %w", im.Filename, err)
	}
	return id, nil
}

// FinishImport stores the rows' outcomes and the totals in one transaction.
func (s *Store) FinishImport(ctx context.Context, id int64, rows []ImportRow) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		counts := map[string]int{}
		for _, r := range rows {
			counts[r.Status]++
			if _, err := tx.ExecContext(ctx, `INSERT INTO import_rows (import_id, row_no, status, reason, cells_json, external_id,
				raw_item_id, case_id, new_case) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, id, r.RowNo, r.Status, r.Reason,
				r.CellsJSON, r.ExternalID, ingestNullID(r.RawItemID), ingestNullID(r.CaseID), sqlBool01(r.NewCase)); err != nil {
				return fmt.Errorf("import %d row %d: %w", id, r.RowNo, err)
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE imports SET rows_total = $1, rows_imported = $2, rows_duplicate = $3, rows_bad = $4
			WHERE id = $5`, len(rows), counts["imported"], counts["duplicate"], counts["bad"], id)
		if err != nil {
			return fmt.Errorf("import %d totals: %w", id, err)
		}
		return nil
	})
}

const importColumns = `id, source_id, filename, sha256, size, format, encoding, preset, mapping_json, rows_total, rows_imported,
	rows_duplicate, rows_bad, status, created_at, created_by, undone_at, undone_by`

func scanImport(row interface{ Scan(...any) error }) (Import, error) {
	var im Import
	var created, undone sql.NullString
	err := row.Scan(&im.ID, &im.SourceID, &im.Filename, &im.SHA256, &im.Size, &im.Format, &im.Encoding, &im.Preset,
		&im.MappingJSON, &im.RowsTotal, &im.RowsImported, &im.RowsDuplicate, &im.RowsBad, &im.Status, &created,
		&im.CreatedBy, &undone, &im.UndoneBy)
	im.CreatedAt, im.UndoneAt = parseNullTime(created), parseNullTime(undone)
	return im, err
}

// ListImports returns imports, newest first.
func (s *Store) ListImports(ctx context.Context, limit int) ([]Import, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT `+importColumns+` FROM imports ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list imports: %w", err)
	}
	defer rows.Close()
	out := []Import{}
	for rows.Next() {
		im, err := scanImport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, im)
	}
	return out, rows.Err()
}

// GetImport returns one import.
func (s *Store) GetImport(ctx context.Context, id int64) (Import, error) {
	im, err := scanImport(s.reader().QueryRowContext(ctx, `SELECT `+importColumns+` FROM imports WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return im, fmt.Errorf("import %d: %w", id, ErrNotFound)
	}
	return im, err
}

// ImportRows returns an import's rows in sheet order; status "" means all.
func (s *Store) ImportRows(ctx context.Context, id int64, status string) ([]ImportRow, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT import_id, row_no, status, reason, cells_json, external_id,
		COALESCE(raw_item_id, 0), COALESCE(case_id, 0), new_case FROM import_rows WHERE import_id = $1 AND ($2 = '' OR status = $2)
		ORDER BY row_no`, id, status)
	if err != nil {
		return nil, fmt.Errorf("rows of import %d: %w", id, err)
	}
	defer rows.Close()
	out := []ImportRow{}
	for rows.Next() {
		var r ImportRow
		var nc int
		if err := rows.Scan(&r.ImportID, &r.RowNo, &r.Status, &r.Reason, &r.CellsJSON, &r.ExternalID, &r.RawItemID, &r.CaseID, &nc); err != nil {
			return nil, err
		}
		r.NewCase = nc != 0
		out = append(out, r)
	}
	return out, rows.Err()
}

// UndoResult says what an undo removed.
type UndoResult struct {
	Rows         int `json:"rows"`
	CasesRemoved int `json:"cases_removed"`
	CasesKept    int `json:"cases_kept"` // opened by the import but since used (notes, evidence): kept, closed if empty
}

// dropEmptyCase deletes a case whose timeline holds nothing but what the case engine derived from the
// removed rows (actor "engine": level, flags, incident links; they cascade with the case). When other
// records point at it (evidence, a compensation) the delete is rolled back to a savepoint and the case is
// closed instead.
func dropEmptyCase(ctx context.Context, tx *sql.Tx, caseID int64, now time.Time) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_events WHERE case_id = $1 AND actor <> 'engine'`, caseID).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `SAVEPOINT drop_case`); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM cases WHERE id = $1`, caseID); err == nil {
		_, err = tx.ExecContext(ctx, `RELEASE SAVEPOINT drop_case`)
		return err == nil, err
	}
	if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT drop_case`); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT drop_case`); err != nil {
		return false, err
	}
	_, err := tx.ExecContext(ctx, `UPDATE cases SET status = 'closed', updated_at = $1 WHERE id = $2`, FormatTime(now), caseID)
	return false, err
}

// ErrAlreadyUndone means the import was undone before.
var ErrAlreadyUndone = errors.New("this import was already undone")

// UndoImport removes, in one transaction, every timeline event, attachment record and raw item the import
// added, and the cases it opened that hold nothing else. The file stays in the blob store and the import
// and its rows stay as history. When anything else already refers to those rows (evidence, a filing),
// the whole undo is refused and nothing changes.
func (s *Store) UndoImport(ctx context.Context, id int64, by string, now time.Time) (UndoResult, error) {
	var res UndoResult
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM imports WHERE id = $1`, id).Scan(&status); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("import %d: %w", id, ErrNotFound)
			}
			return err
		}
		if status == "undone" {
			return fmt.Errorf("import %d: %w", id, ErrAlreadyUndone)
		}
		rows, err := tx.QueryContext(ctx, `SELECT raw_item_id, COALESCE(case_id, 0), new_case FROM import_rows
			WHERE import_id = $1 AND status = 'imported' AND raw_item_id IS NOT NULL`, id)
		if err != nil {
			return err
		}
		type item struct {
			raw, caseID int64
			newCase     bool
		}
		var items []item
		for rows.Next() {
			var it item
			var nc int
			if err := rows.Scan(&it.raw, &it.caseID, &nc); err != nil {
				rows.Close()
				return err
			}
			it.newCase = nc != 0
			items = append(items, it)
		}
		rows.Close()
		// First remove everything the rows added, then the cases they opened: a case opened by one row
		// may hold later rows that were linked to it.
		for _, it := range items {
			for _, q := range []string{`DELETE FROM case_events WHERE raw_item_id = $1`, `DELETE FROM attachments WHERE raw_item_id = $1`,
				`DELETE FROM raw_items WHERE id = $1`} {
				if _, err := tx.ExecContext(ctx, q, it.raw); err != nil {
					return undoErr(id, err)
				}
			}
			if it.caseID != 0 {
				if _, err := tx.ExecContext(ctx, `UPDATE cases SET message_count = CASE WHEN message_count > 0 THEN message_count - 1 ELSE 0 END,
					updated_at = $1 WHERE id = $2`, FormatTime(now), it.caseID); err != nil {
					return undoErr(id, err)
				}
			}
			res.Rows++
		}
		for _, it := range items {
			if !it.newCase || it.caseID == 0 {
				continue
			}
			removed, err := dropEmptyCase(ctx, tx, it.caseID, now)
			if err != nil {
				return undoErr(id, err)
			}
			if removed {
				res.CasesRemoved++
			} else {
				res.CasesKept++
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE import_rows SET status = 'undone' WHERE import_id = $1 AND status = 'imported'`, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE imports SET status = 'undone', undone_at = $1, undone_by = $2 WHERE id = $3`, FormatTime(now), by, id)
		return err
	})
	return res, err
}

func undoErr(id int64, err error) error {
	if strings.Contains(strings.ToLower(err.Error()), "foreign key") {
		return fmt.Errorf("undo import %d refused: some of its rows are already used elsewhere (evidence, filings): %w", id, err)
	}
	return fmt.Errorf("undo import %d: %w", id, err)
}
