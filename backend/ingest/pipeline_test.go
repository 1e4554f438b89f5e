package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cockpit/backend/blobs"
	"cockpit/backend/cases"
	"cockpit/backend/clocks"
	"cockpit/backend/ingest"
	"cockpit/backend/store"
)

type fixture struct {
	t     *testing.T
	st    *store.Store
	blobs *blobs.Store
	p     *ingest.Pipeline
	src   int64
	uid   uint32
	hooks []int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(context.Background(), dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	src, err := st.CreateSource(context.Background(), store.Source{Kind: "imap", Name: "t", ConfigJSON: "{}", Enabled: true,
		Folders: []store.Folder{{Name: "INBOX", Role: "complaints"}}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, st: st, blobs: blobs.New(filepath.Join(dir, "blobs")), src: src}
	f.p = &ingest.Pipeline{Store: st, Blobs: f.blobs, Clock: &clocks.Fixed{T: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)},
		OnCaseChanged: func(_ context.Context, id int64) { f.hooks = append(f.hooks, id) }}
	return f
}

func (f *fixture) ingest(raw []byte) ingest.Outcome {
	f.t.Helper()
	sum, _, err := f.p.StoreRaw(bytes.NewReader(raw))
	if err != nil {
		f.t.Fatal(err)
	}
	f.uid++
	out, err := f.p.Ingest(context.Background(), ingest.Item{SourceID: f.src, Folder: "INBOX", UIDValidity: 1, UID: f.uid}, sum)
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

// TestCorporaThroughPipeline: every corpus message is ingested or quarantined, its raw bytes kept
// byte-exact, and nothing is recorded twice when the same items come again.
func TestCorporaThroughPipeline(t *testing.T) {
	f := newFixture(t)
	var files []string
	for _, pat := range []string{"letters/*.txt", "mimekit/*"} {
		m, _ := filepath.Glob(filepath.Join("mailparse", "testdata", pat))
		files = append(files, m...)
	}
	if len(files) < 190 {
		t.Fatalf("%d corpus files", len(files))
	}
	counts := map[string]int{}
	messages := 0
	for _, name := range files {
		if strings.HasSuffix(name, ".md") {
			continue
		}
		messages++
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		out := f.ingest(raw)
		counts[out.Status]++
		r, err := f.st.GetRawItem(context.Background(), out.RawItemID)
		if err != nil {
			t.Fatal(err)
		}
		kept, err := f.blobs.ReadAll(r.SHA256)
		if err != nil || !bytes.Equal(kept, raw) {
			t.Fatalf("%s: raw bytes not kept (%v)", name, err)
		}
	}
	total := counts[ingest.StatusIngested] + counts[ingest.StatusQuarantined] + counts[ingest.StatusDuplicate]
	if total != messages || counts[ingest.StatusQuarantined] > 3 {
		t.Fatalf("outcomes %v for %d files", counts, len(files))
	}
	t.Logf("corpora: %v", counts)
}

func TestLinkingAndIdempotence(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	first := f.ingest([]byte("From: 王 <wang@example.com>\r\nSubject: 奶粉结块\r\nMessage-ID: <a1@x>\r\n\r\n京东订单 230915123456 的奶粉结块\r\n"))
	if first.Status != ingest.StatusIngested || !first.NewCase {
		t.Fatalf("first %+v", first)
	}
	cases := []struct {
		name, raw, rule string
		sameCase        bool
	}{
		{"reply by References", "From: other@example.com\r\nSubject: Re: x\r\nMessage-ID: <a2@x>\r\nReferences: <zz@x> <a1@x>\r\n\r\nok\r\n", "thread", true},
		{"same order number", "From: li@example.com\r\nSubject: 又是这个订单\r\nMessage-ID: <b1@x>\r\n\r\n订单 JD 230915123456 还是没处理\r\n", "order", true},
		{"same customer, open case", "From: wang@example.com\r\nSubject: 另一个问题\r\nMessage-ID: <c1@x>\r\n\r\n你好\r\n", "customer", true},
		{"stranger", "From: new@example.com\r\nSubject: 新问题\r\nMessage-ID: <d1@x>\r\n\r\n你好\r\n", "new", false},
	}
	for _, tc := range cases {
		out := f.ingest([]byte(tc.raw))
		if out.LinkRule != tc.rule || (out.CaseID == first.CaseID) != tc.sameCase {
			t.Errorf("%s: %+v", tc.name, out)
		}
	}
	ev, _ := f.st.CaseEvents(ctx, first.CaseID)
	if len(ev) != 4 || ev[1].LinkReason == "" || strings.Contains(ev[3].LinkReason, "wang@") {
		t.Fatalf("timeline %+v", ev)
	}
	if strings.Contains(ev[0].Actor, "wang@example.com") {
		t.Fatalf("actor not masked: %q", ev[0].Actor)
	}
	c, _ := f.st.GetCase(ctx, first.CaseID)
	if c.MessageCount != 4 || c.OrderNo != "230915123456" {
		t.Fatalf("case %+v", c)
	}
	// The same identity again is skipped; the same bytes under a new identity are a duplicate.
	raw := []byte("From: wang@example.com\r\nSubject: 奶粉结块\r\nMessage-ID: <a1@x>\r\n\r\n京东订单 230915123456 的奶粉结块\r\n")
	sum, _, _ := f.p.StoreRaw(bytes.NewReader(raw))
	if out, err := f.p.Ingest(ctx, ingest.Item{SourceID: f.src, Folder: "INBOX", UIDValidity: 1, UID: 1}, sum); err != nil || out.Status != ingest.StatusSkipped {
		t.Fatalf("same identity: %+v %v", out, err)
	}
	dup := f.ingest([]byte("From: 王 <wang@example.com>\r\nSubject: 奶粉结块\r\nMessage-ID: <a1@x>\r\n\r\n京东订单 230915123456 的奶粉结块\r\n"))
	if dup.Status != ingest.StatusDuplicate || dup.CaseID != first.CaseID {
		t.Fatalf("duplicate %+v", dup)
	}
	list, _ := f.st.ListCases(ctx, cases0())
	if len(list) != 2 {
		t.Fatalf("%d cases", len(list))
	}
	if len(f.hooks) != 5 {
		t.Fatalf("hook ran %d times, want once per ingested message", len(f.hooks))
	}
	if pending, _ := f.st.PendingCaseHooks(ctx); len(pending) != 0 {
		t.Fatalf("pending hooks left: %v", pending)
	}
}

func cases0() cases.Filter { return cases.Filter{} }

// A hook queue coalesces bursts and a pending row left by a crash is run by the next StartHooks.
func TestHooksCoalesceAndCatchUp(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var ran []int64
	release := make(chan struct{})
	f.p.OnCaseChanged = func(_ context.Context, id int64) {
		<-release
		ran = append(ran, id)
	}
	h := f.p.StartHooks(ctx)
	for i := 0; i < 5; i++ {
		raw := []byte(fmt.Sprintf("From: same@example.com\r\nSubject: s\r\nMessage-ID: <h%d@x>\r\n\r\nx\r\n", i))
		sum, _, _ := f.p.StoreRaw(bytes.NewReader(raw))
		pr, err := f.p.Prepare(context.Background(), sum)
		if err != nil {
			t.Fatal(err)
		}
		f.uid++
		if _, err := f.p.CommitBatch(ctx, []ingest.Prepared{{Item: ingest.Item{SourceID: f.src, Folder: "INBOX", UIDValidity: 1, UID: f.uid}, Parsed: pr}}, h); err != nil {
			t.Fatal(err)
		}
	}
	close(release)
	h.Close()
	if len(ran) > 2 || len(ran) == 0 {
		t.Fatalf("hook ran %d times for 5 messages of one case", len(ran))
	}
	// A crash between commit and hook leaves the row; the next runner catches up.
	f.p.OnCaseChanged = nil
	out := f.ingest([]byte("From: x@example.com\r\nSubject: crash\r\nMessage-ID: <crash@x>\r\n\r\nx\r\n"))
	f.p.OnCaseChanged = func(_ context.Context, id int64) { ran = append(ran, id) }
	if err := f.st.IngestTx(ctx, func(tx *store.IngestTx) error { return tx.QueueCaseHook(ctx, out.CaseID, time.Now()) }); err != nil {
		t.Fatal(err)
	}
	f.p.StartHooks(ctx).Close()
	if ran[len(ran)-1] != out.CaseID {
		t.Fatalf("pending case %d not caught up: %v", out.CaseID, ran)
	}
}

// A batch commits its items in one transaction; an item whose identity is recorded already is skipped
// without undoing the others, and the batch's thread links see the earlier items of the same batch.
func TestCommitBatch(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	recorded := f.ingest([]byte("From: a@example.com\r\nSubject: first\r\nMessage-ID: <b1@x>\r\n\r\nx\r\n"))
	prep := func(uid uint32, raw string) ingest.Prepared {
		sum, _, err := f.p.StoreRaw(strings.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		pr, err := f.p.Prepare(context.Background(), sum)
		if err != nil {
			t.Fatal(err)
		}
		return ingest.Prepared{Item: ingest.Item{SourceID: f.src, Folder: "INBOX", UIDValidity: 1, UID: uid}, Parsed: pr}
	}
	batch := []ingest.Prepared{
		prep(10, "From: b@example.com\r\nSubject: new thread\r\nMessage-ID: <b2@x>\r\n\r\nmilk\r\n"),
		prep(f.uid, "From: c@example.com\r\nSubject: same uid as the first\r\nMessage-ID: <b3@x>\r\n\r\nx\r\n"),
		prep(11, "From: d@example.com\r\nSubject: Re: new thread\r\nMessage-ID: <b4@x>\r\nIn-Reply-To: <b2@x>\r\n\r\nstill\r\n"),
		prep(12, "not a message at all \x00\x01"),
	}
	h := f.p.StartHooks(ctx)
	outs, err := f.p.CommitBatch(ctx, batch, h)
	h.Close()
	if err != nil {
		t.Fatal(err)
	}
	if outs[0].Status != ingest.StatusIngested || !outs[0].NewCase {
		t.Fatalf("first item: %+v", outs[0])
	}
	if outs[1].Status != ingest.StatusSkipped {
		t.Fatalf("recorded identity: %+v", outs[1])
	}
	if outs[2].CaseID != outs[0].CaseID || outs[2].NewCase {
		t.Fatalf("reply in the same batch not threaded: %+v vs %+v", outs[2], outs[0])
	}
	if outs[3].Status != ingest.StatusIngested && outs[3].Status != ingest.StatusQuarantined {
		t.Fatalf("last item: %+v", outs[3])
	}
	counts, err := f.st.RawItemCounts(ctx, f.src)
	if err != nil {
		t.Fatal(err)
	}
	if got := counts[ingest.StatusIngested] + counts[ingest.StatusQuarantined]; got != 4 {
		t.Fatalf("%d raw items recorded, want 4 (the first and three of the batch): %v", got, counts)
	}
	if recorded.CaseID == outs[0].CaseID {
		t.Fatal("new thread joined the earlier case")
	}
}

// TestSavedOrderPatternsApplyToARunningPipeline: a pipeline keeps its patterns compiled, yet a message
// after a save is linked with the new ones (the window's sync runs for hours while an admin edits them).
func TestSavedOrderPatternsApplyToARunningPipeline(t *testing.T) {
	f := newFixture(t)
	msg := func(from, id string) []byte {
		return []byte("From: " + from + "\r\nMessage-ID: <" + id + ">\r\nSubject: =?utf-8?b?" +
			"5oiR55qE5b+r6YCS?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n商城单号 SH20261125 还没到\r\n")
	}
	first := f.ingest(msg("a@example.com", "a1@x"))
	c, err := f.st.GetCase(context.Background(), first.CaseID)
	if err != nil || c.OrderNo != "" {
		t.Fatalf("the built-in patterns found order %q (%v); they know no 商城单号", c.OrderNo, err)
	}
	js := `[{"platform":"shop","regexp":"商城单号\\s*(SH\\d{8})"}]`
	if _, err := cases.ParseOrderPatterns(js); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetOrderPatternsJSON(context.Background(), js); err != nil {
		t.Fatal(err)
	}
	second := f.ingest(msg("b@example.com", "b1@x"))
	c, err = f.st.GetCase(context.Background(), second.CaseID)
	if err != nil || c.OrderNo != "SH20261125" {
		t.Fatalf("after the save the order is %q (%v), want SH20261125", c.OrderNo, err)
	}
	// The same order number from a third address joins that case, and says why.
	third := f.ingest(msg("c@example.com", "c1@x"))
	if third.CaseID != second.CaseID || !strings.Contains(third.LinkRule, "order") {
		t.Fatalf("third message: case %d (%s), want case %d by order number", third.CaseID, third.LinkRule, second.CaseID)
	}
}
