package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"cockpit/backend/cases"
)

// SyntheticCase is a complete case with its customer, order and timeline, written in one go by
// InsertSynthetic. Only the `make bench-board` generator and test fixtures use it: real cases enter
// through ingestion (backend/ingest), which threads, links and classifies them.
type SyntheticCase struct {
	Title, Type, Subtype string
	Level                int
	Status               cases.Status
	OwnerID              int64
	CustomerName         string
	CustomerEmail        string
	OrderNo              string
	Product, Batch       string
	IncidentID           int64
	IsRegulator          bool
	OpenedAt             time.Time
	Flags                []string
	Events               []SyntheticEvent
}

// SyntheticEvent is one timeline entry of a SyntheticCase.
type SyntheticEvent struct {
	Kind, Channel, Actor string
	At                   time.Time
	Summary, Body        string
}

// InsertSynthetic writes list in one transaction and returns the new case ids in order. Message
// events (email, ticket, letter, import) count as messages; the last one sets last_message_at.
func (s *Store) InsertSynthetic(ctx context.Context, list []SyntheticCase) ([]int64, error) {
	ids := make([]int64, 0, len(list))
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		stmt := func(q string) (*sql.Stmt, error) { return tx.PrepareContext(ctx, q) }
		insCustomer, err := stmt("INSERT INTO customers (display_name, email, created_at) VALUES ($1, $2, $3) RETURNING id")
		if err != nil {
			return err
		}
		defer insCustomer.Close()
		insOrder, err := stmt(`INSERT INTO orders (order_no, customer_id, product_name, batch_no, ordered_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (order_no) DO NOTHING`)
		if err != nil {
			return err
		}
		defer insOrder.Close()
		insCase, err := stmt(`INSERT INTO cases (title, type, subtype, level, status, owner_id, customer_id, order_no, incident_id,
			is_regulator, opened_at, updated_at, last_message_at, message_count)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`)
		if err != nil {
			return err
		}
		defer insCase.Close()
		insFlag, err := stmt("INSERT INTO case_flags (case_id, flag) VALUES ($1, $2) ON CONFLICT DO NOTHING")
		if err != nil {
			return err
		}
		defer insFlag.Close()
		insEvent, err := stmt(`INSERT INTO case_events (case_id, kind, channel, actor, occurred_at, summary, body_text)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`)
		if err != nil {
			return err
		}
		defer insEvent.Close()
		for _, c := range list {
			var customerID int64
			if err := insCustomer.QueryRowContext(ctx, c.CustomerName, c.CustomerEmail, FormatTime(c.OpenedAt)).Scan(&customerID); err != nil {
				return fmt.Errorf("synthetic customer: %w", err)
			}
			if c.OrderNo != "" {
				if _, err := insOrder.ExecContext(ctx, c.OrderNo, customerID, c.Product, c.Batch, FormatTime(c.OpenedAt)); err != nil {
					return fmt.Errorf("synthetic order %s: %w", c.OrderNo, err)
				}
			}
			var last time.Time
			messages := 0
			for _, e := range c.Events {
				switch e.Kind {
				case "email", "ticket", "letter", "import":
					messages++
					if e.At.After(last) {
						last = e.At
					}
				}
			}
			status := c.Status
			if status == "" {
				status = cases.StatusOpen
			}
			regulator := 0
			if c.IsRegulator {
				regulator = 1
			}
			var id int64
			if err := insCase.QueryRowContext(ctx, c.Title, c.Type, c.Subtype, c.Level, string(status), nullID(c.OwnerID),
				customerID, c.OrderNo, nullID(c.IncidentID), regulator, FormatTime(c.OpenedAt),
				FormatTime(c.OpenedAt), nullTime(last), messages).Scan(&id); err != nil {
				return fmt.Errorf("synthetic case %q: %w", c.Title, err)
			}
			for _, fl := range c.Flags {
				if _, err := insFlag.ExecContext(ctx, id, fl); err != nil {
					return fmt.Errorf("synthetic flag %s: %w", fl, err)
				}
			}
			for _, e := range c.Events {
				if _, err := insEvent.ExecContext(ctx, id, e.Kind, e.Channel, e.Actor, FormatTime(e.At), e.Summary, e.Body); err != nil {
					return fmt.Errorf("synthetic event of case %d: %w", id, err)
				}
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// nullID stores 0 as NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
