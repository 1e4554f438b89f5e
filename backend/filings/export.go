package filings

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"cockpit/backend/cases"
	"cockpit/backend/evidence"
	"cockpit/backend/rules"
)

// CaseSource reads the case and its timeline; *store.Store implements it.
type CaseSource interface {
	GetCase(ctx context.Context, id int64) (cases.Case, error)
	CaseEvents(ctx context.Context, caseID int64) ([]cases.Event, error)
}

// ClockSource gives the case engine's clocks for a case (optional).
type ClockSource interface {
	CaseDeadlines(ctx context.Context, caseID int64) ([]cases.Deadline, error)
}

// EngineClocks adapts the case engine's batch form (engine.Engine.Deadlines, which this package cannot
// import: the engine depends on the store, which depends on this package) to ClockSource.
type EngineClocks struct {
	Cases     CaseSource
	Deadlines func(ctx context.Context, list []cases.Case) (map[int64][]cases.Deadline, error)
}

// CaseDeadlines returns the case's clocks as the engine replays them now.
func (e EngineClocks) CaseDeadlines(ctx context.Context, caseID int64) ([]cases.Deadline, error) {
	c, err := e.Cases.GetCase(ctx, caseID)
	if err != nil {
		return nil, err
	}
	m, err := e.Deadlines(ctx, []cases.Case{c})
	if err != nil {
		return nil, err
	}
	return m[caseID], nil
}

// Exporter writes the filing packet: the PDF and the evidence ZIP with its manifest.
type Exporter struct {
	Filings  *Service
	Evidence *evidence.Service
	Cases    CaseSource
	Clocks   ClockSource // nil: the packet shows the statutory deadlines only
	Font     []byte      // TrueType CJK font (LoadCJKFont)
}

// Exported names the files written.
type Exported struct {
	PDF      string            `json:"pdf"`
	ZIP      string            `json:"zip"`
	Manifest evidence.Manifest `json:"manifest"`
}

// Build assembles the packet of a case. The customer's contact data is shown unmasked only to roles
// that see originals (the regulator needs the complainant's identity, Order 20 Art. 9).
func (x *Exporter) Build(ctx context.Context, a evidence.Actor, caseID int64) (Packet, error) {
	c, err := x.Cases.GetCase(ctx, caseID)
	if err != nil {
		return Packet{}, err
	}
	events, err := x.Cases.CaseEvents(ctx, caseID)
	if err != nil {
		return Packet{}, err
	}
	fl, err := x.Filings.Case(ctx, caseID)
	if err != nil {
		return Packet{}, err
	}
	items, err := x.Evidence.List(ctx, evidence.Folder{CaseID: caseID})
	if err != nil {
		return Packet{}, err
	}
	p := Packet{Case: cases.Summarize(c, evidence.SeesOriginals(a.Role)), Timeline: events, Filings: fl, Evidence: items,
		GeneratedAt: x.Filings.Clock.Now().UTC(), GeneratedBy: a.Name, Zone: x.Filings.Zone}
	if x.Clocks != nil {
		if p.CaseClocks, err = x.Clocks.CaseDeadlines(ctx, caseID); err != nil {
			return Packet{}, fmt.Errorf("clocks of case %d: %w", caseID, err)
		}
		// Clock ids become their Chinese names from the rule set the engine ran.
		rs, err := rules.Default()
		if err != nil {
			return Packet{}, err
		}
		p.ClockNames = map[string]string{}
		for _, d := range rs.Clocks() {
			p.ClockNames[d.ID] = d.ZH
		}
	}
	return p, nil
}

// Export writes case-N-packet.pdf and case-N-evidence.zip into dir. Both are written to temporary
// files first and renamed, so a failure never leaves half a packet that looks complete.
func (x *Exporter) Export(ctx context.Context, a evidence.Actor, caseID int64, dir string) (Exported, error) {
	if !evidence.SeesOriginals(a.Role) {
		return Exported{}, fmt.Errorf("export the filing packet of case %d: %w (%s)", caseID, ErrForbidden, a.Role)
	}
	p, err := x.Build(ctx, a, caseID)
	if err != nil {
		return Exported{}, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Exported{}, fmt.Errorf("packet directory: %w", err)
	}
	var pdf bytes.Buffer
	if err := WritePDF(&pdf, p, x.Font); err != nil {
		return Exported{}, err
	}
	var zipBuf bytes.Buffer
	m, err := x.Evidence.Export(ctx, a, evidence.Folder{CaseID: caseID}, p.Case.Title, &zipBuf)
	if err != nil {
		return Exported{}, err
	}
	out := Exported{PDF: filepath.Join(dir, fmt.Sprintf("case-%d-packet.pdf", caseID)),
		ZIP: filepath.Join(dir, fmt.Sprintf("case-%d-evidence.zip", caseID)), Manifest: m}
	if err := writeAtomic(out.PDF, pdf.Bytes()); err != nil {
		return Exported{}, err
	}
	if err := writeAtomic(out.ZIP, zipBuf.Bytes()); err != nil {
		return Exported{}, err
	}
	// The packet shows the customer's contact data unmasked (the role allows it); the audit says so.
	return out, x.Filings.audit(ctx, a, "filing.export", "case", caseID, map[string]any{"pdf": filepath.Base(out.PDF),
		"zip": filepath.Base(out.ZIP), "evidence": len(m.Files), "customer_unmasked": true})
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".packet-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
