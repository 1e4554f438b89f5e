package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Person is one local user. PasswordHash is the PHC-encoded argon2id hash; it never leaves the backend
// (json "-").
type Person struct {
	ID                int64     `json:"id"`
	Username          string    `json:"username"`
	DisplayName       string    `json:"displayName"`
	Role              string    `json:"role"`
	Active            bool      `json:"active"`
	CreatedAt         time.Time `json:"createdAt"`
	PasswordHash      string    `json:"-"`
	FailedLogins      int       `json:"failedLogins"`
	LockedUntil       time.Time `json:"lockedUntil"`
	PasswordChangedAt time.Time `json:"passwordChangedAt"`
}

// ErrExists is returned when a unique name is already taken.
var ErrExists = errors.New("already exists")

const personColumns = "id, username, display_name, role, active, created_at, password_hash, failed_logins, locked_until, password_changed_at"

func scanPerson(row interface{ Scan(...any) error }) (Person, error) {
	var p Person
	var active int
	var created string
	var locked, changed sql.NullString
	if err := row.Scan(&p.ID, &p.Username, &p.DisplayName, &p.Role, &active, &created, &p.PasswordHash,
		&p.FailedLogins, &locked, &changed); err != nil {
		return p, err
	}
	p.Active = active != 0
	p.CreatedAt, _ = ParseTime(created)
	p.LockedUntil = parseNullTime(locked)
	p.PasswordChangedAt = parseNullTime(changed)
	return p, nil
}

// CountPeople returns how many users exist (0 means first run).
func (s *Store) CountPeople(ctx context.Context) (int, error) {
	var n int
	if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM people").Scan(&n); err != nil {
		return 0, fmt.Errorf("count people: %w", err)
	}
	return n, nil
}

// CountPeopleTx is CountPeople inside a transaction (first-run admin creation must not race).
func CountPeopleTx(ctx context.Context, tx *sql.Tx) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM people").Scan(&n); err != nil {
		return 0, fmt.Errorf("count people: %w", err)
	}
	return n, nil
}

// CreatePersonTx inserts p and returns it with its id.
func CreatePersonTx(ctx context.Context, tx *sql.Tx, p Person) (Person, error) {
	err := tx.QueryRowContext(ctx, `INSERT INTO people (username, display_name, role, password_hash, active, created_at, password_changed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		p.Username, p.DisplayName, p.Role, p.PasswordHash, boolInt(p.Active), FormatTime(p.CreatedAt), nullTime(p.PasswordChangedAt)).Scan(&p.ID)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return p, fmt.Errorf("user %q: %w", p.Username, ErrExists)
		}
		return p, fmt.Errorf("create user %q: %w", p.Username, err)
	}
	return p, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// PersonByUsername finds a user by name.
func (s *Store) PersonByUsername(ctx context.Context, username string) (Person, error) {
	p, err := scanPerson(s.reader().QueryRowContext(ctx, "SELECT "+personColumns+" FROM people WHERE username = $1", username))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("user %q: %w", username, ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("user %q: %w", username, err)
	}
	return p, nil
}

// PersonTx reads a user by id inside a transaction.
func PersonTx(ctx context.Context, tx *sql.Tx, id int64) (Person, error) {
	p, err := scanPerson(tx.QueryRowContext(ctx, "SELECT "+personColumns+" FROM people WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("user %d: %w", id, err)
	}
	return p, nil
}

// Person reads a user by id.
func (s *Store) Person(ctx context.Context, id int64) (Person, error) {
	p, err := scanPerson(s.reader().QueryRowContext(ctx, "SELECT "+personColumns+" FROM people WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("user %d: %w", id, err)
	}
	return p, nil
}

// ListPeople returns every user by username.
func (s *Store) ListPeople(ctx context.Context) ([]Person, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+personColumns+" FROM people ORDER BY username")
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	defer rows.Close()
	out := []Person{}
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, fmt.Errorf("list people: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// UpdatePersonTx writes a user's mutable fields (display name, role, active, password, sign-in state).
func UpdatePersonTx(ctx context.Context, tx *sql.Tx, p Person) error {
	res, err := tx.ExecContext(ctx, `UPDATE people SET display_name = $1, role = $2, active = $3, password_hash = $4,
		failed_logins = $5, locked_until = $6, password_changed_at = $7 WHERE id = $8`,
		p.DisplayName, p.Role, boolInt(p.Active), p.PasswordHash, p.FailedLogins, nullTime(p.LockedUntil),
		nullTime(p.PasswordChangedAt), p.ID)
	if err != nil {
		return fmt.Errorf("update user %q: %w", p.Username, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("user %d: %w", p.ID, ErrNotFound)
	}
	return nil
}

// CountActiveAdminsTx counts active admins, so that the last one cannot be demoted or disabled.
func CountActiveAdminsTx(ctx context.Context, tx *sql.Tx) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM people WHERE role = 'admin' AND active = 1").Scan(&n); err != nil {
		return 0, fmt.Errorf("count admins: %w", err)
	}
	return n, nil
}
