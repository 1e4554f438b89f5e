package engine_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"cockpit/backend/audit"
	"cockpit/backend/cases"
	"cockpit/backend/clocks"
	"cockpit/backend/engine"
	"cockpit/backend/people"
	"cockpit/backend/rules"
	"cockpit/backend/store"
)

// fixture is a real SQLite workspace in a temp dir with a supervisor on shift and a manager.
type fixture struct {
	st         *store.Store
	clock      *clocks.Fixed
	eng        *engine.Engine
	sup, mgr   people.User
	supervisor people.User
}

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func local(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func newFixture(t *testing.T, now string) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, clock: &clocks.Fixed{T: local(now)}}
	f.eng = engine.New(st, f.clock)
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		for _, p := range []struct {
			name string
			role people.Role
			dst  *people.User
		}{{"wang", people.Supervisor, &f.sup}, {"li", people.Manager, &f.mgr}} {
			u, err := store.CreatePersonTx(ctx, tx, store.Person{Username: p.name, DisplayName: p.name, Role: string(p.role), Active: true, CreatedAt: f.clock.T})
			if err != nil {
				return err
			}
			*p.dst = u
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.InsertShift(ctx, store.Shift{Name: "day", StartsAt: f.clock.T.Add(-12 * time.Hour), EndsAt: f.clock.T.Add(12 * time.Hour),
		SupervisorID: f.sup.ID, ManagerID: f.mgr.ID}, f.clock.T); err != nil {
		t.Fatal(err)
	}
	return f
}

func email(at time.Time, body string) store.SyntheticEvent {
	return store.SyntheticEvent{Kind: "email", Channel: "email", Actor: "customer", At: at, Summary: "mail", Body: body}
}

