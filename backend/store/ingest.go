package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"cockpit/backend/cases"
)

// IngestTx is one message's transaction: the raw item, the case it joins or opens, the timeline event, the
// thread ids, attachments and the folder's high-water mark commit together or not at all. It also answers
// the linker's questions (cases.Lookup) so that linking sees exactly what this transaction will commit on.
type IngestTx struct {
	tx *sql.Tx
}

// IngestTx runs fn in one write transaction.
func (s *Store) IngestTx(ctx context.Context, fn func(*IngestTx) error) error {
	return s.Tx(ctx, func(tx *sql.Tx) error { return fn(&IngestTx{tx: tx}) })
}

var _ cases.Lookup = (*IngestTx)(nil)

// CaseByMessageIDs implements cases.Lookup.
func (t *IngestTx) CaseByMessageIDs(ctx context.Context, ids []string) (int64, string, error) {
	for _, id := range ids {
		var caseID int64
		err := t.tx.QueryRowContext(ctx, `SELECT case_id FROM message_refs WHERE message_id = $1`, id).Scan(&caseID)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, "", err
		}
		return caseID, id, nil
	}
	return 0, "", nil
}

// CaseByWorkOrder implements cases.Lookup.
func (t *IngestTx) CaseByWorkOrder(ctx context.Context, no string) (int64, error) {
	return t.oneID(ctx, `SELECT id FROM cases WHERE work_order_no = $1 ORDER BY id LIMIT 1`, no)
}

// CaseByOrderNo implements cases.Lookup: the newest case about that order.
func (t *IngestTx) CaseByOrderNo(ctx context.Context, no string) (int64, error) {
	return t.oneID(ctx, `SELECT id FROM cases WHERE order_no = $1 ORDER BY id DESC LIMIT 1`, no)
}

// OpenCaseByCustomerEmail implements cases.Lookup.
func (t *IngestTx) OpenCaseByCustomerEmail(ctx context.Context, email string) (int64, error) {
	// Two indexed lookups: as one join the planner walked the status index over every open case.
	cust, err := t.oneID(ctx, `SELECT id FROM customers WHERE email = $1 ORDER BY id LIMIT 1`, email)
	if err != nil || cust == 0 {
		return 0, err
	}
	return t.oneID(ctx, `SELECT id FROM cases WHERE customer_id = $1 AND status IN ('open', 'pending')
		ORDER BY COALESCE(last_message_at, opened_at) DESC, id DESC LIMIT 1`, cust)
}

