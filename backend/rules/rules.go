// Package rules is the case engine's rule set as data: vocabulary for types, sub-types and risk flags
// (Chinese and English), level rules, amount thresholds, incident and trend thresholds, SLA targets,
// statutory periods with their legal source and effective dates, business hours and holiday tables.
// The shipped defaults live in assets/rules; a manager or admin saves new versions in the app.
package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"cockpit/assets"
	"cockpit/backend/calendar"
)

// Text is a label in both UI languages.
type Text struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// Pattern is one regular expression (RE2, matched case-insensitively) with an id that explanations cite.
type Pattern struct {
	ID        string `json:"id"`
	Re        string `json:"re"`
	Weight    int    `json:"weight,omitempty"`
	Negatable bool   `json:"negatable,omitempty"`
}

// TypeDef is a top-level complaint type (product / logistics / service).
type TypeDef struct {
	ID    string  `json:"id"`
	ZH    string  `json:"zh"`
	EN    string  `json:"en"`
	Share float64 `json:"share,omitempty"` // expected share of complaints (seed handbook), for trend context
	Team  string  `json:"team,omitempty"`
}

// SubtypeDef is a dispute type of the 618 playbook; Type names its parent.
type SubtypeDef struct {
	ID       string    `json:"id"`
	Type     string    `json:"type"`
	ZH       string    `json:"zh"`
	EN       string    `json:"en"`
	Patterns []Pattern `json:"patterns"`
	Exclude  []string  `json:"exclude,omitempty"`
}

// FlagDef is a risk flag. Exclude drops a match whose clause also matches one of these expressions.
type FlagDef struct {
	ID       string    `json:"id"`
	ZH       string    `json:"zh"`
	EN       string    `json:"en"`
	Patterns []Pattern `json:"patterns"`
	Exclude  []string  `json:"exclude,omitempty"`
}

// LevelRule raises a case to Level when any of its conditions holds. Rules are tried in level order.
type LevelRule struct {
	Level            int      `json:"level"`
	AnyFlags         []string `json:"any_flags,omitempty"`
	Incident         bool     `json:"incident,omitempty"`
	RegulatorChannel bool     `json:"regulator_channel,omitempty"`
	MinContacts      int      `json:"min_contacts,omitempty"`
	MinAmountFen     int64    `json:"min_amount_fen,omitempty"`
	Explain          string   `json:"explain,omitempty"`
}