func (f *fixture) insert(t *testing.T, list ...store.SyntheticCase) []int64 {
	t.Helper()
	for i := range list {
		if list[i].Status == "" {
			list[i].Status = cases.StatusOpen
		}
		if list[i].Type == "" {
			list[i].Type = "unknown"
		}
	}
	ids, err := f.st.InsertSynthetic(context.Background(), list)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func (f *fixture) events(t *testing.T, id int64) []cases.Event {
	t.Helper()
	ev, err := f.st.CaseEvents(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestMilkPowderIncidentAndIdempotentRefresh(t *testing.T) {
	f := newFixture(t, "2026-03-15 18:00")
	ctx := context.Background()
	var list []store.SyntheticCase
	for i := range 10 {
		at := local("2026-03-15 09:00").Add(time.Duration(i) * 20 * time.Minute)
		list = append(list, store.SyntheticCase{Title: "奶粉结块", CustomerName: fmt.Sprint("客户", i), CustomerEmail: fmt.Sprintf("c%d@example.cn", i),
			OrderNo: fmt.Sprint("JD-9000", i), Product: "婴儿配方奶粉 900g", Batch: "AB2026031", OpenedAt: at,
			Events: []store.SyntheticEvent{email(at, "打开奶粉发现结块，批次号AB2026031，请处理。")}})
	}
	// One angry customer writing ten times on one case, same batch: level 2, and not a group.
	angry := store.SyntheticCase{Title: "还没发货", CustomerName: "赵", CustomerEmail: "angry@example.cn", OrderNo: "JD-7", OpenedAt: local("2026-03-15 08:00")}
	for i := range 10 {
		angry.Events = append(angry.Events, email(local("2026-03-15 08:00").Add(time.Duration(i)*time.Minute), "还没发货！"))
	}
	list = append(list, angry)
	ids := f.insert(t, list...)
	var alerts []store.Incident
	f.eng.IncidentOpened = func(in store.Incident) { alerts = append(alerts, in) }

	sum, err := f.eng.RefreshAll(ctx, true)
	if err != nil || len(sum.Errors) > 0 {
		t.Fatalf("refresh: %v %v", err, sum.Errors)
	}
	incs, err := f.eng.Incidents(ctx, "open")
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != 1 || len(incs[0].CaseIDs) != 10 || incs[0].Customers != 10 || incs[0].Key != "batch:AB2026031" {
		t.Fatalf("incidents: %+v", incs)
	}
	if len(alerts) != 1 || alerts[0].ID != incs[0].ID {
		t.Errorf("red alerts raised: %+v", alerts)
	}
	if incs[0].OwnerID != f.sup.ID || len(incs[0].Checklist) != 6 || incs[0].Level != 1 {
		t.Errorf("incident owner %d checklist %d level %d", incs[0].OwnerID, len(incs[0].Checklist), incs[0].Level)
	}
	for _, id := range ids[:10] {
		c, err := f.st.GetCase(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.Level != 1 || c.IncidentID != incs[0].ID || c.OwnerID != f.sup.ID || c.Type != "product" {
			t.Errorf("case %d: level %d incident %d owner %d type %s", id, c.Level, c.IncidentID, c.OwnerID, c.Type)
		}
	}
	a, err := f.st.GetCase(ctx, ids[10])
	if err != nil {
		t.Fatal(err)
	}
	if a.Level != 2 || a.IncidentID != 0 || a.Subtype != "late_shipping" {
		t.Errorf("angry customer: level %d incident %d subtype %s", a.Level, a.IncidentID, a.Subtype)
	}
	x, err := f.eng.Explain(ctx, ids[10])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(x.LevelWhy, "10 contacts") {
		t.Errorf("why level 2: %q", x.LevelWhy)
	}

	// A second run changes nothing and writes nothing to the timelines.
	before := len(f.events(t, ids[0]))
	sum, err = f.eng.RefreshAll(ctx, true)
	if err != nil || sum.Changed != 0 {
		t.Fatalf("second refresh changed %d cases: %v", sum.Changed, err)
	}
	if after := len(f.events(t, ids[0])); after != before {
		t.Errorf("second refresh added %d events", after-before)
	}
	// Level-1 cases carry the 30-minute contact and 24-hour solution clocks.
	dl, err := f.eng.Deadlines(ctx, []cases.Case{mustCase(t, f, ids[0])})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]cases.Deadline{}
	for _, d := range dl[ids[0]] {
		got[d.Clock] = d
	}
	if d := got["sla_contact_l1"]; d.State != clocks.StateBreached || !d.DueAt.Equal(local("2026-03-15 09:30")) || d.Source == "" {
		t.Errorf("contact clock: %+v", d)
	}
	if d := got["sla_solution_l1"]; d.State != clocks.StateRunning || d.Percent != 37 || !d.DueAt.Equal(local("2026-03-16 09:00")) {
		t.Errorf("solution clock: %+v", d)
	}
}

func mustCase(t *testing.T, f *fixture, id int64) cases.Case {
	t.Helper()
	c, err := f.st.GetCase(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSameCustomerManyCasesIsNotAnIncident(t *testing.T) {
	f := newFixture(t, "2026-03-15 18:00")
	var list []store.SyntheticCase
	for i := range 5 {
		at := local("2026-03-15 09:00").Add(time.Duration(i) * time.Hour)
		list = append(list, store.SyntheticCase{Title: "奶粉结块", CustomerName: "同一人", CustomerEmail: "Same@Example.cn",
			OrderNo: fmt.Sprint("JD-1", i), Product: "奶粉", Batch: "XY1", OpenedAt: at, Events: []store.SyntheticEvent{email(at, "奶粉结块")}})
	}
	f.insert(t, list...)
	if _, err := f.eng.RefreshAll(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	incs, err := f.eng.Incidents(context.Background(), "")
	if err != nil || len(incs) != 0 {
		t.Fatalf("one customer, five cases: %d incidents (%v)", len(incs), err)
	}
}

func TestOverrideIsAuditedAndCanBeCleared(t *testing.T) {
	f := newFixture(t, "2026-03-02 12:00")
	ctx := context.Background()
	ids := f.insert(t, store.SyntheticCase{Title: "发票", CustomerEmail: "a@example.cn", OpenedAt: local("2026-03-02 10:00"),
		Events: []store.SyntheticEvent{email(local("2026-03-02 10:00"), "发票还没开")}})
	id := ids[0]
	if _, err := f.eng.Refresh(ctx, id); err != nil {
		t.Fatal(err)
	}
	if c := mustCase(t, f, id); c.Level != 3 || c.Subtype != "invoice" {
		t.Fatalf("level %d subtype %s", c.Level, c.Subtype)
	}
	_, err := f.eng.Override(ctx, f.sup, engine.OverrideRequest{CaseID: id, Field: "level", Value: "1"})
	if !errors.Is(err, engine.ErrInvalid) {
		t.Fatalf("override without reason: %v", err)
	}
	if _, err := f.eng.Override(ctx, people.User{}, engine.OverrideRequest{CaseID: id, Field: "level", Value: "1", Reason: "x"}); err == nil {
		t.Fatal("override by nobody accepted")
	}
	if _, err := f.eng.Override(ctx, f.sup, engine.OverrideRequest{CaseID: id, Field: "level", Value: "1", Reason: "客户是孕妇，电话里说身体不适"}); err != nil {
		t.Fatal(err)
	}
	if c := mustCase(t, f, id); c.Level != 1 || c.OwnerID != f.sup.ID {
		t.Errorf("after override: level %d owner %d", c.Level, c.OwnerID)
	}
	x, err := f.eng.Explain(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(x.LevelWhy, "override by wang: 客户是孕妇") || len(x.Overrides) != 1 {
		t.Errorf("explain: %q %+v", x.LevelWhy, x.Overrides)
	}
	rep, err := audit.Verify(ctx, f.st)
	if err != nil || !rep.OK || rep.Rows == 0 {
		t.Errorf("audit: %+v %v", rep, err)
	}
	// A refresh keeps the override.
	if _, err := f.eng.Refresh(ctx, id); err != nil {
		t.Fatal(err)
	}
	if c := mustCase(t, f, id); c.Level != 1 {
		t.Errorf("refresh dropped the override: level %d", c.Level)
	}
	if _, err := f.eng.Override(ctx, f.sup, engine.OverrideRequest{CaseID: id, Field: "level", Clear: true, Reason: "核实后无安全问题"}); err != nil {
		t.Fatal(err)
	}
	if c := mustCase(t, f, id); c.Level != 3 {
		t.Errorf("after clearing: level %d", c.Level)
	}
	for _, bad := range []engine.OverrideRequest{
		{CaseID: id, Field: "level", Value: "4", Reason: "x"},
		{CaseID: id, Field: "flags", Value: "safety,bogus", Reason: "x"},
		{CaseID: id, Field: "colour", Value: "red", Reason: "x"},
	} {
		if _, err := f.eng.Override(ctx, f.sup, bad); !errors.Is(err, engine.ErrInvalid) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func TestRegulatorClocksPauseAndMilestones(t *testing.T) {
	f := newFixture(t, "2026-09-29 10:00")
	ctx := context.Background()
	ids := f.insert(t, store.SyntheticCase{Title: "市场监督管理局转办", CustomerEmail: "samr@example.gov.cn", IsRegulator: true,
		OpenedAt: local("2026-09-28 10:00"), Events: []store.SyntheticEvent{{Kind: "letter", Channel: "regulator", At: local("2026-09-28 10:00"),
			Summary: "letter", Body: "消费者投诉贵公司虚假宣传保健品功效，请于7个工作日内提交材料。"}}})
	id := ids[0]
	if _, err := f.eng.Refresh(ctx, id); err != nil {
		t.Fatal(err)
	}
	clock := func(name string) engine.ClockView {
		x, err := f.eng.Explain(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range x.Clocks {
			if c.ID == name {
				return c
			}
		}
		t.Fatalf("no clock %s in %+v", name, x.Clocks)
		return engine.ClockView{}
	}
	if c := clock("regulator_accept"); clocks.FormatDue(c.Status.DueAt, shanghai) != "2026-10-13 24:00" || c.Source == "" {
		t.Errorf("accept: %s %+v", clocks.FormatDue(c.Status.DueAt, shanghai), c)
	}
	// Accepted on 09-30: the mediation clock of the rule in force on the receipt date (Order 121) starts.
	f.clock.T = local("2026-09-30 11:00")
	if _, err := f.eng.RecordClockAction(ctx, f.sup, engine.ClockAction{CaseID: id, Kind: "regulator_accepted", Reason: "受理通知书"}); err != nil {
		t.Fatal(err)
	}
	if c := clock("regulator_accept"); c.Status.State != clocks.StateMet {
		t.Errorf("accept after milestone: %s", c.Status.State)
	}
	med := clock("regulator_mediation_o121")
	if med.Confidence != "U" || clocks.FormatDue(med.Status.DueAt, shanghai) != "2026-11-29 24:00" {
		t.Errorf("mediation: %s %+v", clocks.FormatDue(med.Status.DueAt, shanghai), med)
	}
	// Testing pauses the mediation clock (实施条例 Art. 46: appraisal time excluded).
	if _, err := f.eng.RecordClockAction(ctx, f.sup, engine.ClockAction{CaseID: id, Kind: clocks.KindPause, Clock: "regulator_mediation_o121"}); !errors.Is(err, engine.ErrInvalid) {
		t.Errorf("pause without reason: %v", err)
	}
	if _, err := f.eng.RecordClockAction(ctx, f.sup, engine.ClockAction{CaseID: id, Kind: clocks.KindPause, Clock: "regulator_mediation_o121", Reason: "送检"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(72 * time.Hour)
	if c := clock("regulator_mediation_o121"); c.Status.State != clocks.StatePaused || !strings.Contains(c.Status.Why, "3 d paused") {
		t.Errorf("paused: %s %q", c.Status.State, c.Status.Why)
	}
	if _, err := f.eng.RecordClockAction(ctx, f.sup, engine.ClockAction{CaseID: id, Kind: "made_up_kind", Reason: "x"}); !errors.Is(err, engine.ErrInvalid) {
		t.Errorf("unknown milestone: %v", err)
	}
	if _, err := f.eng.RecordClockAction(ctx, f.sup, engine.ClockAction{CaseID: id, Kind: clocks.KindResume, Clock: "regulator_mediation_o121", Reason: "检测报告已出"}); err != nil {
		t.Fatal(err)
	}
	// Counting began 10-01 00:00 (the day after acceptance); the pause ran to 10-03 11:00, so the
	// 60 days end 2 d 11 h later than 11-29 24:00.
	if c := clock("regulator_mediation_o121"); clocks.FormatDue(c.Status.DueAt, shanghai) != "2026-12-02 11:00" {
		t.Errorf("after a 3-day pause: due %s", clocks.FormatDue(c.Status.DueAt, shanghai))
	}
}

func TestSaveRulesRolesAndValidation(t *testing.T) {
	f := newFixture(t, "2026-03-02 12:00")
	ctx := context.Background()
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	rs.Incidents.MinCustomers = 5
	body := mustJSON(t, rs)
	if _, err := f.eng.SaveRules(ctx, f.sup, body, "2026-03-02", "stricter"); !errors.Is(err, people.ErrForbidden) {
		t.Errorf("supervisor saved rules: %v", err)
	}
	if _, err := f.eng.SaveRules(ctx, f.mgr, []byte(`{"version":1}`), "2026-03-02", "broken"); !errors.Is(err, engine.ErrInvalid) {
		t.Errorf("broken rules: %v", err)
	}
	v, err := f.eng.SaveRules(ctx, f.mgr, body, "2026-03-02", "五个客户才算群体事件")
	if err != nil || v != 1 {
		t.Fatalf("save: %d %v", v, err)
	}
	comp, err := f.eng.Rules(ctx)
	if err != nil || comp.Set.Version != 1 || comp.Set.Incidents.MinCustomers != 5 {
		t.Fatalf("active rules: %v %+v", err, comp.Set.Incidents)
	}
	// A version effective tomorrow is not in force today.
	if _, err := f.eng.SaveRules(ctx, f.mgr, body, "2026-03-03", "tomorrow"); err != nil {
		t.Fatal(err)
	}
	if comp, _ := f.eng.Rules(ctx); comp.Set.Version != 1 {
		t.Errorf("future version active today: %d", comp.Set.Version)
	}
	f.clock.Advance(24 * time.Hour)
	if comp, _ := f.eng.Rules(ctx); comp.Set.Version != 2 {
		t.Errorf("version 2 not active on its day: %d", comp.Set.Version)
	}
}

func TestTrendAlert(t *testing.T) {
	f := newFixture(t, "2026-06-20 20:00")
	ctx := context.Background()
	var list []store.SyntheticCase
	for i := range 10 {
		at := local("2026-06-20 09:00").Add(time.Duration(i) * time.Hour)
		body := "物流三天没更新了，卡在中转站不动"
		if i%2 == 1 {
			body = []string{"发票还没开", "质量太差了", "客服态度差", "满减没有减", "发错货了"}[i/2]
		}
		list = append(list, store.SyntheticCase{Title: "咨询", CustomerEmail: fmt.Sprintf("t%d@example.cn", i), OpenedAt: at,
			Events: []store.SyntheticEvent{email(at, body)}})
	}
	f.insert(t, list...)
	if _, err := f.eng.RefreshAll(ctx, true); err != nil {
		t.Fatal(err)
	}
	alerts, err := f.eng.TrendAlerts(ctx, 2)
	if err != nil || len(alerts) != 1 || alerts[0].Subtype != "stalled_logistics" || alerts[0].Percent != 50 || !strings.Contains(alerts[0].Response, "15元") {
		t.Fatalf("alerts %+v %v", alerts, err)
	}
	if err := f.eng.AckTrend(ctx, f.sup, alerts[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := f.eng.AckTrend(ctx, f.sup, alerts[0].ID); err == nil {
		t.Error("acknowledged twice")
	}
}

func TestComputeDeadline(t *testing.T) {
	comp, err := rules.CompileDefault()
	if err != nil {
		t.Fatal(err)
	}
	ans, err := engine.ComputeDeadline(comp, engine.DeadlineQuery{From: "2026-09-28", WorkingDays: 7})
	if err != nil || ans.DueDate != "2026-10-13" || ans.DueAt != "2026-10-13T23:59:59+08:00" || len(ans.Skipped) != 8 {
		t.Errorf("%+v %v", ans, err)
	}
	for _, q := range []engine.DeadlineQuery{{From: "2026-09-28"}, {From: "2026-09-28", Days: 1, WorkingDays: 1}, {From: "28/09/2026", Days: 1},
		{From: "2026-09-28", Days: 1, Extend: "sometimes"}} {
		if _, err := engine.ComputeDeadline(comp, q); !errors.Is(err, engine.ErrInvalid) {
			t.Errorf("%+v: %v", q, err)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// benchFixture is a workspace with n cases of mixed kinds, 5% of them about one batch.
func benchFixture(b *testing.B, n int) (*engine.Engine, *store.Store, []cases.Case) {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, b.TempDir(), store.ReadWrite)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	bodies := []string{"奶粉结块，孩子拉肚子", "物流三天没更新了", "发票还没开", "The parcel never arrived", "价保被拒，退差价", "I will report you to 12315"}
	var list []store.SyntheticCase
	start := local("2026-03-10 09:00")
	for i := range n {
		at := start.Add(time.Duration(i) * 7 * time.Minute)
		sc := store.SyntheticCase{Title: "投诉", Type: "unknown", Status: cases.StatusOpen, CustomerEmail: fmt.Sprintf("b%d@example.cn", i),
			OrderNo: fmt.Sprint("B-", i), Product: fmt.Sprint("商品", i%40), OpenedAt: at,
			Events: []store.SyntheticEvent{email(at, bodies[i%len(bodies)]), email(at.Add(time.Hour), "还没处理吗？")}}
		if i%20 == 0 {
			sc.Batch = "BATCH77"
		}
		list = append(list, sc)
	}
	if _, err := st.InsertSynthetic(ctx, list); err != nil {
		b.Fatal(err)
	}
	eng := engine.New(st, &clocks.Fixed{T: start.Add(time.Duration(n) * 7 * time.Minute)})
	all, err := st.ListCases(ctx, cases.Filter{})
	if err != nil {
		b.Fatal(err)
	}
	return eng, st, all
}

// BenchmarkRefreshAllFirstPass: the engine's first pass over 300 new cases (the demo workspace's size).
func BenchmarkRefreshAllFirstPass(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		eng, _, _ := benchFixture(b, 300)
		b.StartTimer()
		if _, err := eng.RefreshAll(ctx, true); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/300, "µs/case")
}

// BenchmarkRefreshAllUnchanged: a later pass over the same 300 cases, nothing new (what a timer costs).
func BenchmarkRefreshAllUnchanged(b *testing.B) {
	eng, _, _ := benchFixture(b, 300)
	ctx := context.Background()
	if _, err := eng.RefreshAll(ctx, true); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := eng.RefreshAll(ctx, true); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/300, "µs/case")
}

// BenchmarkDeadlines: replaying the clocks of one board window of 50 cards.
func BenchmarkDeadlines(b *testing.B) {
	eng, _, all := benchFixture(b, 300)
	ctx := context.Background()
	if _, err := eng.RefreshAll(ctx, true); err != nil {
		b.Fatal(err)
	}
	page := all[:50]
	b.ResetTimer()
	for b.Loop() {
		if _, err := eng.Deadlines(ctx, page); err != nil {
			b.Fatal(err)
		}
	}
}

func TestOwnerWithoutARosteredShiftIsTheManager(t *testing.T) {
	f := newFixture(t, "2026-03-02 12:00")
	f.clock.Advance(48 * time.Hour) // past the only shift
	ctx := context.Background()
	at := f.clock.T.Add(-time.Hour)
	ids := f.insert(t, store.SyntheticCase{Title: "充电宝起火", CustomerEmail: "fire@example.cn", OpenedAt: at,
		Events: []store.SyntheticEvent{email(at, "充电宝充电时冒烟起火")}})
	f.eng.OnCaseChanged(ctx, ids[0]) // the ingest hook
	c := mustCase(t, f, ids[0])
	if c.Level != 1 || c.OwnerID != f.mgr.ID {
		t.Fatalf("level %d owner %d, want 1 and the manager %d", c.Level, c.OwnerID, f.mgr.ID)
	}
	ev := f.events(t, ids[0])
	if last := ev[len(ev)-1]; last.Kind != "owner" || !strings.Contains(last.Summary, "no shift rostered") {
		t.Errorf("owner event %+v", last)
	}
}

func FuzzComputeDeadline(f *testing.F) {
	comp, err := rules.CompileDefault()
	if err != nil {
		f.Fatal(err)
	}
	f.Add("2026-09-28", 7, 0, "")
	f.Add("2026-12-28T10:00:00+08:00", 0, 30, "holidays")
	f.Add("9999-12-31", 0, 3660, "rest_days")
	f.Fuzz(func(t *testing.T, from string, wd, days int, ext string) {
		ans, err := engine.ComputeDeadline(comp, engine.DeadlineQuery{From: from, WorkingDays: wd, Days: days, Extend: ext})
		if err == nil && ans.DueDate == "" {
			t.Fatalf("no error and no date for %q %d %d", from, wd, days)
		}
	})
}
