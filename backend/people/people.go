// Package people is Cockpit's local users: roles, argon2id passwords, sign-in with lock-out after failed
// attempts, idle locking of a session and the role checks every bound service and CLI command makes.
package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"cockpit/backend/audit"
	"cockpit/backend/clocks"
	"cockpit/backend/store"
)

// Role is what a person may do.
type Role string

const (
	Supervisor Role = "supervisor" // owns escalated cases on a shift
	Legal      Role = "legal"      // legal liaison: regulator letters, filings, unmasked evidence
	Manager    Role = "manager"    // approves compensation, sees everything
	Admin      Role = "admin"      // users, approval matrix, settings; no case decisions
)

// Roles lists every role in display order.
var Roles = []Role{Supervisor, Legal, Manager, Admin}

// Anyone is every role, for read-only views every signed-in person may open.
var Anyone = Roles

// CaseWorkers may change cases (board moves, notes, replies).
var CaseWorkers = []Role{Supervisor, Manager, Legal}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// SeesPII says whether a role may unmask customer phone, address and ID numbers (each unmasking is
// audited). The legal liaison files them with regulators and managers settle cases; supervisors work
// with masked data and the email channel, admins never need customer data (PIPL art. 6: least access).
func SeesPII(r Role) bool { return r == Legal || r == Manager }

// User is a person as the rest of the app sees them.
type User = store.Person

// RoleOf returns the user's role.
func RoleOf(u User) Role { return Role(u.Role) }

// Errors callers test for.
var (
	ErrBadCredentials = errors.New("wrong username or password")
	ErrLocked         = errors.New("account locked after repeated failed sign-ins; try again later or ask an admin")
	ErrForbidden      = errors.New("your role does not allow this")
	ErrNotSignedIn    = errors.New("not signed in")
	ErrIdleLocked     = errors.New("session locked after inactivity; enter your password to continue")
	ErrSetupDone      = errors.New("the first admin already exists")
	ErrLastAdmin      = errors.New("cannot demote or disable the last active admin")
)

// Policy holds the sign-in rules.
type Policy struct {
	MaxFailures int           // failed attempts before the account locks
	LockFor     time.Duration // how long it stays locked
	IdleLock    time.Duration // a session locks after this long without activity
}

// DefaultPolicy: 5 failures lock for 15 minutes; a session idle for 15 minutes locks.
var DefaultPolicy = Policy{MaxFailures: 5, LockFor: 15 * time.Minute, IdleLock: 15 * time.Minute}

// Service manages users and sign-in.
type Service struct {
	Store  *store.Store
	Clock  clocks.Clock
	Params Params
	Policy Policy

	dummyOnce sync.Once
	dummy     string
}

// New returns a Service with the default hashing parameters and policy.
func New(st *store.Store, clock clocks.Clock) *Service {
	return &Service{Store: st, Clock: clock, Params: DefaultParams, Policy: DefaultPolicy}
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// NewUser is what an admin enters.
type NewUser struct {
	Username    string `json:"username"`
	DisplayName string `json:"displayName"`
	Role        Role   `json:"role"`
	Password    string `json:"password"`
}

func (n NewUser) validate() error {
	if !usernameRE.MatchString(n.Username) {
		return fmt.Errorf("username %q: use 2-32 lower-case letters, digits, '.', '_' or '-'", n.Username)
	}
	if !n.Role.Valid() {
		return fmt.Errorf("role %q: must be one of supervisor, legal, manager, admin", n.Role)
	}
	if len(n.DisplayName) > 100 {
		return fmt.Errorf("display name is longer than 100 bytes")
	}
	return CheckStrength(n.Password)
}

// NeedsSetup reports whether no user exists yet (first run: the sign-in screen offers to create the admin).
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	n, err := s.Store.CountPeople(ctx)
	return n == 0, err
}

// Setup creates the first admin. It is refused once any user exists, so it cannot be used to add a
// second admin behind the real one's back.
func (s *Service) Setup(ctx context.Context, n NewUser) (User, error) {
	n.Role = Admin
	return s.create(ctx, "setup", n, true)
}

// Create adds a user; by must be an admin.
func (s *Service) Create(ctx context.Context, by User, n NewUser) (User, error) {
	if err := Require(by, Admin); err != nil {
		return User{}, err
	}
	return s.create(ctx, by.Username, n, false)
}

