package app

import (
	"context"
	"fmt"
	"time"

	"cockpit/backend/cli"
	"cockpit/backend/filings"
	"cockpit/backend/people"
)

// Filings is the bound service of the Regulator-filing tab: scenario checklists, regulator matters with
// deadlines, evidence links, sign-offs, status, and the packet export; plus what board cards show missing.
//
// Events: "filing:changed" {caseId} after any change.
type Filings struct {
	core *Core
	// PickDir asks where to write the packet; nil uses the window's directory dialog. Tests set it.
	PickDir func(title string) (string, error)
}

func (s *Filings) begin(roles ...people.Role) (*filings.Service, people.User, error) {
	u, err := s.core.Require(roles...)
	if err != nil {
		return nil, u, err
	}
	_, fl, err := s.core.legal()
	return fl, u, err
}

func (s *Filings) changed(caseID int64) {
	s.core.Events.Emit("filing:changed", map[string]any{"caseId": caseID})
}

// Case returns a case's checklists and matters with deadlines.
func (s *Filings) Case(caseID int64) (filings.CaseFilings, error) {
	fl, _, err := s.begin(people.CaseWorkers...)
	if err != nil {
		return filings.CaseFilings{}, err
	}
	return fl.Case(context.Background(), caseID)
}

// ScenarioDTO names a scenario for the picker.
type ScenarioDTO struct {
	Name      string `json:"name"`
	ZH        string `json:"zh"`
	EN        string `json:"en"`
	Suggested bool   `json:"suggested"`
}

// Scenarios lists the scenario checklists, marking those the case's subtype and flags suggest.
func (s *Filings) Scenarios(caseID int64) ([]ScenarioDTO, error) {
	fl, _, err := s.begin(people.CaseWorkers...)
	if err != nil {
		return nil, err
	}
	st, err := s.core.ready()
	if err != nil {
		return nil, err
	}
	c, err := st.GetCase(context.Background(), caseID)
	if err != nil {
		return nil, err
	}
	var evidence []string
	for _, f := range c.Flags {
		evidence = append(evidence, f.Evidence)
	}
	suggested := map[string]bool{}
	for _, n := range fl.Templates.SuggestScenarios(c.Subtype, evidence) {
		suggested[n] = true
	}
	out := []ScenarioDTO{}
	for _, n := range fl.Templates.ScenarioNames() {
		sc := fl.Templates.Scenarios[n]
		out = append(out, ScenarioDTO{Name: n, ZH: sc.ZH, EN: sc.EN, Suggested: suggested[n]})
	}
	return out, nil
}

// ApplyScenario adds a scenario's checklist to the case.
func (s *Filings) ApplyScenario(caseID int64, name string) (int, error) {
	fl, u, err := s.begin(people.CaseWorkers...)
	if err != nil {
		return 0, err
	}
	n, err := fl.ApplyScenario(context.Background(), actor(u), caseID, name)
	if n > 0 {
		s.changed(caseID)
	}
	return n, err
}

// MatterTypeDTO names a matter type for the picker.
type MatterTypeDTO struct {
	Type filings.MatterType `json:"type"`
	ZH   string             `json:"zh"`
	EN   string             `json:"en"`
}

// MatterTypes lists the regulator matter types.
func (s *Filings) MatterTypes() []MatterTypeDTO {
	t := filings.DefaultTemplates()
	out := []MatterTypeDTO{}
	for _, mt := range []filings.MatterType{filings.ComplaintForwarded, filings.ODRDispute, filings.RegulatorInquiry, filings.Mediation, filings.RecallReport} {
		out = append(out, MatterTypeDTO{Type: mt, ZH: t.Matters[mt].ZH, EN: t.Matters[mt].EN})
	}
	return out
}

// NewMatterDTO is the form: the receipt time is local ("2026-09-29 10:00" or "2026-09-29").
type NewMatterDTO struct {
	CaseID      int64              `json:"caseId"`
	Type        filings.MatterType `json:"type"`
	Title       string             `json:"title"`
	Regulator   string             `json:"regulator"`
	WorkOrderNo string             `json:"workOrderNo"`
	Received    string             `json:"received"`
	Owner       string             `json:"owner"`
}

