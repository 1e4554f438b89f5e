package evidence_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"testing"

	"cockpit/backend/evidence"
)

// BenchmarkVerify measures re-hashing a folder of 200 files of 256 KiB (50 MiB) with their custody
// chains: the cost of `evidence verify` per folder.
func BenchmarkVerify(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	buf := make([]byte, 256<<10)
	var total int64
	for i := 0; i < 200; i++ {
		rand.Read(buf)
		it, _, err := f.svc.AddFile(ctx, legal, evidence.Folder{CaseID: 1}, fmt.Sprintf("photo-%d.jpg", i), bytes.NewReader(buf))
		if err != nil {
			b.Fatal(err)
		}
		total += it.Size
	}
	b.SetBytes(total)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := f.svc.Verify(ctx, evidence.Folder{CaseID: 1})
		if err != nil || !rep.OK() {
			b.Fatal(rep, err)
		}
	}
}

// BenchmarkExportZip measures writing the ZIP of the same folder (deflate, manifest, custody entries).
func BenchmarkExportZip(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	buf := make([]byte, 256<<10)
	var total int64
	for i := 0; i < 50; i++ {
		rand.Read(buf)
		it, _, _ := f.svc.AddFile(ctx, legal, evidence.Folder{CaseID: 1}, fmt.Sprintf("scan-%d.pdf", i), bytes.NewReader(buf))
		total += it.Size
	}
	b.SetBytes(total)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.svc.Export(ctx, legal, evidence.Folder{CaseID: 1}, "bench", io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
