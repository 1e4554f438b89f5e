package app

import (
	"context"
	"fmt"
	"sync"

	"cockpit/backend/engine"
	"cockpit/backend/people"
	"cockpit/backend/rules"
	"cockpit/backend/store"
)

// Engine is the bound service of the case engine: why a case stands where it stands (evidence, rule
// versions, clocks), overrides with a reason, clock pauses and milestones, the rule set (read by
// everyone, saved by managers and admins), incidents with their response checklist, trend alerts and
// the deadline calculator. Roles are checked in backend/engine.
//
// Events: "case:changed" {caseId} and "board:changed" {caseId} after an override, a clock action or a
// refresh; "rules:saved" {version}; "incident:opened" store.Incident (the red alert) when a refresh
// through this service's engine opens a group incident; "incident:updated" engine.IncidentView;
// "trend:alert" store.TrendAlert for each new alert; "engine:error" message when OnCaseChanged fails.
type Engine struct {
	core *Core
}

// caseEngine is the open workspace's one case engine. Every service and every ingestion path (IMAP
// sync, imports, the demo mailbox, board moves) refreshes cases through it, so its compiled rule set is
// cached once and the red alert of an incident opened by any refresh reaches the window.
type caseEngine struct {
	mu  sync.Mutex
	st  *store.Store
	eng *engine.Engine
}

// caseEngine returns the case engine of the open store, made on first use.
func (c *Core) caseEngine() (*engine.Engine, error) {
	st, err := c.ready()
	if err != nil {
		return nil, err
	}
	c.engine.mu.Lock()
	defer c.engine.mu.Unlock()
	if c.engine.st != st {
		eng := engine.New(st, c.Clock)
		eng.IncidentOpened = func(in store.Incident) { c.Events.Emit("incident:opened", in) } // the red alert
		eng.ReportError = func(err error) { c.Events.Emit("engine:error", err.Error()) }
		c.engine.st, c.engine.eng = st, eng
	}
	return c.engine.eng, nil
}

func (s *Engine) engine() (*engine.Engine, error) { return s.core.caseEngine() }

func (s *Engine) user(roles ...people.Role) (*engine.Engine, people.User, error) {
	eng, err := s.engine()
	if err != nil {
		return nil, people.User{}, err
	}
	u, err := s.core.Require(roles...)
	return eng, u, err
}

func (s *Engine) changed(caseID int64) {
	s.core.Events.Emit("case:changed", map[string]int64{"caseId": caseID})
	s.core.Events.Emit("board:changed", map[string]int64{"caseId": caseID})
}

// Explain returns the evidence behind a case's type, flags and level, its overrides, its incident and
// every clock replayed now with its "why".
func (s *Engine) Explain(caseID int64) (engine.Explanation, error) {
	eng, _, err := s.user(people.Anyone...)
	if err != nil {
		return engine.Explanation{}, err
	}
	return eng.Explain(context.Background(), caseID)
}

// Override sets (or with Clear, hands back) a case's level, type, sub-type or flags, with a reason.
func (s *Engine) Override(r engine.OverrideRequest) (engine.Outcome, error) {
	eng, u, err := s.user(people.Anyone...)
	if err != nil {
		return engine.Outcome{}, err
	}
	out, err := eng.Override(context.Background(), u, r)
	if err != nil {
		return out, err
	}
	s.changed(r.CaseID)
	return out, nil
}

// ClockAction pauses or resumes a clock, or records a milestone (see Milestones) that starts or stops one.
func (s *Engine) ClockAction(a engine.ClockAction) (engine.Outcome, error) {
	eng, u, err := s.user(people.Anyone...)
	if err != nil {
		return engine.Outcome{}, err
	}
	out, err := eng.RecordClockAction(context.Background(), u, a)
	if err != nil {
		return out, err
	}
	s.changed(a.CaseID)
	return out, nil
}

// Milestones lists the event kinds that start or stop clocks (regulator_accepted, return_received...).
func (s *Engine) Milestones() ([]string, error) {
	eng, _, err := s.user(people.Anyone...)
	if err != nil {
		return nil, err
	}
	return eng.Milestones(context.Background())
}

// Refresh re-decides one case now.
func (s *Engine) Refresh(caseID int64) (engine.Outcome, error) {
	eng, _, err := s.user(people.CaseWorkers...)
	if err != nil {
		return engine.Outcome{}, err
	}
	out, err := eng.Refresh(context.Background(), caseID)
	if err != nil {
		return out, err
	}
	s.changed(caseID)
	return out, nil
}

