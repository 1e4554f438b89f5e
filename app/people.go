package app

import (
	"context"
	"fmt"
	"strconv"

	"cockpit/backend/audit"
	"cockpit/backend/people"
	"cockpit/backend/pii"
)

// People is the bound service of sign-in, the session and the users admin.
//
// Events: "session:changed" AuthState after sign-in, sign-out, unlock and setup; "user:changed" User
// after an admin's change.
type People struct{ core *Core }

// AuthState is what the sign-in screen needs to decide what to show.
type AuthState struct {
	Open        bool         `json:"open"`       // the workspace is open (else System.Status says why)
	NeedsSetup  bool         `json:"needsSetup"` // first run: create the admin
	SignedIn    bool         `json:"signedIn"`
	Locked      bool         `json:"locked"` // idle lock: ask for the password again
	User        *people.User `json:"user"`
	IdleMinutes int          `json:"idleMinutes"`
	SeesPII     bool         `json:"seesPii"` // the role may unmask customer contact data (audited)
}

// State reports sign-in state. It needs no sign-in (the sign-in screen asks it) and does not count as
// activity, so polling it does not keep an idle session awake.
func (s *People) State() (AuthState, error) {
	if _, err := s.core.ready(); err != nil {
		return AuthState{}, nil // not open is a state, not an error: System.Status says why
	}
	s.core.mu.RLock()
	svc, sess := s.core.People, s.core.Session
	s.core.mu.RUnlock()
	st := AuthState{Open: true, IdleMinutes: int(svc.Policy.IdleLock.Minutes())}
	need, err := svc.NeedsSetup(context.Background())
	if err != nil {
		return st, err
	}
	st.NeedsSetup = need
	u, locked := sess.Current()
	if u.ID != 0 {
		st.SignedIn, st.Locked, st.User = true, locked, &u
		st.SeesPII = people.SeesPII(people.RoleOf(u))
	}
	return st, nil
}

func (s *People) session() (*people.Service, *people.Session, error) {
	if _, err := s.core.ready(); err != nil {
		return nil, nil, err
	}
	s.core.mu.RLock()
	defer s.core.mu.RUnlock()
	return s.core.People, s.core.Session, nil
}

func (s *People) changed() (AuthState, error) {
	st, err := s.State()
	if err == nil {
		s.core.Events.Emit("session:changed", st)
	}
	return st, err
}

// Setup creates the first admin on first run and signs them in; refused once any user exists.
func (s *People) Setup(n people.NewUser) (AuthState, error) {
	svc, sess, err := s.session()
	if err != nil {
		return AuthState{}, err
	}
	if _, err := svc.Setup(context.Background(), n); err != nil {
		return AuthState{}, err
	}
	if _, err := sess.SignIn(context.Background(), n.Username, n.Password); err != nil {
		return AuthState{}, err
	}
	return s.changed()
}

// SignIn checks the password and starts the session.
func (s *People) SignIn(username, password string) (AuthState, error) {
	_, sess, err := s.session()
	if err != nil {
		return AuthState{}, err
	}
	s.core.stages.mark(StageSignIn)
	if _, err := sess.SignIn(context.Background(), username, password); err != nil {
		return AuthState{}, err
	}
	s.core.stages.mark(StageSignedIn)
	return s.changed()
}

// Unlock re-enters the password after an idle lock.
func (s *People) Unlock(password string) (AuthState, error) {
	_, sess, err := s.session()
	if err != nil {
		return AuthState{}, err
	}
	if _, err := sess.Unlock(context.Background(), password); err != nil {
		return AuthState{}, err
	}
	return s.changed()
}

// SignOut ends the session.
func (s *People) SignOut() (AuthState, error) {
	_, sess, err := s.session()
	if err != nil {
		return AuthState{}, err
	}
	if err := sess.SignOut(context.Background()); err != nil {
		return AuthState{}, err
	}
	return s.changed()
}

// ChangePassword changes the signed-in user's own password (old one required) or, for an admin,
// anyone's.
func (s *People) ChangePassword(username, oldPassword, newPassword string) error {
	who, err := s.core.Require(people.Anyone...)
	if err != nil {
		return err
	}
	return s.core.People.ChangePassword(context.Background(), who, username, oldPassword, newPassword)
}

// Users lists every user (admins and managers).
func (s *People) Users() ([]people.User, error) {
	who, err := s.core.Require(people.Admin, people.Manager)
	if err != nil {
		return nil, err
	}
	return s.core.People.List(context.Background(), who)
}

// Roles lists the roles for the users admin.
func (s *People) Roles() ([]people.Role, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return nil, err
	}
	return people.Roles, nil
}

// CreateUser adds a user (admin only).
func (s *People) CreateUser(n people.NewUser) (people.User, error) {
	who, err := s.core.Require(people.Admin)
	if err != nil {
		return people.User{}, err
	}
	u, err := s.core.People.Create(context.Background(), who, n)
	if err != nil {
		return people.User{}, err
	}
	s.core.Events.Emit("user:changed", u)
	return u, nil
}

// UpdateUser changes a user's role, display name or active flag (admin only; audited).
func (s *People) UpdateUser(username string, role people.Role, displayName string, active bool) (people.User, error) {
	who, err := s.core.Require(people.Admin)
	if err != nil {
		return people.User{}, err
	}
	u, err := s.core.People.Update(context.Background(), who, username, role, displayName, active)
	if err != nil {
		return people.User{}, err
	}
	s.core.Events.Emit("user:changed", u)
	return u, nil
}

// Contact is a customer's unmasked contact data.
type Contact struct {
	CaseID   int64  `json:"caseId"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	Address  string `json:"address"`
	IDNumber string `json:"idNumber"`
}

// UnmaskCustomer returns a case's customer contact data in clear, for the roles that need it (legal,
// manager), with a purpose; every call is in the audit trail.
func (s *People) UnmaskCustomer(caseID int64, purpose string) (Contact, error) {
	who, err := s.core.Require(people.Legal, people.Manager)
	if err != nil {
		return Contact{}, err
	}
	if len([]rune(purpose)) < 2 {
		return Contact{}, fmt.Errorf("say why you need the customer's contact data")
	}
	st, err := s.core.ready()
	if err != nil {
		return Contact{}, err
	}
	c, err := st.GetCase(context.Background(), caseID)
	if err != nil {
		return Contact{}, err
	}
	cu := c.Customer
	if err := audit.Record(context.Background(), st, audit.Entry{Actor: who.Username, Action: "pii.unmask", ObjectType: "case",
		ObjectID: strconv.FormatInt(caseID, 10), At: s.core.Clock.Now(),
		Detail: map[string]any{"purpose": purpose, "customer_id": cu.ID, "fields": []string{"name", "email", "phone", "address", "id_number"},
			"customer": pii.Name(cu.DisplayName)}}); err != nil {
		return Contact{}, err
	}
	return Contact{CaseID: caseID, Name: cu.DisplayName, Email: cu.Email, Phone: cu.Phone, Address: cu.Address, IDNumber: cu.IDNumber}, nil
}
