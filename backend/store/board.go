package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"cockpit/backend/cases"
)

// BoardFilter narrows the escalation board. Zero values mean "any"; lists mean "any of". It is also the
// saved-view payload (JSON) and the board package's Filter.
type BoardFilter struct {
	// Statuses defaults to open + pending when grouping by level, to all statuses when grouping by status.
	Statuses []cases.Status `json:"statuses,omitempty"`
	Levels   []int          `json:"levels,omitempty"` // 0 = not yet classified
	OwnerIDs []int64        `json:"ownerIds,omitempty"`
	// Unassigned adds cases with no owner to OwnerIDs (alone: only unowned cases).
	Unassigned bool     `json:"unassigned,omitempty"`
	Types      []string `json:"types,omitempty"`
	Flags      []string `json:"flags,omitempty"`
	SourceIDs  []int64  `json:"sourceIds,omitempty"` // cases with at least one item from these sources
	// ShiftID keeps the cases owned by that shift's supervisor (the roster, migration 0003).
	ShiftID int64 `json:"shiftId,omitempty"`
	// Breached keeps cases with a clock past its deadline: stored as breached, or still running (or
	// warning) with its due time already gone by. Paused and met clocks never count.
	Breached bool `json:"breached,omitempty"`
	// Regulator keeps only regulator matters (12315 / market regulator letters and work orders).
	Regulator  bool  `json:"regulator,omitempty"`
	IncidentID int64 `json:"incidentId,omitempty"`
	// Query is full-text (see search.go): whitespace-separated terms, all must match.
	Query string `json:"query,omitempty"`

	now time.Time // for Breached; set by PrepareBoard
	// Set by PrepareBoard for a search: the matching cases of each column of grouping searchedBy, most
	// recently active first, which the column counts and windows then read instead of searching again.
	searchedBy BoardGroup
	searched   map[boardColumn][]int64
}

// boardColumn names a column: a level when grouping by level, a status when grouping by status.
type boardColumn struct {
	level  int
	status cases.Status
}

func columnOf(group BoardGroup, level int, status cases.Status) boardColumn {
	if group == GroupByStatus {
		return boardColumn{status: status}
	}
	return boardColumn{level: level}
}

// BoardGroup is the column dimension.
type BoardGroup string

const (
	GroupByLevel  BoardGroup = "level"
	GroupByStatus BoardGroup = "status"
)

// BoardCount is one column's size.
type BoardCount struct {
	Level  int          `json:"level"`
	Status cases.Status `json:"status"`
	Count  int          `json:"count"`
}

