package rt

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"cockpit/backend/blobs"
	"cockpit/backend/cases"
	"cockpit/backend/ingest"
	"cockpit/backend/ingest/rt/rttest"
	"cockpit/backend/secrets"
	"cockpit/backend/store"
)

func TestConnectorFeedsThePipeline(t *testing.T) {
	live := rttest.Start(t)
	ctx := context.Background()
	sd := rttest.Seeder{T: t, Srv: live}
	tk := sd.CreateTicket("连接器测试 奶粉变质", "客户投诉：奶粉变质，订单号 JD9876543210", 90)
	bin := make([]byte, 1000)
	rand.Read(bin)
	sd.JSON("POST", fmt.Sprintf("/ticket/%d/correspond", tk), map[string]any{"Content": "请提供照片", "ContentType": "text/plain",
		"Attachments": []map[string]string{{"FileName": "=?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte("照片.bin")) + "?=",
			"FileType": "application/octet-stream", "FileContent": base64.StdEncoding.EncodeToString(bin)}}})

	dir := t.TempDir()
	st, err := store.Open(ctx, dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := &ingest.Pipeline{Store: st, Blobs: blobs.New(filepath.Join(dir, "blobs"))}
	sec, err := secrets.Open(dir, "file")
	if err != nil {
		t.Fatal(err)
	}
	set := Settings{BaseURL: live.URL, Queues: []string{"General"}, Filter: fmt.Sprintf("id = %d", tk)}
	if _, err := AddSource(ctx, st, sec, "helpdesk", set, "", p.Now()); err == nil {
		t.Fatal("a source without a token was accepted")
	}
	srcID, err := AddSource(ctx, st, sec, "helpdesk", set, live.Token, p.Now())
	if err != nil {
		t.Fatal(err)
	}
	if src, _ := st.GetSource(ctx, srcID); strings.Contains(src.ConfigJSON, live.Token) {
		t.Fatal("the token was written into the database")
	}
	conn := ingest.Connectors{"rt": &Connector{Secrets: sec}}
	res, err := conn.SyncAll(ctx, p, "rt", nil)
	if err != nil || len(res) != 1 {
		t.Fatalf("sync: %v %+v", err, res)
	}
	first := res[0].Stats
	if first.Ingested < 2 || first.NewCases != 1 {
		t.Fatalf("first sync stats %+v", first)
	}
	list, err := st.ListCases(ctx, cases.Filter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("cases: %v %d", err, len(list))
	}
	c := list[0]
	if c.Title != "连接器测试 奶粉变质" || c.OrderNo != "9876543210" {
		t.Errorf("case: title %q order %q", c.Title, c.OrderNo)
	}
	events, err := st.CaseEvents(ctx, c.ID)
	if err != nil || len(events) != first.Ingested {
		t.Fatalf("events %d vs ingested %d: %v", len(events), first.Ingested, err)
	}
	atts, err := st.Attachments(ctx, c.ID, 0)
	if err != nil || len(atts) != 1 || atts[0].Filename != "照片.bin" {
		t.Fatalf("attachments %+v %v", atts, err)
	}
	got, err := p.Blobs.ReadAll(atts[0].SHA256)
	if err != nil || !bytes.Equal(got, bin) {
		t.Fatalf("attachment bytes differ (%v)", err)
	}

	// Run again: nothing new, nothing duplicated.
	res, err = conn.SyncAll(ctx, p, "rt", nil)
	if err != nil || res[0].Stats.Ingested != 0 {
		t.Fatalf("second sync: %v %+v", err, res[0].Stats)
	}
	if again, _ := st.CaseEvents(ctx, c.ID); len(again) != len(events) {
		t.Fatalf("second sync added events: %d -> %d", len(events), len(again))
	}
	cur, err := st.RTCursor(ctx, srcID)
	if err != nil || cur.LastUpdated.IsZero() {
		t.Fatalf("cursor not saved: %+v %v", cur, err)
	}
}
