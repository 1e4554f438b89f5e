package store

import (
	"context"
	"fmt"
	"time"
)

// Daily review (每日复盘) aggregates. The store groups by UTC hour; package review turns UTC hours into
// local hours and days, so the SQL stays free of time-zone functions that differ between engines.

// ContactBucket counts inbound messages (email, ticket, letter, import) of one UTC hour by case type.
type ContactBucket struct {
	Hour    time.Time // UTC, truncated to the hour
	Type    string
	Subtype string
	Count   int
}

// inboundKinds are the timeline kinds that are a customer or regulator contacting us.
const inboundKinds = "('email', 'ticket', 'letter', 'import')"

// ReviewContacts buckets the inbound messages of [from, to).
func (s *Store) ReviewContacts(ctx context.Context, from, to time.Time) ([]ContactBucket, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT SUBSTR(e.occurred_at, 1, 13), c.type, c.subtype, COUNT(*)
		FROM case_events e JOIN cases c ON c.id = e.case_id
		WHERE e.occurred_at >= $1 AND e.occurred_at < $2 AND e.kind IN `+inboundKinds+`
		GROUP BY SUBSTR(e.occurred_at, 1, 13), c.type, c.subtype`, FormatTime(from), FormatTime(to))
	if err != nil {
		return nil, fmt.Errorf("review contacts: %w", err)
	}
	defer rows.Close()
	var out []ContactBucket
	for rows.Next() {
		var b ContactBucket
		var hour string
		if err := rows.Scan(&hour, &b.Type, &b.Subtype, &b.Count); err != nil {
			return nil, fmt.Errorf("review contacts: %w", err)
		}
		if b.Hour, err = time.Parse("2006-01-02T15", hour); err != nil {
			return nil, fmt.Errorf("review contacts: bad stored time %q: %w", hour, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// LevelCount is how many cases opened in a range have a level (0 = not classified).
type LevelCount struct {
	Level int `json:"level"`
	Count int `json:"count"`
}

// ReviewLevels counts the cases opened in [from, to) by level.
func (s *Store) ReviewLevels(ctx context.Context, from, to time.Time) ([]LevelCount, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT level, COUNT(*) FROM cases WHERE opened_at >= $1 AND opened_at < $2
		GROUP BY level ORDER BY level`, FormatTime(from), FormatTime(to))
	if err != nil {
		return nil, fmt.Errorf("review levels: %w", err)
	}
	defer rows.Close()
	out := []LevelCount{}
	for rows.Next() {
		var lc LevelCount
		if err := rows.Scan(&lc.Level, &lc.Count); err != nil {
			return nil, fmt.Errorf("review levels: %w", err)
		}
		out = append(out, lc)
	}
	return out, rows.Err()
}

// ProductCount is how many cases opened in a range concern one product and batch.
type ProductCount struct {
	Product string `json:"product"`
	Batch   string `json:"batch"`
	Cases   int    `json:"cases"`
}

// ReviewProducts counts the cases opened in [from, to) by the product and batch of their order, most
// complained-about first. Cases without a known order are left out.
func (s *Store) ReviewProducts(ctx context.Context, from, to time.Time) ([]ProductCount, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT o.product_name, o.batch_no, COUNT(*)
		FROM cases c JOIN orders o ON o.order_no = c.order_no
		WHERE c.opened_at >= $1 AND c.opened_at < $2 AND c.order_no <> '' AND (o.product_name <> '' OR o.batch_no <> '')
		GROUP BY o.product_name, o.batch_no ORDER BY COUNT(*) DESC, o.product_name, o.batch_no`, FormatTime(from), FormatTime(to))
	if err != nil {
		return nil, fmt.Errorf("review products: %w", err)
	}
	defer rows.Close()
	out := []ProductCount{}
	for rows.Next() {
		var pc ProductCount
		if err := rows.Scan(&pc.Product, &pc.Batch, &pc.Cases); err != nil {
			return nil, fmt.Errorf("review products: %w", err)
		}
		out = append(out, pc)
	}
	return out, rows.Err()
}

// ClockOutcomes counts the clocks due in [from, to) by how they ended, as of now: met, breached (stored
// as breached, or still running past its due time: states are stored when a case changes, not when
// time passes), or still running (including paused).
func (s *Store) ClockOutcomes(ctx context.Context, from, to, now time.Time) (met, breached, running int, err error) {
	err = s.reader().QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN state = 'met' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN state = 'breached' OR (state IN ('running', 'warning50', 'warning80') AND due_at < $3) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN state IN ('running', 'warning50', 'warning80', 'paused') AND NOT (state <> 'paused' AND due_at < $3) THEN 1 ELSE 0 END), 0)
		FROM case_clocks WHERE due_at >= $1 AND due_at < $2`, FormatTime(from), FormatTime(to), FormatTime(now)).Scan(&met, &breached, &running)
	if err != nil {
		err = fmt.Errorf("review clock outcomes: %w", err)
	}
	return met, breached, running, err
}
