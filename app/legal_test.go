package app

import (
	"archive/zip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cockpit/backend/evidence"
	"cockpit/backend/filings"
	"cockpit/backend/people"
	"cockpit/backend/store"
)

// TestEvidenceAndFilingServices drives the bound services as the window does: roles are enforced
// here, supervisors see masked previews, and the exports land where the (stubbed) dialog says.
func TestEvidenceAndFilingServices(t *testing.T) {
	core, _ := openCore(t)
	ev := &Evidence{core: core}
	fl := &Filings{core: core}
	if _, err := ev.List(1); !errors.Is(err, people.ErrNotSignedIn) {
		t.Fatalf("list before sign-in: %v", err)
	}
	p, _ := addStaff(t, core, people.NewUser{Username: "sup1", Role: people.Supervisor}, people.NewUser{Username: "legal1", Role: people.Legal})
	ids, err := core.Store.InsertSynthetic(context.Background(), []store.SyntheticCase{{Title: "奶粉结块过敏", Subtype: "quality", Status: "open", OpenedAt: core.Clock.Now()}})
	if err != nil {
		t.Fatal(err)
	}
	caseID := ids[0]
	if _, err := p.SignOut(); err != nil {
		t.Fatal(err)
	}
	mustSignIn(t, p, "sup1")
	it, err := ev.Add(caseID, "chat.txt", []byte("买家电话 13812345678"))
	if err != nil {
		t.Fatal(err)
	}
	pv, err := ev.Preview(it.ID)
	if err != nil || !pv.Masked || strings.Contains(pv.Text, "13812345678") {
		t.Errorf("supervisor preview: %+v %v", pv, err)
	}
	if _, err := ev.ExportZip(caseID); !errors.Is(err, people.ErrForbidden) {
		t.Errorf("supervisor export: %v", err)
	}
	scen, err := fl.Scenarios(caseID)
	if err != nil || len(scen) == 0 {
		t.Fatalf("scenarios: %v %v", scen, err)
	}
	for _, sc := range scen {
		if sc.Name == "quality" && !sc.Suggested {
			t.Error("quality not suggested for a quality case")
		}
	}
	if n, err := fl.ApplyScenario(caseID, "quality"); err != nil || n != 3 {
		t.Fatalf("apply: %d %v", n, err)
	}
	if _, err := fl.CreateMatter(NewMatterDTO{CaseID: caseID, Type: filings.ODRDispute, Received: "2026-11-20"}); !errors.Is(err, people.ErrForbidden) {
		t.Errorf("supervisor opened a matter: %v", err)
	}
	missing, err := fl.Missing([]int64{caseID})
	if err != nil || len(missing[caseID]) != 2 {
		t.Errorf("missing: %+v %v", missing, err)
	}

	if _, err := p.SignOut(); err != nil {
		t.Fatal(err)
	}
	mustSignIn(t, p, "legal1")
	if pv, _ := ev.Preview(it.ID); pv.Masked || !strings.Contains(pv.Text, "13812345678") {
		t.Errorf("legal preview is masked: %+v", pv)
	}
	m, err := fl.CreateMatter(NewMatterDTO{CaseID: caseID, Type: filings.ODRDispute, Received: "2026-11-20 09:30"})
	if err != nil || m.Owner != "legal1" {
		t.Fatalf("create matter: %+v %v", m, err)
	}
	cf, err := fl.Case(caseID)
	if err != nil || len(cf.Matters) != 1 || len(cf.Matters[0].Deadlines) != 1 || cf.Matters[0].Deadlines[0].DueDate != "2026-12-04" {
		t.Fatalf("case filings: %+v %v", cf.Matters, err)
	}
	item := cf.Checklist[0]
	if err := fl.Link(caseID, item.ID, it.ID); err != nil {
		t.Fatal(err)
	}
	if err := fl.Sign(caseID, item.ID, "ok"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ev.SaveAs = func(_, name string) (string, error) { return filepath.Join(dir, name), nil }
	path, err := ev.ExportZip(caseID)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil || len(zr.File) != 2 {
		t.Fatalf("zip %s: %v", path, err)
	}
	zr.Close()
	if _, err := filings.LoadCJKFont(""); err == nil || os.Getenv("COCKPIT_CI") == "1" {
		fl.PickDir = func(string) (string, error) { return dir, nil }
		res, err := fl.ExportPacket(caseID)
		if err != nil || filepath.Dir(res.PDF) != dir || len(res.Manifest.Files) != 1 {
			t.Fatalf("packet: %+v %v", res, err)
		}
	}
	rep, err := ev.Verify(caseID)
	if err != nil || !rep.OK() {
		t.Errorf("verify: %+v %v", rep, err)
	}
	// The evidence package's role rule matches the people package's.
	for _, r := range people.Roles {
		if evidence.SeesOriginals(string(r)) != people.SeesPII(r) {
			t.Errorf("role %s: evidence and people disagree on seeing PII", r)
		}
	}
}
