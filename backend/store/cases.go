package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"cockpit/backend/cases"
)

// ErrNotFound is returned when a row asked for by id does not exist.
var ErrNotFound = errors.New("not found")

const caseColumns = `c.id, c.title, c.type, c.subtype, c.level, c.status, COALESCE(c.owner_id, 0),
	COALESCE(p.display_name, p.username, ''), COALESCE(c.customer_id, 0), COALESCE(cu.display_name, ''),
	COALESCE(cu.email, ''), COALESCE(cu.phone, ''), COALESCE(cu.address, ''), COALESCE(cu.id_number, ''),
	COALESCE(cu.vulnerable, 0), c.order_no, COALESCE(c.incident_id, 0), c.is_regulator, c.work_order_no,
	c.stated_deadline, c.opened_at, c.updated_at, c.last_message_at, c.message_count`

const caseFrom = ` FROM cases c LEFT JOIN people p ON p.id = c.owner_id LEFT JOIN customers cu ON cu.id = c.customer_id`

func scanCase(row interface{ Scan(...any) error }) (cases.Case, error) {
	var c cases.Case
	var stated, opened, updated, last sql.NullString
	var vulnerable, regulator int
	err := row.Scan(&c.ID, &c.Title, &c.Type, &c.Subtype, &c.Level, &c.Status, &c.OwnerID, &c.Owner,
		&c.CustomerID, &c.Customer.DisplayName, &c.Customer.Email, &c.Customer.Phone, &c.Customer.Address,
		&c.Customer.IDNumber, &vulnerable, &c.OrderNo, &c.IncidentID, &regulator, &c.WorkOrderNo,
		&stated, &opened, &updated, &last, &c.MessageCount)
	if err != nil {
		return c, err
	}
	c.Customer.ID = c.CustomerID
	c.Customer.Vulnerable = vulnerable != 0
	c.IsRegulator = regulator != 0
	c.StatedDeadline = parseNullTime(stated)
	c.OpenedAt = parseNullTime(opened)
	c.UpdatedAt = parseNullTime(updated)
	c.LastMessageAt = parseNullTime(last)
	c.Channels = []string{}
	c.Flags = []cases.Flag{}
	return c, nil
}

