package classify

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// A rule expression is skipped on a text that contains none of its required words. Go's regexp has no
// literal prefix to seek on for "(?i)a|b|c" alternations, so each of the ~50 rule expressions used to
// walk the whole case text with its NFA (80% of `cockpit sync` time in make bench-imap). The words are
// derived from the expression's syntax tree so that every possible match contains at least one of
// them; a miss therefore proves the expression cannot match, and the results are exactly those of
// running it. Hand-written rather than an Aho-Corasick library because the soundness argument rests
// on the derivation, and strings.Contains over a few kilobytes is already cheap.

// maxClassRunes bounds how large a character class is turned into single-rune words.
const maxClassRunes = 16

// maxWords bounds a required-word set; a longer set filters too little to be worth the checks.
const maxWords = 64

var (
	wordsMu    sync.Mutex
	wordsCache = map[string]exprWords{} // expression text -> its top-level branches and their words
)

// exprWords is what the filter knows of one expression: its top-level alternation branches (one
// when it is not an alternation) and each branch's required-word sets. words is nil when some
// branch has none, and then the expression is always run whole.
type exprWords struct {
	branches []*syntax.Regexp
	sources  []string // each branch as a self-contained expression, (?:...), printed when reducedExpr needs it
	words    [][][]string
	ids      [][][]int // words' ids in the word index (wordindex.go)
}

// requiredWords returns the words (ASCII lower-cased) an expression's matches need, as alternatives
// each made of word sets: every match contains a word of each set of one alternative. nil means none
// could be derived (the expression is then always run).
func requiredWords(re *regexp.Regexp) [][][]string { return wordsOf(re).words }

func wordsOf(re *regexp.Regexp) exprWords {
	expr := re.String()
	wordsMu.Lock()
	defer wordsMu.Unlock()
	if w, ok := wordsCache[expr]; ok {
		return w
	}
	var w exprWords
	if t, err := syntax.Parse(expr, syntax.Perl); err == nil {
		w.branches = branches(t.Simplify())
		w.sources = make([]string, len(w.branches))
		w.words = alternatives(w.branches)
		w.ids = wordIDs(w.words)
	}
	wordsCache[expr] = w
	return w
}

// branches splits a top-level "a|b|c" (inside any capture) into its branches.
func branches(re *syntax.Regexp) []*syntax.Regexp {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if re.Op == syntax.OpAlternate {
		return re.Sub
	}
	return []*syntax.Regexp{re}
}

// alternatives is the branches' word sets; nil when a branch has none.
func alternatives(branches []*syntax.Regexp) [][][]string {
	var out [][][]string
	for _, b := range branches {
		w := allWords(b)
		if w == nil {
			return nil
		}
		out = append(out, w)
	}
	return out
}

// words derives the required-word set of a syntax tree; nil means unknown (e.g. it may match empty).
func words(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if w, ok := literalWord(re.Rune); ok {
			return []string{w}
		}
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if hi-lo >= maxClassRunes || len(out) > maxClassRunes {
				return nil
			}
			for r := lo; r <= hi; r++ {
				w, ok := literalWord([]rune{r})
				if !ok {
					return nil
				}
				out = appendNew(out, w)
			}
		}
		if len(out) > 0 && len(out) <= maxClassRunes {
			return out
		}
	case syntax.OpCapture, syntax.OpPlus:
		return words(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return words(re.Sub[0])
		}
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			w := words(s)
			if w == nil {
				return nil
			}
			for _, x := range w {
				out = appendNew(out, x)
			}
		}
		return out
	case syntax.OpConcat:
		// Every part must match, so any part's set will do: take the most selective (longest
		// shortest word, then fewest words).
		var best []string
		for _, s := range re.Sub {
			if w := words(s); w != nil && better(w, best) {
				best = w
			}
		}
		return best
	}
	return nil
}

// allWords is the conjunction of required-word sets of re: a match contains a word of each set. A
// top-level sequence such as "(投诉|举报)…(12315|消协)" yields one set per part, so text that has the
// complaint verbs but no regulator name is skipped too.
func allWords(re *syntax.Regexp) [][]string {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if re.Op != syntax.OpConcat {
		if w := words(re); w != nil && len(w) <= maxWords {
			return [][]string{w}
		}
		return nil
	}
	var out [][]string
	for _, s := range re.Sub {
		if w := words(s); w != nil && len(w) <= maxWords {
			out = append(out, w)
		}
	}
	return out
}

func better(a, b []string) bool {
	if b == nil {
		return true
	}
	if ma, mb := minLen(a), minLen(b); ma != mb {
		return ma > mb
	}
	return len(a) < len(b)
}

func minLen(ws []string) int {
	m := -1
	for _, w := range ws {
		if m < 0 || len(w) < m {
			m = len(w)
		}
	}
	return m
}

func appendNew(ws []string, w string) []string {
	for _, x := range ws {
		if x == w {
			return ws
		}
	}
	return append(ws, w)
}

// literalWord lower-cases ASCII letters. A non-ASCII rune with other case forms (Greek, Cyrillic,
// 'ß') gives up: matching it case-insensitively is wider than any one spelling we could search for.
// Runes without case (Chinese) are taken as they are.
func literalWord(rs []rune) (string, bool) {
	var b strings.Builder
	for _, r := range rs {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(unicode.ToLower(r))
		case r == utf8.RuneError || unicode.SimpleFold(r) != r:
			return "", false
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), b.Len() > 0
}

// mayMatch reports whether re can match the text: false only when it provably cannot.
func (s *searchText) mayMatch(re *regexp.Regexp) bool {
	if s.exact {
		return true
	}
	w := wordsOf(re)
	if w.words == nil {
		return true
	}
	for i := range w.words {
		if s.hasAll(w.words[i], w.ids[i]) {
			return true
		}
	}
	return false
}

// hasAll reports whether the text holds a word of every set.
func (s *searchText) hasAll(sets [][]string, ids [][]int) bool {
	for i, ws := range sets {
		if !s.containsAny(ws, ids[i]) {
			return false
		}
	}
	return true
}

// mayMatch is searchText.mayMatch for a short text checked once (an exclusion on a clause).
func mayMatch(re *regexp.Regexp, text string) bool {
	ws := requiredWords(re)
	return ws == nil || strings.ContainsAny(text, "\u212a\u017f") || lineMayMatch(asciiLower(text), ws)
}

func (s *searchText) containsAny(ws []string, ids []int) bool {
	for i, w := range ws {
		if s.has(ids[i], w) {
			return true
		}
	}
	return false
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + ('a' - 'A')
				}
			}
			return string(b)
		}
	}
	return s
}
