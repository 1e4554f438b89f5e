package people_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"cockpit/backend/audit"
	"cockpit/backend/clocks"
	"cockpit/backend/people"
	"cockpit/backend/store"
)

// cheap keeps the tests fast; the production cost is measured in BenchmarkHashPassword.
var cheap = people.Params{Memory: 512, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func newService(t *testing.T) (*people.Service, *clocks.Fixed) {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir(), store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &clocks.Fixed{T: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	svc := people.New(st, clk)
	svc.Params = cheap
	return svc, clk
}

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := people.HashPassword("correct horse battery", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=512,t=1,p=1$") {
		t.Fatalf("hash %q is not PHC argon2id", h)
	}
	h2, _ := people.HashPassword("correct horse battery", cheap)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false} {
		if ok, err := people.CheckPassword(pw, h); err != nil || ok != want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
}

func TestParseHashRejectsDamage(t *testing.T) {
	good, _ := people.HashPassword("0123456789", cheap)
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":        "",
		"bcrypt":       "$2a$10$abcdefghijklmnopqrstuv",
		"argon2i":      strings.Replace(good, "argon2id", "argon2i", 1),
		"version":      strings.Replace(good, "v=19", "v=16", 1),
		"huge memory":  strings.Replace(good, "m=512", "m=99999999", 1),
		"zero time":    strings.Replace(good, "t=1", "t=0", 1),
		"bad salt":     strings.Join([]string{"", parts[1], parts[2], parts[3], "!!", parts[5]}, "$"),
		"short key":    strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"),
		"extra fields": good + "$x",
	} {
		if _, err := people.CheckPassword("0123456789", h); !errors.Is(err, people.ErrBadHash) {
			t.Errorf("%s: err = %v, want ErrBadHash", name, err)
		}
	}
}

func FuzzParseHash(f *testing.F) {
	good, _ := people.HashPassword("0123456789", cheap)
	f.Add(good)
	f.Add("$argon2id$v=19$m=1,t=1,p=1$$")
	f.Fuzz(func(t *testing.T, s string) {
		p, salt, key, err := people.ParseHash(s)
		if err != nil {
			return
		}
		if p.Memory == 0 || p.Memory > 1<<20 || p.Time == 0 || p.Time > 16 || len(salt) < 8 || len(key) < 16 {
			t.Fatalf("accepted out-of-range hash %q: %+v", s, p)
		}
	})
}

func TestSetupOnlyOnFirstRun(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	need, err := svc.NeedsSetup(ctx)
	if err != nil || !need {
		t.Fatalf("NeedsSetup = %v, %v", need, err)
	}
	if _, err := svc.Setup(ctx, people.NewUser{Username: "root", Password: "short"}); !errors.Is(err, people.ErrWeakPassword) {
		t.Fatalf("weak password: %v", err)
	}
	admin, err := svc.Setup(ctx, people.NewUser{Username: "Root", DisplayName: "Admin", Role: people.Supervisor, Password: "0123456789"})
	if err != nil {
		t.Fatal(err)
	}
	if admin.Role != "admin" || admin.Username != "root" {
		t.Fatalf("setup made %+v", admin)
	}
	if _, err := svc.Setup(ctx, people.NewUser{Username: "evil", Password: "0123456789"}); !errors.Is(err, people.ErrSetupDone) {
		t.Fatalf("second setup: %v", err)
	}
}

