package demo

import (
	"context"
	"path/filepath"
	"testing"

	"cockpit/backend/blobs"
	"cockpit/backend/clocks"
	"cockpit/backend/engine"
	"cockpit/backend/ingest"
	"cockpit/backend/secrets"
	"cockpit/backend/store"
)

// BenchmarkGenerate: building the whole demo mailbox (about 470 RFC 5322 messages).
func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		if _, err := Generate(1, testNow); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenAndSync: a fresh demo workspace end to end, as `cockpit demo` does it: staff and roster,
// the mail served on 127.0.0.1, and an IMAP sync through the ingest pipeline with the case engine.
func BenchmarkOpenAndSync(b *testing.B) {
	ctx := context.Background()
	var msgs int
	for b.Loop() {
		dir := b.TempDir()
		st, err := store.Open(ctx, dir, store.ReadWrite)
		if err != nil {
			b.Fatal(err)
		}
		sec, _ := secrets.Open(dir, "file")
		clock := clocks.System{}
		eng := engine.New(st, clock)
		p := &ingest.Pipeline{Store: st, Blobs: blobs.New(filepath.Join(dir, "blobs")), Clock: clock, OnCaseChanged: eng.OnCaseChanged}
		ws, err := Open(ctx, Deps{Store: st, Secrets: sec, Pipeline: p, Engine: eng, Clock: clock}, 1)
		if err != nil {
			b.Fatal(err)
		}
		stats, err := ws.Sync(ctx, nil)
		if err != nil || stats.Quarantined > 0 {
			b.Fatalf("%+v %v", stats, err)
		}
		msgs += stats.Ingested
		ws.Close()
		st.Close()
	}
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
}
