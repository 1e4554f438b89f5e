package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"cockpit/backend/cli"
	"cockpit/backend/clocks"
	"cockpit/backend/compensation"
	"cockpit/backend/people"
	"cockpit/backend/store"
)

// openCore opens a real workspace in a temp dir, as OnStartup does, with cheap password hashing.
func openCore(t *testing.T) (*Core, *clocks.Fixed) {
	t.Helper()
	clk := &clocks.Fixed{T: time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)}
	core := &Core{Global: cli.Global{DataDir: t.TempDir()}, Clock: clk, Events: nopEmitter{}}
	if err := core.open(context.Background(), core.Global.DataDir); err != nil {
		t.Fatal(err)
	}
	core.People.Params = people.Params{Memory: 256, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	t.Cleanup(func() { core.shutdown(context.Background()) })
	return core, clk
}

// addStaff creates the administrator "root" (left signed in) and staff, every password "0123456789",
// and returns the People service with the staff's ids by user name.
func addStaff(t *testing.T, core *Core, staff ...people.NewUser) (*People, map[string]int64) {
	t.Helper()
	p := &People{core: core}
	if _, err := p.Setup(people.NewUser{Username: "root", Password: "0123456789"}); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, u := range staff {
		u.Password = "0123456789"
		created, err := p.CreateUser(u)
		if err != nil {
			t.Fatal(err)
		}
		ids[u.Username] = created.ID
	}
	return p, ids
}

// staffedCore is openCore with events recorded, the administrator "root" signed in and a supervisor
// "sup1".
func staffedCore(t *testing.T) (*Core, *clocks.Fixed, *recorder, *People) {
	t.Helper()
	core, clk := openCore(t)
	rec := &recorder{seen: make(chan string, 256)}
	core.Events = rec
	p, _ := addStaff(t, core, people.NewUser{Username: "sup1", Role: people.Supervisor})
	return core, clk, rec, p
}

func mustSignIn(t *testing.T, p *People, name string) {
	t.Helper()
	if _, err := p.SignIn(name, "0123456789"); err != nil {
		t.Fatalf("sign in %s: %v", name, err)
	}
}

func TestBoundServicesCheckRoles(t *testing.T) {
	core, clk := openCore(t)
	p, a := &People{core: core}, &Approvals{core: core}

	// Nobody signed in: every guarded method refuses.
	if _, err := a.Queue(); !errors.Is(err, people.ErrNotSignedIn) {
		t.Fatalf("queue before sign-in: %v", err)
	}
	if _, err := p.Users(); !errors.Is(err, people.ErrNotSignedIn) {
		t.Fatalf("users before sign-in: %v", err)
	}
	st, err := p.State()
	if err != nil || !st.NeedsSetup || st.SignedIn {
		t.Fatalf("first-run state: %+v %v", st, err)
	}
	if st, err = p.Setup(people.NewUser{Username: "root", Password: "0123456789"}); err != nil || !st.SignedIn || st.User.Role != "admin" {
		t.Fatalf("setup: %+v %v", st, err)
	}
	for _, u := range []people.NewUser{{Username: "sup1", Role: people.Supervisor}, {Username: "mgr1", Role: people.Manager},
		{Username: "legal1", Role: people.Legal}} {
		u.Password = "0123456789"
		if _, err := p.CreateUser(u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Submit(RequestInput{CaseID: 1, Type: "coupon", Amount: "15", Reason: "x"}); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("admin submitted a request: %v", err)
	}
	ids, err := core.Store.InsertSynthetic(context.Background(), []store.SyntheticCase{{Title: "破损", Status: "open",
		CustomerName: "李静", CustomerEmail: "lijing@163.com", OpenedAt: clk.T}})
	if err != nil {
		t.Fatal(err)
	}

	mustSignIn(t, p, "sup1")
	if _, err := p.CreateUser(people.NewUser{Username: "x2", Role: people.Admin, Password: "0123456789"}); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("supervisor created an admin: %v", err)
	}
	if _, err := p.UpdateUser("sup1", people.Manager, "", true); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("supervisor promoted self: %v", err)
	}
	if _, err := a.SetRules([]compensation.Rule{{Role: "supervisor", Approvers: 1}}); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("supervisor edited the matrix: %v", err)
	}
	if _, err := a.ExportCSV("", ""); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("supervisor exported: %v", err)
	}
	if _, err := p.UnmaskCustomer(ids[0], "call back"); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("supervisor unmasked: %v", err)
	}
	req, err := a.Submit(RequestInput{CaseID: ids[0], Type: "cash", Amount: "300.5", Reason: "破损补偿"})
	if err != nil || req.AmountFen != 30050 {
		t.Fatalf("submit: %+v %v", req, err)
	}
	// A direct binding call cannot approve one's own request.
	if _, err := a.Decide(req.ID, "approve", ""); !errors.Is(err, compensation.ErrOwnRequest) {
		t.Fatalf("own approval through the binding: %v", err)
	}

	mustSignIn(t, p, "mgr1")
	q, err := a.Queue()
	if err != nil || len(q) != 1 || !q[0].CanDecide || q[0].Customer != "李*" {
		t.Fatalf("manager queue: %+v %v", q, err)
	}
	if got, err := a.Decide(req.ID, "approve", "ok"); err != nil || got.Status != "approved" {
		t.Fatalf("manager approval: %+v %v", got, err)
	}
	csv, err := a.ExportCSV("2026-11-25", "2026-11-25")
	if err != nil || !strings.Contains(csv, "300.50") || strings.Contains(csv, "李静") {
		t.Fatalf("export: %q %v", csv, err)
	}
	if _, err := p.UnmaskCustomer(ids[0], ""); err == nil {
		t.Fatal("unmask without a purpose accepted")
	}
	c, err := p.UnmaskCustomer(ids[0], "12315 reply needs the full name")
	if err != nil || c.Name != "李静" || c.Email != "lijing@163.com" {
		t.Fatalf("unmask: %+v %v", c, err)
	}
	rows, _ := core.Store.ListAudit(context.Background(), store.AuditFilter{Action: "pii.unmask"})
	if len(rows) != 1 || rows[0].Actor != "mgr1" || rows[0].ObjectID != "1" || strings.Contains(rows[0].DetailJSON, "李静") {
		t.Fatalf("unmask audit: %+v", rows)
	}

	// Idle lock: guarded calls stop until the password is given again.
	clk.Advance(core.People.Policy.IdleLock)
	if _, err := a.Queue(); !errors.Is(err, people.ErrIdleLocked) {
		t.Fatalf("after idle: %v", err)
	}
	if st, _ := p.State(); !st.Locked {
		t.Fatalf("state after idle: %+v", st)
	}
	if _, err := p.Unlock("0123456789"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Queue(); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	if _, err := p.SignOut(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Queue(); !errors.Is(err, people.ErrNotSignedIn) {
		t.Fatalf("after sign-out: %v", err)
	}
}