func TestSignInLocksAfterFailures(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	if _, err := svc.Setup(ctx, people.NewUser{Username: "root", Password: "0123456789"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SignIn(ctx, "nobody", "0123456789"); !errors.Is(err, people.ErrBadCredentials) {
		t.Fatalf("unknown user: %v", err)
	}
	for i := 1; i <= svc.Policy.MaxFailures; i++ {
		if _, err := svc.SignIn(ctx, "root", "wrong-password"); !errors.Is(err, people.ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if _, err := svc.SignIn(ctx, "root", "0123456789"); !errors.Is(err, people.ErrLocked) {
		t.Fatalf("right password while locked: %v", err)
	}
	clk.Advance(svc.Policy.LockFor)
	u, err := svc.SignIn(ctx, "ROOT", "0123456789")
	if err != nil || u.Username != "root" || u.FailedLogins != 0 {
		t.Fatalf("after lock expired: %+v %v", u, err)
	}
	rows, err := svc.Store.ListAudit(ctx, store.AuditFilter{Action: "auth.signin_failed"})
	if err != nil || len(rows) != svc.Policy.MaxFailures+1 {
		t.Fatalf("failed sign-ins audited: %d, %v", len(rows), err)
	}
	if rep, err := audit.Verify(ctx, svc.Store); err != nil || !rep.OK {
		t.Fatalf("audit chain: %+v %v", rep, err)
	}
}

func TestAdminOnlyUserManagement(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	admin, err := svc.Setup(ctx, people.NewUser{Username: "root", Password: "0123456789"})
	if err != nil {
		t.Fatal(err)
	}
	sup, err := svc.Create(ctx, admin, people.NewUser{Username: "sup1", Role: people.Supervisor, Password: "0123456789"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Create(ctx, sup, people.NewUser{Username: "sup2", Role: people.Manager, Password: "0123456789"}); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("supervisor created a user: %v", err)
	}
	if _, err := svc.Update(ctx, sup, "sup1", people.Manager, "", true); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("supervisor promoted self: %v", err)
	}
	if _, err := svc.Create(ctx, admin, people.NewUser{Username: "sup1", Role: people.Legal, Password: "0123456789"}); !errors.Is(err, store.ErrExists) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := svc.Create(ctx, admin, people.NewUser{Username: "x y", Role: people.Legal, Password: "0123456789"}); err == nil {
		t.Fatal("bad username accepted")
	}
	if _, err := svc.Update(ctx, admin, "root", people.Manager, "", true); !errors.Is(err, people.ErrLastAdmin) {
		t.Fatalf("last admin demoted: %v", err)
	}
	if _, err := svc.Update(ctx, admin, "sup1", people.Manager, "Sup One", true); err != nil {
		t.Fatal(err)
	}
	// Own password: old one needed. Someone else's: admin only.
	if err := svc.ChangePassword(ctx, sup, "sup1", "wrong-old-pw", "abcdefghijk"); !errors.Is(err, people.ErrBadCredentials) {
		t.Fatalf("change with wrong old password: %v", err)
	}
	if err := svc.ChangePassword(ctx, sup, "root", "", "abcdefghijk"); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("supervisor reset admin: %v", err)
	}
	if err := svc.ChangePassword(ctx, admin, "sup1", "", "abcdefghijk"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SignIn(ctx, "sup1", "abcdefghijk"); err != nil {
		t.Fatalf("new password: %v", err)
	}
	rows, _ := svc.Store.ListAudit(ctx, store.AuditFilter{ObjectType: "user", ObjectID: "sup1"})
	var actions []string
	for _, r := range rows {
		actions = append(actions, r.Action)
	}
	if strings.Join(actions, ",") != "auth.signin,user.password,user.update,user.create" {
		t.Fatalf("audit of sup1: %v", actions)
	}
}

func TestSessionIdleLockAndRoles(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	admin, _ := svc.Setup(ctx, people.NewUser{Username: "root", Password: "0123456789"})
	if _, err := svc.Create(ctx, admin, people.NewUser{Username: "mgr", Role: people.Manager, Password: "0123456789"}); err != nil {
		t.Fatal(err)
	}
	s := people.NewSession(svc)
	if _, err := s.Require(people.Anyone...); !errors.Is(err, people.ErrNotSignedIn) {
		t.Fatalf("before sign-in: %v", err)
	}
	if _, err := s.SignIn(ctx, "mgr", "0123456789"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Require(people.Admin); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("manager as admin: %v", err)
	}
	clk.Advance(svc.Policy.IdleLock - time.Second)
	if _, err := s.Require(people.Manager); err != nil {
		t.Fatalf("just before idle lock: %v", err)
	}
	clk.Advance(svc.Policy.IdleLock)
	if _, err := s.Require(people.Manager); !errors.Is(err, people.ErrIdleLocked) {
		t.Fatalf("after idle: %v", err)
	}
	if _, err := s.Unlock(ctx, "wrong-password"); !errors.Is(err, people.ErrBadCredentials) {
		t.Fatalf("unlock with wrong password: %v", err)
	}
	if _, err := s.Unlock(ctx, "0123456789"); err != nil {
		t.Fatal(err)
	}
	// A role change by the admin applies to the running session at once.
	if _, err := svc.Update(ctx, admin, "mgr", people.Supervisor, "", true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Require(people.Manager); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("demoted manager still a manager: %v", err)
	}
	if _, err := svc.Update(ctx, admin, "mgr", people.Supervisor, "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Require(people.Anyone...); !errors.Is(err, people.ErrNotSignedIn) {
		t.Fatalf("disabled user still signed in: %v", err)
	}
	if err := s.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.Current(); u.ID != 0 {
		t.Fatalf("after sign-out: %+v", u)
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := people.HashPassword("correct horse battery", people.DefaultParams); err != nil {
			b.Fatal(err)
		}
	}
}

func TestRequireRoles(t *testing.T) {
	sup := people.User{ID: 1, Username: "s", Role: "supervisor", Active: true}
	tests := []struct {
		u     people.User
		roles []people.Role
		want  error
	}{
		{sup, []people.Role{people.Supervisor}, nil},
		{sup, people.Anyone, nil},
		{sup, nil, nil}, // signed in, any role
		{sup, []people.Role{people.Manager, people.Admin}, people.ErrForbidden},
		{people.User{}, people.Anyone, people.ErrNotSignedIn},
		{people.User{ID: 2, Role: "admin"}, people.Anyone, people.ErrNotSignedIn}, // deactivated
	}
	for i, tc := range tests {
		if err := people.Require(tc.u, tc.roles...); !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
			t.Errorf("%d: Require(%s, %v) = %v, want %v", i, tc.u.Role, tc.roles, err, tc.want)
		}
	}
}

func TestAdminChangingOwnPasswordNeedsTheOldOne(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	admin, err := svc.Setup(ctx, people.NewUser{Username: "root", Password: "0123456789"})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.ChangePassword(ctx, admin, "root", "", "abcdefghijk"); !errors.Is(err, people.ErrBadCredentials) {
		t.Fatalf("admin changed own password without the old one: %v", err)
	}
	if err := svc.ChangePassword(ctx, admin, "root", "0123456789", "abcdefghijk"); err != nil {
		t.Fatal(err)
	}
}
