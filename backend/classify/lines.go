package classify

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"

	"cockpit/backend/rules"
)

// An expression is run only on the lines that hold its required words, not over the whole case text
// (a few kilobytes per message, re-read on every refresh of the case: most of a sync's time went to
// Go's regexp walking it). This gives exactly the whole-text matches when the expression can never
// consume a "\n" and does not test the text's very start or end (^, $ without (?m)): every match then
// lies inside one line, and a hit's clause, negation and exclusions stop at "\n" too (clauseBreak).
// Other expressions run over the whole text as before. As with FindAllStringIndex's limit, only the
// first maxHits matches of an expression are considered.

// maxHits is how many matches of one expression are considered.
const maxHits = 20

var (
	localMu sync.Mutex
	local   = map[string]bool{} // expression text -> its matches stay within one line
)

// lineLocal reports whether re's matches never span a "\n" nor depend on the text's ends.
func lineLocal(re *regexp.Regexp) bool {
	expr := re.String()
	localMu.Lock()
	defer localMu.Unlock()
	v, ok := local[expr]
	if !ok {
		t, err := syntax.Parse(expr, syntax.Perl)
		v = err == nil && !crossesLine(t)
		local[expr] = v
	}
	return v
}

func crossesLine(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpAnyChar, syntax.OpBeginText, syntax.OpEndText:
		return true
	case syntax.OpLiteral:
		return strings.ContainsRune(string(re.Rune), '\n')
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				return true
			}
		}
	}
	for _, s := range re.Sub {
		if crossesLine(s) {
			return true
		}
	}
	return false
}

// matchAll returns the hits of matcher m in text; st skips expressions and lines that cannot match.
func matchAll(c *rules.Compiled, m rules.Matcher, text string, st *searchText) []hit {
	var out []hit
	for _, p := range m.Patterns {
		if !st.mayMatch(p.RE) {
			continue
		}
		ws := requiredWords(p.RE)
		if st.exact || ws == nil || !lineLocal(p.RE) {
			hs, _ := matchPattern(c, m, p, text, maxHits)
			out = append(out, hs...)
			continue
		}
		left := maxHits
		for start := 0; start <= len(text) && left > 0; {
			end := strings.IndexByte(text[start:], '\n')
			if end < 0 {
				end = len(text)
			} else {
				end += start
			}
			if lineMayMatch(st.lower[start:end], ws) {
				hs, n := matchPattern(c, m, p, text[start:end], left)
				out = append(out, hs...)
				left -= n
			}
			start = end + 1
		}
	}
	return out
}

// lineMayMatch reports whether line (ASCII lower-cased) holds a word of every set of one alternative.
func lineMayMatch(line string, alts [][][]string) bool {
	for _, sets := range alts {
		if holdsAll(line, sets) {
			return true
		}
	}
	return false
}

func holdsAll(line string, sets [][]string) bool {
	for _, ws := range sets {
		found := false
		for _, w := range ws {
			if strings.Contains(line, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
