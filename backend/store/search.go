package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"cockpit/backend/cases"
)

// Full-text search over case titles, order numbers and timeline text (summaries and bodies).
//
// The indexes are SQLite FTS5 tables with the trigram tokenizer (migration 0012), which match any
// substring of three or more characters: the right tool for Chinese, which has no spaces between words.
// Timeline text is indexed in two tables by the status of its case, so that a search of open cases, the
// board's default, never reads the timelines of closed ones. A two-character term ("奶粉", the most
// common kind of Chinese search) is looked up among the trigrams that begin with it; a one-character term,
// or a two-character one with letters that have case beyond ASCII, takes the LIKE fallback below:
// correct, but a scan of the filtered cases' timelines.
// This file is the only place that knows about FTS5.

// indexPending indexes what tx wrote, just before tx commits: the timeline entries noted in fts_pending
// by the triggers of migrations 0011 and 0012, each into the table of its case's status, and the case
// titles noted in fts_pending_cases (migration 0014). In rowid order: FTS5 writes its pending terms out
// whenever a rowid is not above the last one, and a batch's messages belong to cases old and new.
func indexPending(ctx context.Context, tx *sql.Tx) error {
	var events, titles bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM fts_pending), EXISTS (SELECT 1 FROM fts_pending_cases)`).Scan(&events, &titles); err != nil {
		return fmt.Errorf("full-text index: %w", err)
	}
	var qs []string
	if titles {
		qs = append(qs,
			`INSERT INTO case_title_fts(rowid, title, order_no)
			SELECT c.id, c.title || ' ', c.order_no || ' ' FROM fts_pending_cases p CROSS JOIN cases c ON c.id = p.case_id ORDER BY 1`,
			`DELETE FROM fts_pending_cases`)
	}
	if events {
		// The trailing space is the end-of-text mark of migration 0012. CROSS JOIN keeps SQLite walking
		// out from the few pending rows instead of from every open case.
		qs = append(qs,
			`INSERT INTO case_event_open_fts(rowid, summary, body_text)
			SELECT (e.case_id << 32) | e.id, e.summary || ' ', e.body_text || ' ' FROM fts_pending p
			CROSS JOIN case_events e ON e.id = p.event_id CROSS JOIN cases c ON c.id = e.case_id
			WHERE c.status IN ('open', 'pending') ORDER BY 1`,
			`INSERT INTO case_event_closed_fts(rowid, summary, body_text)
			SELECT (e.case_id << 32) | e.id, e.summary || ' ', e.body_text || ' ' FROM fts_pending p
			CROSS JOIN case_events e ON e.id = p.event_id CROSS JOIN cases c ON c.id = e.case_id
			WHERE c.status NOT IN ('open', 'pending') ORDER BY 1`,
			`DELETE FROM fts_pending`)
	}
	for _, q := range qs {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("full-text index: %w", err)
		}
	}
	return nil
}

// SearchTerms splits a query into terms: whitespace separates terms and every term must match
// (AND), each anywhere in the case's title, order number or timeline. NUL and invalid UTF-8 cannot be
// in stored text and would cut an FTS5 query short, so they are dropped.
func SearchTerms(q string) []string {
	return strings.Fields(strings.ReplaceAll(strings.ToValidUTF8(q, ""), "\x00", ""))
}

// timelineIndexes names the timeline tables (with their term lists) that can hold entries of cases in
// statuses; none given means any status.
func timelineIndexes(statuses []cases.Status) [][2]string {
	open, closed := len(statuses) == 0, len(statuses) == 0
	for _, st := range statuses {
		if st == cases.StatusOpen || st == cases.StatusPending {
			open = true
		} else {
			closed = true
		}
	}
	var out [][2]string
	if open {
		out = append(out, [2]string{"case_event_open_fts", "case_event_open_terms"})
	}
	if closed {
		out = append(out, [2]string{"case_event_closed_fts", "case_event_closed_terms"})
	}
	return out
}

// searchCondition returns a WHERE fragment over cases aliased c that matches every term of q, or ""
// when q has no terms. statuses are the case statuses the rest of the query admits (none: any), so that
// only the timeline tables of those cases are read. arg appends a bind value and returns its placeholder.
func searchCondition(q string, statuses []cases.Status, arg func(any) string) string {
	var parts []string
	for _, term := range SearchTerms(q) {
		var match func(terms string) string // the MATCH operand for the index whose term list is terms
		if utf8.RuneCountInString(term) >= 3 {
			p := arg(ftsPhrase(term))
			match = func(string) string { return p }
		} else if prefix, ok := trigramPrefix(term); ok {
			// Every trigram that begins with the term, as one OR query; '""' (no trigram) matches nothing.
			lo, hi := arg(prefix), arg(prefix+string(utf8.MaxRune))
			match = func(terms string) string {
				return `(SELECT COALESCE(group_concat('"' || replace(term, '"', '""') || '"', ' OR '), '""') FROM ` +
					terms + " WHERE term >= " + lo + " AND term <= " + hi + ")"
			}
		}
		if match == nil {
			// One character, or two with letters that fold beyond ASCII: a correlated EXISTS rather than
			// a precomputed set, so that the other filters (open cases only, one owner...) bound the scan.
			// The engine's bookkeeping is skipped here as it is left out of the index (migration 0011).
			p := arg("%" + escapeLike(term) + "%")
			parts = append(parts, "(c.title LIKE "+p+" ESCAPE '\\' OR c.order_no LIKE "+p+" ESCAPE '\\'"+
				" OR EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.actor IS NOT 'engine'"+
				" AND (e.summary LIKE "+p+" ESCAPE '\\' OR e.body_text LIKE "+p+" ESCAPE '\\')))")
			continue
		}
		// The ids of the cases whose title, order number or timeline holds the term; timeline hits carry
		// their case in the high 32 bits of the rowid. "+c.id": a membership test in that set, built once,
		// not a way in, so that the case filters choose the index.
		set := "SELECT rowid FROM case_title_fts WHERE case_title_fts MATCH " + match("case_title_terms")
		for _, idx := range timelineIndexes(statuses) {
			set += " UNION ALL SELECT rowid >> 32 FROM " + idx[0] + " WHERE " + idx[0] + " MATCH " + match(idx[1])
		}
		parts = append(parts, "+c.id IN ("+set+")")
	}
	return strings.Join(parts, " AND ")
}

// trigramPrefix returns a two-character term as the index stores the start of a trigram (the trigram
// tokenizer folds case), and false for other lengths or for letters whose folding is not plain ASCII
// lower-casing, which go to the LIKE fallback rather than risk a different folding.
func trigramPrefix(term string) (string, bool) {
	if utf8.RuneCountInString(term) != 2 {
		return "", false
	}
	var b strings.Builder
	for _, r := range term {
		switch {
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r >= utf8.RuneSelf && unicode.SimpleFold(r) != r:
			return "", false
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// PrepareBoard readies f for the several queries of one board (column counts, then a window per
// column) grouped by group: it fixes "now" for the Breached filter and, for a search, runs it once over
// the board's cases (open ones, this owner...) and keeps each column's matches in activity order, so
// that the counts are their lengths and a window is a slice of them read by id.
func (s *Store) PrepareBoard(ctx context.Context, f BoardFilter, group BoardGroup, now time.Time) (BoardFilter, error) {
	f.now = now
	f.searchedBy, f.searched = "", nil
	if len(SearchTerms(f.Query)) == 0 {
		return f, nil
	}
	col := "c.level"
	if group == GroupByStatus {
		col = "c.status"
	}
	// One row per match in column and activity order, grouped here. This replaced a group_concat(...
	// ORDER BY) per column, which is SQLite's own syntax, and the parsing of its id lists; it is as fast
	// (the status board reads the cases_status_activity index in order, where the aggregate sorted).
	arg, args := placeholders()
	rows, err := s.reader().QueryContext(ctx, "SELECT "+col+", c.id FROM cases c"+boardWhere(f, group, arg)+
		" ORDER BY "+col+", "+activity+" DESC, c.id DESC", *args...)
	if err != nil {
		return f, fmt.Errorf("search %q: %w", f.Query, err)
	}
	defer rows.Close()
	searched := map[boardColumn][]int64{}
	for rows.Next() {
		var level int
		var status cases.Status
		var id int64
		if group == GroupByStatus {
			err = rows.Scan(&status, &id)
		} else {
			err = rows.Scan(&level, &id)
		}
		if err != nil {
			return f, fmt.Errorf("search %q: %w", f.Query, err)
		}
		column := columnOf(group, level, status)
		searched[column] = append(searched[column], id)
	}
	if err := rows.Err(); err != nil {
		return f, fmt.Errorf("search %q: %w", f.Query, err)
	}
	f.searchedBy, f.searched = group, searched
	return f, nil
}

// ftsPhrase quotes a term as one FTS5 phrase so that operators and punctuation in user input
// (AND, NOT, *, ", :) are searched for literally instead of parsed.
func ftsPhrase(term string) string {
	return `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
}