// boardWhere renders f (plus the grouping's default statuses) as a WHERE clause over cases aliased c.
func boardWhere(f BoardFilter, group BoardGroup, arg func(any) string) string {
	var where []string
	in := func(col string, n int, val func(i int) any) {
		ph := make([]string, n)
		for i := range n {
			ph[i] = arg(val(i))
		}
		where = append(where, col+" IN ("+strings.Join(ph, ",")+")")
	}
	statuses := f.Statuses
	if len(statuses) == 0 && group != GroupByStatus {
		statuses = []cases.Status{cases.StatusOpen, cases.StatusPending}
	}
	if len(statuses) > 0 {
		in("c.status", len(statuses), func(i int) any { return string(statuses[i]) })
	}
	if len(f.Levels) > 0 {
		in("c.level", len(f.Levels), func(i int) any { return f.Levels[i] })
	}
	switch {
	case len(f.OwnerIDs) > 0 && f.Unassigned:
		ph := make([]string, len(f.OwnerIDs))
		for i, id := range f.OwnerIDs {
			ph[i] = arg(id)
		}
		where = append(where, "(c.owner_id IS NULL OR c.owner_id IN ("+strings.Join(ph, ",")+"))")
	case len(f.OwnerIDs) > 0:
		in("c.owner_id", len(f.OwnerIDs), func(i int) any { return f.OwnerIDs[i] })
	case f.Unassigned:
		where = append(where, "c.owner_id IS NULL")
	}
	if len(f.Types) > 0 {
		// A few owners' open cases are far fewer than one type's cases of every status, but the planner's
		// statistics favour the type index: "+" takes it out of the running when owners are given.
		col := "c.type"
		if len(f.OwnerIDs) > 0 && !f.Unassigned {
			col = "+c.type"
		}
		in(col, len(f.Types), func(i int) any { return f.Types[i] })
	}
	if len(f.Flags) > 0 {
		ph := make([]string, len(f.Flags))
		for i, fl := range f.Flags {
			ph[i] = arg(fl)
		}
		// "+c.id" here and below: a membership test; the case filters choose the index (see search.go).
		where = append(where, "+c.id IN (SELECT cf.case_id FROM case_flags cf WHERE cf.flag IN ("+strings.Join(ph, ",")+"))")
	}
	if len(f.SourceIDs) > 0 {
		ph := make([]string, len(f.SourceIDs))
		for i, id := range f.SourceIDs {
			ph[i] = arg(id)
		}
		where = append(where, "EXISTS (SELECT 1 FROM raw_items r WHERE r.case_id = c.id AND r.source_id IN ("+strings.Join(ph, ",")+"))")
	}
	if f.ShiftID != 0 {
		where = append(where, "c.owner_id IN (SELECT sh.supervisor_id FROM shifts sh WHERE sh.id = "+arg(f.ShiftID)+")")
	}
	if f.Breached {
		where = append(where, "+c.id IN (SELECT k.case_id FROM case_clocks k WHERE k.state = 'breached'"+
			" OR (k.state IN ('running', 'warning50', 'warning80') AND k.due_at < "+arg(FormatTime(f.now))+"))")
	}
	if f.Regulator {
		where = append(where, "c.is_regulator = 1")
	}
	if f.IncidentID != 0 {
		where = append(where, "c.incident_id = "+arg(f.IncidentID))
	}
	if cond := searchCondition(f.Query, statuses, arg); cond != "" {
		where = append(where, cond)
	}
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

// placeholders returns an arg function numbering $1, $2 ... and the slice it fills.
func placeholders() (func(any) string, *[]any) {
	args := &[]any{}
	return func(v any) string {
		*args = append(*args, v)
		return fmt.Sprintf("$%d", len(*args))
	}, args
}

// BoardCounts returns the size of every non-empty column under f.
func (s *Store) BoardCounts(ctx context.Context, group BoardGroup, f BoardFilter) ([]BoardCount, error) {
	if f.searched != nil && f.searchedBy == group {
		var out []BoardCount
		for col, ids := range f.searched {
			out = append(out, BoardCount{Level: col.level, Status: col.status, Count: len(ids)})
		}
		slices.SortFunc(out, func(a, b BoardCount) int {
			return cmp.Or(cmp.Compare(a.Level, b.Level), cmp.Compare(a.Status, b.Status))
		})
		return out, nil
	}
	arg, args := placeholders()
	col := "c.level"
	if group == GroupByStatus {
		col = "c.status"
	}
	q := "SELECT " + col + ", COUNT(*) FROM cases c" + boardWhere(f, group, arg) + " GROUP BY " + col
	rows, err := s.reader().QueryContext(ctx, q, *args...)
	if err != nil {
		return nil, fmt.Errorf("board counts: %w", err)
	}
	defer rows.Close()
	var out []BoardCount
	for rows.Next() {
		var bc BoardCount
		var err error
		if group == GroupByStatus {
			err = rows.Scan(&bc.Status, &bc.Count)
		} else {
			err = rows.Scan(&bc.Level, &bc.Count)
		}
		if err != nil {
			return nil, fmt.Errorf("board counts: %w", err)
		}
		out = append(out, bc)
	}
	return out, rows.Err()
}

// activity is the board's sort key; the expression is the one indexed by migration 0007.
const activity = "COALESCE(c.last_message_at, c.opened_at)"

// BoardCards returns one window of a column (the cases of level `level` or status `status`, whichever
// the grouping uses), most recently active first, with channels and flags filled in.
func (s *Store) BoardCards(ctx context.Context, group BoardGroup, f BoardFilter, level int, status cases.Status, offset, limit int) ([]cases.Case, error) {
	if f.searched != nil && f.searchedBy == group {
		ids := f.searched[columnOf(group, level, status)]
		// As LIMIT and OFFSET read them: a negative offset is 0, a negative limit none.
		offset = min(max(offset, 0), len(ids))
		if limit >= 0 {
			ids = ids[:min(offset+limit, len(ids))]
		}
		if ids = ids[offset:]; len(ids) == 0 {
			return []cases.Case{}, nil
		}
		in, args := inIDs(ids) // a window holds at most board.MaxWindow (500) cards
		return s.boardCards(ctx, "SELECT "+caseColumns+caseFrom+" WHERE c.id IN "+in+" ORDER BY "+activity+" DESC, c.id DESC", args...)
	}
	arg, args := placeholders()
	// Narrow the filter to the column so the (status, level, activity) index serves the window.
	if group == GroupByStatus {
		f.Statuses = []cases.Status{status}
	} else {
		f.Levels = []int{level}
	}
	// Two steps: pick the window's ids from cases alone (the activity index answers it without touching
	// the rows), then join people and customers for those 50 rather than for the whole column.
	window := "SELECT c.id, " + activity + " AS act FROM cases c" + boardWhere(f, group, arg) +
		" ORDER BY " + activity + " DESC, c.id DESC LIMIT " + arg(limit) + " OFFSET " + arg(offset)
	return s.boardCards(ctx, "SELECT "+caseColumns+" FROM ("+window+") w JOIN cases c ON c.id = w.id"+
		" LEFT JOIN people p ON p.id = c.owner_id LEFT JOIN customers cu ON cu.id = c.customer_id ORDER BY w.act DESC, c.id DESC", *args...)
}

// boardCards runs q, a query of caseColumns, and fills in the channels and flags of its cases.
func (s *Store) boardCards(ctx context.Context, q string, args ...any) ([]cases.Case, error) {
	rows, err := s.reader().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("board cards: %w", err)
	}
	defer rows.Close()
	out := []cases.Case{}
	index := map[int64]int{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("board cards: %w", err)
		}
		index[c.ID] = len(out)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("board cards: %w", err)
	}
	rows.Close()
	if err := s.fillChannelsAndFlags(ctx, out, index); err != nil {
		return nil, err
	}
	return out, nil
}

