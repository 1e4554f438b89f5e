package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cockpit/backend/filings"
)

const matterColumns = `id, case_id, type, title, regulator, work_order_no, received_at, COALESCE(owner_id, 0), owner, status,
	ready_at, submitted_at, replied_at, closed_at, created_at, updated_at`

func scanMatter(row interface{ Scan(...any) error }) (filings.Matter, error) {
	var m filings.Matter
	var typ, status, received, created, updated string
	var ready, submitted, replied, closed sql.NullString
	if err := row.Scan(&m.ID, &m.CaseID, &typ, &m.Title, &m.Regulator, &m.WorkOrderNo, &received, &m.OwnerID, &m.Owner,
		&status, &ready, &submitted, &replied, &closed, &created, &updated); err != nil {
		return m, err
	}
	m.Type, m.Status = filings.MatterType(typ), filings.Status(status)
	m.ReceivedAt, _ = ParseTime(received)
	m.CreatedAt, _ = ParseTime(created)
	m.UpdatedAt, _ = ParseTime(updated)
	m.ReadyAt, m.SubmittedAt = parseNullTime(ready), parseNullTime(submitted)
	m.RepliedAt, m.ClosedAt = parseNullTime(replied), parseNullTime(closed)
	return m, nil
}

func insertChecklistItem(ctx context.Context, tx *sql.Tx, it filings.Item) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO checklist_items (case_id, matter_id, template, code, label_zh, label_en,
		basis, grp, required, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		it.CaseID, optionalID(it.MatterID), it.Template, it.Code, it.ZH, it.EN, it.Basis, it.Group, boolInt(!it.Optional), it.Position)
	return err
}

// CreateMatter inserts a matter and its checklist in one transaction.
func (s *Store) CreateMatter(ctx context.Context, m filings.Matter, items []filings.Item) (filings.Matter, error) {
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO filing_matters (case_id, type, title, regulator, work_order_no,
			received_at, owner_id, owner, status, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			m.CaseID, string(m.Type), m.Title, m.Regulator, m.WorkOrderNo, FormatTime(m.ReceivedAt), optionalID(m.OwnerID),
			m.Owner, string(m.Status), FormatTime(m.CreatedAt), FormatTime(m.UpdatedAt)).Scan(&m.ID)
		if err != nil {
			return err
		}
		for _, it := range items {
			it.MatterID = m.ID
			if err := insertChecklistItem(ctx, tx, it); err != nil {
				return fmt.Errorf("checklist item %s: %w", it.Code, err)
			}
		}
		return nil
	})
	if err != nil {
		return m, fmt.Errorf("create matter: %w", err)
	}
	return s.GetMatter(ctx, m.ID)
}

// GetMatter returns one matter.
func (s *Store) GetMatter(ctx context.Context, id int64) (filings.Matter, error) {
	m, err := scanMatter(s.reader().QueryRowContext(ctx, "SELECT "+matterColumns+" FROM filing_matters WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("matter %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return m, fmt.Errorf("matter %d: %w", id, err)
	}
	return m, nil
}

// ListMatters returns a case's matters, oldest first.
func (s *Store) ListMatters(ctx context.Context, caseID int64) ([]filings.Matter, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+matterColumns+" FROM filing_matters WHERE case_id = $1 ORDER BY id", caseID)
	if err != nil {
		return nil, fmt.Errorf("matters of case %d: %w", caseID, err)
	}
	defer rows.Close()
	out := []filings.Matter{}
	for rows.Next() {
		m, err := scanMatter(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

var statusDateColumn = map[filings.Status]string{
	filings.StatusReady: "ready_at", filings.StatusSubmitted: "submitted_at",
	filings.StatusReplied: "replied_at", filings.StatusClosed: "closed_at",
}

// MoveMatter changes the status only if it is still from (a concurrent move loses cleanly).
func (s *Store) MoveMatter(ctx context.Context, id int64, from, to filings.Status, at time.Time) error {
	set := "status = $1, updated_at = $2"
	if col, ok := statusDateColumn[to]; ok {
		set += ", " + col + " = $2"
	}
	res, err := s.exec(ctx, "UPDATE filing_matters SET "+set+" WHERE id = $3 AND status = $4", string(to), FormatTime(at), id, string(from))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("matter %d is no longer %s", id, from)
	}
	return nil
}

// AddChecklistItems inserts the scenario items a case lacks and returns how many were new.
func (s *Store) AddChecklistItems(ctx context.Context, items []filings.Item) (int, error) {
	added := 0
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		for _, it := range items {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM checklist_items WHERE case_id = $1 AND matter_id IS NULL AND code = $2",
				it.CaseID, it.Code).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			if err := insertChecklistItem(ctx, tx, it); err != nil {
				return fmt.Errorf("checklist item %s: %w", it.Code, err)
			}
			added++
		}
		return nil
	})
	return added, err
}

const checklistColumns = `ci.id, ci.case_id, COALESCE(ci.matter_id, 0), ci.template, ci.code, ci.label_zh, ci.label_en, ci.basis,
	ci.grp, ci.required, ci.position, ci.signed_by, ci.signed_at, ci.note, COALESCE(fm.status, '')`

