package engine

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"cockpit/backend/audit"
	"cockpit/backend/cases"
	"cockpit/backend/classify"
	"cockpit/backend/clocks"
	"cockpit/backend/people"
	"cockpit/backend/rules"
	"cockpit/backend/store"
)

// Override fields.
const (
	FieldLevel   = "level"
	FieldType    = "type"
	FieldSubtype = "subtype"
	FieldFlags   = "flags"
)

// OverrideRequest corrects the engine on one field of a case. Value: "1".."3" for level, a type or
// sub-type id, or comma-separated flag names ("" clears all flags). Reason is required.
type OverrideRequest struct {
	CaseID int64  `json:"case_id"`
	Field  string `json:"field"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
	// Clear hands the field back to the engine instead of setting it.
	Clear bool `json:"clear"`
}

func (e *Engine) validateOverride(comp *rules.Compiled, r *OverrideRequest) error {
	r.Reason = strings.TrimSpace(r.Reason)
	if r.Reason == "" {
		return fmt.Errorf("%w: an override needs a reason", ErrInvalid)
	}
	if len([]rune(r.Reason)) > 2000 {
		return fmt.Errorf("%w: the reason is longer than 2000 characters", ErrInvalid)
	}
	if r.Clear {
		if !slices.Contains([]string{FieldLevel, FieldType, FieldSubtype, FieldFlags}, r.Field) {
			return fmt.Errorf("%w: unknown field %q", ErrInvalid, r.Field)
		}
		return nil
	}
	r.Value = strings.TrimSpace(r.Value)
	switch r.Field {
	case FieldLevel:
		if n, err := strconv.Atoi(r.Value); err != nil || n < 1 || n > 3 {
			return fmt.Errorf("%w: level must be 1, 2 or 3", ErrInvalid)
		}
	case FieldType:
		if _, ok := comp.Type(r.Value); !ok && r.Value != "unknown" {
			return fmt.Errorf("%w: unknown type %q", ErrInvalid, r.Value)
		}
	case FieldSubtype:
		if !slices.ContainsFunc(comp.Set.Subtypes, func(s rules.SubtypeDef) bool { return s.ID == r.Value }) && r.Value != "" {
			return fmt.Errorf("%w: unknown sub-type %q", ErrInvalid, r.Value)
		}
	case FieldFlags:
		var names []string
		for _, n := range strings.Split(r.Value, ",") {
			if n = strings.TrimSpace(n); n == "" {
				continue
			}
			if !slices.ContainsFunc(comp.Set.Flags, func(f rules.FlagDef) bool { return f.ID == n }) {
				return fmt.Errorf("%w: unknown flag %q", ErrInvalid, n)
			}
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		slices.Sort(names)
		r.Value = strings.Join(names, ",")
	default:
		return fmt.Errorf("%w: unknown field %q (level, type, subtype or flags)", ErrInvalid, r.Field)
	}
	return nil
}

// Override records a supervisor's correction (or clears it) with the reason, on the timeline and in
// the audit log in the same transaction, then refreshes the case.
func (e *Engine) Override(ctx context.Context, by people.User, r OverrideRequest) (Outcome, error) {
	if err := people.Require(by, people.CaseWorkers...); err != nil {
		return Outcome{}, err
	}
	comp, err := e.Rules(ctx)
	if err != nil {
		return Outcome{}, err
	}
	if err := e.validateOverride(comp, &r); err != nil {
		return Outcome{}, err
	}
	if _, err := e.Store.GetCase(ctx, r.CaseID); err != nil {
		return Outcome{}, err
	}
	now := e.now()
	err = e.Store.Tx(ctx, func(tx *sql.Tx) error {
		action, summary := "case.override", fmt.Sprintf("override %s = %q (%s)", r.Field, r.Value, r.Reason)
		if r.Clear {
			ok, err := store.ClearOverrideTx(ctx, tx, r.CaseID, r.Field, by.Username, now)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("%w: case %d has no override of %s", ErrInvalid, r.CaseID, r.Field)
			}
			action, summary = "case.override_clear", fmt.Sprintf("override of %s cleared: back to the engine (%s)", r.Field, r.Reason)
		} else if _, err := store.InsertOverrideTx(ctx, tx, store.Override{CaseID: r.CaseID, Field: r.Field, Value: r.Value,
			Reason: r.Reason, Actor: by.Username, At: now}); err != nil {
			return err
		}
		data, _ := json.Marshal(r)
		if _, err := store.InsertEventTx(ctx, tx, cases.Event{CaseID: r.CaseID, Kind: "decision", Actor: by.Username, OccurredAt: now,
			Summary: summary, DataJSON: string(data)}); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: action, ObjectType: "case",
			ObjectID: strconv.FormatInt(r.CaseID, 10), Detail: r, At: now})
	})
	if err != nil {
		return Outcome{}, err
	}
	return e.Refresh(ctx, r.CaseID)
}

// ClockAction pauses or resumes a clock of a case (waiting for the customer, testing or appraisal),
// or records a milestone that starts or stops clocks (regulator_accepted, return_received, solution...).
type ClockAction struct {
	CaseID int64  `json:"case_id"`
	Clock  string `json:"clock"` // pause/resume: a clock id, or "" for every clock of the case
	Kind   string `json:"kind"`  // clock_pause | clock_resume | a milestone kind (see Milestones)
	Reason string `json:"reason"`
}

// Milestones lists the event kinds the rules start or stop clocks on, so the UI can offer them.
func (e *Engine) Milestones(ctx context.Context) ([]string, error) {
	comp, err := e.Rules(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	add := func(k string) {
		if k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	for _, cl := range comp.Clocks {
		add(cl.StartEvent)
		for _, k := range cl.StopOn {
			add(k)
		}
	}
	slices.Sort(out)
	return out, nil
}

// RecordClockAction writes the pause, resume or milestone to the timeline (clocks replay from it) and
// the audit log, then refreshes the case.
func (e *Engine) RecordClockAction(ctx context.Context, by people.User, a ClockAction) (Outcome, error) {
	if err := people.Require(by, people.CaseWorkers...); err != nil {
		return Outcome{}, err
	}
	a.Reason = strings.TrimSpace(a.Reason)
	switch a.Kind {
	case clocks.KindPause, clocks.KindResume:
		if a.Reason == "" {
			return Outcome{}, fmt.Errorf("%w: pausing or resuming a clock needs a reason", ErrInvalid)
		}
		if a.Clock != "" {
			rows, err := e.Store.CaseClocks(ctx, []int64{a.CaseID})
			if err != nil {
				return Outcome{}, err
			}
			if !slices.ContainsFunc(rows[a.CaseID], func(r store.ClockRow) bool { return r.ClockID == a.Clock }) {
				return Outcome{}, fmt.Errorf("%w: case %d has no clock %q", ErrInvalid, a.CaseID, a.Clock)
			}
		}
	default:
		ms, err := e.Milestones(ctx)
		if err != nil {
			return Outcome{}, err
		}
		if !slices.Contains(ms, a.Kind) {
			return Outcome{}, fmt.Errorf("%w: %q is not a clock milestone (one of %s)", ErrInvalid, a.Kind, strings.Join(ms, ", "))
		}
	}
	if _, err := e.Store.GetCase(ctx, a.CaseID); err != nil {
		return Outcome{}, err
	}
	now := e.now()
	err := e.Store.Tx(ctx, func(tx *sql.Tx) error {
		data, _ := json.Marshal(map[string]string{"clock": a.Clock, "reason": a.Reason})
		summary := a.Kind
		if a.Clock != "" {
			summary += " " + a.Clock
		}
		if a.Reason != "" {
			summary += ": " + a.Reason
		}
		if _, err := store.InsertEventTx(ctx, tx, cases.Event{CaseID: a.CaseID, Kind: a.Kind, Actor: by.Username, OccurredAt: now,
			Summary: summary, DataJSON: string(data)}); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "clock." + a.Kind, ObjectType: "case",
			ObjectID: strconv.FormatInt(a.CaseID, 10), Detail: a, At: now})
	})
	if err != nil {
		return Outcome{}, err
	}
	return e.Refresh(ctx, a.CaseID)
}

// ClockView is one clock of a case with its rule and where it stands now.
type ClockView struct {
	ID         string        `json:"id"`
	LabelZH    string        `json:"label_zh"`
	LabelEN    string        `json:"label_en"`
	Source     string        `json:"source"`
	Confidence string        `json:"confidence,omitempty"`
	Unit       string        `json:"unit"`
	Amount     int           `json:"amount"`
	Status     clocks.Status `json:"status"`
}

// Explanation is everything behind a case's level, type, flags and clocks.
type Explanation struct {
	CaseID          int64            `json:"case_id"`
	Classification  classify.Result  `json:"classification"`
	ClassifiedAt    string           `json:"classified_at"`
	RuleVersion     int              `json:"rule_version"`
	Level           int              `json:"level"`
	LevelWhy        string           `json:"level_why"`
	Overrides       []store.Override `json:"overrides"`
	Incident        *store.Incident  `json:"incident,omitempty"`
	Clocks          []ClockView      `json:"clocks"`
	ClockMilestones []string         `json:"clock_milestones"`
}

// Explain answers "why": the classifier's evidence, overrides, the incident and every clock replayed now.
func (e *Engine) Explain(ctx context.Context, caseID int64) (Explanation, error) {
	x := Explanation{CaseID: caseID, Overrides: []store.Override{}, Clocks: []ClockView{}}
	comp, err := e.Rules(ctx)
	if err != nil {
		return x, err
	}
	row, ok, err := e.Store.Classification(ctx, caseID)
	if err != nil {
		return x, err
	}
	if !ok {
		if _, err := e.Refresh(ctx, caseID); err != nil {
			return x, err
		}
		if row, _, err = e.Store.Classification(ctx, caseID); err != nil {
			return x, err
		}
	}
	if err := json.Unmarshal([]byte(row.ResultJSON), &x.Classification); err != nil {
		return x, fmt.Errorf("classification of case %d: %w", caseID, err)
	}
	x.ClassifiedAt, x.RuleVersion = row.ClassifiedAt.Format("2006-01-02T15:04:05Z07:00"), row.RuleVersion
	in, err := e.Store.EngineInput(ctx, caseID)
	if err != nil {
		return x, err
	}
	if x.Overrides, err = e.Store.Overrides(ctx, caseID, false); err != nil {
		return x, err
	}
	var active []store.Override
	for _, o := range x.Overrides {
		if o.ClearedAt.IsZero() {
			active = append(active, o)
		}
	}
	d := decide(comp, x.Classification, in, in.Case.IncidentID, active)
	x.Level, x.LevelWhy = d.Level, d.Why
	if in.Case.IncidentID != 0 {
		inc, err := e.Store.GetIncident(ctx, in.Case.IncidentID)
		if err != nil {
			return x, err
		}
		x.Incident = &inc
	}
	facts := clocks.Facts{Case: in.Case, Level: d.Level, Platform: in.Platform, Flags: flagNames(d.Flags),
		Text: classify.Text(comp, classify.Input{Subject: in.Case.Title, Bodies: in.Bodies}), Events: in.Events}
	for _, r := range clocks.Evaluate(comp, facts, e.now()) {
		x.Clocks = append(x.Clocks, ClockView{ID: r.Def.ID, LabelZH: r.Def.ZH, LabelEN: r.Def.EN, Source: r.Def.Source,
			Confidence: r.Def.Confidence, Unit: r.Def.Unit, Amount: r.Def.Amount, Status: r.Status})
	}
	if x.ClockMilestones, err = e.Milestones(ctx); err != nil {
		return x, err
	}
	return x, nil
}

// Deadlines replays the stored clocks of the listed cases at now from their timelines; it is the
// board's and `cases --json`'s source of due times (board.DeadlineFunc).
func (e *Engine) Deadlines(ctx context.Context, list []cases.Case) (map[int64][]cases.Deadline, error) {
	out := map[int64][]cases.Deadline{}
	if len(list) == 0 {
		return out, nil
	}
	comp, err := e.Rules(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(list))
	for _, c := range list {
		ids = append(ids, c.ID)
	}
	stored, err := e.Store.CaseClocks(ctx, ids)
	if err != nil {
		return nil, err
	}
	events, err := e.Store.ClockEvents(ctx, ids)
	if err != nil {
		return nil, err
	}
	defs := map[string]rules.Clock{}
	for _, cl := range comp.Clocks {
		defs[cl.ID] = cl
	}
	now := e.now()
	for _, c := range list {
		ds := []cases.Deadline{}
		for _, row := range stored[c.ID] {
			d := cases.Deadline{Clock: row.ClockID, DueAt: row.DueAt, State: row.State, Percent: row.Percent, Why: row.Why}
			if def, ok := defs[row.ClockID]; ok {
				d.Label, d.LabelZH, d.Source = def.EN, def.ZH, def.Source
				if spec, ok := clocks.SpecFor(comp, def, clocks.Facts{Case: c, Events: events[c.ID]}); ok {
					st := clocks.Replay(spec, now)
					d.DueAt, d.State, d.Percent, d.Why = st.DueAt, st.State, st.Percent, st.Why
				}
			}
			ds = append(ds, d)
		}
		out[c.ID] = ds
	}
	return out, nil
}
