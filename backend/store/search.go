package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"time"
	"unicode/utf8"
)

// Full-text search over case titles, order numbers and timeline text (summaries and bodies).
//
// The index is SQLite FTS5 with the trigram tokenizer (migration 0007), which matches any substring of
// three or more characters: the right tool for Chinese, which has no spaces between words. Trigrams
// cannot answer a one- or two-character term ("奶粉"), so such terms take the explicit LIKE fallback
// below: correct, but a scan, and measured separately by `make bench-board`.
// This file is the only place that knows about FTS5.

// indexPending indexes the timeline entries tx wrote (noted in fts_pending by migration 0011's
// triggers) in one statement, just before tx commits. In rowid order: FTS5 writes its pending terms out
// whenever a rowid is not above the last one, and a batch's messages belong to cases old and new.
func indexPending(ctx context.Context, tx *sql.Tx) error {
	var pending bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM fts_pending)`).Scan(&pending); err != nil {
		return fmt.Errorf("full-text index: %w", err)
	}
	if !pending {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO case_event_fts(rowid, summary, body_text)
		SELECT (e.case_id << 32) | e.id AS r, e.summary, e.body_text FROM fts_pending p JOIN case_events e ON e.id = p.event_id
		ORDER BY r`); err != nil {
		return fmt.Errorf("full-text index: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM fts_pending`); err != nil {
		return fmt.Errorf("full-text index: %w", err)
	}
	return nil
}

// minTrigramRunes is the shortest term the trigram index can answer.
const minTrigramRunes = 3

// SearchTerms splits a query into terms: whitespace separates terms and every term must match
// (AND), each anywhere in the case's title, order number or timeline. NUL and invalid UTF-8 cannot be
// in stored text and would cut an FTS5 query short, so they are dropped.
func SearchTerms(q string) []string {
	return strings.Fields(strings.ReplaceAll(strings.ToValidUTF8(q, ""), "\x00", ""))
}

// UsesIndex says whether a term is answered by the trigram index (true) or by the LIKE scan.
func UsesIndex(term string) bool { return utf8.RuneCountInString(term) >= minTrigramRunes }

// searchCondition returns a WHERE fragment over cases aliased c that matches every term of q, or ""
// when q has no terms. arg appends a bind value and returns its placeholder. Index terms found in
// resolved (see ResolveSearch) use their precomputed case ids instead of running the match again.
func searchCondition(q string, resolved map[string]string, arg func(any) string) string {
	if ids, ok := resolved[allTerms]; ok {
		return "+c.id IN (SELECT value FROM json_each(" + arg(ids) + "))"
	}
	var parts []string
	for _, term := range SearchTerms(q) {
		if ids, ok := resolved[term]; ok {
			// "+c.id": a membership test, not a way in. Without the plus SQLite walks the id list and
			// probes cases one by one, instead of reading the column's slice of the board index.
			parts = append(parts, "+c.id IN (SELECT value FROM json_each("+arg(ids)+"))")
			continue
		}
		if UsesIndex(term) {
			p := arg(ftsPhrase(term))
			parts = append(parts, "c.id IN ("+ftsCaseIDs(p)+")")
			continue
		}
		// Fallback for 1-2 character terms: trigram cannot see them. A correlated EXISTS rather than a
		// precomputed set, so that the other filters (open cases only, one owner...) bound the scan.
		p := arg("%" + escapeLike(term) + "%")
		parts = append(parts, "(c.title LIKE "+p+" ESCAPE '\\' OR c.order_no LIKE "+p+" ESCAPE '\\'"+
			" OR EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND (e.summary LIKE "+p+" ESCAPE '\\' OR e.body_text LIKE "+p+" ESCAPE '\\')))")
	}
	return strings.Join(parts, " AND ")
}

// ftsCaseIDs is the ids of the cases whose title, order number or timeline contains the phrase bound
// at placeholder p. Timeline hits carry their case in the high 32 bits of the rowid (migration 0007).
func ftsCaseIDs(p string) string {
	return "SELECT rowid FROM case_title_fts WHERE case_title_fts MATCH " + p +
		" UNION SELECT rowid >> 32 FROM case_event_fts WHERE case_event_fts MATCH " + p
}

// PrepareBoard readies f for the several queries of one board (column counts, then a window per
// column) grouped by group: it fixes "now" for the Breached filter and runs the search once. Index
// terms are matched first, then the cases matching the whole filter and every term (short ones by
// the LIKE fallback) are found in one scan, and every later query reuses that set. Sets travel as
// JSON arrays read back with json_each, which keeps the statement's text fixed however many cases
// match.
func (s *Store) PrepareBoard(ctx context.Context, f BoardFilter, group BoardGroup, now time.Time) (BoardFilter, error) {
	f.now = now
	resolved := maps.Clone(f.resolved)
	if resolved == nil {
		resolved = map[string]string{}
	}
	terms := SearchTerms(f.Query)
	for _, term := range terms {
		if !UsesIndex(term) {
			continue
		}
		if _, done := resolved[term]; done {
			continue
		}
		ids, err := s.caseIDs(ctx, ftsCaseIDs("$1"), ftsPhrase(term))
		if err != nil {
			return f, fmt.Errorf("search %q: %w", term, err)
		}
		resolved[term] = ids
	}
	f.resolved = resolved
	// One pass narrows the matches to this board's cases (open ones, this owner...), so that the
	// column counts and windows that follow test membership in that set, not in every match of the
	// whole workspace, and short terms scan timelines once.
	if len(terms) > 0 {
		arg, args := placeholders()
		ids, err := s.caseIDs(ctx, "SELECT c.id FROM cases c"+boardWhere(f, group, arg), *args...)
		if err != nil {
			return f, fmt.Errorf("search %q: %w", f.Query, err)
		}
		f.resolved = map[string]string{allTerms: ids}
	}
	return f, nil
}

// allTerms keys the set of cases that match the filter and every term, when PrepareBoard found it.
const allTerms = "\x00all"

// caseIDs runs q and returns its single id column as a JSON array.
func (s *Store) caseIDs(ctx context.Context, q string, args ...any) (string, error) {
	rows, err := s.reader().QueryContext(ctx, q, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return "", err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	b, err := json.Marshal(ids)
	return string(b), err
}

// ftsPhrase quotes a term as one FTS5 phrase so that operators and punctuation in user input
// (AND, NOT, *, ", :) are searched for literally instead of parsed.
func ftsPhrase(term string) string {
	return `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
}
