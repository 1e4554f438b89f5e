package letters

import (
	"testing"
	"time"
)

// BenchmarkExtractChinesePDF measures text extraction and the proposal on the one-page letter.
func BenchmarkExtractChinesePDF(b *testing.B) {
	data := chinesePDF(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		x, err := Extract("l.pdf", data, discard)
		if err != nil || x.Status != TextFound {
			b.Fatal(x.Status, err)
		}
		_ = Propose(x.Text, shanghai, time.Time{})
	}
}
