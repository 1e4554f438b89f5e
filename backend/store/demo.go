package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// demoStateKey holds the demo workspace's generator state (seed, anchor time, live deliveries) as JSON:
// with it a re-opened demo regenerates exactly the mail it synced before.
const demoStateKey = "demo.state"

// DemoState returns the stored demo state ("" when this data dir is not a demo workspace).
func (s *Store) DemoState(ctx context.Context) (string, error) {
	var v string
	err := s.reader().QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", demoStateKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read demo state: %w", err)
	}
	return v, nil
}

// SaveDemoState records the demo state.
func (s *Store) SaveDemoState(ctx context.Context, js string) error {
	_, err := s.exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, demoStateKey, js)
	if err != nil {
		return fmt.Errorf("save demo state: %w", err)
	}
	return nil
}
