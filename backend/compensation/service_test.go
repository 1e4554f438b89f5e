package compensation_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"cockpit/backend/audit"
	"cockpit/backend/clocks"
	"cockpit/backend/compensation"
	"cockpit/backend/people"
	"cockpit/backend/store"
)

type fixture struct {
	svc                *compensation.Service
	st                 *store.Store
	clk                *clocks.Fixed
	caseID             int64
	admin, sup, sup2   people.User
	mgr1, mgr2, lawyer people.User
}

var t0 = time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)

// template is a migrated workspace with the fixture's people and one case, made once per run: setup
// copies its file, because migrating and hashing passwords per test is most of the time under -race.
var template = struct {
	once sync.Once
	dir  string
	err  error
}{}

func TestMain(m *testing.M) {
	code := m.Run()
	if template.dir != "" {
		os.RemoveAll(template.dir)
	}
	os.Exit(code)
}

func makeTemplate() (string, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "cockpit-compensation-test")
	if err != nil {
		return "", err
	}
	st, err := store.Open(ctx, dir, store.ReadWrite)
	if err != nil {
		return dir, err
	}
	defer st.Close()
	ps := people.New(st, &clocks.Fixed{T: t0})
	ps.Params = people.Params{Memory: 256, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	admin, err := ps.Setup(ctx, people.NewUser{Username: "root", Password: "0123456789"})
	if err != nil {
		return dir, err
	}
	for _, u := range []people.NewUser{{Username: "sup1", Role: people.Supervisor}, {Username: "sup2", Role: people.Supervisor},
		{Username: "mgr1", Role: people.Manager}, {Username: "mgr2", Role: people.Manager}, {Username: "legal1", Role: people.Legal}} {
		u.Password = "0123456789"
		if _, err := ps.Create(ctx, admin, u); err != nil {
			return dir, err
		}
	}
	_, err = st.InsertSynthetic(ctx, []store.SyntheticCase{{Title: "奶粉结块", Type: "product", Level: 1, Status: "open",
		CustomerName: "王小明", CustomerEmail: "wxm@qq.com", OrderNo: "JD100200300", OpenedAt: t0}})
	return dir, err
}