// RefreshAll re-decides every open case (managers and admins: it can take a while on a big workspace).
func (s *Engine) RefreshAll() (engine.RefreshSummary, error) {
	eng, _, err := s.user(people.Manager, people.Admin)
	if err != nil {
		return engine.RefreshSummary{}, err
	}
	sum, err := eng.RefreshAll(context.Background(), true)
	if err != nil {
		return sum, err
	}
	s.core.Events.Emit("board:changed", map[string]int64{"caseId": 0})
	return sum, nil
}

// Rules returns the rule set in effect, its version history and the years with holiday tables.
func (s *Engine) Rules() (engine.RulesView, error) {
	eng, u, err := s.user(people.Anyone...)
	if err != nil {
		return engine.RulesView{}, err
	}
	return eng.RulesView(context.Background(), u)
}

// DefaultRules returns the shipped rule set, for "start from the defaults" in the editor.
func (s *Engine) DefaultRules() (rules.RuleSet, error) {
	if _, _, err := s.user(people.Anyone...); err != nil {
		return rules.RuleSet{}, err
	}
	return rules.Default()
}

// SaveRulesRequest is an edited rule set: the whole JSON document, when it takes effect, and why.
type SaveRulesRequest struct {
	RulesJSON     string `json:"rulesJson"`
	EffectiveFrom string `json:"effectiveFrom"` // YYYY-MM-DD
	Note          string `json:"note"`
}

// SaveRulesResult is the new version and the refresh of open cases under it.
type SaveRulesResult struct {
	Version int                   `json:"version"`
	Refresh engine.RefreshSummary `json:"refresh"`
}

// SaveRules validates and stores a new rule set version (managers and admins; audited), then
// re-decides the open cases.
func (s *Engine) SaveRules(r SaveRulesRequest) (SaveRulesResult, error) {
	eng, u, err := s.user(people.Manager, people.Admin)
	if err != nil {
		return SaveRulesResult{}, err
	}
	v, err := eng.SaveRules(context.Background(), u, []byte(r.RulesJSON), r.EffectiveFrom, r.Note)
	if err != nil {
		return SaveRulesResult{}, err
	}
	s.core.Events.Emit("rules:saved", map[string]int{"version": v})
	sum, err := eng.RefreshAll(context.Background(), true)
	if err != nil {
		return SaveRulesResult{Version: v}, fmt.Errorf("rules saved as version %d, but refreshing cases failed: %w", v, err)
	}
	s.core.Events.Emit("board:changed", map[string]int64{"caseId": 0})
	return SaveRulesResult{Version: v, Refresh: sum}, nil
}

// Incidents lists incidents ("" for every status; open, contained, closed) with cases and checklist.
func (s *Engine) Incidents(status string) ([]engine.IncidentView, error) {
	eng, _, err := s.user(people.Anyone...)
	if err != nil {
		return nil, err
	}
	return eng.Incidents(context.Background(), status)
}

// UpdateIncident changes an incident's status or owner or ticks a checklist step.
func (s *Engine) UpdateIncident(u engine.IncidentUpdate) (engine.IncidentView, error) {
	eng, who, err := s.user(people.Anyone...)
	if err != nil {
		return engine.IncidentView{}, err
	}
	v, err := eng.UpdateIncident(context.Background(), who, u)
	if err != nil {
		return v, err
	}
	s.core.Events.Emit("incident:updated", v)
	return v, nil
}

// TrendAlerts lists the trend alerts of the last days (default 7).
func (s *Engine) TrendAlerts(days int) ([]store.TrendAlert, error) {
	eng, _, err := s.user(people.Anyone...)
	if err != nil {
		return nil, err
	}
	return eng.TrendAlerts(context.Background(), days)
}

// CheckTrends recomputes today's and yesterday's trends and returns (and emits) the new alerts.
func (s *Engine) CheckTrends() ([]store.TrendAlert, error) {
	eng, _, err := s.user(people.Anyone...)
	if err != nil {
		return nil, err
	}
	fresh, err := eng.CheckTrends(context.Background())
	for _, a := range fresh {
		s.core.Events.Emit("trend:alert", a)
	}
	return fresh, err
}

// AckTrend marks a trend alert as handled.
func (s *Engine) AckTrend(id int64) error {
	eng, u, err := s.user(people.Anyone...)
	if err != nil {
		return err
	}
	return eng.AckTrend(context.Background(), u, id)
}

// Deadline is the calculator: the end of N working days or N days after a date, with the skipped days.
func (s *Engine) Deadline(q engine.DeadlineQuery) (engine.DeadlineAnswer, error) {
	eng, _, err := s.user(people.Anyone...)
	if err != nil {
		return engine.DeadlineAnswer{}, err
	}
	comp, err := eng.Rules(context.Background())
	if err != nil {
		return engine.DeadlineAnswer{}, err
	}
	return engine.ComputeDeadline(comp, q)
}
