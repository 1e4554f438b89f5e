// Package engine refreshes a case: classify -> flags -> level -> incident -> owner -> clocks, in one
// transaction per case, writing only what changed so that running it twice changes nothing. It also
// serves overrides (audited, with a reason), clock pauses and milestones, the rule set's versions, and
// incidents and trend alerts. Every "now" comes from the injected clock.
package engine

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"cockpit/backend/audit"
	"cockpit/backend/calendar"
	"cockpit/backend/cases"
	"cockpit/backend/classify"
	"cockpit/backend/clocks"
	"cockpit/backend/incidents"
	"cockpit/backend/rules"
	"cockpit/backend/store"
)

// Actor is the engine's name on timelines and in the audit log for automatic decisions.
const Actor = "engine"

// Engine is the case engine over one store.
type Engine struct {
	Store *store.Store
	Clock clocks.Clock
	// ReportError receives refresh failures of OnCaseChanged (optional).
	ReportError func(error)
	// IncidentOpened is called after a new group incident is committed (optional): the app and the
	// tray raise the red alert from it.
	IncidentOpened func(store.Incident)

	mu       sync.Mutex
	trendsAt time.Time // last trend check of OnCaseChanged
	cache    *rules.Compiled
	cacheAt  string // version@day the cache was built for
}

// New returns an engine.
func New(st *store.Store, clock clocks.Clock) *Engine { return &Engine{Store: st, Clock: clock} }

func (e *Engine) now() time.Time { return e.Clock.Now().UTC() }

