package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cockpit/backend/ingest/letters"
	"cockpit/backend/people"
)

// TestImportAndLetterServices drives the import and letters services as the window does, roles included.
func TestImportAndLetterServices(t *testing.T) {
	core, _ := openCore(t)
	im, lt := &Imports{core: core}, &Letters{core: core}
	p, _ := addStaff(t, core, people.NewUser{Username: "sup1", Role: people.Supervisor}, people.NewUser{Username: "legal1", Role: people.Legal})
	if _, err := p.SignOut(); err != nil {
		t.Fatal(err)
	}
	mustSignIn(t, p, "sup1")
	sheet, _ := filepath.Abs(filepath.Join("..", "backend", "ingest", "importer", "testdata", "generic_gb18030.csv"))
	pv, err := im.Preview(ImportRequest{Path: sheet})
	if err != nil || pv.Preset != "generic" || pv.Bad != 4 {
		t.Fatalf("preview: %+v %v", pv, err)
	}
	for _, r := range pv.Rows {
		if strings.Contains(r.Fields["customer_email"], "wang@") {
			t.Fatalf("supervisor preview shows an address: %v", r.Fields)
		}
	}
	rep, err := im.Run(ImportRequest{Path: sheet, Preset: pv.Preset, Mapping: pv.Mapping})
	if err != nil || rep.Imported != 3 {
		t.Fatalf("run: %+v %v", rep, err)
	}
	bad, err := im.Rows(rep.ImportID, "bad")
	if err != nil || len(bad) != 4 || strings.Contains(bad[0].CellsJSON, "zhang@example.com") {
		t.Fatalf("bad rows: %+v %v", bad, err)
	}
	if _, err := lt.File(1, letters.Confirm{NewMatter: true}); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("supervisor filed a letter: %v", err)
	}
	res, err := im.Undo(rep.ImportID)
	if err != nil || res.CasesRemoved != 3 {
		t.Fatalf("undo: %+v %v", res, err)
	}

	if _, err := p.SignOut(); err != nil {
		t.Fatal(err)
	}
	mustSignIn(t, p, "legal1")
	folder := t.TempDir()
	os.WriteFile(filepath.Join(folder, "函.txt"), []byte("南京市市场监督管理局\n工单号：JS12315-2026-0001\n请于2026年12月1日前回复。"), 0o644)
	found, err := lt.AddFolder("来函", folder)
	if err != nil || len(found) != 1 || !found[0].New {
		t.Fatalf("add folder: %+v %v", found, err)
	}
	if _, err := lt.AddUpload(found[0].LetterID, "x.txt", []byte("x")); err == nil {
		t.Fatal("upload into a non-letters source accepted") // letter ids are not source ids: source 1 is the import source
	}
	folders, _ := lt.Sources()
	drop, err := lt.AddUpload(folders[0].ID, "scan.png", []byte("\x89PNG\r\n\x1a\n not really"))
	if err != nil || !drop.New {
		t.Fatalf("dropped image: %+v %v", drop, err)
	}
	list, err := lt.List("proposed")
	if err != nil || len(list) != 2 || list[1].Office != "南京市市场监督管理局" || list[0].TextStatus != "no_text" {
		t.Fatalf("letters: %+v %v", list, err)
	}
	l := list[1]
	out, err := lt.File(l.ID, letters.Confirm{WorkOrderNo: l.WorkOrderNo, Office: l.Office, ReceivedOn: l.ReceivedOn, Deadline: l.StatedDeadline, NewMatter: true})
	if err != nil || !out.NewCase {
		t.Fatalf("file: %+v %v", out, err)
	}
	c, err := core.Store.GetCase(t.Context(), out.CaseID)
	if err != nil || !c.IsRegulator || c.WorkOrderNo != "JS12315-2026-0001" {
		t.Fatalf("case: %+v %v", c, err)
	}
	srcs, err := (&Helpdesk{core: core}).List()
	if err != nil || len(srcs) != 2 {
		t.Fatalf("sources: %+v %v", srcs, err)
	}
	for _, s := range srcs {
		switch s.Kind {
		case "letters":
			if s.Counts["filed"] != 1 || s.Settings["folder"] != folder {
				t.Errorf("letters source: %+v", s)
			}
		case "import":
			if s.Counts["ingested"] != 0 { // the import was undone
				t.Errorf("import source: %+v", s)
			}
		}
	}
}
