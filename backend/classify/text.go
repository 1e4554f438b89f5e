package classify

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// clean keeps the customer's own words: quoted lines ("> ..."), everything after a quote header
// ("-----Original Message-----", "发件人:") and everything after a signature marker ("-- ", "此致")
// are dropped, so that our own earlier replies and a footer quoting "hotline 12315" raise nothing.
func clean(text string, markers []marker) string {
	var keep []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, ">") {
			continue
		}
		if isMarker(t, markers) || isWroteLine(t) {
			break
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}

// marker is a quote or signature marker as given (trimmed) and lower-cased, once for all lines.
type marker struct{ text, lower string }

func prepareMarkers(lists ...[]string) []marker {
	var out []marker
	for _, m := range slices.Concat(lists...) {
		if mt := strings.TrimSpace(m); mt != "" {
			out = append(out, marker{mt, strings.ToLower(mt)})
		}
	}
	return out
}

// isMarker: the line is the marker ("--") or starts with it, in any case ("Best regards,", "发件人: x").
func isMarker(line string, markers []marker) bool {
	for _, m := range markers {
		if line == m.text || (utf8.RuneCountInString(m.text) > 2 && hasPrefixFold(line, m.lower)) {
			return true
		}
	}
	return false
}

// isWroteLine recognises "On <date>, <someone> wrote:" and "在 ... 写道：".
func isWroteLine(line string) bool {
	return (hasPrefixFold(line, "on ") && hasSuffixFold(line, "wrote:")) || (strings.HasPrefix(line, "在") && (strings.HasSuffix(line, "写道：") || strings.HasSuffix(line, "写道:")))
}

// hasPrefixFold and hasSuffixFold compare without lower-casing the line: lower-casing every line of a
// case's mail (mostly Chinese, which has no case) was a tenth of a refresh.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// clauseBreak reports whether r ends a clause for negation and exclusion purposes.
func clauseBreak(r rune) bool {
	switch r {
	case '。', '！', '？', '!', '?', '；', ';', '\n', '，', ',', '.', '、', '：', ':':
		return true
	}
	return false
}

// clause returns the byte bounds of the clause around [start, end).
func clause(text string, start, end int) (int, int) {
	// Walk back from the match, not forward from the start: a case's text is many kilobytes and a
	// rule may hit it twenty times.
	cs := start
	for cs > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:cs])
		if clauseBreak(r) {
			break
		}
		cs -= n
	}
	ce := len(text)
	for i, r := range text[end:] {
		if clauseBreak(r) {
			ce = end + i
			break
		}
	}
	return cs, ce
}

// negated reports whether prefix (the clause text before a match) ends in a negation: a Chinese cue
// within the last window runes, or an English cue among the last three words. A cue that follows a
// conditional ("如果不", "if ... not") belongs to a condition and negates nothing.
func negated(prefix string, cues, conditionals []string, window int) bool {
	runes := []rune(prefix)
	tailStart := 0
	if len(runes) > window {
		tailStart = len(runes) - window
	}
	words := strings.FieldsFunc(strings.ToLower(prefix), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\'' && r != '’'
	})
	for i := range words {
		words[i] = strings.ReplaceAll(words[i], "’", "'")
	}
	for _, cue := range cues {
		if isASCII(cue) {
			for i := max(0, len(words)-3); i < len(words); i++ {
				if words[i] == cue && !containsAny(words[:i], conditionals) {
					return true
				}
			}
			continue
		}
		cr := []rune(cue)
		for i := tailStart; i+len(cr) <= len(runes); i++ {
			if string(runes[i:i+len(cr)]) != cue {
				continue
			}
			before := string(runes[max(0, i-2):i])
			conditional := false
			for _, c := range conditionals {
				if !isASCII(c) && strings.Contains(before, c) {
					conditional = true
				}
			}
			if !conditional {
				return true
			}
		}
	}
	return false
}

func containsAny(words, set []string) bool {
	for _, w := range words {
		for _, s := range set {
			if w == s {
				return true
			}
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// snippet is the match with a little context, for explanations.
func snippet(text string, start, end int) string {
	cs, ce := clause(text, start, end)
	s := strings.TrimSpace(text[cs:ce])
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return s
}
