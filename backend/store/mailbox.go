package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"cockpit/backend/cases"
)

// Mailbox names one folder's mirrored messages under one UIDVALIDITY: their UIDs mean something only
// together with it.
type Mailbox struct {
	SourceID    int64
	Folder      string
	UIDValidity uint32
}

const mailboxWhere = `source_id = $1 AND folder = $2 AND uidvalidity = $3 AND kind = 'email'`

func (m Mailbox) args() []any { return []any{m.SourceID, m.Folder, int64(m.UIDValidity)} }

// joinFlags stores a message's flags as one space-separated column: IMAP flags and keywords are atoms,
// which contain no spaces. Sorted, so that a server listing the same flags in another order changes
// nothing.
func joinFlags(flags []string) string { return strings.Join(slices.Sorted(slices.Values(flags)), " ") }

func splitFlags(s string) []string { return strings.Fields(s) }

// StillInMailbox counts the mirrored messages of m that no sync has found removed from the server.
func (s *Store) StillInMailbox(ctx context.Context, m Mailbox) (int, error) {
	var n int
	err := s.reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM raw_items WHERE `+mailboxWhere+` AND expunged_at IS NULL`, m.args()...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count messages of %s: %w", m.Folder, err)
	}
	return n, nil
}

// MarkExpunged records at `at` that every mirrored message of m with a UID up to upTo which is not in
// onServer has gone from the mailbox. It returns how many it marked. Only the mark changes: the raw
// bytes, the timeline entry and the evidence stay.
func (s *Store) MarkExpunged(ctx context.Context, m Mailbox, upTo uint32, onServer map[uint32]bool, at time.Time) (int, error) {
	marked := 0
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, external_id FROM raw_items WHERE `+mailboxWhere+` AND expunged_at IS NULL`, m.args()...)
		if err != nil {
			return err
		}
		var gone []int64
		for rows.Next() {
			var id int64
			var ext string
			if err := rows.Scan(&id, &ext); err != nil {
				rows.Close()
				return err
			}
			uid, err := strconv.ParseUint(ext, 10, 32)
			if err != nil || uint32(uid) > upTo || onServer[uint32(uid)] {
				continue
			}
			gone = append(gone, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for len(gone) > 0 {
			n := min(len(gone), idChunk)
			in, args := inIDs(gone[:n])
			res, err := tx.ExecContext(ctx, `UPDATE raw_items SET expunged_at = $`+strconv.Itoa(n+1)+` WHERE id IN `+in, append(args, FormatTime(at))...)
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			marked += int(k)
			gone = gone[n:]
		}
		_, err = tx.ExecContext(ctx, `UPDATE source_folders SET removed_count = removed_count + $1 WHERE source_id = $2 AND name = $3`,
			marked, m.SourceID, m.Folder)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("mark messages of %s removed: %w", m.Folder, err)
	}
	return marked, nil
}

// SetMailFlags records the flags the server reported for messages of m (by UID) and returns how many
// changed. A long report (a server without CONDSTORE lists every message) is first compared with the
// stored flags in one read, so that the write transaction holds only the messages that changed.
func (s *Store) SetMailFlags(ctx context.Context, m Mailbox, flags map[uint32][]string) (int, error) {
	joined := make(map[uint32]string, len(flags))
	for uid, fl := range flags {
		joined[uid] = joinFlags(fl)
	}
	if len(joined) > idChunk {
		if err := s.dropUnchangedFlags(ctx, m, joined); err != nil {
			return 0, fmt.Errorf("read flags of %s: %w", m.Folder, err)
		}
	}
	if len(joined) == 0 {
		return 0, nil
	}
	changed := 0
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		for uid, fl := range joined {
			res, err := tx.ExecContext(ctx, `UPDATE raw_items SET mail_flags = $4 WHERE `+mailboxWhere+` AND external_id = $5 AND mail_flags <> $4`,
				append(m.args(), fl, strconv.FormatUint(uint64(uid), 10))...)
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			changed += int(k)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("record flags of %s: %w", m.Folder, err)
	}
	return changed, nil
}

