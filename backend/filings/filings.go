// Package filings is the legal liaison's side of a case: requirement checklists by complaint scenario
// (ticked by linking evidence), regulator matters (12315 complaint, ODR dispute, inquiry, mediation,
// recall report) with their filing checklists, statutory deadlines counted on the working-day calendar
// by the rule in force on the receipt date, per-item sign-off, status with dates, and the filing packet.
package filings

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"cockpit/backend/calendar"
)

// MatterType is the kind of regulator matter.
type MatterType string

const (
	ComplaintForwarded MatterType = "complaint_forwarded" // 12315 complaint forwarded to the business
	ODRDispute         MatterType = "odr_dispute"         // 12315 online dispute resolution
	RegulatorInquiry   MatterType = "regulator_inquiry"   // report (举报) or inquiry
	Mediation          MatterType = "mediation"
	RecallReport       MatterType = "recall_report"
)

// Status of a matter.
type Status string

const (
	StatusDraft     Status = "draft"
	StatusReady     Status = "ready"
	StatusSubmitted Status = "submitted"
	StatusReplied   Status = "replied" // the regulator replied
	StatusClosed    Status = "closed"
)

// transitions lists where each status may go; "ready" also needs a complete, signed checklist.
var transitions = map[Status][]Status{
	StatusDraft:     {StatusReady, StatusClosed},
	StatusReady:     {StatusDraft, StatusSubmitted, StatusClosed},
	StatusSubmitted: {StatusReplied, StatusClosed},
	StatusReplied:   {StatusSubmitted, StatusClosed},
	StatusClosed:    {},
}