const checklistFrom = ` FROM checklist_items ci LEFT JOIN filing_matters fm ON fm.id = ci.matter_id`

func scanChecklistItem(row interface{ Scan(...any) error }) (filings.Item, error) {
	var it filings.Item
	var required int
	var signed sql.NullString
	var status string
	err := row.Scan(&it.ID, &it.CaseID, &it.MatterID, &it.Template, &it.Code, &it.ZH, &it.EN, &it.Basis, &it.Group,
		&required, &it.Position, &it.SignedBy, &signed, &it.Note, &status)
	it.Optional = required == 0
	it.SignedAt = parseNullTime(signed)
	it.MatterStatus = filings.Status(status)
	it.EvidenceIDs = []int64{}
	return it, err
}

// ChecklistItems returns the checklist items of the cases with their evidence links, per case ordered by
// matter (scenario items first) and position.
func (s *Store) ChecklistItems(ctx context.Context, caseIDs []int64) (map[int64][]filings.Item, error) {
	out := map[int64][]filings.Item{}
	index := map[int64][2]int{} // item id -> case id, position in out[case]
	err := eachRowOfIDs(ctx, s.reader(), "SELECT "+checklistColumns+checklistFrom+" WHERE ci.case_id IN :ids"+
		" ORDER BY ci.case_id, COALESCE(ci.matter_id, 0), ci.template, ci.position, ci.id", caseIDs, func(rows *sql.Rows) error {
		it, err := scanChecklistItem(rows)
		if err != nil {
			return err
		}
		index[it.ID] = [2]int{int(it.CaseID), len(out[it.CaseID])}
		out[it.CaseID] = append(out[it.CaseID], it)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("checklists: %w", err)
	}
	err = eachRowOfIDs(ctx, s.reader(), `SELECT l.item_id, l.evidence_id FROM checklist_links l
		JOIN checklist_items ci ON ci.id = l.item_id WHERE ci.case_id IN :ids ORDER BY l.item_id, l.evidence_id`, caseIDs, func(rows *sql.Rows) error {
		var itemID, evID int64
		if err := rows.Scan(&itemID, &evID); err != nil {
			return err
		}
		if at, ok := index[itemID]; ok {
			list := out[int64(at[0])]
			list[at[1]].EvidenceIDs = append(list[at[1]].EvidenceIDs, evID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("checklist links: %w", err)
	}
	return out, nil
}

// GetChecklistItem returns one item with its links.
func (s *Store) GetChecklistItem(ctx context.Context, id int64) (filings.Item, error) {
	it, err := scanChecklistItem(s.reader().QueryRowContext(ctx, "SELECT "+checklistColumns+checklistFrom+" WHERE ci.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return it, fmt.Errorf("checklist item %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return it, fmt.Errorf("checklist item %d: %w", id, err)
	}
	rows, err := s.reader().QueryContext(ctx, "SELECT evidence_id FROM checklist_links WHERE item_id = $1 ORDER BY evidence_id", id)
	if err != nil {
		return it, err
	}
	defer rows.Close()
	for rows.Next() {
		var ev int64
		if err := rows.Scan(&ev); err != nil {
			return it, err
		}
		it.EvidenceIDs = append(it.EvidenceIDs, ev)
	}
	return it, rows.Err()
}

// LinkEvidence links evidence to a checklist item; linking twice is a no-op.
func (s *Store) LinkEvidence(ctx context.Context, itemID, evidenceID int64, by string, at time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO checklist_links (item_id, evidence_id, linked_by, linked_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (item_id, evidence_id) DO NOTHING`, itemID, evidenceID, by, FormatTime(at))
	return err
}

// UnlinkEvidence removes a link and the item's sign-off in one transaction.
func (s *Store) UnlinkEvidence(ctx context.Context, itemID, evidenceID int64) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM checklist_links WHERE item_id = $1 AND evidence_id = $2", itemID, evidenceID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("evidence %d is not linked to checklist item %d: %w", evidenceID, itemID, ErrNotFound)
		}
		_, err = tx.ExecContext(ctx, "UPDATE checklist_items SET signed_by = '', signed_at = NULL WHERE id = $1", itemID)
		return err
	})
}

// SignChecklistItem sets (by non-empty) or clears a sign-off.
func (s *Store) SignChecklistItem(ctx context.Context, itemID int64, by string, at time.Time, note string) error {
	res, err := s.exec(ctx, "UPDATE checklist_items SET signed_by = $1, signed_at = $2, note = $3 WHERE id = $4",
		by, nullTime(at), note, itemID)
	if err != nil {
		return fmt.Errorf("sign checklist item %d: %w", itemID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("checklist item %d: %w", itemID, ErrNotFound)
	}
	return nil
}

// PersonRole returns an active person's id and role.
func (s *Store) PersonRole(ctx context.Context, username string) (int64, string, error) {
	p, err := s.PersonByUsername(ctx, username)
	if err != nil {
		return 0, "", err
	}
	if !p.Active {
		return 0, "", fmt.Errorf("%s is deactivated", username)
	}
	return p.ID, p.Role, nil
}
