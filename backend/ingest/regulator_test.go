package ingest_test

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"cockpit/backend/cases"
	"cockpit/backend/ingest"
)

// A folder mirrored as complaints and then set to regulator: the cases its mail went into become
// regulator matters with the work-order number and deadline that mail states (a later message of the
// thread may be the one stating them), once; a case that already was one is left as it is.
func TestMarkFolderRegulator(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	first := f.ingest(mail("<a1@gov.example>", "", "12315@market.example.gov.cn", "关于消费者投诉的转办函", "消费者反映奶粉结块，详见附件。"))
	later := f.ingest(mail("<a2@gov.example>", "<a1@gov.example>", "12315@market.example.gov.cn", "Re: 关于消费者投诉的转办函",
		"工单号：1231520261120001。请于2026年11月30日前将处理结果回复我局。"))
	other := f.ingest(mail("<b1@shop.example>", "", "buyer@example.com", "奶粉结块", "我买的奶粉结块了。"))
	if later.CaseID != first.CaseID || other.CaseID == first.CaseID {
		t.Fatalf("cases %d %d %d: want the letters in one case, the complaint in another", first.CaseID, later.CaseID, other.CaseID)
	}
	// A case that is a regulator matter already (its letter came through a regulator folder), with a
	// reply that landed in the complaints inbox.
	sum, _, err := f.p.StoreRaw(bytes.NewReader(mail("<r1@gov.example>", "", "12315@another-bureau.example.gov.cn", "转办函", "工单号：1231520261120999。")))
	if err != nil {
		t.Fatal(err)
	}
	regOut, err := f.p.Ingest(ctx, ingest.Item{SourceID: f.src, Folder: "Regulator", Role: ingest.RoleRegulator, UIDValidity: 1, UID: 1}, sum)
	if err != nil {
		t.Fatal(err)
	}
	if regOut.CaseID == first.CaseID || regOut.CaseID == other.CaseID {
		t.Fatalf("the other bureau's letter joined case %d", regOut.CaseID)
	}
	if out := f.ingest(mail("<r2@gov.example>", "<r1@gov.example>", "12315@another-bureau.example.gov.cn", "Re: 转办函", "补充材料。")); out.CaseID != regOut.CaseID {
		t.Fatalf("reply went to case %d, want %d", out.CaseID, regOut.CaseID)
	}

	f.hooks = nil
	n, err := f.p.MarkFolderRegulator(ctx, f.src, "INBOX", "zhao.min")
	if err != nil || n != 2 {
		t.Fatalf("marked %d, %v: want the letters' case and the complaint's", n, err)
	}
	if want := []int64{first.CaseID, other.CaseID}; !slices.Equal(f.hooks, want) {
		t.Fatalf("engine ran for %v, want %v", f.hooks, want)
	}
	c, err := f.st.GetCase(ctx, first.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2026, 11, 30, 23, 59, 59, 0, time.FixedZone("CST", 8*3600))
	if !c.IsRegulator || c.WorkOrderNo != "1231520261120001" || !c.StatedDeadline.Equal(due) {
		t.Fatalf("letters' case: regulator %v, work order %q, deadline %v", c.IsRegulator, c.WorkOrderNo, c.StatedDeadline)
	}
	if c, _ := f.st.GetCase(ctx, other.CaseID); !c.IsRegulator || c.WorkOrderNo != "" || !c.StatedDeadline.IsZero() {
		t.Fatalf("complaint's case: regulator %v, work order %q, deadline %v", c.IsRegulator, c.WorkOrderNo, c.StatedDeadline)
	}
	if c, _ := f.st.GetCase(ctx, regOut.CaseID); c.WorkOrderNo != "1231520261120999" {
		t.Fatalf("regulator case's work order %q", c.WorkOrderNo)
	}
	marks := func(id int64) []cases.Event {
		evs, err := f.st.CaseEvents(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return slices.DeleteFunc(evs, func(e cases.Event) bool { return e.Kind != "regulator" })
	}
	if got := marks(first.CaseID); len(got) != 1 || got[0].Actor != "zhao.min" {
		t.Fatalf("timeline marks of the letters' case: %+v", got)
	}
	if got := marks(regOut.CaseID); len(got) != 0 {
		t.Fatalf("a regulator matter already was marked again: %+v", got)
	}

	// Saving the account again with the same roles, or running it again, changes nothing.
	if n, err := f.p.MarkFolderRegulator(ctx, f.src, "INBOX", "zhao.min"); err != nil || n != 0 {
		t.Fatalf("second run marked %d, %v", n, err)
	}
	if got := marks(first.CaseID); len(got) != 1 {
		t.Fatalf("timeline marks after a second run: %d", len(got))
	}
}

func mail(id, inReplyTo, from, subject, body string) []byte {
	var b bytes.Buffer
	b.WriteString("Message-ID: " + id + "\r\nFrom: " + from + "\r\nTo: service@shop.example\r\nSubject: " + subject +
		"\r\nDate: Mon, 23 Nov 2026 09:00:00 +0800\r\n")
	if inReplyTo != "" {
		b.WriteString("In-Reply-To: " + inReplyTo + "\r\nReferences: " + inReplyTo + "\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n")
	return b.Bytes()
}