// CreateMatter opens a regulator matter (legal liaison or manager).
func (s *Filings) CreateMatter(in NewMatterDTO) (filings.Matter, error) {
	fl, u, err := s.begin(people.Legal, people.Manager)
	if err != nil {
		return filings.Matter{}, err
	}
	zone, err := cli.LoadZone(s.core.Global.Zone)
	if err != nil {
		return filings.Matter{}, err
	}
	var received time.Time
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if received, err = time.ParseInLocation(layout, in.Received, zone); err == nil {
			break
		}
	}
	if err != nil {
		return filings.Matter{}, fmt.Errorf("receipt date %q: want YYYY-MM-DD or YYYY-MM-DD HH:MM", in.Received)
	}
	m, err := fl.CreateMatter(context.Background(), actor(u), filings.NewMatter{CaseID: in.CaseID, Type: in.Type, Title: in.Title,
		Regulator: in.Regulator, WorkOrderNo: in.WorkOrderNo, ReceivedAt: received, Owner: in.Owner})
	if err != nil {
		return m, err
	}
	s.changed(m.CaseID)
	return m, nil
}

// Link ticks a checklist item with evidence of the same case.
func (s *Filings) Link(caseID, itemID, evidenceID int64) error {
	fl, u, err := s.begin(people.CaseWorkers...)
	if err != nil {
		return err
	}
	if err := fl.Link(context.Background(), actor(u), itemID, evidenceID); err != nil {
		return err
	}
	s.changed(caseID)
	return nil
}

// Unlink removes a link (and the item's sign-off).
func (s *Filings) Unlink(caseID, itemID, evidenceID int64) error {
	fl, u, err := s.begin(people.CaseWorkers...)
	if err != nil {
		return err
	}
	if err := fl.Unlink(context.Background(), actor(u), itemID, evidenceID); err != nil {
		return err
	}
	s.changed(caseID)
	return nil
}

// Sign signs off an item (legal liaison or manager).
func (s *Filings) Sign(caseID, itemID int64, note string) error {
	fl, u, err := s.begin(people.Legal, people.Manager)
	if err != nil {
		return err
	}
	if err := fl.Sign(context.Background(), actor(u), itemID, note); err != nil {
		return err
	}
	s.changed(caseID)
	return nil
}

// Unsign withdraws a sign-off with a reason.
func (s *Filings) Unsign(caseID, itemID int64, reason string) error {
	fl, u, err := s.begin(people.Legal, people.Manager)
	if err != nil {
		return err
	}
	if err := fl.Unsign(context.Background(), actor(u), itemID, reason); err != nil {
		return err
	}
	s.changed(caseID)
	return nil
}

// SetStatus moves a matter (draft, ready, submitted, replied, closed).
func (s *Filings) SetStatus(matterID int64, status filings.Status) (filings.Matter, error) {
	fl, u, err := s.begin(people.Legal, people.Manager)
	if err != nil {
		return filings.Matter{}, err
	}
	m, err := fl.SetStatus(context.Background(), actor(u), matterID, status)
	if err != nil {
		return m, err
	}
	s.changed(m.CaseID)
	return m, nil
}

// Missing returns, per case, the requirements with no evidence yet (for board cards).
func (s *Filings) Missing(caseIDs []int64) (map[int64][]filings.Missing, error) {
	fl, _, err := s.begin(people.Anyone...)
	if err != nil {
		return nil, err
	}
	return fl.MissingByCase(context.Background(), caseIDs)
}

// ExportPacket writes the packet PDF and the evidence ZIP into a directory the user picks; an empty
// result means the user cancelled.
func (s *Filings) ExportPacket(caseID int64) (filings.Exported, error) {
	u, err := s.core.Require(people.Legal, people.Manager)
	if err != nil {
		return filings.Exported{}, err
	}
	ev, fl, err := s.core.legal()
	if err != nil {
		return filings.Exported{}, err
	}
	font, err := filings.LoadCJKFont("")
	if err != nil {
		return filings.Exported{}, err
	}
	pick := s.PickDir
	if pick == nil {
		pick = func(title string) (string, error) { return dirDialog(s.core, title) }
	}
	dir, err := pick("导出报送材料 Export the filing packet")
	if err != nil || dir == "" {
		return filings.Exported{}, err
	}
	st, err := s.core.ready()
	if err != nil {
		return filings.Exported{}, err
	}
	eng, err := s.core.caseEngine()
	if err != nil {
		return filings.Exported{}, err
	}
	x := &filings.Exporter{Filings: fl, Evidence: ev, Cases: st, Font: font,
		Clocks: filings.EngineClocks{Cases: st, Deadlines: eng.Deadlines}}
	return x.Export(context.Background(), actor(u), caseID, dir)
}