// Rules returns the compiled rule set in effect today: the newest saved version whose effective date
// has come, else the shipped defaults.
func (e *Engine) Rules(ctx context.Context) (*rules.Compiled, error) {
	def, err := defaults()
	if err != nil {
		return nil, err
	}
	loc, err := rulesZone()
	if err != nil {
		return nil, err
	}
	day := calendar.DateOf(e.now(), loc).String()
	row, ok, err := e.Store.ActiveRuleSet(ctx, day)
	if err != nil {
		return nil, err
	}
	key := "0@" + day
	if ok {
		key = fmt.Sprintf("%d@%s", row.Version, day)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cache != nil && e.cacheAt == key {
		return e.cache, nil
	}
	rs := def
	if ok {
		if rs, err = rules.Parse([]byte(row.BodyJSON)); err != nil {
			return nil, fmt.Errorf("saved rule set version %d: %w", row.Version, err)
		}
		rs.Version = row.Version
	}
	c, err := rules.Compile(rs)
	if err != nil {
		return nil, err
	}
	e.cache, e.cacheAt = c, key
	return c, nil
}

func (e *Engine) invalidate() {
	e.mu.Lock()
	e.cache = nil
	e.mu.Unlock()
}

// defaults are read once: the shipped rule set is part of the binary and never changes while it runs.
var defaults = sync.OnceValues(rules.Default)

// rulesZone is the zone of the shipped rules' dates, loaded once (LoadLocation reads the zone file each
// time, and every refresh asks).
var rulesZone = sync.OnceValues(func() (*time.Location, error) {
	def, err := defaults()
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(def.Zone)
	if err != nil {
		return nil, fmt.Errorf("rules zone: %w", err)
	}
	return loc, nil
})

// Outcome says what a refresh changed.
type Outcome struct {
	CaseID     int64                  `json:"case_id"`
	Changes    []store.DecisionChange `json:"changes"`
	IncidentID int64                  `json:"incident_id,omitempty"`
	Linked     []int64                `json:"linked,omitempty"` // other cases pulled into an incident
}

// Refresh re-decides one case (and links any other cases its incident now includes).
func (e *Engine) Refresh(ctx context.Context, caseID int64) (Outcome, error) {
	out := Outcome{CaseID: caseID}
	comp, err := e.Rules(ctx)
	if err != nil {
		return out, err
	}
	in, err := e.Store.EngineInput(ctx, caseID)
	if err != nil {
		return out, fmt.Errorf("refresh case %d: %w", caseID, err)
	}
	cin := classify.Input{Subject: in.Case.Title, Bodies: in.Bodies, OrderAmountFen: in.OrderAmountFen, OrderBatch: in.BatchNo,
		Vulnerable: in.Case.Customer.Vulnerable, Contacts: in.Contacts, Regulator: in.Case.IsRegulator}
	now := e.now()
	hash := inputHash(comp, cin, in)
	prev, ok, err := e.Store.Classification(ctx, caseID)
	if err != nil {
		return out, err
	}
	var res classify.Result
	// The cleaned text serves both the classification and the clocks' rules: cleaning (quotes and
	// signatures cut line by line) is a good part of a refresh, so it is done once.
	text := classify.Text(comp, cin)
	// Same words, order and rules as last time: the stored decision stands, no need to re-run the
	// expressions or write anything.
	fresh := !ok || prev.InputHash != hash
	if fresh {
		res = classify.ClassifyText(comp, cin, text)
	} else if err := json.Unmarshal([]byte(prev.ResultJSON), &res); err != nil {
		return out, fmt.Errorf("classification of case %d: %w", caseID, err)
	}
	keys := caseKeys(comp, res, in)
	var save func(*sql.Tx) error
	if fresh {
		resJSON, err := json.Marshal(res)
		if err != nil {
			return out, err
		}
		save = func(tx *sql.Tx) error {
			if err := store.SaveClassificationTx(ctx, tx, store.ClassificationRow{CaseID: caseID, Type: res.Type, Subtype: res.Subtype,
				Level: res.Level, ResultJSON: string(resJSON), RuleVersion: comp.Set.Version, InputHash: hash, ClassifiedAt: now}); err != nil {
				return err
			}
			return store.SetCaseKeysTx(ctx, tx, caseID, keys, in.CustomerKey, in.Case.OpenedAt)
		}
		// Incident detection reads the stored keys of every case, this one's included, so they are
		// committed first. A case without keys (most) has nothing to detect: its classification is
		// saved with the decision, in one transaction instead of two.
		if len(keys) > 0 {
			if err := e.Store.Tx(ctx, save); err != nil {
				return out, err
			}
			save = nil
		}
	}
	incidentID := in.Case.IncidentID
	links, err := e.detect(ctx, comp, keys)
	if err != nil {
		return out, err
	}
	for _, l := range links {
		for _, id := range l.caseIDs {
			if id == caseID {
				incidentID = l.incidentID
				continue
			}
			changed, err := e.finalize(ctx, comp, id, l.incidentID, nil)
			if err != nil {
				return out, err
			}
			if len(changed) > 0 {
				out.Linked = append(out.Linked, id)
			}
		}
	}
	out.IncidentID = incidentID
	out.Changes, err = e.finalize(ctx, comp, caseID, incidentID, &prepared{res: res, in: in, text: text, save: save})
	return out, err
}

// caseKeys are the incident keys of a case: batch numbers from the order or the text, the SKU, the
// product name, restricted to the kinds the rules use.
func caseKeys(comp *rules.Compiled, res classify.Result, in store.EngineInput) []string {
	var keys []string
	add := func(kind, v string) {
		if !slices.Contains(comp.Set.Incidents.Keys, kind) {
			return
		}
		if k := incidents.Key(kind, v); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	for _, b := range res.Batches {
		add("batch", b)
	}
	add("sku", in.SKU)
	add("product", in.ProductName)
	return keys
}

// inputHash fingerprints everything the classification and the incident keys depend on.
func inputHash(comp *rules.Compiled, in classify.Input, e store.EngineInput) string {
	b, _ := json.Marshal([]any{comp.Set.Version, in, e.SKU, e.ProductName, e.CustomerKey, e.Case.OpenedAt})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

type link struct {
	incidentID int64
	caseIDs    []int64
}

// detect runs incident detection over every case sharing one of keys and makes sure each group has an
// open incident.
func (e *Engine) detect(ctx context.Context, comp *rules.Compiled, keys []string) ([]link, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	rows, err := e.Store.CasesWithKeys(ctx, keys)
	if err != nil {
		return nil, err
	}
	byCase := map[int64]*incidents.Report{}
	linked := map[int64]int64{}
	var order []int64
	for _, r := range rows {
		linked[r.CaseID] = r.IncidentID
		rep := byCase[r.CaseID]
		if rep == nil {
			rep = &incidents.Report{CaseID: r.CaseID, Customer: r.Customer, At: r.At}
			byCase[r.CaseID] = rep
			order = append(order, r.CaseID)
		}
		rep.Keys = append(rep.Keys, r.Key)
	}
	reports := make([]incidents.Report, 0, len(order))
	for _, id := range order {
		reports = append(reports, *byCase[id])
	}
	set := comp.Set.Incidents
	groups := incidents.Detect(reports, set.MinCustomers, time.Duration(set.WindowHours)*time.Hour, set.Keys)
	var out []link
	for _, g := range groups {
		id, err := e.ensureIncident(ctx, comp, g)
		if err != nil {
			return nil, err
		}
		// Only cases not yet in the incident need finalising again: this keeps a refresh linear in the
		// size of a growing incident instead of re-deciding every member each time.
		l := link{incidentID: id}
		for _, c := range g.CaseIDs {
			if linked[c] != id {
				l.caseIDs = append(l.caseIDs, c)
			}
		}
		out = append(out, l)
	}
	return out, nil
}

func (e *Engine) ensureIncident(ctx context.Context, comp *rules.Compiled, g incidents.Group) (int64, error) {
	reason := fmt.Sprintf("%d distinct customers about %s within %d h (threshold %d customers / %d h); %d cases",
		g.Customers, g.Key, comp.Set.Incidents.WindowHours, comp.Set.Incidents.MinCustomers, comp.Set.Incidents.WindowHours, len(g.CaseIDs))
	var id int64
	opened := false
	err := e.Store.Tx(ctx, func(tx *sql.Tx) error {
		in, ok, err := store.OpenIncidentByKeyTx(ctx, tx, g.Key)
		if err != nil {
			return err
		}
		if ok {
			id = in.ID
			if in.Customers == g.Customers && in.Reason == reason {
				return nil
			}
			return store.UpdateIncidentCountsTx(ctx, tx, id, g.Customers, reason)
		}
		d, err := e.onDuty(ctx)
		if err != nil {
			return err
		}
		owner := d.id
		kind, value, _ := strings.Cut(g.Key, ":")
		id, err = store.CreateIncidentTx(ctx, tx, store.Incident{Key: g.Key, Title: fmt.Sprintf("Group incident: %s %s", kind, value),
			Level: 1, OwnerID: owner, OpenedAt: g.TriggeredAt, Reason: reason, Customers: g.Customers, WindowStart: g.WindowStart})
		if err != nil {
			return err
		}
		opened = true
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: Actor, Action: "incident.open", ObjectType: "incident",
			ObjectID: strconv.FormatInt(id, 10), Detail: map[string]any{"key": g.Key, "reason": reason, "cases": g.CaseIDs, "owner_id": owner}, At: e.now()})
	})
	if err == nil && opened && e.IncidentOpened != nil {
		if in, gerr := e.Store.GetIncident(ctx, id); gerr == nil {
			e.IncidentOpened(in)
		}
	}
	return id, err
}

// duty is who owns new level-1/2 cases and incidents now: the supervisor of the shift running now;
// with nobody rostered, the first active manager, so that every such case still has exactly one owner.
// The id is 0 only when the workspace has neither.
type duty struct {
	id   int64
	name string
	why  string
}

func (e *Engine) onDuty(ctx context.Context) (duty, error) {
	sh, ok, err := e.Store.ShiftAt(ctx, e.now())
	if err != nil {
		return duty{}, err
	}
	if ok {
		return duty{sh.SupervisorID, sh.Supervisor, "on-duty supervisor of shift " + sh.Name}, nil
	}
	list, err := e.Store.ListPeople(ctx)
	if err != nil {
		return duty{}, err
	}
	for _, p := range list {
		if p.Active && p.Role == "manager" {
			return duty{p.ID, p.Username, "no shift rostered now: the manager"}, nil
		}
	}
	return duty{}, nil
}

// finalize (below) applies overrides to the stored classification, decides the level (incident -> 1), assigns
// an owner to level-1/2 cases without one, recomputes the clocks and writes what changed.
// prepared is what Refresh already loaded for the case, so finalize need not load it again.
type prepared struct {
	res  classify.Result
	in   store.EngineInput
	text string              // classify.Text of in; "" until computed
	save func(*sql.Tx) error // a new classification to store with the decision (nil: stored already)
}

func (e *Engine) finalize(ctx context.Context, comp *rules.Compiled, caseID, incidentID int64, pre *prepared) ([]store.DecisionChange, error) {
	if pre == nil {
		row, ok, err := e.Store.Classification(ctx, caseID)
		if err != nil || !ok {
			return nil, err
		}
		pre = &prepared{}
		if err := json.Unmarshal([]byte(row.ResultJSON), &pre.res); err != nil {
			return nil, fmt.Errorf("classification of case %d: %w", caseID, err)
		}
		if pre.in, err = e.Store.EngineInput(ctx, caseID); err != nil {
			return nil, err
		}
	}
	res, in := pre.res, pre.in
	if pre.text == "" {
		pre.text = classify.Text(comp, classify.Input{Subject: in.Case.Title, Bodies: in.Bodies})
	}
	overrides, err := e.Store.Overrides(ctx, caseID, true)
	if err != nil {
		return nil, err
	}
	inc := in.Case.IncidentID
	if incidentID != 0 {
		inc = incidentID
	}
	d := decide(comp, res, in, inc, overrides)
	d.At = e.now()
	now := e.now()
	facts := clocks.Facts{Case: in.Case, Level: d.Level, Platform: in.Platform, Flags: flagNames(d.Flags),
		Text: pre.text, Events: in.Events}
	results := clocks.Evaluate(comp, facts, now)
	var changes []store.DecisionChange
	err = e.Store.Tx(ctx, func(tx *sql.Tx) error {
		if pre.save != nil {
			if err := pre.save(tx); err != nil {
				return err
			}
		}
		changes, err = store.ApplyDecisionTx(ctx, tx, d.CaseDecision)
		if err != nil {
			return err
		}
		for _, ch := range changes {
			if ch.Field != "level" && ch.Field != "incident" {
				continue
			}
			data, _ := json.Marshal(map[string]string{"from": ch.From, "to": ch.To, "reason": d.Why})
			kind, summary := "level", fmt.Sprintf("level: %s → %s (%s)", ch.From, ch.To, d.Why)
			if ch.Field == "incident" {
				kind, summary = "incident", fmt.Sprintf("linked to group incident #%s", ch.To)
			}
			if _, err := store.InsertEventTx(ctx, tx, cases.Event{CaseID: caseID, Kind: kind, Actor: Actor, OccurredAt: now,
				Summary: summary, DataJSON: string(data)}); err != nil {
				return err
			}
		}
		if (d.Level == 1 || d.Level == 2) && in.Case.OwnerID == 0 {
			if err := e.autoAssign(ctx, tx, caseID, now); err != nil {
				return err
			}
		}
		rows := make([]store.ClockRow, 0, len(results))
		for _, r := range results {
			rows = append(rows, store.ClockRow{CaseID: caseID, ClockID: r.Def.ID, StartedAt: r.Status.StartedAt, DueAt: r.Status.DueAt,
				State: r.Status.State, Percent: r.Status.Percent, Why: r.Status.Why, ComputedAt: now})
		}
		return store.ReplaceCaseClocksTx(ctx, tx, caseID, rows)
	})
	return changes, err
}

// autoAssign gives an unowned level-1/2 case to the on-duty supervisor, on the timeline.
func (e *Engine) autoAssign(ctx context.Context, tx *sql.Tx, caseID int64, now time.Time) error {
	d, err := e.onDuty(ctx)
	if err != nil || d.id == 0 {
		return err // nobody at all to own it: the board shows the case unowned
	}
	if _, err := store.SetCaseOwnerTx(ctx, tx, caseID, d.id, now); err != nil {
		return err
	}
	data, _ := json.Marshal(map[string]string{"from": "", "to": d.name, "reason": d.why})
	_, err = store.InsertEventTx(ctx, tx, cases.Event{CaseID: caseID, Kind: "owner", Actor: Actor, OccurredAt: now,
		Summary: fmt.Sprintf("owner: → %s (%s)", d.name, d.why), DataJSON: string(data)})
	return err
}

type decision struct {
	store.CaseDecision
	Why string
}

func flagNames(fs []cases.Flag) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}

