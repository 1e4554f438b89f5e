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
	"cockpit/backend/calendar"
	"cockpit/backend/people"
	"cockpit/backend/rules"
	"cockpit/backend/store"
)

// RulesView is the rule set in effect and the saved versions.
type RulesView struct {
	Version       int                `json:"version"` // 0: the shipped defaults
	EffectiveFrom string             `json:"effective_from"`
	Rules         rules.RuleSet      `json:"rules"`
	History       []store.RuleSetRow `json:"history"`
	HolidayYears  []int              `json:"holiday_years"`
}

// RulesView returns the active rule set (any signed-in role may read it: it explains decisions).
func (e *Engine) RulesView(ctx context.Context, by people.User) (RulesView, error) {
	if err := people.Require(by, people.Anyone...); err != nil {
		return RulesView{}, err
	}
	comp, err := e.Rules(ctx)
	if err != nil {
		return RulesView{}, err
	}
	hist, err := e.Store.RuleSetHistory(ctx)
	if err != nil {
		return RulesView{}, err
	}
	return RulesView{Version: comp.Set.Version, EffectiveFrom: comp.Set.EffectiveFrom, Rules: comp.Set, History: hist,
		HolidayYears: comp.Calendar.Years()}, nil
}

// SaveRules stores a new version of the whole rule set (manager or admin only), effective from
// effectiveFrom (YYYY-MM-DD, local), after checking that it compiles. The audit entry carries the note
// and the full body so that every change can be reviewed later.
func (e *Engine) SaveRules(ctx context.Context, by people.User, body json.RawMessage, effectiveFrom, note string) (int, error) {
	if err := people.Require(by, people.Manager, people.Admin); err != nil {
		return 0, err
	}
	if strings.TrimSpace(note) == "" {
		return 0, fmt.Errorf("%w: say what changed and why", ErrInvalid)
	}
	if _, err := calendar.ParseDate(effectiveFrom); err != nil {
		return 0, fmt.Errorf("%w: effective_from: %v", ErrInvalid, err)
	}
	rs, err := rules.Parse(body)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	rs.EffectiveFrom, rs.Note = effectiveFrom, note
	if _, err := rules.Compile(rs); err != nil {
		return 0, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	canonical, err := json.Marshal(rs)
	if err != nil {
		return 0, err
	}
	now := e.now()
	var version int
	err = e.Store.Tx(ctx, func(tx *sql.Tx) error {
		version, err = store.InsertRuleSetTx(ctx, tx, store.RuleSetRow{EffectiveFrom: effectiveFrom, BodyJSON: string(canonical),
			Note: note, CreatedBy: by.Username, CreatedAt: now})
		if err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "rules.save", ObjectType: "rule_set",
			ObjectID: strconv.Itoa(version), Detail: map[string]any{"effective_from": effectiveFrom, "note": note, "body": json.RawMessage(canonical)}, At: now})
	})
	if err != nil {
		return 0, err
	}
	e.invalidate()
	return version, nil
}

// IncidentView is an incident with its linked cases and response checklist.
type IncidentView struct {
	store.Incident
	CaseIDs   []int64         `json:"case_ids"`
	Checklist []ChecklistView `json:"checklist"`
}

// ChecklistView is one response step with its state.
type ChecklistView struct {
	rules.ChecklistItem
	store.ChecklistState
}

