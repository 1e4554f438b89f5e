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