// decide combines the classifier's result, the incident and the overrides.
func decide(comp *rules.Compiled, res classify.Result, in store.EngineInput, incidentID int64, overrides []store.Override) decision {
	d := decision{CaseDecision: store.CaseDecision{CaseID: in.Case.ID, Type: res.Type, Subtype: res.Subtype, IncidentID: incidentID}}
	for _, f := range res.Flags {
		d.Flags = append(d.Flags, cases.Flag{Name: f.Name, Evidence: evidenceText(f.Evidence)})
	}
	byField := map[string]store.Override{}
	for _, o := range overrides { // newest first: keep the first per field
		if _, seen := byField[o.Field]; !seen {
			byField[o.Field] = o
		}
	}
	if o, ok := byField["type"]; ok {
		d.Type = o.Value
	}
	if o, ok := byField["subtype"]; ok {
		d.Subtype = o.Value
	}
	if o, ok := byField["flags"]; ok {
		d.Flags = nil
		for _, name := range strings.Split(o.Value, ",") {
			if name = strings.TrimSpace(name); name != "" {
				d.Flags = append(d.Flags, cases.Flag{Name: name, Evidence: "set by " + o.Actor + ": " + o.Reason})
			}
		}
	}
	level, why := classify.Level(comp, classify.Signals{Flags: flagNames(d.Flags), AmountFen: res.AmountFen,
		Contacts: in.Contacts, Regulator: in.Case.IsRegulator, Incident: incidentID != 0})
	d.Level, d.Why = level, "engine: "+strings.Join(why, "; ")
	if o, ok := byField["level"]; ok {
		if n, err := strconv.Atoi(o.Value); err == nil {
			d.Level, d.Why = n, fmt.Sprintf("override by %s: %s", o.Actor, o.Reason)
		}
	}
	return d
}