// ChecklistItem is one step of the incident response.
type ChecklistItem struct {
	ID string `json:"id"`
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// Incidents configures group-incident detection: MinCustomers distinct customers within WindowHours
// about the same key (batch, sku or product).
type Incidents struct {
	MinCustomers int             `json:"min_customers"`
	WindowHours  int             `json:"window_hours"`
	Keys         []string        `json:"keys"`
	Checklist    []ChecklistItem `json:"checklist"`
}

// Trends configures trend alerts: one sub-type at or above Share of a day's contacts (with at least
// MinContacts that day). Response holds the suggested action per sub-type ("default" otherwise).
type Trends struct {
	Share       float64         `json:"share"`
	MinContacts int             `json:"min_contacts"`
	Response    map[string]Text `json:"response"`
}

// Hours is a daily business window; Days is "workdays" (statutory calendar) or "all" (every day,
// holidays included, as JD's evidence window).
type Hours struct {
	From string `json:"from"`
	To   string `json:"to"`
	Days string `json:"days"`
}

// Condition says which cases a clock applies to; every non-empty field must hold.
type Condition struct {
	Levels           []int    `json:"levels,omitempty"`
	RegulatorChannel bool     `json:"regulator_channel,omitempty"`
	Platform         string   `json:"platform,omitempty"`
	AnyFlags         []string `json:"any_flags,omitempty"`
	Text             string   `json:"text,omitempty"` // regular expression over the customer's text
}

// ClockDef is one SLA, platform or statutory clock.
type ClockDef struct {
	ID         string `json:"id"`
	ZH         string `json:"zh"`
	EN         string `json:"en"`
	Source     string `json:"source"`
	Confidence string `json:"confidence,omitempty"` // H/M/L/U as in regulatory.md
	// EffectiveFrom (inclusive) and EffectiveTo (exclusive) bound the receipt dates the clock applies
	// to, e.g. Order 20 for complaints received before 2026-04-15.
	EffectiveFrom string `json:"effective_from,omitempty"`
	EffectiveTo   string `json:"effective_to,omitempty"`
	// Unit: minutes | hours (round the clock) | business_hours | working_days | days.
	Unit   string    `json:"unit"`
	Amount int       `json:"amount"`
	Hours  string    `json:"hours,omitempty"`  // business_hours: which window
	Extend string    `json:"extend,omitempty"` // days: none | holidays | rest_days
	When   Condition `json:"when"`
	// Start: "opened" (the case's receipt) or "event:KIND" (the first case event of that kind).
	Start string `json:"start"`
	// StopOn lists event kinds that satisfy the clock; resolving or closing the case also stops it.
	StopOn []string `json:"stop_on"`
}

// Handover configures shift handovers.
type Handover struct {
	AckMinutes int `json:"ack_minutes"` // unacknowledged this long after sign-off: escalate to the manager
}

// RuleSet is everything the engine decides with. It is saved whole, as one versioned JSON document.
type RuleSet struct {
	Comment       string `json:"_comment,omitempty"` // notes in the shipped files; kept so pasted files parse
	Version       int    `json:"version"`
	EffectiveFrom string `json:"effective_from"`
	Note          string `json:"note,omitempty"`
	Zone          string `json:"zone"`

	HighValueFen   int64       `json:"high_value_fen"`
	RepeatContacts int         `json:"repeat_contacts"`
	Levels         []LevelRule `json:"levels"`
	DefaultLevel   int         `json:"default_level"`
	Incidents      Incidents   `json:"incidents"`
	Trends         Trends      `json:"trends"`
	Handover       Handover    `json:"handover"`

	Types          []TypeDef    `json:"types"`
	Subtypes       []SubtypeDef `json:"subtypes"`
	Flags          []FlagDef    `json:"flags"`
	NegationCues   []string     `json:"negation_cues"`
	NegationWindow int          `json:"negation_window"`
	// ConditionalCues before a negation make it a condition, not a denial: "if this is not fixed I'll
	// post it on Weibo" is a threat.
	ConditionalCues  []string `json:"conditional_cues"`
	SignatureMarkers []string `json:"signature_markers"`
	QuoteMarkers     []string `json:"quote_markers"`

	BusinessHours   map[string]Hours `json:"business_hours"`
	SLAClocks       []ClockDef       `json:"sla_clocks"`
	StatutoryClocks []ClockDef       `json:"statutory_clocks"`
	ExtendDefault   string           `json:"extend_default"`

	Holidays []calendar.Table `json:"holidays"`
}

// defaultFiles are merged in this order into one RuleSet; each sets its own fields.
var defaultFiles = []string{"keywords.json", "thresholds.json", "sla.json", "statutory.json"}

// CompileDefault is the shipped rule set, compiled: what commands and tests use where no workspace
// has saved its own.
func CompileDefault() (*Compiled, error) {
	rs, err := Default()
	if err != nil {
		return nil, err
	}
	return Compile(rs)
}

// Default reads the shipped rule set from assets/rules.
func Default() (RuleSet, error) {
	var rs RuleSet
	for _, name := range defaultFiles {
		b, err := fs.ReadFile(assets.Rules, path.Join("rules", name))
		if err != nil {
			return rs, fmt.Errorf("default rules: %w", err)
		}
		if err := json.Unmarshal(b, &rs); err != nil {
			return rs, fmt.Errorf("default rules %s: %w", name, err)
		}
	}
	files, err := fs.Glob(assets.Rules, "rules/holidays/*.json")
	if err != nil {
		return rs, err
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := fs.ReadFile(assets.Rules, f)
		if err != nil {
			return rs, err
		}
		t, err := calendar.ParseTable(b)
		if err != nil {
			return rs, fmt.Errorf("%s: %w", f, err)
		}
		rs.Holidays = append(rs.Holidays, t)
	}
	return rs, nil
}

// Parse reads a saved rule set and checks that it compiles.
// Unknown keys are errors: a misspelt key in an edited rule set must not be silently ignored.
func Parse(b []byte) (RuleSet, error) {
	var rs RuleSet
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rs); err != nil {
		return rs, fmt.Errorf("rules: %w", err)
	}
	if dec.More() {
		return rs, fmt.Errorf("rules: trailing data after the rule set")
	}
	if _, err := Compile(rs); err != nil {
		return rs, err
	}
	return rs, nil
}

// Clocks lists SLA then statutory clock definitions.
func (rs RuleSet) Clocks() []ClockDef {
	return append(append([]ClockDef{}, rs.SLAClocks...), rs.StatutoryClocks...)
}
