package classify

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"testing"

	"cockpit/backend/rules"
)

// defaultExpressions are every flag and sub-type expression and exclusion of the shipped rule set.
func defaultExpressions(t testing.TB) []*regexp.Regexp {
	t.Helper()
	c := compiledDefault(t)
	var out []*regexp.Regexp
	for _, m := range append(append([]rules.Matcher{}, c.Subtypes...), c.Flags...) {
		for _, p := range m.Patterns {
			out = append(out, p.RE)
		}
		out = append(out, m.Exclude...)
	}
	return out
}

// loadTexts are the messages of the labelled set.
func loadTexts(t testing.TB) []string {
	t.Helper()
	f, err := os.Open("testdata/labelled.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		out = append(out, l.Text)
	}
	return out
}

// checkSound fails when the filter would skip an expression that matches text.
func checkSound(t *testing.T, res []*regexp.Regexp, text string) {
	t.Helper()
	st := newSearchText(text)
	for _, re := range res {
		if (!st.mayMatch(re) || !mayMatch(re, text)) && re.MatchString(text) {
			t.Fatalf("filter skipped %s on %q, which it matches (required words %q)", re, text, requiredWords(re))
		}
	}
}

func TestRequiredWordsNeverSkipAMatch(t *testing.T) {
	res := defaultExpressions(t)
	texts := []string{"", "COUNTERFEIT", "CounterFeit goods", "Not Genuine", "我要去12315投诉", "MOULDY bread", "It BROKE after a day",
		"\u212aNOCK-OFF", "mou\u017fe", "过了保质期", "少了第3册", "Return Shipping Fee", "ΣΊΣΥΦΟΣ counterfeit", "\xffcounterfeit\xfe"}
	texts = append(texts, loadTexts(t)...)
	for _, s := range texts {
		checkSound(t, res, s)
	}
	// The filter must actually filter: most shipped expressions have a required-word set.
	known := 0
	for _, re := range res {
		if requiredWords(re) != nil {
			known++
		}
	}
	if known < len(res)*3/4 {
		t.Fatalf("only %d of %d expressions have required words", known, len(res))
	}
}

func TestRequiredWords(t *testing.T) {
	for _, tc := range []struct {
		re   string
		want [][][]string
	}{
		{`(?i)abc|Def`, [][][]string{{{"abc"}}, {{"def"}}}},
		{`(?i)x*`, nil},
		{`(?i)(foo|bar)\s+baz`, [][][]string{{{"foo", "bar"}, {"\t", "\n", "\f", "\r", " "}, {"baz"}}}},
		{`(?i)(foo|bar)\s+baz|qux`, [][][]string{{{"foo", "bar"}, {"\t", "\n", "\f", "\r", " "}, {"baz"}}, {{"qux"}}}},
		{`(?i)x|y+|z*`, nil}, // a branch may match without any word
		{`(?i)\bfakes?\b`, [][][]string{{{"fake"}}}},
		{`(?i)[a-z]+`, nil},
		{`(?i)少了第?[一二三]+(件|个)`, [][][]string{{{"少了"}, {"一", "三", "二"}, {"个", "件"}}}}, // classes in rune order
		{`(?i)σ`, nil},
	} {
		got := requiredWords(regexp.MustCompile(tc.re))
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.re, got, tc.want)
		}
	}
}

func FuzzRequiredWords(f *testing.F) {
	res := defaultExpressions(f)
	f.Add("我没有过敏，但是奶粉结块了")
	f.Add("It arrived CRACKED and \u212anocked")
	f.Fuzz(func(t *testing.T, s string) { checkSound(t, res, s) })
}

func compiledDefault(t testing.TB) *rules.Compiled {
	t.Helper()
	c, err := rules.CompileDefault()
	if err != nil {
		t.Fatal(err)
	}
	return c
}