func (t *IngestTx) oneID(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := t.tx.QueryRowContext(ctx, q, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// RawItem is one ingested item's identity and outcome.
type RawItem struct {
	ID          int64     `json:"id"`
	SourceID    int64     `json:"source_id"`
	Folder      string    `json:"folder"`
	UIDValidity uint32    `json:"uidvalidity"`
	ExternalID  string    `json:"external_id"`
	Kind        string    `json:"kind"` // email | ticket | letter | import
	MessageID   string    `json:"message_id"`
	SHA256      string    `json:"sha256"`
	Size        int64     `json:"size"`
	Status      string    `json:"status"` // ingested | quarantined | duplicate
	Error       string    `json:"error"`
	CaseID      int64     `json:"case_id"`
	ReceivedAt  time.Time `json:"received_at"`
	IngestedAt  time.Time `json:"ingested_at"`
	Attempts    int       `json:"attempts"`
	MailFlags   []string  `json:"mail_flags,omitempty"` // email only: its flags in the mailbox, as last synced
	ExpungedAt  time.Time `json:"expunged_at"`          // email only: when a sync found it gone from the mailbox
}

// ErrAlreadyIngested means the identity (source, folder, uidvalidity, external id) has a row already.
var ErrAlreadyIngested = errors.New("already ingested")

// Recorded reports whether the identity (source, folder, uidvalidity, external id) has a row already.
func (t *IngestTx) Recorded(ctx context.Context, r RawItem) (bool, error) {
	var one int
	err := t.tx.QueryRowContext(ctx, `SELECT 1 FROM raw_items WHERE source_id = $1 AND folder = $2 AND uidvalidity = $3 AND external_id = $4`,
		r.SourceID, r.Folder, int64(r.UIDValidity), r.ExternalID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up raw item: %w", err)
	}
	return true, nil
}

// InsertRawItem records the item; ErrAlreadyIngested when its identity is known.
func (t *IngestTx) InsertRawItem(ctx context.Context, r RawItem) (int64, error) {
	var caseID any
	if r.CaseID != 0 {
		caseID = r.CaseID
	}
	var id int64
	err := t.tx.QueryRowContext(ctx, `INSERT INTO raw_items (source_id, folder, uidvalidity, external_id, kind,
		message_id, sha256, size, status, error, case_id, received_at, ingested_at, mail_flags)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (source_id, folder, uidvalidity, external_id) DO NOTHING RETURNING id`,
		r.SourceID, r.Folder, int64(r.UIDValidity), r.ExternalID, r.Kind, r.MessageID, r.SHA256, r.Size, r.Status,
		r.Error, caseID, nullTime(r.ReceivedAt), FormatTime(r.IngestedAt), joinFlags(r.MailFlags)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrAlreadyIngested
	}
	if err != nil {
		return 0, fmt.Errorf("record raw item: %w", err)
	}
	return id, nil
}

// DuplicateOf returns an earlier raw item with the same bytes and Message-ID (0 if none) and its case.
func (t *IngestTx) DuplicateOf(ctx context.Context, sha, messageID string) (rawID, caseID int64, err error) {
	err = t.tx.QueryRowContext(ctx, `SELECT id, COALESCE(case_id, 0) FROM raw_items
		WHERE sha256 = $1 AND message_id = $2 AND status IN ('ingested', 'quarantined') ORDER BY id LIMIT 1`, sha, messageID).Scan(&rawID, &caseID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return rawID, caseID, err
}

// UpsertCustomer finds the customer by e-mail address or creates one; a known customer without a name
// gets the one this message carries.
func (t *IngestTx) UpsertCustomer(ctx context.Context, name, email string, now time.Time) (int64, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return 0, nil
	}
	id, err := t.oneID(ctx, `SELECT id FROM customers WHERE email = $1 ORDER BY id LIMIT 1`, email)
	if err != nil {
		return 0, fmt.Errorf("find customer: %w", err)
	}
	if id != 0 {
		if name != "" {
			if _, err := t.tx.ExecContext(ctx, `UPDATE customers SET display_name = $1 WHERE id = $2 AND display_name = ''`, name, id); err != nil {
				return 0, fmt.Errorf("update customer: %w", err)
			}
		}
		return id, nil
	}
	err = t.tx.QueryRowContext(ctx, `INSERT INTO customers (display_name, email, created_at) VALUES ($1, $2, $3) RETURNING id`,
		name, email, FormatTime(now)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create customer: %w", err)
	}
	return id, nil
}

// NewCase is what ingest knows when an item opens a case; the case engine classifies it afterwards.
type NewCase struct {
	Title          string
	CustomerID     int64
	OrderNo        string
	IsRegulator    bool
	WorkOrderNo    string
	StatedDeadline time.Time
	OpenedAt       time.Time
	Now            time.Time
}

// CreateCase opens a case with its first message counted (TouchCase is for the messages after it).
func (t *IngestTx) CreateCase(ctx context.Context, c NewCase) (int64, error) {
	var customer any
	if c.CustomerID != 0 {
		customer = c.CustomerID
	}
	var id int64
	err := t.tx.QueryRowContext(ctx, `INSERT INTO cases (title, customer_id, order_no, is_regulator, work_order_no,
		stated_deadline, opened_at, updated_at, message_count, last_message_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $7)
		RETURNING id`,
		c.Title, customer, c.OrderNo, sqlBool01(c.IsRegulator), c.WorkOrderNo, nullTime(c.StatedDeadline),
		FormatTime(c.OpenedAt), FormatTime(c.Now)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create case: %w", err)
	}
	return id, nil
}

// CaseUpdate is what a newly linked item adds to an existing case; empty fields change nothing.
type CaseUpdate struct {
	CaseID         int64
	MessageAt      time.Time
	OrderNo        string
	CustomerID     int64
	IsRegulator    bool
	WorkOrderNo    string
	StatedDeadline time.Time
	Now            time.Time
}

// TouchCase counts the message and fills fields the case does not have yet (never overwriting ones a
// person may have corrected). order_no is set by its own statement, only when missing, because the search
// index re-indexes a case on every UPDATE that names order_no.
func (t *IngestTx) TouchCase(ctx context.Context, u CaseUpdate) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE cases SET message_count = message_count + 1,
		last_message_at = CASE WHEN last_message_at IS NULL OR last_message_at < $1 THEN $1 ELSE last_message_at END,
		updated_at = $2,
		customer_id = COALESCE(customer_id, $3),
		is_regulator = CASE WHEN $4 = 1 THEN 1 ELSE is_regulator END,
		work_order_no = CASE WHEN work_order_no = '' THEN $5 ELSE work_order_no END,
		stated_deadline = COALESCE(stated_deadline, $6)
		WHERE id = $7`,
		FormatTime(u.MessageAt), FormatTime(u.Now), ingestNullID(u.CustomerID), sqlBool01(u.IsRegulator),
		u.WorkOrderNo, nullTime(u.StatedDeadline), u.CaseID)
	if err != nil {
		return fmt.Errorf("update case %d: %w", u.CaseID, err)
	}
	if u.OrderNo != "" {
		if _, err := t.tx.ExecContext(ctx, `UPDATE cases SET order_no = $1 WHERE id = $2 AND order_no = ''`, u.OrderNo, u.CaseID); err != nil {
			return fmt.Errorf("update case %d: %w", u.CaseID, err)
		}
	}
	return nil
}

func ingestNullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// InsertEvent appends to a case timeline.
func (t *IngestTx) InsertEvent(ctx context.Context, e cases.Event) (int64, error) {
	if e.DataJSON == "" {
		e.DataJSON = "{}"
	}
	var id int64
	err := t.tx.QueryRowContext(ctx, `INSERT INTO case_events (case_id, kind, channel, raw_item_id, actor, occurred_at,
		summary, body_text, body_html, link_reason, data_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		e.CaseID, e.Kind, e.Channel, ingestNullID(e.RawItemID), e.Actor, FormatTime(e.OccurredAt), e.Summary, e.BodyText,
		e.BodyHTML, e.LinkReason, e.DataJSON).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add timeline event: %w", err)
	}
	return id, nil
}

