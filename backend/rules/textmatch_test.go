package rules

import (
	"regexp"
	"testing"
)

func TestTextMatcherAgreesWithTheExpression(t *testing.T) {
	exprs := []struct {
		expr  string
		plain bool // searched as plain words
	}{
		{"ODR|在线消费纠纷|在线纠纷解决|和解", true},
		{"过敏", true},
		{"Refund|退款", true},
		{"ask|退款", false},  // k folds to the Kelvin sign
		{"CASE|退款", false}, // s folds to the long s
		{"café", false},
		{"退.款", false},
		{"a||b", false},
	}
	texts := []string{
		"", "odr", "ODR", "OdR 平台", "12315在线消费纠纷解决平台转来的投诉", "双方已和解", "在线纠纷", "REFUND please",
		"refund", "退款", "\u212Aask", "ASK", "ca\u017Fe", "CASE", "CAFÉ", "café", "退了款", "退款", "a", "xbx",
		"Ｏdr", "OD\u0280",
	}
	for _, e := range exprs {
		m, err := compileText("test", e.expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.words != nil; got != e.plain {
			t.Errorf("%q searched as plain words = %v, want %v", e.expr, got, e.plain)
		}
		re := regexp.MustCompile("(?i)" + e.expr)
		for _, s := range texts {
			if got, want := m.MatchString(s), re.MatchString(s); got != want {
				t.Errorf("%q on %q = %v, the expression says %v", e.expr, s, got, want)
			}
		}
	}
}

func FuzzTextMatcher(f *testing.F) {
	f.Add("ODR|和解", "12315 odr 平台")
	f.Add("Refund|退款", "REFUND")
	f.Add("ask", "\u212Aask")
	f.Fuzz(func(t *testing.T, expr, s string) {
		re, err := regexp.Compile("(?i)" + expr)
		if err != nil {
			return
		}
		m, err := compileText("fuzz", expr)
		if err != nil {
			t.Fatalf("%q compiles as an expression but not as a condition: %v", expr, err)
		}
		if got, want := m.MatchString(s), re.MatchString(s); got != want {
			t.Fatalf("%q on %q = %v, the expression says %v", expr, s, got, want)
		}
	})
}
