package clocks_test

import (
	"strings"
	"testing"
	"time"

	"cockpit/backend/cases"
	"cockpit/backend/clocks"
	"cockpit/backend/rules"
)

func compiled(t testing.TB) *rules.Compiled {
	t.Helper()
	c, err := rules.CompileDefault()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func at(t testing.TB, c *rules.Compiled, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, c.Loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func clockDef(t testing.TB, c *rules.Compiled, id string) rules.Clock {
	t.Helper()
	for _, cl := range c.Clocks {
		if cl.ID == id {
			return cl
		}
	}
	t.Fatalf("no clock %s", id)
	return rules.Clock{}
}

func TestContinuousWarningsAndMet(t *testing.T) {
	c := compiled(t)
	start := at(t, c, "2026-03-02 10:00")
	spec := clocks.Spec{ID: "contact", Trigger: start, From: start, Target: 30 * time.Minute, Meter: clocks.Continuous{}, Loc: c.Loc}
	tests := []struct {
		after time.Duration
		state string
		pct   int
	}{
		{10 * time.Minute, clocks.StateRunning, 33},
		{15 * time.Minute, clocks.StateWarning50, 50},
		{24 * time.Minute, clocks.StateWarning80, 80},
		{30 * time.Minute, clocks.StateBreached, 100},
		{2 * time.Hour, clocks.StateBreached, 400},
	}
	for _, tc := range tests {
		st := clocks.Replay(spec, start.Add(tc.after))
		if st.State != tc.state || st.Percent != tc.pct {
			t.Errorf("after %s: %s %d%%, want %s %d%%", tc.after, st.State, st.Percent, tc.state, tc.pct)
		}
		if !st.DueAt.Equal(start.Add(30 * time.Minute)) {
			t.Errorf("due %s", st.DueAt)
		}
	}
	spec.Stop = start.Add(20 * time.Minute)
	if st := clocks.Replay(spec, start.Add(3*time.Hour)); st.State != clocks.StateMet || st.Percent != 66 {
		t.Errorf("stopped in time: %s %d%%", st.State, st.Percent)
	}
	spec.Stop = start.Add(45 * time.Minute)
	if st := clocks.Replay(spec, start.Add(3*time.Hour)); st.State != clocks.StateBreached || !strings.Contains(st.Why, "15 m late") {
		t.Errorf("stopped late: %s %q", st.State, st.Why)
	}
}

func TestBusinessHoursAcrossAMakeUpSunday(t *testing.T) {
	c := compiled(t)
	// Team hours 09:00-21:00 on working days. Friday 2026-09-18 20:00: one hour that evening, Saturday
	// is a rest day, Sunday 2026-09-20 is a make-up working day (National Day 调休).
	cl := clockDef(t, c, "sla_reply_l3")
	opened := at(t, c, "2026-09-18 20:00")
	res := clocks.Evaluate(c, clocks.Facts{Case: cases.Case{OpenedAt: opened, Status: cases.StatusOpen}, Level: 3}, opened.Add(time.Hour))
	var st clocks.Status
	for _, r := range res {
		if r.Def.ID == cl.ID {
			st = r.Status
		}
	}
	if want := at(t, c, "2026-09-20 12:00"); !st.DueAt.Equal(want) {
		t.Fatalf("due %s, want %s", st.DueAt.In(c.Loc), want)
	}
	// Saturday noon: one hour counted of four, 15 h outside hours, one weekend day.
	st = clocks.Replay(mustSpec(t, c, cl, opened, nil), at(t, c, "2026-09-19 12:00"))
	if st.State != clocks.StateRunning || st.Percent != 25 || st.Weekends != 1 {
		t.Errorf("got %s %d%% weekends %d", st.State, st.Percent, st.Weekends)
	}
	if !strings.Contains(st.Why, "running 1 h of 4 h (25%): 15 h outside hours, 1 weekend day; due 2026-09-20 12:00") {
		t.Errorf("why: %q", st.Why)
	}
}

func mustSpec(t testing.TB, c *rules.Compiled, cl rules.Clock, opened time.Time, events []cases.Event) clocks.Spec {
	t.Helper()
	s, ok := clocks.SpecFor(c, cl, clocks.Facts{Case: cases.Case{OpenedAt: opened, Status: cases.StatusOpen}, Events: events})
	if !ok {
		t.Fatalf("clock %s did not start", cl.ID)
	}
	return s
}

func TestJDEvidenceWindowRunsOnHolidays(t *testing.T) {
	c := compiled(t)
	cl := clockDef(t, c, "jd_evidence")
	tests := []struct{ notified, due string }{
		{"2026-03-03 14:01", "2026-03-04 09:01"}, // JD-03's own example
		{"2026-10-01 14:01", "2026-10-02 09:01"}, // National Day: the window still runs
		{"2026-10-01 07:30", "2026-10-01 13:00"}, // before opening: starts at 09:00
		{"2026-10-01 19:00", "2026-10-02 13:00"}, // after closing: next day
	}
	for _, tc := range tests {
		n := at(t, c, tc.notified)
		ev := []cases.Event{{Kind: "jd_evidence_requested", OccurredAt: n}}
		st := clocks.Replay(mustSpec(t, c, cl, n.Add(-time.Hour), ev), n)
		if want := at(t, c, tc.due); !st.DueAt.Equal(want) {
			t.Errorf("notified %s: due %s, want %s", tc.notified, st.DueAt.In(c.Loc), want)
		}
	}
}

func TestWorkingDaysWithAppraisalPauseReplaysFromEvents(t *testing.T) {
	c := compiled(t)
	cl := clockDef(t, c, "regulator_accept")
	received := at(t, c, "2026-09-28 10:00")
	// Without pauses: 7 working days over National Day and the make-up Saturday -> 2026-10-13 24:00.
	st := clocks.Replay(mustSpec(t, c, cl, received, nil), received)
	if got := clocks.FormatDue(st.DueAt, c.Loc); got != "2026-10-13 24:00" {
		t.Errorf("due %s", got)
	}
	// Paused for testing from 10-08 00:00 to 10-10 00:00 (two working days): due moves two working days.
	events := []cases.Event{
		{Kind: clocks.KindPause, OccurredAt: at(t, c, "2026-10-08 00:00"), DataJSON: `{"clock":"regulator_accept","reason":"testing"}`},
		{Kind: clocks.KindPause, OccurredAt: at(t, c, "2026-10-08 09:00"), DataJSON: `{"clock":"sla_contact_l1"}`}, // another clock's pause
		{Kind: clocks.KindResume, OccurredAt: at(t, c, "2026-10-10 00:00"), DataJSON: `{"clock":"regulator_accept"}`},
	}
	now := at(t, c, "2026-10-12 12:00")
	st = clocks.Replay(mustSpec(t, c, cl, received, events), now)
	if got := clocks.FormatDue(st.DueAt, c.Loc); got != "2026-10-15 24:00" {
		t.Errorf("due after pause %s, want 2026-10-15 24:00", got)
	}
	// Counted: 09-29, 09-30, 10-10 (make-up), half of 10-12 = 3.5 days of 7.
	if st.Percent != 50 || st.State != clocks.StateWarning50 {
		t.Errorf("got %s %d%%", st.State, st.Percent)
	}
	if !strings.Contains(st.Why, "2 d paused") || !strings.Contains(st.Why, "7 holidays") {
		t.Errorf("why: %q", st.Why)
	}
	// An open pause: state paused, due shown as if resumed now.
	open := events[:1]
	st = clocks.Replay(mustSpec(t, c, cl, received, open), at(t, c, "2026-10-09 12:00"))
	if st.State != clocks.StatePaused {
		t.Errorf("open pause: %s", st.State)
	}
	// Replaying twice gives the same answer (nothing is stored between replays).
	a, b := clocks.Replay(mustSpec(t, c, cl, received, events), now), clocks.Replay(mustSpec(t, c, cl, received, events), now)
	if a != b {
		t.Errorf("replay not deterministic: %+v vs %+v", a, b)
	}
}

func TestUnknownYearMakesTheClockUnknown(t *testing.T) {
	c := compiled(t)
	received := at(t, c, "2026-12-28 10:00")
	st := clocks.Replay(mustSpec(t, c, clockDef(t, c, "regulator_accept"), received, nil), received)
	if st.State != clocks.StateUnknown || !strings.Contains(st.Why, "2027") || !st.DueAt.IsZero() {
		t.Errorf("got %s %q due %s", st.State, st.Why, st.DueAt)
	}
}

func TestEvaluatePicksClocksByLevelChannelDateAndEvents(t *testing.T) {
	c := compiled(t)
	ids := func(res []clocks.Result) string {
		var out []string
		for _, r := range res {
			out = append(out, r.Def.ID)
		}
		return strings.Join(out, ",")
	}
	before := at(t, c, "2026-04-14 10:00")
	after := at(t, c, "2026-04-15 10:00")
	regEvents := func(opened time.Time) []cases.Event {
		return []cases.Event{{Kind: "regulator_accepted", OccurredAt: opened.Add(48 * time.Hour)}}
	}
	tests := []struct {
		name string
		f    clocks.Facts
		want string
	}{
		{"level 1", clocks.Facts{Case: cases.Case{OpenedAt: before}, Level: 1}, "sla_contact_l1,sla_solution_l1"},
		{"level 3", clocks.Facts{Case: cases.Case{OpenedAt: before}, Level: 3}, "sla_reply_l3,sla_feedback_24h"},
		{"regulator before 2026-04-15: Order 20", clocks.Facts{Case: cases.Case{OpenedAt: before, IsRegulator: true}, Level: 2, Events: regEvents(before)},
			"sla_contact_l2,sla_solution_l2,regulator_accept,regulator_mediation_o20"},
		{"regulator from 2026-04-15: Order 121", clocks.Facts{Case: cases.Case{OpenedAt: after, IsRegulator: true}, Level: 2, Events: regEvents(after)},
			"sla_contact_l2,sla_solution_l2,regulator_accept,regulator_mediation_o121"},
		{"regulator, not yet accepted: no mediation clock", clocks.Facts{Case: cases.Case{OpenedAt: after, IsRegulator: true}, Level: 2},
			"sla_contact_l2,sla_solution_l2,regulator_accept"},
		{"JD with a dispute and a regulator flag", clocks.Facts{Case: cases.Case{OpenedAt: after}, Level: 2, Platform: "jd", Flags: []string{"regulator"},
			Events: []cases.Event{{Kind: "jd_dispute", OccurredAt: after}}}, "sla_contact_l2,sla_solution_l2,jd_dispute,jd_public_first_response"},
		{"return received", clocks.Facts{Case: cases.Case{OpenedAt: after}, Level: 3,
			Events: []cases.Event{{Kind: "return_received", OccurredAt: after}}}, "sla_reply_l3,sla_feedback_24h,refund_7d,refund_15d_delay"},
		{"12315 ODR", clocks.Facts{Case: cases.Case{OpenedAt: after}, Level: 3, Text: "12315在线消费纠纷解决平台转来的投诉"}, "sla_reply_l3,sla_feedback_24h,odr_settle"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(clocks.Evaluate(c, tc.f, tc.f.Case.OpenedAt.Add(time.Hour))); got != tc.want {
				t.Errorf("clocks %s, want %s", got, tc.want)
			}
		})
	}
}

func TestResolvedStopsClocks(t *testing.T) {
	c := compiled(t)
	opened := at(t, c, "2026-03-02 10:00")
	f := clocks.Facts{Case: cases.Case{OpenedAt: opened, Status: cases.StatusResolved}, Level: 1, Events: []cases.Event{
		{Kind: "reply", OccurredAt: opened.Add(20 * time.Minute)},
		{Kind: clocks.KindStatus, OccurredAt: opened.Add(30 * time.Hour), DataJSON: `{"from":"open","to":"resolved"}`},
	}}
	res := clocks.Evaluate(c, f, opened.Add(48*time.Hour))
	if len(res) != 2 || res[0].Status.State != clocks.StateMet || res[1].Status.State != clocks.StateBreached {
		t.Fatalf("got %+v", res)
	}
}

func TestHuman(t *testing.T) {
	for d, want := range map[time.Duration]string{
		3*time.Hour + 12*time.Minute: "3 h 12 m", 45 * time.Minute: "45 m", 26 * time.Hour: "1 d 2 h", 48 * time.Hour: "2 d", 2 * time.Hour: "2 h",
	} {
		if got := clocks.Human(d); got != want {
			t.Errorf("%s: %q, want %q", d, got, want)
		}
	}
}

func BenchmarkReplayWorkingDays(b *testing.B) {
	c := compiled(b)
	cl := clockDef(b, c, "regulator_mediation_o20")
	opened := at(b, c, "2026-01-05 10:00")
	ev := []cases.Event{{Kind: "regulator_accepted", OccurredAt: opened}}
	spec := mustSpec(b, c, cl, opened, ev)
	now := at(b, c, "2026-02-20 10:00")
	b.ReportAllocs()
	for b.Loop() {
		clocks.Replay(spec, now)
	}
}