// ListCases returns cases matching f, most recently active first, with channels and flags filled in.
func (s *Store) ListCases(ctx context.Context, f cases.Filter) ([]cases.Case, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if len(f.Status) > 0 {
		var ph []string
		for _, st := range f.Status {
			ph = append(ph, arg(string(st)))
		}
		where = append(where, "c.status IN ("+strings.Join(ph, ",")+")")
	}
	if f.Level != 0 {
		where = append(where, "c.level = "+arg(int(f.Level)))
	}
	if f.OwnerID != 0 {
		where = append(where, "c.owner_id = "+arg(f.OwnerID))
	}
	if f.Type != "" {
		where = append(where, "c.type = "+arg(f.Type))
	}
	if f.Flag != "" {
		where = append(where, "EXISTS (SELECT 1 FROM case_flags cf WHERE cf.case_id = c.id AND cf.flag = "+arg(f.Flag)+")")
	}
	if f.Regulator {
		where = append(where, "c.is_regulator = 1")
	}
	if f.IncidentID != 0 {
		where = append(where, "c.incident_id = "+arg(f.IncidentID))
	}
	if cond := searchCondition(f.Query, f.Status, arg); cond != "" {
		where = append(where, cond) // full-text: see search.go
	}
	q := "SELECT " + caseColumns + caseFrom
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY COALESCE(c.last_message_at, c.opened_at) DESC, c.id DESC"
	if f.Limit > 0 {
		q += " LIMIT " + arg(f.Limit) + " OFFSET " + arg(f.Offset)
	}
	rows, err := s.reader().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	defer rows.Close()
	var out []cases.Case
	index := map[int64]int{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("list cases: %w", err)
		}
		index[c.ID] = len(out)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.fillChannelsAndFlags(ctx, out, index); err != nil {
		return nil, err
	}
	return out, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// fillChannelsAndFlags reads the channels and flags of a page of cases: one query each (per chunk of
// ids) rather than two per case.
func (s *Store) fillChannelsAndFlags(ctx context.Context, list []cases.Case, index map[int64]int) error {
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	err := eachRowOfIDs(ctx, s.reader(), "SELECT DISTINCT case_id, channel FROM case_events WHERE channel <> '' AND channel <> 'internal' AND case_id IN :ids ORDER BY case_id, channel", ids,
		func(rows *sql.Rows) error {
			var id int64
			var ch string
			if err := rows.Scan(&id, &ch); err != nil {
				return err
			}
			list[index[id]].Channels = append(list[index[id]].Channels, ch)
			return nil
		})
	if err != nil {
		return fmt.Errorf("case channels: %w", err)
	}
	err = eachRowOfIDs(ctx, s.reader(), "SELECT case_id, flag, evidence FROM case_flags WHERE case_id IN :ids ORDER BY case_id, flag", ids,
		func(rows *sql.Rows) error {
			var id int64
			var fl cases.Flag
			if err := rows.Scan(&id, &fl.Name, &fl.Evidence); err != nil {
				return err
			}
			list[index[id]].Flags = append(list[index[id]].Flags, fl)
			return nil
		})
	if err != nil {
		return fmt.Errorf("case flags: %w", err)
	}
	return nil
}

// GetCase returns one case with channels and flags.
func (s *Store) GetCase(ctx context.Context, id int64) (cases.Case, error) {
	c, err := scanCase(s.reader().QueryRowContext(ctx, "SELECT "+caseColumns+caseFrom+" WHERE c.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("case %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("case %d: %w", id, err)
	}
	list := []cases.Case{c}
	if err := s.fillChannelsAndFlags(ctx, list, map[int64]int{c.ID: 0}); err != nil {
		return c, err
	}
	return list[0], nil
}

// caseEventsQuery reads a case's timeline with the mailbox state of its mirrored mail. That state is
// the latest copy's of the same message in the same folder: after a UIDVALIDITY reset the mail is
// mirrored again as duplicates, and only the new copies' flags and removals are followed. The case
// engine runs it at every refresh: each step is a keyed search (TestCaseEventsByKeys), as a join of
// raw_items and sources in parentheses made SQLite copy all of raw_items for every case.
const caseEventsQuery = `SELECT e.id, e.case_id, e.kind, e.channel, COALESCE(e.raw_item_id, 0), e.actor,
	e.occurred_at, e.summary, e.body_text, e.body_html, e.link_reason, e.data_json,
	CASE WHEN src.id IS NOT NULL THEN r.mail_flags END, CASE WHEN src.id IS NOT NULL THEN r.expunged_at END
	FROM case_events e LEFT JOIN raw_items orig ON orig.id = e.raw_item_id
	LEFT JOIN sources src ON src.id = orig.source_id AND src.kind = 'imap'
	LEFT JOIN raw_items r ON r.id = (SELECT MAX(d.id) FROM raw_items d WHERE d.sha256 = orig.sha256
		AND d.message_id = orig.message_id AND d.source_id = orig.source_id AND d.folder = orig.folder)
	WHERE e.case_id = $1 ORDER BY e.occurred_at, e.id`

// CaseEvents returns a case's timeline, oldest first.
func (s *Store) CaseEvents(ctx context.Context, caseID int64) ([]cases.Event, error) {
	rows, err := s.reader().QueryContext(ctx, caseEventsQuery, caseID)
	if err != nil {
		return nil, fmt.Errorf("events of case %d: %w", caseID, err)
	}
	defer rows.Close()
	out := []cases.Event{}
	for rows.Next() {
		var e cases.Event
		var at, flags, removed sql.NullString
		if err := rows.Scan(&e.ID, &e.CaseID, &e.Kind, &e.Channel, &e.RawItemID, &e.Actor, &at, &e.Summary,
			&e.BodyText, &e.BodyHTML, &e.LinkReason, &e.DataJSON, &flags, &removed); err != nil {
			return nil, err
		}
		e.OccurredAt = parseNullTime(at)
		if flags.Valid {
			e.Mailbox = &cases.MailboxState{Flags: splitFlags(flags.String)}
			if removed.Valid {
				t := parseNullTime(removed)
				e.Mailbox.RemovedAt = &t
			}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
