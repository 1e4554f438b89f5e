package classify

import (
	"strings"
	"sync"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
)

// The required words of every rule expression (a few hundred) are found in a case's text in one pass
// of an Aho-Corasick automaton, which also notes the line of each occurrence. One strings.Contains per
// word over the whole text and again per line cost a third of classifying keyword-dense text
// (BenchmarkClassifyDense), and Chinese text defeats strings.Index's first-byte skip, since most
// characters share a lead byte. The automaton reports overlapping occurrences too, so "破损" is seen
// inside "破损了" and beside "损坏".

var (
	dictMu    sync.Mutex
	dictIDs   = map[string]int{}
	dictWords []string
	dictTrie  *ahocorasick.Trie // covers dictWords[:dictBuilt]
	dictBuilt int
)

// wordIDs registers the words of an expression and returns their ids, shaped as the words.
func wordIDs(alts [][][]string) [][][]int {
	if alts == nil {
		return nil
	}
	dictMu.Lock()
	defer dictMu.Unlock()
	out := make([][][]int, len(alts))
	for i, sets := range alts {
		out[i] = make([][]int, len(sets))
		for j, ws := range sets {
			for _, w := range ws {
				id, ok := dictIDs[w]
				if !ok {
					id = len(dictWords)
					dictIDs[w] = id
					dictWords = append(dictWords, w)
				}
				out[i][j] = append(out[i][j], id)
			}
		}
	}
	return out
}

// currentTrie returns the automaton over every registered word, rebuilt when words were added since.
func currentTrie() (*ahocorasick.Trie, int) {
	dictMu.Lock()
	defer dictMu.Unlock()
	if dictTrie == nil || dictBuilt < len(dictWords) {
		dictTrie = ahocorasick.NewTrieBuilder().AddStrings(dictWords).Build()
		dictBuilt = len(dictWords)
	}
	return dictTrie, dictBuilt
}

// searchText is the text a Classify call checks required words against.
type searchText struct {
	lower string // ASCII letters lower-cased, everything else unchanged
	// exact is set when the text holds U+212A KELVIN SIGN or U+017F LONG S: case-insensitive
	// expressions match them as 'k' and 's', which the ASCII lower-casing cannot see, so the filter
	// stands aside and every expression runs.
	exact bool
	// present[id] says the text holds word id; line i holds the words whose bits are set in
	// lineBits[i*stride:(i+1)*stride]. Words registered after the scan are looked up directly.
	present  []bool
	lineBits []uint64
	stride   int
}

func newSearchText(text string) *searchText {
	st := &searchText{lower: asciiLower(text), exact: strings.ContainsAny(text, "\u212a\u017f")}
	trie, n := currentTrie()
	st.present = make([]bool, n)
	st.stride = (n + 63) / 64
	st.lineBits = make([]uint64, (strings.Count(st.lower, "\n")+1)*st.stride)
	line, lineEnd := 0, strings.IndexByte(st.lower, '\n')
	trie.Walk([]byte(st.lower), func(end, _, pattern int64) bool {
		// A word is filed under the line it ends on: words of line-local expressions hold no "\n".
		for lineEnd >= 0 && int(end) > lineEnd {
			line++
			next := strings.IndexByte(st.lower[lineEnd+1:], '\n')
			if next < 0 {
				lineEnd = -1
			} else {
				lineEnd += 1 + next
			}
		}
		st.present[pattern] = true
		st.lineBits[line*st.stride+int(pattern/64)] |= 1 << (pattern % 64)
		return true
	})
	return st
}

// has reports whether the text holds word w (id).
func (s *searchText) has(id int, w string) bool {
	if id < len(s.present) {
		return s.present[id]
	}
	return strings.Contains(s.lower, w)
}

// lineHas reports whether line li (whose text is line) holds word w (id).
func (s *searchText) lineHas(li, id int, w, line string) bool {
	if id < len(s.present) {
		return s.lineBits[li*s.stride+id/64]&(1<<(id%64)) != 0
	}
	return strings.Contains(line, w)
}
