package rules_test

import (
	"encoding/json"
	"strings"
	"testing"

	"cockpit/backend/calendar"
	"cockpit/backend/rules"
)

func TestDefaultsCompile(t *testing.T) {
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := rules.Compile(rs)
	if err != nil {
		t.Fatal(err)
	}
	if rs.Version != 0 {
		t.Errorf("the shipped rules are version 0 (saved versions count from 1), got %d", rs.Version)
	}
	if got := c.Calendar.Years(); len(got) != 2 || got[0] != 2025 || got[1] != 2026 {
		t.Errorf("holiday years %v, want [2025 2026]", got)
	}
	// Order 20 governs complaints received before 2026-04-15, Order 121 from then on.
	var o20, o121 rules.Clock
	for _, cl := range c.Clocks {
		switch cl.ID {
		case "regulator_mediation_o20":
			o20 = cl
		case "regulator_mediation_o121":
			o121 = cl
		}
	}
	before, on := calendar.NewDate(2026, 4, 14), calendar.NewDate(2026, 4, 15)
	if !o20.AppliesOn(before) || o20.AppliesOn(on) || o121.AppliesOn(before) || !o121.AppliesOn(on) {
		t.Errorf("Order 20/121 switch-over wrong: o20 %v/%v o121 %v/%v", o20.AppliesOn(before), o20.AppliesOn(on), o121.AppliesOn(before), o121.AppliesOn(on))
	}
	// Every statutory clock cites its source.
	for _, cl := range rs.StatutoryClocks {
		if cl.Source == "" || cl.Confidence == "" {
			t.Errorf("clock %s has no legal source or confidence", cl.ID)
		}
	}
}

func TestParseRejectsBrokenRules(t *testing.T) {
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(*rules.RuleSet)
		want   string
	}{
		{"bad regexp", func(r *rules.RuleSet) { r.Flags[0].Patterns[0].Re = "(" }, "safety.allergy.zh"},
		{"empty-matching pattern", func(r *rules.RuleSet) { r.Flags[0].Patterns[0].Re = "x*" }, "matches empty"},
		{"unknown flag in a level rule", func(r *rules.RuleSet) { r.Levels[0].AnyFlags = []string{"nope"} }, "unknown flag"},
		{"clock with an unknown unit", func(r *rules.RuleSet) { r.SLAClocks[0].Unit = "fortnights" }, "unknown unit"},
		{"business hours backwards", func(r *rules.RuleSet) { r.BusinessHours["team"] = rules.Hours{From: "18:00", To: "09:00", Days: "all"} }, "not after"},
		{"make-up day on a weekday", func(r *rules.RuleSet) {
			r.Holidays = append(r.Holidays, calendar.Table{Year: 2027, Makeup: []calendar.MakeupEntry{{Name: "x", Date: "2027-01-05"}}})
		}, "not a weekend day"},
		{"sub-type of an unknown type", func(r *rules.RuleSet) { r.Subtypes[0].Type = "weather" }, "unknown type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := json.Marshal(rs)
			var cp rules.RuleSet
			if err := json.Unmarshal(b, &cp); err != nil {
				t.Fatal(err)
			}
			tc.mutate(&cp)
			b, _ = json.Marshal(cp)
			_, err := rules.Parse(b)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestParseRejectsUnknownKeys(t *testing.T) {
	rs, _ := rules.Default()
	b, _ := json.Marshal(rs)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	m["high_value_yuan"] = 10000 // a plausible misspelling
	b, _ = json.Marshal(m)
	if _, err := rules.Parse(b); err == nil || !strings.Contains(err.Error(), "high_value_yuan") {
		t.Errorf("misspelt key accepted: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	rs, _ := rules.Default()
	b, _ := json.Marshal(rs)
	f.Add(b)
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = rules.Parse(b) // must not panic on any input
	})
}
