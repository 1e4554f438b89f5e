package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"cockpit/backend/board"
	"cockpit/backend/people"
	"cockpit/backend/replies"
	"cockpit/backend/review"
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

	p := &People{core: core}
	if _, err := p.Setup(people.NewUser{Username: "root", Password: "0123456789"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.CreateUser(people.NewUser{Username: "sup1", Role: people.Supervisor, Password: "0123456789"}); err != nil {
		t.Fatal(err)
	}
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
