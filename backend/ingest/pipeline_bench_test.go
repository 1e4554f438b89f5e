package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cockpit/backend/blobs"
	"cockpit/backend/ingest"
	"cockpit/backend/store"
)

// BenchmarkIngest measures the pipeline alone (blob write, parse, link, one transaction per message) on
// the test's temp dir; the IMAP end-to-end figure comes from `make bench-imap`.
func BenchmarkIngest(b *testing.B) {
	dir := b.TempDir()
	st, err := store.Open(context.Background(), dir, store.ReadWrite)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	src, err := st.CreateSource(context.Background(), store.Source{Kind: "imap", Name: "bench", ConfigJSON: "{}", Enabled: true}, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	p := &ingest.Pipeline{Store: st, Blobs: blobs.New(filepath.Join(dir, "blobs"))}
	body := strings.Repeat("详情 ", 400)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		msg := fmt.Sprintf("From: c%d@example.com\r\nSubject: 订单 %d\r\nMessage-ID: <k%d@example.com>\r\n\r\n淘宝订单号 %018d。%s\r\n", i, i, i, 100000+i, body)
		sum, _, err := p.StoreRaw(bytes.NewReader([]byte(msg)))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.Ingest(context.Background(), ingest.Item{SourceID: src, Folder: "INBOX", UID: uint32(i + 1)}, sum); err != nil {
			b.Fatal(err)
		}
	}
}
