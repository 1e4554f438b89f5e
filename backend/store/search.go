package store

import (
	"strings"
	"unicode/utf8"
)

// Full-text search over case titles, order numbers and timeline text (summaries and bodies).
//
// The index is SQLite FTS5 with the trigram tokenizer (migration 0007), which matches any substring of
// three or more characters: the right tool for Chinese, which has no spaces between words. Trigrams
// cannot answer a one- or two-character term ("奶粉"), so such terms take the explicit LIKE fallback
// below: correct, but a scan, and measured separately by `make bench-board`.
// This file is the only place that knows about FTS5.

// minTrigramRunes is the shortest term the trigram index can answer.
const minTrigramRunes = 3

// SearchTerms splits a query into terms: whitespace separates terms and every term must match
// (AND), each anywhere in the case's title, order number or timeline.
func SearchTerms(q string) []string { return strings.Fields(q) }

// UsesIndex says whether a term is answered by the trigram index (true) or by the LIKE scan.
func UsesIndex(term string) bool { return utf8.RuneCountInString(term) >= minTrigramRunes }

// searchCondition returns a WHERE fragment over cases aliased c that matches every term of q, or ""
// when q has no terms. arg appends a bind value and returns its placeholder.
func searchCondition(q string, arg func(any) string) string {
	var parts []string
	for _, term := range SearchTerms(q) {
		if UsesIndex(term) {
			p := arg(ftsPhrase(term))
			parts = append(parts, "c.id IN (SELECT rowid FROM case_title_fts WHERE case_title_fts MATCH "+p+
				" UNION SELECT e.case_id FROM case_event_fts f JOIN case_events e ON e.id = f.rowid WHERE case_event_fts MATCH "+p+")")
			continue
		}
		// Fallback for 1-2 character terms: trigram cannot see them.
		p := arg("%" + escapeLike(term) + "%")
		parts = append(parts, "(c.title LIKE "+p+" ESCAPE '\\' OR c.order_no LIKE "+p+" ESCAPE '\\'"+
			" OR EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND (e.summary LIKE "+p+" ESCAPE '\\' OR e.body_text LIKE "+p+" ESCAPE '\\')))")
	}
	return strings.Join(parts, " AND ")
}

// ftsPhrase quotes a term as one FTS5 phrase so that operators and punctuation in user input
// (AND, NOT, *, ", :) are searched for literally instead of parsed.
func ftsPhrase(term string) string {
	return `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
}