func setup(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	template.once.Do(func() { template.dir, template.err = makeTemplate() })
	if template.err != nil {
		t.Fatal(template.err)
	}
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(template.dir, "cockpit.db"))
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "cockpit.db"), b, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &clocks.Fixed{T: t0}
	f := &fixture{st: st, clk: clk, caseID: 1}
	for name, u := range map[string]*people.User{"root": &f.admin, "sup1": &f.sup, "sup2": &f.sup2, "mgr1": &f.mgr1, "mgr2": &f.mgr2, "legal1": &f.lawyer} {
		if *u, err = st.PersonByUsername(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	f.svc = compensation.New(st, clk, time.FixedZone("CST", 8*3600))
	return f
}

func (f *fixture) submit(t testing.TB, by people.User, typ compensation.Type, yuan string) compensation.Request {
	t.Helper()
	fen, err := compensation.ParseYuan(yuan)
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.svc.Submit(context.Background(), by, compensation.NewRequest{CaseID: f.caseID, Type: typ, AmountFen: fen, Reason: "客户电话13812345678 反映结块"})
	if err != nil {
		t.Fatalf("submit %s %s: %v", typ, yuan, err)
	}
	return r
}

// TestMatrixThresholds walks the default matrix at and around each limit: supervisors approve coupons
// up to 200 yuan, one manager anything up to 5,000 yuan, two managers above.
func TestMatrixThresholds(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		typ      compensation.Type
		yuan     string
		steps    []string // approver names in order
		wantErr  []error  // per step (nil: accepted)
		wantLast string   // status after the last step
	}{
		{"coupon 199.99 by supervisor", compensation.Coupon, "199.99", []string{"sup2"}, []error{nil}, "approved"},
		{"coupon 200.00 by supervisor", compensation.Coupon, "200.00", []string{"sup2"}, []error{nil}, "approved"},
		{"coupon 200.01 by supervisor", compensation.Coupon, "200.01", []string{"sup2"}, []error{compensation.ErrMayNotDecide}, "pending"},
		{"coupon 200.01 by manager", compensation.Coupon, "200.01", []string{"mgr1"}, []error{nil}, "approved"},
		{"refund 15 by supervisor", compensation.Refund, "15", []string{"sup2"}, []error{compensation.ErrMayNotDecide}, "pending"},
		{"refund 15 by legal", compensation.Refund, "15", []string{"legal1"}, []error{compensation.ErrMayNotDecide}, "pending"},
		{"cash 4999.99 one manager", compensation.Cash, "4999.99", []string{"mgr1"}, []error{nil}, "approved"},
		{"cash 5000.00 one manager", compensation.Cash, "5000.00", []string{"mgr1"}, []error{nil}, "approved"},
		{"cash 5000.01 one manager", compensation.Cash, "5000.01", []string{"mgr1"}, []error{nil}, "pending"},
		{"cash 5000.01 two managers", compensation.Cash, "5000.01", []string{"mgr1", "mgr2"}, []error{nil, nil}, "approved"},
		{"cash 5000.01 same manager twice", compensation.Cash, "5000.01", []string{"mgr1", "mgr1"}, []error{nil, store.ErrExists}, "pending"},
		{"statutory 50000 supervisor cannot help", compensation.StatutoryDamage, "50000", []string{"mgr1", "sup2"}, []error{nil, compensation.ErrMayNotDecide}, "pending"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			users := map[string]people.User{"sup2": f.sup2, "mgr1": f.mgr1, "mgr2": f.mgr2, "legal1": f.lawyer}
			r := f.submit(t, f.sup, tc.typ, tc.yuan)
			for i, name := range tc.steps {
				_, err := f.svc.Decide(ctx, users[name], r.ID, compensation.Approve, "")
				if (tc.wantErr[i] == nil) != (err == nil) || (err != nil && !errors.Is(err, tc.wantErr[i])) {
					t.Fatalf("step %d (%s): err = %v, want %v", i, name, err, tc.wantErr[i])
				}
			}
			got, err := f.st.CompRequest(ctx, r.ID)
			if err != nil || got.Status != tc.wantLast {
				t.Fatalf("status = %q (%v), want %q", got.Status, err, tc.wantLast)
			}
		})
	}
}