// dropUnchangedFlags removes from joined the UIDs whose stored flags are the same.
func (s *Store) dropUnchangedFlags(ctx context.Context, m Mailbox, joined map[uint32]string) error {
	rows, err := s.reader().QueryContext(ctx, `SELECT external_id, mail_flags FROM raw_items WHERE `+mailboxWhere, m.args()...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ext, fl string
		if err := rows.Scan(&ext, &fl); err != nil {
			return err
		}
		if uid, err := strconv.ParseUint(ext, 10, 32); err == nil {
			if want, ok := joined[uint32(uid)]; ok && want == fl {
				delete(joined, uint32(uid))
			}
		}
	}
	return rows.Err()
}

// FlagsChecked records when a sync last listed the flags of every mirrored message of a folder.
func (s *Store) FlagsChecked(ctx context.Context, folderID int64, at time.Time) error {
	if _, err := s.exec(ctx, `UPDATE source_folders SET flags_checked_at = $1 WHERE id = $2`, FormatTime(at), folderID); err != nil {
		return fmt.Errorf("record folder %d flags checked: %w", folderID, err)
	}
	return nil
}

// FolderModSeq records the folder's HIGHESTMODSEQ once every change up to it has been recorded, so the
// next sync asks only for what changed since (CONDSTORE).
func (s *Store) FolderModSeq(ctx context.Context, folderID int64, modSeq uint64) error {
	if _, err := s.exec(ctx, `UPDATE source_folders SET highest_modseq = $1 WHERE id = $2`, int64(modSeq), folderID); err != nil {
		return fmt.Errorf("record folder %d modseq: %w", folderID, err)
	}
	return nil
}

// FolderMessage is a message mirrored from a folder into a case, as its timeline entry holds it.
type FolderMessage struct {
	CaseID  int64
	Subject string
	Text    string
}

// FolderMessages lists the messages of a source's folder that went into cases, oldest first, under every
// UIDVALIDITY the folder had.
func (s *Store) FolderMessages(ctx context.Context, sourceID int64, folder string) ([]FolderMessage, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT e.case_id, e.summary, e.body_text FROM raw_items r
		CROSS JOIN case_events e ON e.case_id = r.case_id AND e.raw_item_id = r.id AND e.kind = 'email'
		WHERE r.source_id = $1 AND r.folder = $2 AND r.kind = 'email' AND r.status = 'ingested'
		ORDER BY e.occurred_at, e.id`, sourceID, folder)
	if err != nil {
		return nil, fmt.Errorf("messages of folder %s: %w", folder, err)
	}
	defer rows.Close()
	var out []FolderMessage
	for rows.Next() {
		var m FolderMessage
		if err := rows.Scan(&m.CaseID, &m.Subject, &m.Text); err != nil {
			return nil, fmt.Errorf("messages of folder %s: %w", folder, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("messages of folder %s: %w", folder, err)
	}
	return out, nil
}

// RegulatorMark makes a case a regulator matter, with the work-order number and reply deadline its mail
// states (empty and zero when it states none).
type RegulatorMark struct {
	CaseID         int64
	WorkOrderNo    string
	StatedDeadline time.Time
}

// MarkRegulatorMatters marks the cases (one mark each) that are not regulator matters yet, because their
// mail came from folder, now a regulator folder, and notes it on each one's timeline. A number or
// deadline the case already has stays. It returns the cases it marked.
func (s *Store) MarkRegulatorMatters(ctx context.Context, marks []RegulatorMark, folder, actor string, now time.Time) ([]int64, error) {
	var marked []int64
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		for _, m := range marks {
			res, err := tx.ExecContext(ctx, `UPDATE cases SET is_regulator = 1,
				work_order_no = CASE WHEN work_order_no = '' THEN $1 ELSE work_order_no END,
				stated_deadline = COALESCE(stated_deadline, $2), updated_at = $3 WHERE id = $4 AND is_regulator = 0`,
				m.WorkOrderNo, nullTime(m.StatedDeadline), FormatTime(now), m.CaseID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			data, _ := json.Marshal(map[string]string{"folder": folder, "work_order_no": m.WorkOrderNo})
			if _, err := InsertEventTx(ctx, tx, cases.Event{CaseID: m.CaseID, Kind: "regulator", Actor: actor, OccurredAt: now,
				Summary: fmt.Sprintf("regulator matter: its mail came from %q, now a regulator folder", folder), DataJSON: string(data)}); err != nil {
				return err
			}
			marked = append(marked, m.CaseID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mark cases of folder %s as regulator matters: %w", folder, err)
	}
	return marked, nil
}
