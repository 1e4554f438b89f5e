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
		w := wordsOf(p.RE)
		ws := w.words
		if st.exact || ws == nil || !lineLocal(p.RE) {
			hs, _ := matchPattern(c, m, p, text, maxHits)
			out = append(out, hs...)
			continue
		}
		left := maxHits
		for start, li := 0, 0; start <= len(text) && left > 0; li++ {
			end := strings.IndexByte(text[start:], '\n')
			if end < 0 {
				end = len(text)
			} else {
				end += start
			}
			if mask := st.lineMask(li, st.lower[start:end], w); mask != 0 {
				q := p
				q.RE = reducedExpr(p.RE, w, mask)
				hs, n := matchPattern(c, m, q, text[start:end], left)
				out = append(out, hs...)
				left -= n
			}
			start = end + 1
		}
	}
	return out
}

// Within one line an alternation such as "defect|faulty|broken|…" is cut down to the branches whose
// required words the line holds. Go's regexp tries every branch at every position, so on keyword-dense
// text the rule expressions cost about a microsecond per byte (make bench-imap), while the filter has
// already found which branches can match. A branch that matches nowhere in the line changes nothing in
// leftmost-first matching, so the reduced expression finds exactly the matches of the full one there.

// maxReduced bounds how many reduced expressions are kept; beyond it they are compiled for their line and
// dropped, which is still cheaper than running the full expression (BenchmarkClassifyDenseFresh).
const maxReduced = 4096

// allBranches is the mask of an expression with more branches than a mask holds: run it whole.
const allBranches = ^uint64(0)

type reducedKey struct {
	expr string
	mask uint64
}

var (
	reducedMu sync.Mutex
	reduced   = map[reducedKey]*regexp.Regexp{}
)

// lineMask is the set of branches of w (bit i for branch i) whose required words line li (ASCII
// lower-cased: line) holds; 0 when none can match there.
func (s *searchText) lineMask(li int, line string, w exprWords) uint64 {
	var mask uint64
	for i, sets := range w.words {
		if s.lineHoldsAll(li, line, sets, w.ids[i]) {
			if len(w.words) > 64 {
				return allBranches
			}
			mask |= 1 << i
		}
	}
	return mask
}

func (s *searchText) lineHoldsAll(li int, line string, sets [][]string, ids [][]int) bool {
	for j, ws := range sets {
		found := false
		for k, word := range ws {
			if s.lineHas(li, ids[j][k], word, line) {
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

// reducedExpr is re restricted to the branches in mask (re itself when that is all of them).
func reducedExpr(re *regexp.Regexp, w exprWords, mask uint64) *regexp.Regexp {
	if mask == allBranches || mask == 1<<len(w.branches)-1 {
		return re
	}
	key := reducedKey{re.String(), mask}
	reducedMu.Lock()
	if r, ok := reduced[key]; ok {
		reducedMu.Unlock()
		return r
	}
	// Printing a syntax tree is most of the cost of compiling it again (its flags are worked out over
	// every rune of its character classes), so each branch is printed once, when first needed, in its
	// own group so that its flags stay its own. w.sources is shared by every copy of w; reducedMu guards it.
	var keep []string
	for i, b := range w.branches {
		if mask&(1<<i) == 0 {
			continue
		}
		if w.sources[i] == "" {
			w.sources[i] = "(?:" + b.String() + ")"
		}
		keep = append(keep, w.sources[i])
	}
	reducedMu.Unlock() // the compile runs unlocked: the engine refreshes cases on several goroutines
	r, err := regexp.Compile(strings.Join(keep, "|"))
	if err != nil { // cannot happen for branches of a compiled expression; the full one is always right
		return re
	}
	reducedMu.Lock()
	if len(reduced) < maxReduced {
		reduced[key] = r
	}
	reducedMu.Unlock()
	return r
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