// evidenceText renders evidence for the case_flags column: `过敏 (safety.allergy.zh); ...`.
func evidenceText(ev []classify.Evidence) string {
	parts := make([]string, 0, len(ev))
	for _, e := range ev {
		parts = append(parts, fmt.Sprintf("%s (%s)", e.Match, e.Rule))
	}
	return strings.Join(parts, "; ")
}

// RefreshSummary reports a RefreshAll run.
type RefreshSummary struct {
	Cases     int      `json:"cases"`
	Changed   int      `json:"changed"`
	Incidents int      `json:"incidents"`
	Errors    []string `json:"errors"`
}

// RefreshAll refreshes every case (open ones only when openOnly); one bad case is reported and the
// rest go on.
func (e *Engine) RefreshAll(ctx context.Context, openOnly bool) (RefreshSummary, error) {
	sum := RefreshSummary{Errors: []string{}}
	ids, err := e.Store.CaseIDs(ctx, openOnly)
	if err != nil {
		return sum, err
	}
	incs := map[int64]bool{}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		out, err := e.Refresh(ctx, id)
		sum.Cases++
		if err != nil {
			sum.Errors = append(sum.Errors, fmt.Sprintf("case %d: %v", id, err))
			continue
		}
		if len(out.Changes) > 0 {
			sum.Changed++
		}
		sum.Changed += len(out.Linked)
		if out.IncidentID != 0 {
			incs[out.IncidentID] = true
		}
	}
	sum.Incidents = len(incs)
	if _, err := e.CheckTrends(ctx); err != nil {
		sum.Errors = append(sum.Errors, "trends: "+err.Error())
	}
	return sum, nil
}

// OnCaseChanged is the hook for ingest.Pipeline.OnCaseChanged: it refreshes the case and never fails
// the ingestion. A failed refresh leaves the case as it was (the next refresh retries) and is passed to
// ReportError when set.
func (e *Engine) OnCaseChanged(ctx context.Context, caseID int64) {
	if _, err := e.Refresh(ctx, caseID); err != nil && e.ReportError != nil {
		e.ReportError(fmt.Errorf("case engine: refresh case %d: %w", caseID, err))
	}
	// Trends are a day-level signal: recompute at most once a minute while mail streams in.
	e.mu.Lock()
	due := e.now().Sub(e.trendsAt) >= time.Minute
	if due {
		e.trendsAt = e.now()
	}
	e.mu.Unlock()
	if due {
		if _, err := e.CheckTrends(ctx); err != nil && e.ReportError != nil {
			e.ReportError(fmt.Errorf("case engine: trends: %w", err))
		}
	}
}

// ErrInvalid marks bad input from a caller.
var ErrInvalid = errors.New("invalid")
