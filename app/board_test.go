package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"cockpit/backend/board"
	"cockpit/backend/ingest/letters"
	"cockpit/backend/people"
	"cockpit/backend/replies"
	"cockpit/backend/review"
	"cockpit/backend/shifts"
	"cockpit/backend/store"
)

// The board, reply desk and review services through the real Core guard: everything needs a signed-in
// user (changes also the right role), and changes emit their events and audit entries.
func TestBoardRepliesReviewServices(t *testing.T) {
	core, clk := openCore(t)
	rec := &recorder{seen: make(chan string, 16)}
	core.Events = rec
	ctx := context.Background()
	ids, err := core.Store.InsertSynthetic(ctx, []store.SyntheticCase{{Title: "奶粉结块", Type: "product", Subtype: "quality", Level: 2,
		CustomerName: "王小明", OpenedAt: clk.T.Add(-time.Hour), OrderNo: "JD1", Product: "婴儿奶粉", Batch: "AB2026",
		Events: []store.SyntheticEvent{{Kind: "email", Channel: "email", At: clk.T.Add(-time.Hour), Summary: "奶粉结块", Body: "宝宝喝了拉肚子"}}}})
	if err != nil {
		t.Fatal(err)
	}
	b, r, rv := &Board{core: core, Guard: core}, &Replies{core: core, Guard: core}, &Review{core: core, Guard: core}

	if _, err := b.Get(board.Query{}); !errors.Is(err, people.ErrNotSignedIn) {
		t.Fatalf("board before sign-in: %v", err)
	}
	move := board.Move{CaseID: ids[0], Level: 1, Reason: "顾客孩子就医"}
	if _, err := b.Move(move); !errors.Is(err, people.ErrNotSignedIn) {
		t.Fatalf("move before sign-in: %v", err)
	}
	if _, err := r.Record(replies.Draft{CaseID: ids[0], Body: "您好"}); !errors.Is(err, people.ErrNotSignedIn) {
		t.Fatalf("reply before sign-in: %v", err)
	}
	if _, err := rv.CSV(review.Range{From: "2026-11-25", To: "2026-11-25"}); !errors.Is(err, people.ErrNotSignedIn) {
		t.Fatalf("export before sign-in: %v", err)
	}

	p, _ := addStaff(t, core, people.NewUser{Username: "sup1", Role: people.Supervisor})
	mustSignIn(t, p, "sup1")

	got, err := b.Get(board.Query{Filter: board.Filter{Query: "奶粉"}})
	if err != nil || got.Total != 1 || got.Columns[1].Cards[0].Case.Customer != "王**" {
		t.Fatalf("board: %+v %v", got, err)
	}

	res, err := b.Move(move)
	if err != nil || res.Card.Case.Level != 1 {
		t.Fatalf("move: %+v %v", res, err)
	}
	if v, err := b.SaveView("奶粉", board.Query{Filter: board.Filter{Query: "奶粉"}}); err != nil || v.Owner != "sup1" {
		t.Fatalf("save view: %+v %v", v, err)
	}
	findings, err := r.Check("请稍等")
	if err != nil || len(findings) != 1 {
		t.Fatalf("check: %+v %v", findings, err)
	}
	scripts, err := r.Scripts("zh-CN")
	if err != nil || len(scripts) < 10 {
		t.Fatalf("scripts: %d %v", len(scripts), err)
	}
	held, err := r.Record(replies.Draft{CaseID: ids[0], Body: "请稍等"})
	if err != nil || held.Recorded {
		t.Fatalf("held: %+v %v", held, err)
	}
	done, err := r.Record(replies.Draft{CaseID: ids[0], Body: scripts[0].Body, ScriptKey: scripts[0].Key})
	if err != nil || !done.Recorded {
		t.Fatalf("record: %+v %v", done, err)
	}
	rep, err := rv.Get(review.Range{From: "2026-11-25", To: "2026-11-25"})
	if err != nil || rep.Contacts != 1 || rep.Zone != "Asia/Shanghai" {
		t.Fatalf("review: %+v %v", rep, err)
	}
	csv, err := rv.CSV(review.Range{From: "2026-11-25", To: "2026-11-25"})
	if err != nil || !strings.Contains(csv, "top_batch,婴儿奶粉,AB2026,1") {
		t.Fatalf("csv: %q %v", csv, err)
	}
	rows, err := core.Store.ListAudit(ctx, store.AuditFilter{Actor: "sup1"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, row := range rows {
		actions = append(actions, row.Action)
	}
	for _, want := range []string{"case.move", "reply.record", "review.export"} {
		if !slices.Contains(actions, want) {
			t.Errorf("no %s in the audit trail: %v", want, actions)
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, want := range []string{"case:moved", "board:changed", "case:reply"} {
		if !slices.Contains(rec.names, want) {
			t.Errorf("event %s not emitted: %v", want, rec.names)
		}
	}
}

// The shift and breached filters as the frontend sends them (the JSON of its BoardFilter), through the
// bound Board service over a real store, and kept by a saved view.
func TestBoardShiftAndBreachedFilters(t *testing.T) {
	core, clk := openCore(t)
	ctx := context.Background()
	p, sup := addStaff(t, core, people.NewUser{Username: "sup1", Role: people.Supervisor}, people.NewUser{Username: "sup2", Role: people.Supervisor})
	// The roster is made and read through the Shifts service, as the board's shift picker reads it.
	sh := &Shifts{core: core, engine: &Engine{core: core}}
	day, err := sh.AddShift(shifts.ShiftInput{Name: "白班", StartsAt: clk.T.Add(-2 * time.Hour), EndsAt: clk.T.Add(6 * time.Hour), SupervisorID: sup["sup1"]})
	if err != nil {
		t.Fatal(err)
	}

	hour := func(n int) time.Time { return clk.T.Add(time.Duration(n) * time.Hour) }
	mk := func(title string, owner int64) store.SyntheticCase {
		return store.SyntheticCase{Title: title, Type: "logistics", Subtype: "delay", Level: 2, OwnerID: owner, CustomerName: "王小明",
			OpenedAt: hour(-10), Events: []store.SyntheticEvent{{Kind: "email", Channel: "email", At: hour(-10), Summary: title, Body: title}}}
	}
	ids, err := core.Store.InsertSynthetic(ctx, []store.SyntheticCase{
		mk("mine overdue", sup["sup1"]), mk("mine in time", sup["sup1"]), mk("theirs breached", sup["sup2"]), mk("nobody paused", 0)})
	if err != nil {
		t.Fatal(err)
	}
	// A running clock whose due time has gone by counts as breached as much as a stored breach; a paused one never.
	clock := func(i int, state string, due time.Time) []store.ClockRow {
		return []store.ClockRow{{CaseID: ids[i], ClockID: "reply", StartedAt: hour(-10), DueAt: due, State: state, ComputedAt: hour(-3)}}
	}
	err = core.Store.Tx(ctx, func(tx *sql.Tx) error {
		for i, rows := range [][]store.ClockRow{clock(0, "running", hour(-1)), clock(1, "running", hour(5)), clock(2, "breached", hour(-4)), clock(3, "paused", hour(-8))} {
			if err := store.ReplaceCaseClocksTx(ctx, tx, ids[i], rows); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	mustSignIn(t, p, "sup2")
	roster, err := sh.Roster(hour(-24).Format(time.RFC3339), hour(24).Format(time.RFC3339))
	if err != nil || len(roster) != 1 || roster[0].ID != day.ID {
		t.Fatalf("roster: %+v %v", roster, err)
	}
	b := &Board{core: core, Guard: core}
	titles := func(filter string) []string {
		t.Helper()
		var q board.Query
		if err := json.Unmarshal([]byte(`{"groupBy":"level","window":60,"filter":`+filter+`}`), &q); err != nil {
			t.Fatal(err)
		}
		got, err := b.Get(q)
		if err != nil {
			t.Fatalf("board %s: %v", filter, err)
		}
		var out []string
		for _, col := range got.Columns {
			for _, c := range col.Cards {
				out = append(out, c.Case.Title)
			}
		}
		slices.Sort(out)
		if len(out) != got.Total {
			t.Errorf("board %s: %d cards, total %d", filter, len(out), got.Total)
		}
		return out
	}
	shiftOnly := fmt.Sprintf(`{"shiftId":%d}`, day.ID)
	both := fmt.Sprintf(`{"shiftId":%d,"breached":true}`, day.ID)
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{`{}`, []string{"mine in time", "mine overdue", "nobody paused", "theirs breached"}},
		{shiftOnly, []string{"mine in time", "mine overdue"}},
		{`{"breached":true}`, []string{"mine overdue", "theirs breached"}},
		{both, []string{"mine overdue"}},
	} {
		if got := titles(tc.filter); !slices.Equal(got, tc.want) {
			t.Errorf("filter %s: %q, want %q", tc.filter, got, tc.want)
		}
	}

	var q board.Query
	if err := json.Unmarshal([]byte(`{"groupBy":"level","filter":`+both+`}`), &q); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SaveView("overdue on day shift", q); err != nil {
		t.Fatal(err)
	}
	views, err := b.Views()
	if err != nil || len(views) != 1 {
		t.Fatalf("views: %+v %v", views, err)
	}
	if f := views[0].Filter; f.ShiftID != day.ID || !f.Breached {
		t.Fatalf("saved view lost the shift or breached filter: %+v", f)
	}
}

// The source filter as the frontend sends it, with sources and cases made through the bound services: a file
// import and a letters folder, one letter opening its own matter and one filed into an imported case. A case
// is kept when any of its items came from a chosen source, and listed once however many did.
func TestBoardSourceFilter(t *testing.T) {
	core, clk := openCore(t)
	p, _ := addStaff(t, core, people.NewUser{Username: "mgr1", Role: people.Manager})
	mustSignIn(t, p, "mgr1")
	// A case with no source item at all (as the bench generator writes them): shown only when no source is chosen.
	if _, err := core.Store.InsertSynthetic(context.Background(), []store.SyntheticCase{{Title: "无来源", Type: "service", Subtype: "attitude",
		Level: 3, CustomerName: "赵六", OpenedAt: clk.T.Add(-time.Hour)}}); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	sheet := filepath.Join(dir, "tickets.csv")
	csv := "标题,内容,客户,邮箱,订单号,日期\n奶粉结块,宝宝奶粉打开后结块,王小明,wang@example.com,JD2026112500001,2026-11-20\n" +
		"快递丢件,三天没收到货,李雷,lilei@example.com,,2026-11-21\n"
	if err := os.WriteFile(sheet, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	im, lt := &Imports{core: core}, &Letters{core: core}
	if rep, err := im.Run(ImportRequest{Path: sheet}); err != nil || rep.NewCases != 2 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	folder := filepath.Join(dir, "letters")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, no := range map[string]string{"函1.txt": "JS12315-2026-0001", "函2.txt": "JS12315-2026-0002"} {
		letter := "南京市市场监督管理局\n工单号：" + no + "\n请于2026年12月1日前回复。"
		if err := os.WriteFile(filepath.Join(folder, name), []byte(letter), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if found, err := lt.AddFolder("来函", folder); err != nil || len(found) != 2 {
		t.Fatalf("letters folder: %+v %v", found, err)
	}

	b := &Board{core: core, Guard: core}
	cards := func(filter string) map[string]int64 {
		t.Helper()
		var q board.Query
		if err := json.Unmarshal([]byte(`{"groupBy":"level","window":60,"filter":`+filter+`}`), &q); err != nil {
			t.Fatal(err)
		}
		got, err := b.Get(q)
		if err != nil {
			t.Fatalf("board %s: %v", filter, err)
		}
		out := map[string]int64{}
		for _, col := range got.Columns {
			for _, c := range col.Cards {
				if _, dup := out[c.Case.Title]; dup {
					t.Errorf("board %s: %q listed twice", filter, c.Case.Title)
				}
				out[c.Case.Title] = c.Case.ID
			}
		}
		if len(out) != got.Total {
			t.Errorf("board %s: %d cards, total %d", filter, len(out), got.Total)
		}
		return out
	}
	imported := cards(`{}`)
	proposed, err := lt.List("proposed")
	if err != nil || len(proposed) != 2 {
		t.Fatalf("proposed letters: %+v %v", proposed, err)
	}
	var matter int64
	for _, l := range proposed {
		c := letters.Confirm{WorkOrderNo: l.WorkOrderNo, Office: l.Office, ReceivedOn: l.ReceivedOn, Deadline: l.StatedDeadline}
		if l.WorkOrderNo == "JS12315-2026-0001" {
			c.NewMatter = true
		} else {
			c.CaseID = imported["奶粉结块"]
		}
		out, err := lt.File(l.ID, c)
		if err != nil || out.CaseID == 0 {
			t.Fatalf("file %s: %+v %v", l.WorkOrderNo, out, err)
		}
		if c.NewMatter {
			matter = out.CaseID
		}
	}

	// The ids come from the list the picker shows (Helpdesk.List: RT, letters and import sources).
	srcs, err := (&Helpdesk{core: core}).List()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, s := range srcs {
		ids[s.Kind] = s.ID
	}
	if ids["import"] == 0 || ids["letters"] == 0 {
		t.Fatalf("sources: %+v", srcs)
	}
	caseIDs := func(filter string) []int64 {
		t.Helper()
		var out []int64
		for _, id := range cards(filter) {
			out = append(out, id)
		}
		slices.Sort(out)
		return out
	}
	sorted := func(v ...int64) []int64 { slices.Sort(v); return v }
	milk, parcel := imported["奶粉结块"], imported["快递丢件"]
	fromImport := fmt.Sprintf(`{"sourceIds":[%d]}`, ids["import"])
	fromLetters := fmt.Sprintf(`{"sourceIds":[%d]}`, ids["letters"])
	fromBoth := fmt.Sprintf(`{"sourceIds":[%d,%d]}`, ids["import"], ids["letters"])
	for _, tc := range []struct {
		filter string
		want   []int64
	}{
		{fromImport, sorted(milk, parcel)},
		{fromLetters, sorted(milk, matter)},
		{fromBoth, sorted(milk, parcel, matter)},
		{fmt.Sprintf(`{"sourceIds":[%d],"regulator":true}`, ids["import"]), []int64{milk}}, // the filed letter made it a regulator case
		{`{"sourceIds":[987654]}`, nil},
	} {
		if got := caseIDs(tc.filter); !slices.Equal(got, tc.want) {
			t.Errorf("filter %s: cases %v, want %v", tc.filter, got, tc.want)
		}
	}
	if all := caseIDs(`{}`); len(all) != 4 {
		t.Errorf("no source filter: %v, want the three sourced cases and the synthetic one", all)
	}

	var q board.Query
	if err := json.Unmarshal([]byte(`{"groupBy":"level","filter":`+fromBoth+`}`), &q); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SaveView("import and letters", q); err != nil {
		t.Fatal(err)
	}
	views, err := b.Views()
	if err != nil || len(views) != 1 || !slices.Equal(views[0].Filter.SourceIDs, []int64{ids["import"], ids["letters"]}) {
		t.Fatalf("saved view lost the sources: %+v %v", views, err)
	}
}