// BoardIncident is an open incident for the board's red-alert strip.
type BoardIncident struct {
	ID        int64     `json:"id"`
	Key       string    `json:"key"`
	Title     string    `json:"title"`
	Level     int       `json:"level"`
	OpenedAt  time.Time `json:"openedAt"`
	CaseCount int       `json:"caseCount"`
}

// OpenIncidents lists open incidents, most severe then newest first, with how many cases they group.
func (s *Store) OpenIncidents(ctx context.Context) ([]BoardIncident, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT i.id, i.incident_key, i.title, i.level, i.opened_at,
		(SELECT COUNT(*) FROM cases c WHERE c.incident_id = i.id)
		FROM incidents i WHERE i.status = 'open' ORDER BY i.level, i.opened_at DESC, i.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("open incidents: %w", err)
	}
	defer rows.Close()
	out := []BoardIncident{}
	for rows.Next() {
		var in BoardIncident
		var opened sql.NullString
		if err := rows.Scan(&in.ID, &in.Key, &in.Title, &in.Level, &opened, &in.CaseCount); err != nil {
			return nil, fmt.Errorf("open incidents: %w", err)
		}
		in.OpenedAt = parseNullTime(opened)
		out = append(out, in)
	}
	return out, rows.Err()
}

// CaseMove is a supervisor's change of a case's level, owner and/or status. Zero fields stay as they are.
type CaseMove struct {
	CaseID  int64
	Level   int
	OwnerID int64
	Status  cases.Status
	Reason  string
	Actor   string
	At      time.Time
}

// CaseMoveChange is one field that changed, as recorded on the timeline and in the audit entry.
type CaseMoveChange struct {
	Field string `json:"field"` // level | owner | status
	From  string `json:"from"`
	To    string `json:"to"`
}

// ErrNoChange is returned when a move asks for what the case already is.
var ErrNoChange = errors.New("the case already has that level, owner and status")