// Incidents lists incidents (status "" for all) with their cases and checklists.
func (e *Engine) Incidents(ctx context.Context, status string) ([]IncidentView, error) {
	comp, err := e.Rules(ctx)
	if err != nil {
		return nil, err
	}
	list, err := e.Store.Incidents(ctx, status)
	if err != nil {
		return nil, err
	}
	out := make([]IncidentView, 0, len(list))
	for _, in := range list {
		v, err := e.incidentView(ctx, comp, in)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (e *Engine) incidentView(ctx context.Context, comp *rules.Compiled, in store.Incident) (IncidentView, error) {
	v := IncidentView{Incident: in, CaseIDs: []int64{}, Checklist: []ChecklistView{}}
	ids, err := e.Store.CaseIDsOfIncident(ctx, in.ID)
	if err != nil {
		return v, err
	}
	v.CaseIDs = append(v.CaseIDs, ids...)
	states, err := e.Store.IncidentChecklist(ctx, in.ID)
	if err != nil {
		return v, err
	}
	for _, item := range comp.Set.Incidents.Checklist {
		st := states[item.ID]
		st.ItemID = item.ID
		v.Checklist = append(v.Checklist, ChecklistView{ChecklistItem: item, ChecklistState: st})
	}
	return v, nil
}

// IncidentUpdate changes an incident: status (open, contained, closed), owner, or a checklist step.
type IncidentUpdate struct {
	IncidentID int64  `json:"incident_id"`
	Status     string `json:"status,omitempty"`
	OwnerID    int64  `json:"owner_id,omitempty"`
	Item       string `json:"item,omitempty"` // checklist item id
	Done       bool   `json:"done,omitempty"`
	Note       string `json:"note,omitempty"`
}

// UpdateIncident applies u (case workers only), audited.
func (e *Engine) UpdateIncident(ctx context.Context, by people.User, u IncidentUpdate) (IncidentView, error) {
	if err := people.Require(by, people.CaseWorkers...); err != nil {
		return IncidentView{}, err
	}
	comp, err := e.Rules(ctx)
	if err != nil {
		return IncidentView{}, err
	}
	if u.Status != "" && !slices.Contains([]string{"open", "contained", "closed"}, u.Status) {
		return IncidentView{}, fmt.Errorf("%w: status must be open, contained or closed", ErrInvalid)
	}
	if u.Item != "" && !slices.ContainsFunc(comp.Set.Incidents.Checklist, func(c rules.ChecklistItem) bool { return c.ID == u.Item }) {
		return IncidentView{}, fmt.Errorf("%w: unknown checklist item %q", ErrInvalid, u.Item)
	}
	if u.Status == "" && u.OwnerID == 0 && u.Item == "" {
		return IncidentView{}, fmt.Errorf("%w: nothing to change", ErrInvalid)
	}
	if _, err := e.Store.GetIncident(ctx, u.IncidentID); err != nil {
		return IncidentView{}, err
	}
	now := e.now()
	err = e.Store.Tx(ctx, func(tx *sql.Tx) error {
		if u.Status != "" {
			if err := store.SetIncidentStatusTx(ctx, tx, u.IncidentID, u.Status, now); err != nil {
				return err
			}
		}
		if u.OwnerID != 0 {
			if _, _, err := store.ActivePersonTx(ctx, tx, u.OwnerID); err != nil {
				return err
			}
			if err := store.SetIncidentOwnerTx(ctx, tx, u.IncidentID, u.OwnerID); err != nil {
				return err
			}
		}
		if u.Item != "" {
			st := store.ChecklistState{ItemID: u.Item, Note: u.Note}
			if u.Done {
				st.DoneAt, st.DoneBy = now, by.Username
			}
			if err := store.SetChecklistItemTx(ctx, tx, u.IncidentID, st); err != nil {
				return err
			}
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "incident.update", ObjectType: "incident",
			ObjectID: strconv.FormatInt(u.IncidentID, 10), Detail: u, At: now})
	})
	if err != nil {
		return IncidentView{}, err
	}
	in, err := e.Store.GetIncident(ctx, u.IncidentID)
	if err != nil {
		return IncidentView{}, err
	}
	return e.incidentView(ctx, comp, in)
}

// AckTrend marks a trend alert as handled (case workers), audited.
func (e *Engine) AckTrend(ctx context.Context, by people.User, id int64) error {
	if err := people.Require(by, people.CaseWorkers...); err != nil {
		return err
	}
	now := e.now()
	return e.Store.Tx(ctx, func(tx *sql.Tx) error {
		if err := store.AckTrendAlertTx(ctx, tx, id, by.Username, now); err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: by.Username, Action: "trend.ack", ObjectType: "trend_alert",
			ObjectID: strconv.FormatInt(id, 10), At: now})
	})
}
