package classify

import (
	"reflect"
	"strings"
	"testing"

	"cockpit/backend/rules"
)

// checkLines fails when matchAll's hits differ from running every expression over the whole text.
func checkLines(t *testing.T, c *rules.Compiled, text string) {
	t.Helper()
	st := newSearchText(text)
	for _, m := range append(append([]rules.Matcher{}, c.Subtypes...), c.Flags...) {
		var want []hit
		for _, p := range m.Patterns {
			hs, _ := matchPattern(c, m, p, text, maxHits)
			want = append(want, hs...)
		}
		if got := matchAll(c, m, text, st); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s on %q: line by line %+v, whole text %+v", m.ID, text, got, want)
		}
	}
}

func TestLineHitsEqualWholeText(t *testing.T) {
	c := compiledDefault(t)
	texts := []string{"没有过敏", strings.Repeat("过敏\n", 30), strings.Repeat("券过敏，", 25) + "\n过敏", "我要去\n12315投诉",
		"order\nexpired coupon", "It BROKE after a day", "hotline:\n12315", "not\nallergic", "如果不\n过敏", "\u212anock-off\nfake"}
	texts = append(texts, loadTexts(t)...)
	for i := range texts {
		checkLines(t, c, strings.Join([]string{texts[i], texts[(i+1)%len(texts)], texts[(i+2)%len(texts)], strings.Repeat(texts[i], 3)}, "\n"))
	}
}

func FuzzLineHits(f *testing.F) {
	c := compiledDefault(f)
	f.Add("订单投诉\n我没有过敏，但是奶粉结块了\n-- \n热线12315\nnot\nallergic")
	f.Fuzz(func(t *testing.T, s string) { checkLines(t, c, s) })
}

// checkAmounts fails when the run-by-run amount search differs from running the expression over the
// whole text.
func checkAmounts(t *testing.T, text string) {
	t.Helper()
	var want []Amount
	for _, m := range amountRE.FindAllStringSubmatch(text, 20) {
		num, wan := m[1], m[2] != ""
		if num == "" {
			num, wan = m[3], m[4] != ""
		}
		if fen, ok := ParseFen(num, wan); ok && fen > 0 {
			want = append(want, Amount{Fen: fen, Text: strings.TrimSpace(m[0])})
		}
	}
	if got := FindAmounts(text); !reflect.DeepEqual(got, want) {
		t.Fatalf("amounts in %q: run by run %+v, whole text %+v", text, got, want)
	}
}

func TestAmountRunsEqualWholeText(t *testing.T) {
	texts := []string{"赔我2万元", "￥ 12,999.5", "RMB\n300", "3000块钱，结块", "rmb 1 cny 2 yuan 3", "订单号：230000000001 结块 5 块",
		strings.Repeat("退款 199 元，", 30), "¥\t\n7\n万\n元", "cny12yuan"}
	texts = append(texts, loadTexts(t)...)
	for _, s := range texts {
		checkAmounts(t, s)
	}
}

func FuzzAmounts(f *testing.F) {
	f.Add("赔我2万元 ￥ 12,999.5 RMB\n300 结块3块")
	f.Fuzz(func(t *testing.T, s string) { checkAmounts(t, s) })
}