func (s *Service) create(ctx context.Context, actor string, n NewUser, firstRun bool) (User, error) {
	n.Username = strings.TrimSpace(strings.ToLower(n.Username))
	n.DisplayName = strings.TrimSpace(n.DisplayName)
	if err := n.validate(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(n.Password, s.Params)
	if err != nil {
		return User{}, err
	}
	now := s.Clock.Now()
	u := User{Username: n.Username, DisplayName: n.DisplayName, Role: string(n.Role), Active: true,
		CreatedAt: now, PasswordHash: hash, PasswordChangedAt: now}
	err = s.Store.Tx(ctx, func(tx *sql.Tx) error {
		if firstRun {
			count, err := store.CountPeopleTx(ctx, tx)
			if err != nil {
				return err
			}
			if count > 0 {
				return ErrSetupDone
			}
		}
		if u, err = store.CreatePersonTx(ctx, tx, u); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: actor, Action: "user.create", ObjectType: "user",
			ObjectID: u.Username, Detail: map[string]any{"role": u.Role, "first_run": firstRun}, At: now})
	})
	return u, err
}

// SignIn checks a password. Failures are counted and audited; after Policy.MaxFailures the account
// locks for Policy.LockFor. Unknown users and wrong passwords give the same error.
func (s *Service) SignIn(ctx context.Context, username, password string) (User, error) {
	username = strings.TrimSpace(strings.ToLower(username))
	u, err := s.Store.PersonByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		// Spend the same time as a real check so that response time does not reveal which names exist.
		_, _ = CheckPassword(password, s.dummyHash())
		_ = audit.Record(ctx, s.Store, audit.Entry{Actor: "anonymous", Action: "auth.signin_failed", ObjectType: "user",
			ObjectID: username, Detail: map[string]any{"reason": "unknown user"}, At: s.Clock.Now()})
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, err
	}
	now := s.Clock.Now()
	if !u.Active {
		_, _ = CheckPassword(password, s.dummyHash())
		return User{}, ErrBadCredentials
	}
	if now.Before(u.LockedUntil) {
		return User{}, ErrLocked
	}
	ok, err := CheckPassword(password, u.PasswordHash)
	if err != nil {
		return User{}, fmt.Errorf("user %q: %w", username, err)
	}
	err = s.Store.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := store.PersonTx(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if ok {
			cur.FailedLogins, cur.LockedUntil = 0, time.Time{}
			if err := store.UpdatePersonTx(ctx, tx, cur); err != nil {
				return err
			}
			u = cur
			return audit.RecordTx(ctx, tx, audit.Entry{Actor: cur.Username, Action: "auth.signin", ObjectType: "user", ObjectID: cur.Username, At: now})
		}
		cur.FailedLogins++
		detail := map[string]any{"failures": cur.FailedLogins}
		if cur.FailedLogins >= s.Policy.MaxFailures {
			cur.LockedUntil = now.Add(s.Policy.LockFor)
			cur.FailedLogins = 0
			detail["locked_until"] = store.FormatTime(cur.LockedUntil)
		}
		if err := store.UpdatePersonTx(ctx, tx, cur); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: "anonymous", Action: "auth.signin_failed", ObjectType: "user", ObjectID: cur.Username, Detail: detail, At: now})
	})
	if err != nil {
		return User{}, err
	}
	if !ok {
		return User{}, ErrBadCredentials
	}
	return u, nil
}

// dummyHash is checked against for unknown and disabled users so that they cost as much time as a real
// check (its password is irrelevant). It uses the service's parameters, those of new passwords, and is
// made on first use so that commands which never sign in do not pay for it.
func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() {
		s.dummy, _ = HashPassword("cockpit-dummy-password", s.Params) // on error "" fails to parse: still an error path
	})
	return s.dummy
}

// ChangePassword sets a new password: users change their own (giving the old one); an admin resets
// anyone's.
func (s *Service) ChangePassword(ctx context.Context, by User, username, oldPassword, newPassword string) error {
	if err := CheckStrength(newPassword); err != nil {
		return err
	}
	self := by.Username == username
	if !self {
		if err := Require(by, Admin); err != nil {
			return err
		}
	}
	target, err := s.Store.PersonByUsername(ctx, username)
	if err != nil {
		return err
	}
	if self { // everyone, admins too, proves they know the current password: an unattended window is not enough
		ok, err := CheckPassword(oldPassword, target.PasswordHash)
		if err != nil {
			return err
		}
		if !ok {
			return ErrBadCredentials
		}
	}
	hash, err := HashPassword(newPassword, s.Params)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.Store.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := store.PersonTx(ctx, tx, target.ID)
		if err != nil {
			return err
		}
		cur.PasswordHash, cur.PasswordChangedAt, cur.FailedLogins, cur.LockedUntil = hash, now, 0, time.Time{}
		if err := store.UpdatePersonTx(ctx, tx, cur); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "user.password", ObjectType: "user", ObjectID: cur.Username,
			Detail: map[string]any{"reset_by_admin": !self}, At: now})
	})
}

