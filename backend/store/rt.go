package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// RTCursor is where a Request Tracker source's next pull starts.
type RTCursor struct {
	SourceID    int64     `json:"source_id"`
	LastUpdated time.Time `json:"last_updated"` // zero: never pulled, start from the beginning
	Tickets     int       `json:"tickets"`
	Entries     int       `json:"entries"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// RTCursor returns the source's cursor (zero value when it has never run).
func (s *Store) RTCursor(ctx context.Context, sourceID int64) (RTCursor, error) {
	c := RTCursor{SourceID: sourceID}
	var last, at sql.NullString
	err := s.reader().QueryRowContext(ctx, `SELECT last_updated, tickets, entries, updated_at FROM rt_cursors WHERE source_id = $1`,
		sourceID).Scan(&last, &c.Tickets, &c.Entries, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("rt cursor of source %d: %w", sourceID, err)
	}
	c.LastUpdated, c.UpdatedAt = parseNullTime(last), parseNullTime(at)
	return c, nil
}

// SaveRTCursor records a finished pull.
func (s *Store) SaveRTCursor(ctx context.Context, c RTCursor) error {
	_, err := s.exec(ctx, `INSERT INTO rt_cursors (source_id, last_updated, tickets, entries, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (source_id) DO UPDATE SET last_updated = excluded.last_updated, tickets = excluded.tickets,
		entries = excluded.entries, updated_at = excluded.updated_at`,
		c.SourceID, nullTime(c.LastUpdated), c.Tickets, c.Entries, FormatTime(c.UpdatedAt))
	if err != nil {
		return fmt.Errorf("save rt cursor of source %d: %w", c.SourceID, err)
	}
	return nil
}

// HasRawItem says whether an item with this identity is recorded (any status), so a connector can skip
// fetching what it already has.
func (s *Store) HasRawItem(ctx context.Context, sourceID int64, folder, externalID string) (bool, error) {
	var one int
	err := s.reader().QueryRowContext(ctx, `SELECT 1 FROM raw_items WHERE source_id = $1 AND folder = $2 AND uidvalidity = 0
		AND external_id = $3`, sourceID, folder, externalID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up raw item %s: %w", externalID, err)
	}
	return true, nil
}
