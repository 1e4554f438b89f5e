package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// SavedView is a named board filter belonging to one person.
type SavedView struct {
	ID        int64       `json:"id"`
	Owner     string      `json:"owner"`
	Name      string      `json:"name"`
	Filter    BoardFilter `json:"filter"`
	GroupBy   BoardGroup  `json:"groupBy"`
	CreatedAt time.Time   `json:"createdAt"`
	UpdatedAt time.Time   `json:"updatedAt"`
}

// savedViewBody is what filter_json holds: the filter and the grouping it was saved with.
type savedViewBody struct {
	Filter  BoardFilter `json:"filter"`
	GroupBy BoardGroup  `json:"groupBy"`
}

// SaveView creates the owner's view of that name or replaces its filter, and returns it.
func (s *Store) SaveView(ctx context.Context, v SavedView, at time.Time) (SavedView, error) {
	body, err := jsonText(savedViewBody{Filter: v.Filter, GroupBy: v.GroupBy})
	if err != nil {
		return v, err
	}
	db, err := s.writer()
	if err != nil {
		return v, err
	}
	ts := FormatTime(at)
	err = db.QueryRowContext(ctx, `INSERT INTO saved_views (owner, name, filter_json, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4)
		ON CONFLICT (owner, name) DO UPDATE SET filter_json = excluded.filter_json, updated_at = excluded.updated_at
		RETURNING id, created_at`, v.Owner, v.Name, body, ts).Scan(&v.ID, &ts)
	if err != nil {
		return v, fmt.Errorf("save view %q of %s: %w", v.Name, v.Owner, err)
	}
	v.CreatedAt, _ = ParseTime(ts)
	v.UpdatedAt = at.UTC()
	return v, nil
}

// SavedViews lists the owner's views by name.
func (s *Store) SavedViews(ctx context.Context, owner string) ([]SavedView, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT id, owner, name, filter_json, created_at, updated_at
		FROM saved_views WHERE owner = $1 ORDER BY name, id`, owner)
	if err != nil {
		return nil, fmt.Errorf("saved views of %s: %w", owner, err)
	}
	defer rows.Close()
	out := []SavedView{}
	for rows.Next() {
		var v SavedView
		var body, created, updated string
		if err := rows.Scan(&v.ID, &v.Owner, &v.Name, &body, &created, &updated); err != nil {
			return nil, fmt.Errorf("saved views of %s: %w", owner, err)
		}
		var b savedViewBody
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			// A view written by a newer or broken version: keep it listed (so it can be deleted) with
			// an empty filter rather than hiding it or failing the whole list.
			b = savedViewBody{}
		}
		v.Filter, v.GroupBy = b.Filter, b.GroupBy
		v.CreatedAt, _ = ParseTime(created)
		v.UpdatedAt, _ = ParseTime(updated)
		out = append(out, v)
	}
	return out, rows.Err()
}

// DeleteView removes one of the owner's views; another person's view is ErrNotFound.
func (s *Store) DeleteView(ctx context.Context, owner string, id int64) error {
	res, err := s.exec(ctx, "DELETE FROM saved_views WHERE id = $1 AND owner = $2", id, owner)
	if err != nil {
		return fmt.Errorf("delete view %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("view %d of %s: %w", id, owner, ErrNotFound)
	}
	return nil
}
