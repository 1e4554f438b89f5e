package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"cockpit/backend/engine"
	"cockpit/backend/people"
	"cockpit/backend/rules"
	"cockpit/backend/shifts"
	"cockpit/backend/store"
)

// The engine and shifts services through the real Core guard: nothing without sign-in, the rule
// editor for managers only, overrides and clock actions emitting their events.
func TestEngineAndShiftsServices(t *testing.T) {
	core, clk := openCore(t)
	rec := &recorder{seen: make(chan string, 64)}
	core.Events = rec
	ids, err := core.Store.InsertSynthetic(t.Context(), []store.SyntheticCase{{Title: "面霜过敏", Type: "unknown", Status: "open",
		CustomerEmail: "a@example.cn", OpenedAt: clk.T.Add(-time.Hour),
		Events: []store.SyntheticEvent{{Kind: "email", Channel: "email", At: clk.T.Add(-time.Hour), Body: "用了面霜过敏红肿"}}}})
	if err != nil {
		t.Fatal(err)
	}
	services := Services(core)
	var eng *Engine
	var sh *Shifts
	for _, s := range services {
		switch v := s.(type) {
		case *Engine:
			eng = v
		case *Shifts:
			sh = v
		}
	}
	if eng == nil || sh == nil || sh.engine != eng {
		t.Fatal("Engine and Shifts are not bound, or do not share the engine")
	}
	if _, err := eng.Explain(ids[0]); !errors.Is(err, people.ErrNotSignedIn) {
		t.Fatalf("explain before sign-in: %v", err)
	}
	if _, err := sh.MyCases(); !errors.Is(err, people.ErrNotSignedIn) {
		t.Fatalf("my cases before sign-in: %v", err)
	}

	p, _ := addStaff(t, core, people.NewUser{Username: "sup1", Role: people.Supervisor}, people.NewUser{Username: "boss", Role: people.Manager})
	mustSignIn(t, p, "sup1")

	x, err := eng.Explain(ids[0])
	if err != nil || x.Level != 1 || len(x.Clocks) != 2 || x.Classification.Flags[0].Name != "safety" {
		t.Fatalf("explain: %+v %v", x, err)
	}
	out, err := eng.Override(engine.OverrideRequest{CaseID: ids[0], Field: "flags", Value: "safety,vulnerable", Reason: "孕妇"})
	if err != nil || len(out.Changes) == 0 {
		t.Fatalf("override: %+v %v", out, err)
	}
	if _, err := eng.ClockAction(engine.ClockAction{CaseID: ids[0], Kind: "clock_pause", Clock: "sla_solution_l1", Reason: "等客户提供医疗凭证"}); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	names := slices.Clone(rec.names)
	rec.mu.Unlock()
	if !slices.Contains(names, "case:changed") || !slices.Contains(names, "board:changed") {
		t.Errorf("events %v", names)
	}
	ans, err := eng.Deadline(engine.DeadlineQuery{From: "2026-09-28", WorkingDays: 7})
	if err != nil || ans.DueDate != "2026-10-13" {
		t.Errorf("deadline %+v %v", ans, err)
	}

	rs, err := eng.DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	body, err := rulesJSON(rs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.SaveRules(SaveRulesRequest{RulesJSON: body, EffectiveFrom: "2026-11-25", Note: "x"}); !errors.Is(err, people.ErrForbidden) {
		t.Errorf("supervisor saved rules: %v", err)
	}
	if _, err := sh.AddShift(shifts.ShiftInput{Name: "night", StartsAt: clk.T, EndsAt: clk.T.Add(8 * time.Hour)}); err == nil {
		t.Error("supervisor edited the roster")
	}

	mustSignIn(t, p, "boss")
	res, err := eng.SaveRules(SaveRulesRequest{RulesJSON: body, EffectiveFrom: "2026-11-25", Note: "baseline"})
	if err != nil || res.Version != 1 || res.Refresh.Cases != 1 {
		t.Fatalf("save rules: %+v %v", res, err)
	}
	view, err := eng.Rules()
	if err != nil || view.Version != 1 || len(view.History) != 1 || !slices.Equal(view.HolidayYears, []int{2025, 2026}) {
		t.Errorf("rules view: v%d history %d years %v %v", view.Version, len(view.History), view.HolidayYears, err)
	}
	if _, err := eng.SaveRules(SaveRulesRequest{RulesJSON: `{"nope":1}`, EffectiveFrom: "2026-11-25", Note: "bad"}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("bad rules accepted: %v", err)
	}
	// No shift is rostered, so the level-1 case went to the manager when the engine first saw it.
	mine, err := sh.MyCases()
	if err != nil || len(mine) != 1 || mine[0].ID != ids[0] || len(mine[0].Deadlines) != 2 {
		t.Errorf("manager's cases: %+v %v", mine, err)
	}
	hist, err := sh.History(0)
	if err != nil || len(hist) != 0 {
		t.Errorf("history %v %v", hist, err)
	}
	if _, err := sh.Roster("yesterday", "today"); err == nil {
		t.Error("bad roster times accepted")
	}
}

func rulesJSON(rs rules.RuleSet) (string, error) {
	b, err := json.Marshal(rs)
	return string(b), err
}

// One case engine serves the whole workspace: an incident opened by an import's refreshes raises the
// window's red alert, as one opened from the engine service does.
func TestImportRaisesTheRedAlert(t *testing.T) {
	core, clk, rec, p := staffedCore(t)
	if _, err := p.SignOut(); err != nil {
		t.Fatal(err)
	}
	mustSignIn(t, p, "sup1")
	day := clk.T.Add(-2 * time.Hour).Format("2006-01-02")
	sheet := filepath.Join(t.TempDir(), "batch.csv")
	csv := "标题,内容,客户,邮箱,订单号,日期\n"
	for i, name := range []string{"王小明", "李雷", "韩梅梅"} {
		csv += fmt.Sprintf("奶粉结块,宝宝奶粉打开后结块，批号AB2026031,%s,c%d@example.com,,%s\n", name, i, day)
	}
	if err := os.WriteFile(sheet, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	im := &Imports{core: core}
	pv, err := im.Preview(ImportRequest{Path: sheet})
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := im.Run(ImportRequest{Path: sheet, Preset: pv.Preset, Mapping: pv.Mapping}); err != nil || rep.Imported != 3 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if !slices.Contains(rec.names, "incident:opened") {
		t.Fatalf("no red alert after three customers reported batch AB2026031; events %v", rec.names)
	}
}