// CanMove says whether a matter may go from one status to another.
func CanMove(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Requirement is one line of a checklist template.
type Requirement struct {
	Code     string `json:"code"`
	ZH       string `json:"zh"`
	EN       string `json:"en"`
	Group    string `json:"group,omitempty"` // items of one group satisfy each other
	Optional bool   `json:"optional,omitempty"`
	Basis    string `json:"basis"`
}

// DeadlineRule is a statutory period counted from the matter's receipt date.
type DeadlineRule struct {
	ID            string `json:"id"`
	ZH            string `json:"zh"`
	EN            string `json:"en"`
	Source        string `json:"source"`
	Confidence    string `json:"confidence"`
	Unit          string `json:"unit"` // working_days | days
	Amount        int    `json:"amount"`
	Extend        string `json:"extend,omitempty"`
	EffectiveFrom string `json:"effective_from,omitempty"`
	EffectiveTo   string `json:"effective_to,omitempty"`
}

// Scenario is a complaint scenario's evidence requirement checklist.
type Scenario struct {
	ZH       string        `json:"zh"`
	EN       string        `json:"en"`
	Subtypes []string      `json:"subtypes"`
	Items    []Requirement `json:"items"`
}

// MatterTemplate is a matter type's filing checklist and deadlines.
type MatterTemplate struct {
	ZH        string         `json:"zh"`
	EN        string         `json:"en"`
	Items     []Requirement  `json:"items"`
	Deadlines []DeadlineRule `json:"deadlines"`
}

// Templates is the whole rule set.
type Templates struct {
	Scenarios map[string]Scenario           `json:"scenarios"`
	Matters   map[MatterType]MatterTemplate `json:"matters"`
}

//go:embed templates.json
var defaultTemplates []byte

// DefaultTemplates returns the shipped templates.
func DefaultTemplates() Templates {
	t, err := ParseTemplates(defaultTemplates)
	if err != nil {
		panic("filings: shipped templates.json is invalid: " + err.Error()) // caught by every test run
	}
	return t
}

// ParseTemplates reads and checks a template file.
func ParseTemplates(b []byte) (Templates, error) {
	var t Templates
	if err := json.Unmarshal(b, &t); err != nil {
		return t, fmt.Errorf("filing templates: %w", err)
	}
	check := func(where string, items []Requirement) error {
		seen := map[string]bool{}
		for _, r := range items {
			if r.Code == "" || r.ZH == "" || r.EN == "" {
				return fmt.Errorf("filing templates: %s: an item lacks code or labels", where)
			}
			if seen[r.Code] {
				return fmt.Errorf("filing templates: %s: code %q twice", where, r.Code)
			}
			seen[r.Code] = true
		}
		return nil
	}
	for name, s := range t.Scenarios {
		if err := check("scenario "+name, s.Items); err != nil {
			return t, err
		}
	}
	for mt, m := range t.Matters {
		if err := check("matter "+string(mt), m.Items); err != nil {
			return t, err
		}
		for _, d := range m.Deadlines {
			if d.Amount < 1 || (d.Unit != "working_days" && d.Unit != "days") {
				return t, fmt.Errorf("filing templates: matter %s deadline %s: unit %q amount %d", mt, d.ID, d.Unit, d.Amount)
			}
			for _, s := range []string{d.EffectiveFrom, d.EffectiveTo} {
				if s != "" {
					if _, err := calendar.ParseDate(s); err != nil {
						return t, fmt.Errorf("filing templates: matter %s deadline %s: %w", mt, d.ID, err)
					}
				}
			}
			if _, err := calendar.ParseExtend(d.Extend); err != nil {
				return t, fmt.Errorf("filing templates: matter %s deadline %s: %w", mt, d.ID, err)
			}
		}
	}
	return t, nil
}

// ScenarioNames lists scenarios in a stable order.
func (t Templates) ScenarioNames() []string {
	out := make([]string, 0, len(t.Scenarios))
	for k := range t.Scenarios {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// SuggestScenarios proposes scenarios for a case from its subtype and its safety flag evidence
// (allergy words). The liaison confirms; nothing is applied automatically.
func (t Templates) SuggestScenarios(subtype string, flagEvidence []string) []string {
	var out []string
	for _, name := range t.ScenarioNames() {
		for _, st := range t.Scenarios[name].Subtypes {
			if st == subtype {
				out = append(out, name)
			}
		}
	}
	for _, ev := range flagEvidence {
		if strings.Contains(ev, "过敏") || strings.Contains(strings.ToLower(ev), "allerg") {
			if _, ok := t.Scenarios["allergy"]; ok {
				out = append(out, "allergy")
			}
			break
		}
	}
	return out
}

// RuleSet names the SAMR order in force for a receipt date: Order 20 before 2026-04-15, Order 121 after.
type RuleSet struct {
	ID string `json:"id"`
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// order121From is when SAMR Order 121 replaced Order 20 (regulatory.md 0.1, confidence H).
var order121From = calendar.NewDate(2026, time.April, 15)

// RuleInForce returns the rule set for a matter received at t (the date in loc decides).
func RuleInForce(received time.Time, loc *time.Location) RuleSet {
	if calendar.DateOf(received, loc).Before(order121From) {
		return RuleSet{ID: "order20", ZH: "《市场监督管理投诉举报处理暂行办法》（总局令第20号）", EN: "SAMR Order 20 (interim measures)"}
	}
	return RuleSet{ID: "order121", ZH: "《市场监督管理投诉举报处理办法》（总局令第121号）", EN: "SAMR Order 121"}
}

// DeadlineCalculator counts periods on the working-day calendar; *calendar.Calendar implements it.
type DeadlineCalculator interface {
	AddWorkingDays(trigger time.Time, loc *time.Location, n int) (calendar.Due, error)
	AddCalendarDays(trigger time.Time, loc *time.Location, n int, ext calendar.Extend) (calendar.Due, error)
}

// Deadline is a computed statutory deadline of a matter.
type Deadline struct {
	ID         string    `json:"id"`
	ZH         string    `json:"zh"`
	EN         string    `json:"en"`
	Source     string    `json:"source"`
	Confidence string    `json:"confidence"`
	Period     string    `json:"period"` // "7 working_days"
	DueAt      time.Time `json:"due_at"` // 24:00 of DueDate in the zone (zero when unknown)
	DueDate    string    `json:"due_date"`
	Skipped    int       `json:"skipped"` // rest days passed over
	State      string    `json:"state"`   // open | overdue | done | unknown
	Error      string    `json:"error,omitempty"`
}

// applies says whether a rule is in force for a receipt date.
func (r DeadlineRule) applies(d calendar.Date) bool {
	if r.EffectiveFrom != "" {
		if from, _ := calendar.ParseDate(r.EffectiveFrom); d.Before(from) {
			return false
		}
	}
	if r.EffectiveTo != "" {
		if to, _ := calendar.ParseDate(r.EffectiveTo); !d.Before(to) {
			return false
		}
	}
	return true
}

// Deadlines computes a matter's statutory deadlines. A year without a holiday table yields a deadline
// in state "unknown" with the reason, never a guess.
func (t Templates) Deadlines(m Matter, cal DeadlineCalculator, loc *time.Location, now time.Time) []Deadline {
	out := []Deadline{}
	day := calendar.DateOf(m.ReceivedAt, loc)
	for _, r := range t.Matters[m.Type].Deadlines {
		if !r.applies(day) {
			continue
		}
		d := Deadline{ID: r.ID, ZH: r.ZH, EN: r.EN, Source: r.Source, Confidence: r.Confidence,
			Period: fmt.Sprintf("%d %s", r.Amount, r.Unit)}
		var due calendar.Due
		var err error
		if r.Unit == "working_days" {
			due, err = cal.AddWorkingDays(m.ReceivedAt, loc, r.Amount)
		} else {
			ext, _ := calendar.ParseExtend(r.Extend)
			due, err = cal.AddCalendarDays(m.ReceivedAt, loc, r.Amount, ext)
		}
		switch {
		case err != nil:
			d.State, d.Error = "unknown", err.Error()
		default:
			d.DueAt, d.DueDate, d.Skipped = due.At.UTC(), due.Date.String(), len(due.Skipped)
			switch {
			case m.Status == StatusSubmitted || m.Status == StatusReplied || m.Status == StatusClosed:
				d.State = "done"
			case !now.Before(due.At):
				d.State = "overdue"
			default:
				d.State = "open"
			}
		}
		out = append(out, d)
	}
	return out
}
