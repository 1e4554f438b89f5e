package filings_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"cockpit/backend/filings"
)

// BenchmarkPacketPDF measures building and rendering the packet of a large case: 300 timeline events,
// 200 evidence items, a scenario checklist and a matter (CJK font subset embedded each time).
func BenchmarkPacketPDF(b *testing.B) {
	font, err := filings.LoadCJKFont("")
	if err != nil {
		b.Skip(err)
	}
	f := newFixture(b)
	ctx := context.Background()
	for i := 0; i < 300; i++ {
		f.exec(b, `INSERT INTO case_events (case_id, kind, channel, actor, occurred_at, summary) VALUES (1, 'note', 'internal', 'li.legal', $1, $2)`,
			fmt.Sprintf("2026-09-29T03:%02d:%02d.000Z", i/60, i%60), fmt.Sprintf("第 %d 次跟进：已联系客户，等待检测报告", i))
	}
	for i := 0; i < 200; i++ {
		addFile(b, f, fmt.Sprintf("照片-%03d.jpg", i), fmt.Sprintf("photo %d", i))
	}
	if _, err := f.fl.ApplyScenario(ctx, legal, 1, "quality"); err != nil {
		b.Fatal(err)
	}
	if _, err := f.fl.CreateMatter(ctx, legal, filings.NewMatter{CaseID: 1, Type: filings.Mediation, ReceivedAt: at("2026-09-29 10:00")}); err != nil {
		b.Fatal(err)
	}
	x := &filings.Exporter{Filings: f.fl, Evidence: f.ev, Cases: f.st, Font: font}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := x.Build(ctx, legal, 1)
		if err != nil {
			b.Fatal(err)
		}
		if err := filings.WritePDF(io.Discard, p, font); err != nil {
			b.Fatal(err)
		}
	}
}
