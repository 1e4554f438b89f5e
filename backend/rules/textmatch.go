package rules

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextMatcher is a compiled when.text condition. Such conditions are mostly a list of words
// ("ODR|在线消费纠纷|和解"), and Go's regexp scans a whole case's text for an alternation at a few
// dozen MB/s: it was a tenth of a case refresh. A list of plain words is therefore searched with
// strings.Contains, which gives the same answer as the case-insensitive expression whenever every letter
// of the words folds only within ASCII (so not k or s, whose folds include the Kelvin sign and the long s);
// anything else is left to the expression.
type TextMatcher struct {
	re    *regexp.Regexp
	words []string // lower-case; nil when re decides
}

func compileText(where, expr string) (*TextMatcher, error) {
	re, err := compileRE(where, expr)
	if err != nil {
		return nil, err
	}
	return &TextMatcher{re: re, words: plainWords(expr)}, nil
}

// plainWords returns the alternatives of expr lower-cased when it is only plain words that fold within
// ASCII, else nil.
func plainWords(expr string) []string {
	words := strings.Split(expr, "|")
	for i, w := range words {
		if w == "" || regexp.QuoteMeta(w) != w || !foldsWithinASCII(w) {
			return nil
		}
		words[i] = strings.ToLower(w)
	}
	return words
}

func foldsWithinASCII(w string) bool {
	for _, r := range w {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f >= utf8.RuneSelf || r >= utf8.RuneSelf {
				return false
			}
		}
	}
	return true
}

// MatchString reports whether the condition holds anywhere in s.
func (m *TextMatcher) MatchString(s string) bool {
	if m.words == nil {
		return m.re.MatchString(s)
	}
	lower := asciiLower(s)
	for _, w := range m.words {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// asciiLower lower-cases ASCII letters only: the words hold no other letters with case, and a
// non-ASCII letter in s must not become one of theirs.
func asciiLower(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' })
	if i < 0 {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if c := b[i]; 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
