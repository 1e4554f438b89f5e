package companion

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"cockpit/backend/blobs"
	"cockpit/backend/clocks"
	"cockpit/backend/demo"
	"cockpit/backend/engine"
	"cockpit/backend/ingest"
	"cockpit/backend/secrets"
	"cockpit/backend/store"
)

// BenchmarkRead: one tray poll (counts, red alerts, own clocks) on the demo workspace, read-only beside
// the writer, as the tray does every 30 s.
func BenchmarkRead(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	st, err := store.Open(ctx, dir, store.ReadWrite)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	sec, _ := secrets.Open(dir, "file")
	clock := clocks.System{}
	eng := engine.New(st, clock)
	p := &ingest.Pipeline{Store: st, Blobs: blobs.New(filepath.Join(dir, "blobs")), Clock: clock, OnCaseChanged: eng.OnCaseChanged}
	ws, err := demo.Open(ctx, demo.Deps{Store: st, Secrets: sec, Pipeline: p, Engine: eng, Clock: clock}, 1)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ws.Sync(ctx, nil); err != nil {
		b.Fatal(err)
	}
	ws.Close()
	r := &StoreReader{Dir: dir, User: "zhang.wei", Soon: time.Hour}
	defer r.Close()
	for b.Loop() {
		if _, err := r.Read(ctx, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}