func TestAmountOutsideMatrixRefusedAtSubmit(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	// An admin narrows the matrix to coupons only: a refund is then covered by no rule.
	if _, err := f.svc.SetRules(ctx, f.admin, []compensation.Rule{{Type: "coupon", Role: "manager", MaxFen: 100000, Approvers: 1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Submit(ctx, f.sup, compensation.NewRequest{CaseID: f.caseID, Type: compensation.Refund, AmountFen: 100, Reason: "x"}); !errors.Is(err, compensation.ErrNotCovered) {
		t.Fatalf("refund: %v", err)
	}
	if _, err := f.svc.Submit(ctx, f.sup, compensation.NewRequest{CaseID: f.caseID, Type: compensation.Coupon, AmountFen: 100001, Reason: "x"}); !errors.Is(err, compensation.ErrNotCovered) {
		t.Fatalf("coupon 1000.01: %v", err)
	}
	f.submit(t, f.sup, compensation.Coupon, "1000.00")
}

func TestSubmitValidation(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	for name, n := range map[string]compensation.NewRequest{
		"no case":      {Type: compensation.Coupon, AmountFen: 100, Reason: "x"},
		"unknown case": {CaseID: 999, Type: compensation.Coupon, AmountFen: 100, Reason: "x"},
		"bad type":     {CaseID: f.caseID, Type: "voucher", AmountFen: 100, Reason: "x"},
		"zero":         {CaseID: f.caseID, Type: compensation.Coupon, AmountFen: 0, Reason: "x"},
		"negative":     {CaseID: f.caseID, Type: compensation.Coupon, AmountFen: -100, Reason: "x"},
		"no reason":    {CaseID: f.caseID, Type: compensation.Coupon, AmountFen: 100, Reason: "  "},
		"calc on coupon": {CaseID: f.caseID, Type: compensation.Coupon, AmountFen: 100, Reason: "x",
			Calc: &compensation.Calculation{Rule: compensation.RuleCPL55, PriceFen: 100}},
	} {
		if _, err := f.svc.Submit(ctx, f.sup, n); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := f.svc.Submit(ctx, f.admin, compensation.NewRequest{CaseID: f.caseID, Type: compensation.Coupon, AmountFen: 100, Reason: "x"}); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("admin submitted: %v", err)
	}
	r, err := f.svc.Submit(ctx, f.lawyer, compensation.NewRequest{CaseID: f.caseID, Type: compensation.StatutoryDamage, AmountFen: 50000,
		Reason: "fraud: CPL 55", Calc: &compensation.Calculation{Rule: compensation.RuleCPL55, PriceFen: 9900, AmountFen: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.CalcJSON, `"amountFen":50000`) {
		t.Fatalf("calculation not recomputed: %s", r.CalcJSON)
	}
}

func TestNobodyDecidesOwnRequest(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	for _, by := range []people.User{f.sup, f.mgr1} {
		r := f.submit(t, by, compensation.Coupon, "15")
		for _, verdict := range []string{compensation.Approve, compensation.Reject} {
			if _, err := f.svc.Decide(ctx, by, r.ID, verdict, "mine"); !errors.Is(err, compensation.ErrOwnRequest) {
				t.Fatalf("%s %s own request: %v", by.Username, verdict, err)
			}
		}
		got, _ := f.st.CompRequest(ctx, r.ID)
		if got.Status != "pending" || len(got.Decisions) != 0 {
			t.Fatalf("own decision left a trace: %+v", got)
		}
		q, err := f.svc.Queue(ctx, by)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range q {
			if it.ID == r.ID && (it.CanDecide || it.Why != "own request") {
				t.Fatalf("queue offers own request: %+v", it)
			}
		}
	}
	refused, err := f.st.ListAudit(ctx, store.AuditFilter{Action: "compensation.self_decision_refused"})
	if err != nil || len(refused) != 4 {
		t.Fatalf("self-decision attempts audited: %d, %v", len(refused), err)
	}
}

func TestRejectNeedsReasonAndCloses(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	r := f.submit(t, f.sup, compensation.Cash, "100")
	if _, err := f.svc.Decide(ctx, f.mgr1, r.ID, compensation.Reject, "   "); !errors.Is(err, compensation.ErrNeedReason) {
		t.Fatalf("reject without reason: %v", err)
	}
	if _, err := f.svc.Decide(ctx, f.mgr1, r.ID, "maybe", "x"); err == nil {
		t.Fatal("unknown verdict accepted")
	}
	got, err := f.svc.Decide(ctx, f.mgr1, r.ID, compensation.Reject, "按手册发15元延误券即可")
	if err != nil || got.Status != "rejected" || got.Decisions[0].Reason != "按手册发15元延误券即可" {
		t.Fatalf("reject: %+v %v", got, err)
	}
	if _, err := f.svc.Decide(ctx, f.mgr2, r.ID, compensation.Approve, ""); !errors.Is(err, compensation.ErrNotPending) {
		t.Fatalf("approve after reject: %v", err)
	}
}

func TestBudgetRemainder(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	day := f.clk.T.Truncate(24 * time.Hour)
	if _, err := f.svc.SetBudget(ctx, f.sup, compensation.Budget{Scope: "manager", Key: "mgr1", StartsAt: day, EndsAt: day.Add(24 * time.Hour), LimitFen: 30000}); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("supervisor set a budget: %v", err)
	}
	if _, err := f.svc.SetBudget(ctx, f.admin, compensation.Budget{Scope: "manager", Key: "mgr1", StartsAt: day, EndsAt: day.Add(24 * time.Hour), LimitFen: 30000}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetBudget(ctx, f.admin, compensation.Budget{Scope: "shift", Key: "night", StartsAt: day, EndsAt: day.Add(24 * time.Hour), LimitFen: 10000}); err != nil {
		t.Fatal(err)
	}
	a := f.submit(t, f.sup, compensation.Cash, "200")
	if _, err := f.svc.Decide(ctx, f.mgr1, a.ID, compensation.Approve, ""); err != nil {
		t.Fatal(err)
	}
	b := f.submit(t, f.sup, compensation.Cash, "100.01")
	if _, err := f.svc.Decide(ctx, f.mgr1, b.ID, compensation.Approve, ""); !errors.Is(err, compensation.ErrOverBudget) || !strings.Contains(err.Error(), "100.00 yuan left") {
		t.Fatalf("over budget: %v", err)
	}
	if _, err := f.svc.Decide(ctx, f.mgr2, b.ID, compensation.Approve, ""); err != nil {
		t.Fatalf("another manager without a budget: %v", err)
	}
	// Shift budget: exactly the remainder is fine, a fen more is not.
	c, _ := f.svc.Submit(ctx, f.sup, compensation.NewRequest{CaseID: f.caseID, Type: compensation.Coupon, AmountFen: 10000, Reason: "x", Shift: "night"})
	if _, err := f.svc.Decide(ctx, f.sup2, c.ID, compensation.Approve, ""); err != nil {
		t.Fatalf("exact remainder: %v", err)
	}
	d, _ := f.svc.Submit(ctx, f.sup, compensation.NewRequest{CaseID: f.caseID, Type: compensation.Coupon, AmountFen: 1, Reason: "x", Shift: "night"})
	if _, err := f.svc.Decide(ctx, f.sup2, d.ID, compensation.Approve, ""); !errors.Is(err, compensation.ErrOverBudget) {
		t.Fatalf("one fen over: %v", err)
	}
	bs, err := f.svc.Budgets(ctx, f.mgr1)
	if err != nil {
		t.Fatal(err)
	}
	left := map[string]int64{}
	for _, b := range bs {
		left[b.Scope+":"+b.Key] = b.LimitFen - b.SpentFen
	}
	if left["manager:mgr1"] != 10000 || left["shift:night"] != 0 {
		t.Fatalf("remainders = %v", left)
	}
}

func TestEscalationAndQueueOrder(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	old := f.submit(t, f.sup, compensation.Refund, "50")
	f.clk.Advance(3 * time.Hour)
	fresh := f.submit(t, f.sup, compensation.Refund, "60")
	f.clk.Advance(time.Hour - time.Second)
	q, _ := f.svc.Queue(ctx, f.mgr1)
	if len(q) != 2 || !q[0].EscalatedAt.IsZero() || q[0].ID != old.ID {
		t.Fatalf("before 4h: %+v", q)
	}
	f.clk.Advance(time.Second)
	q, _ = f.svc.Queue(ctx, f.mgr1)
	if q[0].ID != old.ID || q[0].EscalatedAt.IsZero() || !q[1].EscalatedAt.IsZero() || q[1].ID != fresh.ID {
		t.Fatalf("at 4h: %+v", q)
	}
	if q[0].Customer != "王**" || !strings.Contains(q[0].Reason, "138****5678") {
		t.Fatalf("queue not masked: %q %q", q[0].Customer, q[0].Reason)
	}
	if n, _ := f.svc.Escalate(ctx); n != 0 {
		t.Fatalf("escalated twice: %d", n)
	}
	rows, _ := f.st.ListAudit(ctx, store.AuditFilter{Action: "compensation.escalate"})
	if len(rows) != 1 || rows[0].Actor != "system" {
		t.Fatalf("escalation audit: %+v", rows)
	}
}

func TestExecutionStatus(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	r := f.submit(t, f.sup, compensation.Coupon, "15")
	if _, err := f.svc.SetExecution(ctx, f.sup, r.ID, "coupon_issued", "CPN-1"); err == nil {
		t.Fatal("pending request marked executed")
	}
	if _, err := f.svc.Decide(ctx, f.sup2, r.ID, compensation.Approve, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetExecution(ctx, f.sup, r.ID, "paid", ""); err == nil {
		t.Fatal("coupon marked paid")
	}
	if _, err := f.svc.SetExecution(ctx, f.lawyer, r.ID, "coupon_issued", ""); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("legal set execution: %v", err)
	}
	got, err := f.svc.SetExecution(ctx, f.sup, r.ID, "coupon_issued", "CPN-1")
	if err != nil || got.Execution != "coupon_issued" || got.ExecRef != "CPN-1" || got.ExecutedBy != "sup1" {
		t.Fatalf("execution: %+v %v", got, err)
	}
}

func TestExportCSVMaskedAndAudited(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	r := f.submit(t, f.sup, compensation.Cash, "1299.5")
	if _, err := f.svc.Decide(ctx, f.mgr1, r.ID, compensation.Approve, "ok"); err != nil {
		t.Fatal(err)
	}
	evil, err := f.svc.Submit(ctx, f.sup, compensation.NewRequest{CaseID: f.caseID, Type: compensation.Refund, AmountFen: 100, Reason: "=HYPERLINK(\"http://x\")"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Decide(ctx, f.mgr2, evil.ID, compensation.Approve, ""); err != nil {
		t.Fatal(err)
	}
	f.submit(t, f.sup, compensation.Cash, "5") // pending: not exported
	var buf bytes.Buffer
	if _, err := f.svc.ExportCSV(ctx, f.sup, &buf, time.Time{}, time.Time{}); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("supervisor exported: %v", err)
	}
	n, err := f.svc.ExportCSV(ctx, f.mgr1, &buf, time.Time{}, time.Time{})
	if err != nil || n != 2 {
		t.Fatalf("export: %d %v", n, err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || strings.Join(recs[0], ",") != strings.Join(compensation.ExportHeader, ",") {
		t.Fatalf("csv = %v", recs)
	}
	row := recs[1]
	if row[3] != "王**" || row[5] != "1299.50" || row[9] != "mgr1" || row[8] != "2026-11-25 10:00:00" || !strings.Contains(row[14], "138****5678") {
		t.Fatalf("row = %q", row)
	}
	if !strings.HasPrefix(recs[2][14], "'=") {
		t.Fatalf("formula not neutralised: %q", recs[2][14])
	}
	if strings.Contains(buf.String(), "13812345678") {
		t.Fatal("phone number leaked into the export")
	}
	rows, _ := f.st.ListAudit(ctx, store.AuditFilter{Action: "compensation.export"})
	if len(rows) != 1 || rows[0].Actor != "mgr1" {
		t.Fatalf("export audit: %+v", rows)
	}
	if rep, err := audit.Verify(ctx, f.st); err != nil || !rep.OK {
		t.Fatalf("audit chain: %+v %v", rep, err)
	}
}

func TestMatrixEditAdminOnly(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rules, err := f.svc.Rules(ctx, f.sup)
	if err != nil || len(rules) != 3 {
		t.Fatalf("default matrix: %+v %v", rules, err)
	}
	if _, err := f.svc.SetRules(ctx, f.mgr1, rules); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("manager edited the matrix: %v", err)
	}
	for name, bad := range map[string][]compensation.Rule{
		"empty":    {},
		"bad role": {{Role: "ceo", Approvers: 1}},
		"bad type": {{Type: "voucher", Role: "manager", Approvers: 1}},
		"zero":     {{Role: "manager", Approvers: 0}},
		"negative": {{Role: "manager", MaxFen: -1, Approvers: 1}},
	} {
		if _, err := f.svc.SetRules(ctx, f.admin, bad); err == nil {
			t.Errorf("%s matrix accepted", name)
		}
	}
	rules = append(rules, compensation.Rule{Type: "coupon", Role: "legal", MaxFen: 5000, Approvers: 1})
	if _, err := f.svc.SetRules(ctx, f.admin, rules); err != nil {
		t.Fatal(err)
	}
	r := f.submit(t, f.sup, compensation.Coupon, "50")
	if got, err := f.svc.Decide(ctx, f.lawyer, r.ID, compensation.Approve, ""); err != nil || got.Status != "approved" {
		t.Fatalf("legal under the new rule: %+v %v", got, err)
	}
	rows, _ := f.st.ListAudit(ctx, store.AuditFilter{Action: "approval_matrix.update"})
	if len(rows) != 1 || !strings.Contains(rows[0].DetailJSON, `"before"`) {
		t.Fatalf("matrix audit: %+v", rows)
	}
}

func TestEscalationTimeSetting(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	if err := f.svc.SetEscalateAfter(ctx, f.mgr1, time.Hour); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("manager set the escalation time: %v", err)
	}
	if err := f.svc.SetEscalateAfter(ctx, f.admin, 5*time.Minute); err == nil {
		t.Fatal("5 minutes accepted")
	}
	if err := f.svc.SetEscalateAfter(ctx, f.admin, time.Hour); err != nil {
		t.Fatal(err)
	}
	// A fresh service (as each bound call makes) picks the setting up.
	svc := compensation.New(f.st, f.clk, time.UTC)
	if err := svc.Load(ctx); err != nil || svc.EscalateAfter != time.Hour {
		t.Fatalf("loaded %s, %v", svc.EscalateAfter, err)
	}
	r := f.submit(t, f.sup, compensation.Refund, "20")
	f.clk.Advance(time.Hour)
	q, err := svc.Queue(ctx, f.mgr1)
	if err != nil || len(q) != 1 || q[0].ID != r.ID || q[0].EscalatedAt.IsZero() {
		t.Fatalf("after 1h: %+v %v", q, err)
	}
	rows, _ := f.st.ListAudit(ctx, store.AuditFilter{Action: "compensation.escalate_after"})
	if len(rows) != 1 || !strings.Contains(rows[0].DetailJSON, `"after":"1h0m0s"`) {
		t.Fatalf("setting audit: %+v", rows)
	}
}

// BenchmarkQueue1000 is the manager's queue over 1,000 pending requests (escalation sweep, listing with
// decisions, matrix check per row).
func BenchmarkQueue1000(b *testing.B) {
	f := setup(b)
	for i := 0; i < 1000; i++ {
		f.submit(b, f.sup, compensation.Cash, "100")
	}
	ctx := context.Background()
	for b.Loop() {
		q, err := f.svc.Queue(ctx, f.mgr1)
		if err != nil || len(q) != 1000 {
			b.Fatal(len(q), err)
		}
	}
}

// BenchmarkDecide is one approval: the request, matrix and budgets read, decision, status and audit row
// written in one transaction.
func BenchmarkDecide(b *testing.B) {
	f := setup(b)
	ids := make([]int64, 0, b.N)
	for i := 0; i < b.N; i++ {
		ids = append(ids, f.submit(b, f.sup, compensation.Cash, "100").ID)
	}
	ctx := context.Background()
	b.ResetTimer()
	for _, id := range ids {
		if _, err := f.svc.Decide(ctx, f.mgr1, id, compensation.Approve, ""); err != nil {
			b.Fatal(err)
		}
	}
}
