package classify_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"cockpit/backend/classify"
)

// soupWords make keyword-dense text like make bench-imap's messages: every rule has words to look at on
// every line, the worst case for the per-line filter.
var soupWords = []string{"奶粉", "结块", "物流", "太慢", "退款", "客服", "投诉", "过敏", "赠品", "少发", "价保", "破损",
	"milk", "powder", "delivery", "refund", "late", "broken", "allergy", "gift", "missing"}

func soup(r *rand.Rand, n int) string {
	var sb strings.Builder
	for sb.Len() < n {
		sb.WriteString(soupWords[r.IntN(len(soupWords))])
		if r.IntN(8) == 0 {
			sb.WriteString("。\r\n")
		} else {
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

func BenchmarkClassifyDense(b *testing.B) {
	c := compiled(b)
	r := rand.New(rand.NewPCG(1, 2))
	var bodies []string
	for i := 0; i < 3; i++ {
		bodies = append(bodies, soup(r, 3000))
	}
	b.ResetTimer()
	for b.Loop() {
		classify.Classify(c, classify.Input{Subject: "订单 1 投诉：奶粉", Bodies: bodies})
	}
}

// BenchmarkClassifyDenseFresh classifies new keyword-dense text at every iteration, as a first sync does:
// the lines' branch masks keep changing, so reduced expressions keep being compiled.
func BenchmarkClassifyDenseFresh(b *testing.B) {
	c := compiled(b)
	r := rand.New(rand.NewPCG(3, 4))
	for b.Loop() {
		classify.Classify(c, classify.Input{Subject: "订单 1 投诉：奶粉", Bodies: []string{soup(r, 3000), soup(r, 3000)}})
	}
}
