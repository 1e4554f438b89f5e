package rt

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"cockpit/backend/ingest/rt/rttest"
)

func TestMain(m *testing.M) { os.Exit(rttest.Main(m)) }

func TestPullFromLiveRT(t *testing.T) {
	live := rttest.Start(t)
	ctx := context.Background()
	sd := rttest.Seeder{T: t, Srv: live}

	bin := make([]byte, 4096)
	rand.Read(bin)
	bin[0], bin[1], bin[2] = 0x00, 0xff, 0x80 // bytes a text round trip would mangle
	report := []byte("检验报告：批次 A1 菌落总数超标。\n")

	t1 := sd.CreateTicket("奶粉结块 投诉 #1", "客户反馈：奶粉结块，批次 A1。\nSecond line.", 60)
	sd.JSON("POST", fmt.Sprintf("/ticket/%d/correspond", t1), map[string]any{"Content": "您好，已收到，附件为照片。", "ContentType": "text/plain",
		"Attachments": []map[string]string{{"FileName": "photo.bin", "FileType": "application/octet-stream", "FileContent": base64.StdEncoding.EncodeToString(bin)}}})
	sd.CorrespondMultipart(t1, "检验报告见附件", map[string][]byte{"检验报告.txt": report})
	t2 := sd.CreateTicket("快递丢件 投诉", "订单 JD1234567890 未收到货", 80)
	low := sd.CreateTicket("普通咨询", "not an escalation", 5)

	client, err := NewClient(live.URL, live.Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &Puller{Client: client, Settings: Settings{BaseURL: live.URL, Queues: []string{"General"},
		// Other tests share this RT: only look at this test's tickets.
		Filter: fmt.Sprintf("Priority >= 50 AND id >= %d", t1)}}
	known := map[string]bool{}
	var got []Entry
	seen := func(id string) (bool, error) { return known[id], nil }
	emit := func(e Entry) error { known[e.ExternalID()] = true; got = append(got, e); return nil }

	res, err := p.Pull(ctx, time.Time{}, seen, emit)
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("first pull: %v %v", err, res.Errors)
	}
	if res.Tickets != 2 {
		t.Errorf("tickets pulled = %d, want 2 (the priority 5 ticket %d is not an escalation)", res.Tickets, low)
	}
	var sawPhoto, sawReport, sawCreate bool
	lastTxn := map[int64]int64{}
	for _, e := range got {
		if e.Ticket.ID == low {
			t.Errorf("non-escalation ticket pulled: %+v", e)
		}
		if e.Type == "EmailRecord" || !timelineTypes[e.Type] {
			t.Errorf("noise entry %s", e.Type)
		}
		if e.TxnID <= lastTxn[e.Ticket.ID] {
			t.Errorf("ticket %d: transaction %d after %d", e.Ticket.ID, e.TxnID, lastTxn[e.Ticket.ID])
		}
		lastTxn[e.Ticket.ID] = e.TxnID
		if len(e.Raw) == 0 || e.At.IsZero() {
			t.Errorf("entry %s without raw JSON or time", e.ExternalID())
		}
		if e.Type == "Create" && e.Ticket.ID == t1 {
			sawCreate = true
			if e.Summary != "奶粉结块 投诉 #1" || !strings.Contains(e.Body, "客户反馈：奶粉结块") {
				t.Errorf("create entry: summary %q body %q", e.Summary, e.Body)
			}
			if len(e.Ticket.Requestors) != 1 || e.Ticket.Requestors[0] != "customer1@example.com" {
				t.Errorf("requestors = %v", e.Ticket.Requestors)
			}
		}
		for _, f := range e.Files {
			switch f.Name {
			case "photo.bin":
				sawPhoto = bytes.Equal(f.Data, bin)
			case "检验报告.txt":
				sawReport = bytes.Equal(f.Data, report)
			}
		}
	}
	if !sawCreate || !sawPhoto || !sawReport {
		t.Fatalf("create=%v photo bytes equal=%v chinese-named report bytes equal=%v; entries: %d", sawCreate, sawPhoto, sawReport, len(got))
	}

	// A second pull from the returned cursor adds nothing: the >= re-reads the last second, seen drops it.
	n := len(got)
	res2, err := p.Pull(ctx, res.Cursor, seen, emit)
	if err != nil || len(res2.Errors) > 0 || len(got) != n {
		t.Fatalf("second pull added %d entries (err %v %v)", len(got)-n, err, res2.Errors)
	}
	if res2.Tickets == 0 {
		t.Errorf("second pull did not re-read the cursor's second: the >= boundary is not exercised")
	}

	// Two updates to one ticket in the same second, right after a pull: both must arrive.
	sd.JSON("POST", fmt.Sprintf("/ticket/%d/comment", t2), map[string]any{"Content": "内部备注：联系快递公司", "ContentType": "text/plain"})
	sd.JSON("PUT", fmt.Sprintf("/ticket/%d", t2), map[string]any{"Status": "stalled"})
	res3, err := p.Pull(ctx, res2.Cursor, seen, emit)
	if err != nil || len(res3.Errors) > 0 {
		t.Fatalf("third pull: %v %v", err, res3.Errors)
	}
	var comment, status *Entry
	for i := range got[n:] {
		e := &got[n+i]
		switch {
		case e.Type == "Comment" && strings.Contains(e.Body, "联系快递公司"):
			comment = e
		case e.Type == "Status" && strings.HasSuffix(e.Summary, "→ stalled"):
			status = e
		}
	}
	if comment == nil || status == nil {
		t.Fatalf("third pull missed an update: comment %v status %v (got %d new)", comment != nil, status != nil, len(got)-n)
	}
	if !comment.At.Truncate(time.Second).Equal(status.At.Truncate(time.Second)) {
		t.Logf("note: the two updates landed in different seconds (%v, %v)", comment.At, status.At)
	}
	if _, err := p.Pull(ctx, res3.Cursor, seen, emit); err != nil || len(got) != n+res3.Entries {
		t.Fatalf("pull after the same-second updates repeated entries")
	}
}

func TestBadTokenIsAClearError(t *testing.T) {
	live := rttest.Start(t)
	c, _ := NewClient(live.URL, "1-14-00000000000000000000000000000000", nil)
	_, err := c.Ping(context.Background())
	if err == nil || !strings.Contains(err.Error(), "RT refused the token") {
		t.Fatalf("bad token: %v", err)
	}
	v, err := (&Client{base: live.URL + "/REST/2.0", token: live.Token, http: http.DefaultClient}).Ping(context.Background())
	if err != nil || !strings.HasPrefix(v, "5.") {
		t.Fatalf("ping: %q %v", v, err)
	}
}

func TestBadTicketSQLIsReported(t *testing.T) {
	live := rttest.Start(t)
	c, _ := NewClient(live.URL, live.Token, nil)
	p := &Puller{Client: c, Settings: Settings{Filter: "Foo = 1"}}
	_, err := p.Pull(context.Background(), time.Time{}, func(string) (bool, error) { return false, nil }, func(Entry) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "Unknown field") {
		t.Fatalf("bad TicketSQL: %v", err)
	}
}