// Update changes a user's role, display name or active flag; admin only, audited with before and after.
// The last active admin cannot be demoted or disabled (nobody could manage users afterwards).
func (s *Service) Update(ctx context.Context, by User, username string, role Role, displayName string, active bool) (User, error) {
	if err := Require(by, Admin); err != nil {
		return User{}, err
	}
	if !role.Valid() {
		return User{}, fmt.Errorf("role %q: must be one of supervisor, legal, manager, admin", role)
	}
	target, err := s.Store.PersonByUsername(ctx, username)
	if err != nil {
		return User{}, err
	}
	now := s.Clock.Now()
	err = s.Store.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := store.PersonTx(ctx, tx, target.ID)
		if err != nil {
			return err
		}
		before := map[string]any{"role": cur.Role, "display_name": cur.DisplayName, "active": cur.Active}
		if cur.Role == string(Admin) && cur.Active && (role != Admin || !active) {
			n, err := store.CountActiveAdminsTx(ctx, tx)
			if err != nil {
				return err
			}
			if n <= 1 {
				return ErrLastAdmin
			}
		}
		cur.Role, cur.DisplayName, cur.Active = string(role), strings.TrimSpace(displayName), active
		if err := store.UpdatePersonTx(ctx, tx, cur); err != nil {
			return err
		}
		target = cur
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "user.update", ObjectType: "user", ObjectID: cur.Username,
			Detail: map[string]any{"before": before, "after": map[string]any{"role": cur.Role, "display_name": cur.DisplayName, "active": cur.Active}}, At: now})
	})
	return target, err
}

// List returns every user.
func (s *Service) List(ctx context.Context, by User) ([]User, error) {
	if err := Require(by, Admin, Manager); err != nil {
		return nil, err
	}
	return s.Store.ListPeople(ctx)
}

// Require returns ErrNotSignedIn unless u is an active user, and ErrForbidden unless their role is one
// of roles. No roles at all means any signed-in user (the services' older `signedIn` helper asks that).
func Require(u User, roles ...Role) error {
	if u.ID == 0 || !u.Active {
		return ErrNotSignedIn
	}
	if len(roles) > 0 && !slices.Contains(roles, RoleOf(u)) {
		return fmt.Errorf("%w (%s may not; needs %s)", ErrForbidden, u.Role, joinRoles(roles))
	}
	return nil
}

func joinRoles(roles []Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, " or ")
}

// Session is the signed-in user of one window. It locks after Policy.IdleLock without activity;
// Unlock needs the same user's password again.
type Session struct {
	mu       sync.Mutex
	svc      *Service
	user     User
	lastSeen time.Time
	locked   bool
}

// NewSession starts an empty session (nobody signed in).
func NewSession(svc *Service) *Session { return &Session{svc: svc} }

// SignIn checks the password and makes username the session's user.
func (s *Session) SignIn(ctx context.Context, username, password string) (User, error) {
	u, err := s.svc.SignIn(ctx, username, password)
	if err != nil {
		return User{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user, s.lastSeen, s.locked = u, s.svc.Clock.Now(), false
	return u, nil
}

// SignOut ends the session (audited).
func (s *Session) SignOut(ctx context.Context) error {
	s.mu.Lock()
	u := s.user
	s.user, s.locked = User{}, false
	s.mu.Unlock()
	if u.ID == 0 {
		return nil
	}
	return audit.Record(ctx, s.svc.Store, audit.Entry{Actor: u.Username, Action: "auth.signout", ObjectType: "user", ObjectID: u.Username, At: s.svc.Clock.Now()})
}

// Unlock re-enters the password of the session's user after an idle lock.
func (s *Session) Unlock(ctx context.Context, password string) (User, error) {
	s.mu.Lock()
	name := s.user.Username
	s.mu.Unlock()
	if name == "" {
		return User{}, ErrNotSignedIn
	}
	return s.SignIn(ctx, name, password)
}

// Current returns the session's user without counting as activity; locked reports an idle lock.
func (s *Session) Current() (u User, locked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checkIdle()
	return s.user, s.locked
}

func (s *Session) checkIdle() {
	if s.user.ID != 0 && !s.locked && s.svc.Policy.IdleLock > 0 && s.svc.Clock.Now().Sub(s.lastSeen) >= s.svc.Policy.IdleLock {
		s.locked = true
	}
}

// Require is the guard of every bound method: a signed-in, unlocked user with one of roles. A passing
// check counts as activity and postpones the idle lock.
func (s *Session) Require(roles ...Role) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checkIdle()
	if s.user.ID == 0 {
		return User{}, ErrNotSignedIn
	}
	if s.locked {
		return User{}, ErrIdleLocked
	}
	// Re-read the user so that an admin's role change or deactivation takes effect at once, not at
	// the next sign-in.
	fresh, err := s.svc.Store.Person(context.Background(), s.user.ID)
	if err != nil {
		return User{}, fmt.Errorf("check session user: %w", err)
	}
	s.user = fresh
	if err := Require(s.user, roles...); err != nil {
		return User{}, err
	}
	s.lastSeen = s.svc.Clock.Now()
	return s.user, nil
}