// AddMessageRefs remembers ids of this thread so replies find the case; ids already known keep their case.
func (t *IngestTx) AddMessageRefs(ctx context.Context, caseID int64, ids []string) error {
	for _, id := range ids {
		if id == "" {
			continue
		}
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO message_refs (message_id, case_id) VALUES ($1, $2) ON CONFLICT (message_id) DO NOTHING`, id, caseID); err != nil {
			return fmt.Errorf("thread ids: %w", err)
		}
	}
	return nil
}

// AttachmentRow is an attachment's metadata; its bytes are in the blob store under SHA256.
type AttachmentRow struct {
	ID          int64  `json:"id"`
	RawItemID   int64  `json:"raw_item_id"`
	CaseID      int64  `json:"case_id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	ContentID   string `json:"content_id"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
}

// InsertAttachment records one attachment.
func (t *IngestTx) InsertAttachment(ctx context.Context, a AttachmentRow) (int64, error) {
	var id int64
	err := t.tx.QueryRowContext(ctx, `INSERT INTO attachments (raw_item_id, case_id, filename, content_type, content_id, sha256, size)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, a.RawItemID, ingestNullID(a.CaseID), a.Filename, a.ContentType,
		a.ContentID, a.SHA256, a.Size).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("record attachment: %w", err)
	}
	return id, nil
}

// AdvanceFolder moves the high-water mark to uid (never backwards) and counts the outcome, inside the
// message's transaction. status is the raw item's status.
func (t *IngestTx) AdvanceFolder(ctx context.Context, folderID int64, uid uint32, status string) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE source_folders SET
		last_uid = CASE WHEN last_uid < $1 THEN $1 ELSE last_uid END,
		message_count = message_count + CASE WHEN $2 = 'ingested' THEN 1 ELSE 0 END,
		quarantined_count = quarantined_count + CASE WHEN $2 = 'quarantined' THEN 1 ELSE 0 END,
		duplicate_count = duplicate_count + CASE WHEN $2 = 'duplicate' THEN 1 ELSE 0 END
		WHERE id = $3`, int64(uid), status, folderID)
	if err != nil {
		return fmt.Errorf("advance folder %d: %w", folderID, err)
	}
	return nil
}

// ResolveQuarantined turns a quarantined item into an ingested one after a successful retry.
func (t *IngestTx) ResolveQuarantined(ctx context.Context, rawID, caseID int64, messageID string, now time.Time) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE raw_items SET status = 'ingested', error = '', case_id = $1, message_id = $2,
		attempts = attempts + 1, retried_at = $3 WHERE id = $4 AND status = 'quarantined'`, caseID, messageID, FormatTime(now), rawID)
	if err != nil {
		return fmt.Errorf("resolve raw item %d: %w", rawID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("raw item %d is not quarantined", rawID)
	}
	_, err = t.tx.ExecContext(ctx, `UPDATE source_folders SET quarantined_count = CASE WHEN quarantined_count > 0 THEN quarantined_count - 1 ELSE 0 END, message_count = message_count + 1
		WHERE id = (SELECT f.id FROM source_folders f JOIN raw_items r ON r.source_id = f.source_id AND r.folder = f.name WHERE r.id = $1)`, rawID)
	if err != nil {
		return fmt.Errorf("recount folder of raw item %d: %w", rawID, err)
	}
	return nil
}

// OrderPatternsKey is the settings key of the JSON list of cases.OrderPattern an admin configured.
const OrderPatternsKey = "ingest.order_patterns"

// OrderPatternsJSON returns the configured order patterns ("" when unset: the defaults apply).
func (s *Store) OrderPatternsJSON(ctx context.Context) (string, error) {
	var v string
	err := s.reader().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, OrderPatternsKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("order patterns setting: %w", err)
	}
	return v, nil
}

// SetOrderPatternsJSON saves the order patterns ("" goes back to the defaults); the caller validates them
// with cases.ParseOrderPatterns.
func (s *Store) SetOrderPatternsJSON(ctx context.Context, js string) error {
	_, err := s.exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, OrderPatternsKey, js)
	if err != nil {
		return fmt.Errorf("save order patterns: %w", err)
	}
	s.orderPatternsGen.Add(1)
	return nil
}

// OrderPatternsGeneration changes whenever the order patterns are saved.
func (s *Store) OrderPatternsGeneration() uint64 { return s.orderPatternsGen.Load() }

// QueueCaseHook notes, inside the message's transaction, that the case's after-commit hook must run.
func (t *IngestTx) QueueCaseHook(ctx context.Context, caseID int64, now time.Time) error {
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO ingest_pending_hooks (case_id, queued_at) VALUES ($1, $2) ON CONFLICT (case_id) DO NOTHING`, caseID, FormatTime(now)); err != nil {
		return fmt.Errorf("queue case %d for refresh: %w", caseID, err)
	}
	return nil
}

// PendingCaseHooks lists cases whose hook has not run (oldest first).
func (s *Store) PendingCaseHooks(ctx context.Context) ([]int64, error) {
	ids, err := queryIDs(ctx, s.reader(), `SELECT case_id FROM ingest_pending_hooks ORDER BY queued_at, case_id`)
	if err != nil {
		return nil, fmt.Errorf("pending case refreshes: %w", err)
	}
	return ids, nil
}

// CaseHookDone removes a case from the pending list after its hook ran.
func (s *Store) CaseHookDone(ctx context.Context, caseID int64) error {
	if _, err := s.exec(ctx, `DELETE FROM ingest_pending_hooks WHERE case_id = $1`, caseID); err != nil {
		return fmt.Errorf("case %d refreshed: %w", caseID, err)
	}
	return nil
}