// MoveCase applies m in one transaction: it updates the case, appends one timeline event per changed
// field (kind level/owner/status, the reason in the summary and data), then calls also(tx, changes) so
// the caller's audit entry commits or rolls back with the move.
func (s *Store) MoveCase(ctx context.Context, m CaseMove, also func(tx *sql.Tx, changes []CaseMoveChange) error) ([]CaseMoveChange, error) {
	var changes []CaseMoveChange
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var level int
		var status cases.Status
		var ownerID int64
		var owner string
		err := tx.QueryRowContext(ctx, `SELECT c.level, c.status, COALESCE(c.owner_id, 0), COALESCE(p.username, '')
			FROM cases c LEFT JOIN people p ON p.id = c.owner_id WHERE c.id = $1`, m.CaseID).Scan(&level, &status, &ownerID, &owner)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("case %d: %w", m.CaseID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("move case %d: %w", m.CaseID, err)
		}
		at := FormatTime(m.At)
		if m.Level != 0 && m.Level != level {
			changes = append(changes, CaseMoveChange{Field: "level", From: fmt.Sprint(level), To: fmt.Sprint(m.Level)})
			if _, err := tx.ExecContext(ctx, "UPDATE cases SET level = $1, updated_at = $2 WHERE id = $3", m.Level, at, m.CaseID); err != nil {
				return fmt.Errorf("move case %d to level %d: %w", m.CaseID, m.Level, err)
			}
		}
		if m.OwnerID != 0 && m.OwnerID != ownerID {
			var newOwner string
			err := tx.QueryRowContext(ctx, "SELECT username FROM people WHERE id = $1 AND active = 1", m.OwnerID).Scan(&newOwner)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("owner %d (no active person with that id): %w", m.OwnerID, ErrNotFound)
			}
			if err != nil {
				return fmt.Errorf("move case %d: find owner %d: %w", m.CaseID, m.OwnerID, err)
			}
			changes = append(changes, CaseMoveChange{Field: "owner", From: owner, To: newOwner})
			if _, err := tx.ExecContext(ctx, "UPDATE cases SET owner_id = $1, updated_at = $2 WHERE id = $3", m.OwnerID, at, m.CaseID); err != nil {
				return fmt.Errorf("assign case %d to %s: %w", m.CaseID, newOwner, err)
			}
		}
		if m.Status != "" && m.Status != status {
			changes = append(changes, CaseMoveChange{Field: "status", From: string(status), To: string(m.Status)})
			if _, err := tx.ExecContext(ctx, "UPDATE cases SET status = $1, updated_at = $2 WHERE id = $3", string(m.Status), at, m.CaseID); err != nil {
				return fmt.Errorf("set case %d to %s: %w", m.CaseID, m.Status, err)
			}
		}
		if len(changes) == 0 {
			return ErrNoChange
		}
		for _, ch := range changes {
			data, err := jsonText(map[string]string{"from": ch.From, "to": ch.To, "reason": m.Reason})
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO case_events (case_id, kind, channel, actor, occurred_at, summary, data_json)
				VALUES ($1, $2, 'internal', $3, $4, $5, $6)`,
				m.CaseID, ch.Field, m.Actor, at, fmt.Sprintf("%s: %s → %s (%s)", ch.Field, ch.From, ch.To, m.Reason), data); err != nil {
				return fmt.Errorf("record %s change of case %d: %w", ch.Field, m.CaseID, err)
			}
		}
		if also != nil {
			return also(tx, changes)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return changes, nil
}

// OptimizeStats refreshes the query planner's statistics. The board combines filters (status, owner,
// type, flags, search) whose best index depends on how many rows each selects, which SQLite only knows
// from these statistics. The sampling limit keeps it to milliseconds even with a million events, and
// PRAGMA optimize skips tables whose statistics are still good.
func (s *Store) OptimizeStats(ctx context.Context) error {
	if _, err := s.exec(ctx, "PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002"); err != nil {
		return fmt.Errorf("refresh query statistics: %w", err)
	}
	return nil
}

// jsonText encodes v for a *_json column.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode %T: %w", v, err)
	}
	return string(b), nil
}
