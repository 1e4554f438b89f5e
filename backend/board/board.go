// Package board is the escalation board: columns of cases by level or by status with their counts,
// filters and full-text search, windows of cards for a virtualised list, supervisor moves (level,
// owner, status) with a reason that land on the case timeline and in the audit trail, and saved views.
package board

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cockpit/backend/audit"
	"cockpit/backend/cases"
	"cockpit/backend/clocks"
	"cockpit/backend/filings"
	"cockpit/backend/people"
	"cockpit/backend/store"
)

// Filter narrows the board; the same value is stored as a saved view. See store.BoardFilter.
type Filter = store.BoardFilter

// GroupBy is the column dimension: "level" (default) or "status".
type GroupBy = store.BoardGroup

// Incident is an open incident shown in the red-alert strip above the columns.
type Incident = store.BoardIncident

// Window sizes: the first window per column, and the most a single window call may ask for.
const (
	DefaultWindow = 50
	MaxWindow     = 500
)

// Query asks for a board.
type Query struct {
	GroupBy GroupBy `json:"groupBy"`
	Filter  Filter  `json:"filter"`
	// Window is how many cards each column carries in the first answer (default 50, at most 500);
	// the rest are fetched with Service.Window as the list scrolls.
	Window int `json:"window"`
}

// Card is one case as the board shows it: masked customer, channels, owner, flags, and the clock that
// runs out first.
type Card struct {
	Case    cases.Summary   `json:"case"`
	Nearest *cases.Deadline `json:"nearest,omitempty"`
	// Missing lists the evidence the case's checklists still lack, so the legal gap shows on the board.
	Missing []filings.Missing `json:"missing,omitempty"`
}

// Column is one board column. Key is "L1".."L3" or "L0" (not yet classified) by level, the status name
// by status. Count is the whole column under the filter; Cards is the first window only.
type Column struct {
	Key    string       `json:"key"`
	Level  int          `json:"level"`
	Status cases.Status `json:"status"`
	Count  int          `json:"count"`
	Cards  []Card       `json:"cards"`
}

// Board is the answer to a Query.
type Board struct {
	GroupBy   GroupBy    `json:"groupBy"`
	Columns   []Column   `json:"columns"`
	Total     int        `json:"total"`
	Incidents []Incident `json:"incidents"`
	At        time.Time  `json:"at"`
}

// DeadlineFunc returns each case's clocks (their states at the service's clock). The case engine
// provides it; without one, cards carry no clocks.
type DeadlineFunc func(ctx context.Context, list []cases.Case) (map[int64][]cases.Deadline, error)

// MissingFunc returns each case's unmet evidence requirements; the filings service provides it.
type MissingFunc func(ctx context.Context, caseIDs []int64) (map[int64][]filings.Missing, error)

// Service answers board queries and applies moves.
type Service struct {
	Store     *store.Store
	Clock     clocks.Clock
	Deadlines DeadlineFunc
	Missing   MissingFunc
	// Changed is told about every moved case so that the case engine re-derives what depends on its
	// level and owner (clocks, incident); the app wires the engine's refresh.
	Changed func(ctx context.Context, caseID int64)
}

// ErrInvalid marks a request the caller must fix (shown to the user as is).
var ErrInvalid = errors.New("invalid request")

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Normalize checks q and fills in defaults.
func (q Query) Normalize() (Query, error) {
	switch q.GroupBy {
	case "":
		q.GroupBy = store.GroupByLevel
	case store.GroupByLevel, store.GroupByStatus:
	default:
		return q, invalidf("group by must be level or status, not %q", q.GroupBy)
	}
	switch {
	case q.Window == 0:
		q.Window = DefaultWindow
	case q.Window < 0 || q.Window > MaxWindow:
		return q, invalidf("window must be 1-%d cards", MaxWindow)
	}
	return q, ValidateFilter(q.Filter)
}

// ValidateFilter rejects values no case can have, so a typo is an error rather than an empty board.
func ValidateFilter(f Filter) error {
	for _, s := range f.Statuses {
		if !validStatus(s) {
			return invalidf("unknown status %q", s)
		}
	}
	for _, l := range f.Levels {
		if l < 0 || l > 3 {
			return invalidf("level must be 0-3, not %d", l)
		}
	}
	if utf8.RuneCountInString(f.Query) > 200 {
		return invalidf("search text is longer than 200 characters")
	}
	return nil
}

func validStatus(s cases.Status) bool {
	switch s {
	case cases.StatusOpen, cases.StatusPending, cases.StatusResolved, cases.StatusClosed:
		return true
	}
	return false
}

// columnsFor lists the columns of a grouping in display order.
func columnsFor(g GroupBy) []Column {
	if g == store.GroupByStatus {
		return []Column{{Key: "open", Status: cases.StatusOpen}, {Key: "pending", Status: cases.StatusPending},
			{Key: "resolved", Status: cases.StatusResolved}, {Key: "closed", Status: cases.StatusClosed}}
	}
	return []Column{{Key: "L1", Level: 1}, {Key: "L2", Level: 2}, {Key: "L3", Level: 3}, {Key: "L0", Level: 0}}
}

// prepare normalises q, fixes its "now" and runs its full-text terms once for the queries that follow.
func (s *Service) prepare(ctx context.Context, q Query) (Query, error) {
	q, err := q.Normalize()
	if err != nil {
		return q, err
	}
	q.Filter, err = s.Store.PrepareBoard(ctx, q.Filter, q.GroupBy, s.Clock.Now())
	return q, err
}

// Board returns every column with its count and first window of cards, and the open incidents.
func (s *Service) Board(ctx context.Context, q Query) (Board, error) {
	q, err := s.prepare(ctx, q)
	if err != nil {
		return Board{}, err
	}
	counts, err := s.Store.BoardCounts(ctx, q.GroupBy, q.Filter)
	if err != nil {
		return Board{}, err
	}
	b := Board{GroupBy: q.GroupBy, Columns: columnsFor(q.GroupBy), At: s.Clock.Now()}
	for i := range b.Columns {
		col := &b.Columns[i]
		for _, c := range counts {
			if (q.GroupBy == store.GroupByStatus && c.Status == col.Status) || (q.GroupBy != store.GroupByStatus && c.Level == col.Level) {
				col.Count = c.Count
			}
		}
		b.Total += col.Count
		col.Cards = []Card{}
		if col.Count == 0 {
			continue
		}
		if col.Cards, err = s.window(ctx, q, col.Level, col.Status, 0, q.Window); err != nil {
			return Board{}, err
		}
	}
	if b.Incidents, err = s.Store.OpenIncidents(ctx); err != nil {
		return Board{}, err
	}
	return b, nil
}

// Window returns cards [offset, offset+limit) of one column (Column.Key) for a virtualised list.
func (s *Service) Window(ctx context.Context, q Query, key string, offset, limit int) ([]Card, error) {
	q, err := s.prepare(ctx, q)
	if err != nil {
		return nil, err
	}
	if offset < 0 || limit <= 0 || limit > MaxWindow {
		return nil, invalidf("window must start at 0 or later and hold 1-%d cards", MaxWindow)
	}
	for _, col := range columnsFor(q.GroupBy) {
		if col.Key == key {
			return s.window(ctx, q, col.Level, col.Status, offset, limit)
		}
	}
	return nil, invalidf("no column %q when grouping by %s", key, q.GroupBy)
}

func (s *Service) window(ctx context.Context, q Query, level int, status cases.Status, offset, limit int) ([]Card, error) {
	list, err := s.Store.BoardCards(ctx, q.GroupBy, q.Filter, level, status, offset, limit)
	if err != nil {
		return nil, err
	}
	return s.cards(ctx, list)
}

// cards masks the customer and attaches the clock to act on first. A card carries only that one: the
// case's full list of clocks was two fifths of the first board's bytes (which the web view must parse
// before it renders) and is shown by the case view, which reads it with the case.
func (s *Service) cards(ctx context.Context, list []cases.Case) ([]Card, error) {
	var deadlines map[int64][]cases.Deadline
	if s.Deadlines != nil && len(list) > 0 {
		var err error
		if deadlines, err = s.Deadlines(ctx, list); err != nil {
			return nil, fmt.Errorf("clocks of board cards: %w", err)
		}
	}
	var missing map[int64][]filings.Missing
	if s.Missing != nil && len(list) > 0 {
		ids := make([]int64, len(list))
		for i, c := range list {
			ids[i] = c.ID
		}
		var err error
		if missing, err = s.Missing(ctx, ids); err != nil {
			return nil, fmt.Errorf("missing evidence of board cards: %w", err)
		}
	}
	out := make([]Card, 0, len(list))
	for _, c := range list {
		card := Card{Case: cases.Summarize(c, false), Missing: missing[c.ID]}
		card.Nearest = Nearest(deadlines[c.ID])
		out = append(out, card)
	}
	return out, nil
}

// Nearest picks the clock a supervisor must act on first: a breached clock before any other, then the
// earliest due running or warning clock. Met, paused and unknown clocks never count as nearest.
func Nearest(ds []cases.Deadline) *cases.Deadline {
	var best *cases.Deadline
	rank := func(d cases.Deadline) int {
		if d.State == "breached" {
			return 0
		}
		return 1
	}
	for i := range ds {
		d := ds[i]
		switch d.State {
		case "met", "paused", "unknown", "":
			continue
		}
		if d.DueAt.IsZero() {
			continue
		}
		if best == nil || rank(d) < rank(*best) || (rank(d) == rank(*best) && d.DueAt.Before(best.DueAt)) {
			best = &ds[i]
		}
	}
	return best
}

// CanMove says whether a role may change a case's level, owner or status from the board. The legal
// liaison advises on regulator matters but does not run the queue.
func CanMove(role string) bool {
	switch role {
	case "supervisor", "manager", "admin":
		return true
	}
	return false
}

// Move is a drag on the board (or the a/e keys): a new level, owner and/or status with a reason.
// Zero fields stay unchanged.
type Move struct {
	CaseID  int64        `json:"caseId"`
	Level   int          `json:"level"`
	OwnerID int64        `json:"ownerId"`
	Status  cases.Status `json:"status"`
	Reason  string       `json:"reason"`
}

// MoveResult is the moved case and what changed.
type MoveResult struct {
	Card    Card                   `json:"card"`
	Changes []store.CaseMoveChange `json:"changes"`
}

// MaxReason bounds a move's reason (it is shown on the timeline and kept in the audit trail).
const MaxReason = 1000

// Move applies m for who: one transaction updates the case, appends a timeline event per changed field
// and the audit entry "case.move", so none of them can exist without the others.
func (s *Service) Move(ctx context.Context, who people.User, m Move) (MoveResult, error) {
	if !CanMove(who.Role) {
		return MoveResult{}, fmt.Errorf("%w: role %q may not move cases", ErrForbidden, who.Role)
	}
	m.Reason = strings.TrimSpace(m.Reason)
	switch {
	case m.CaseID <= 0:
		return MoveResult{}, invalidf("no case given")
	case m.Reason == "":
		return MoveResult{}, invalidf("a reason is required to move a case")
	case utf8.RuneCountInString(m.Reason) > MaxReason:
		return MoveResult{}, invalidf("the reason is longer than %d characters", MaxReason)
	case m.Level < 0 || m.Level > 3:
		return MoveResult{}, invalidf("level must be 1-3, not %d", m.Level)
	case m.Status != "" && !validStatus(m.Status):
		return MoveResult{}, invalidf("unknown status %q", m.Status)
	case m.OwnerID < 0:
		return MoveResult{}, invalidf("bad owner id %d", m.OwnerID)
	case m.Level == 0 && m.OwnerID == 0 && m.Status == "":
		return MoveResult{}, invalidf("a move needs a new level, owner or status")
	}
	now := s.Clock.Now()
	changes, err := s.Store.MoveCase(ctx, store.CaseMove{CaseID: m.CaseID, Level: m.Level, OwnerID: m.OwnerID,
		Status: m.Status, Reason: m.Reason, Actor: who.Username, At: now},
		func(tx *sql.Tx, changes []store.CaseMoveChange) error {
			// A supervisor's level is an override: the engine's next refresh keeps it instead of
			// re-deriving the level from the mail.
			if m.Level != 0 && slices.ContainsFunc(changes, func(c store.CaseMoveChange) bool { return c.Field == "level" }) {
				if _, err := store.InsertOverrideTx(ctx, tx, store.Override{CaseID: m.CaseID, Field: "level",
					Value: strconv.Itoa(m.Level), Reason: m.Reason, Actor: who.Username, At: now}); err != nil {
					return err
				}
			}
			return audit.RecordTx(ctx, tx, audit.Entry{Actor: who.Username, Action: "case.move", ObjectType: "case",
				ObjectID: fmt.Sprint(m.CaseID), At: now,
				Detail: map[string]any{"changes": changes, "reason": m.Reason}})
		})
	if err != nil {
		return MoveResult{}, err
	}
	if s.Changed != nil {
		s.Changed(ctx, m.CaseID)
	}
	c, err := s.Store.GetCase(ctx, m.CaseID)
	if err != nil {
		return MoveResult{}, err
	}
	cards, err := s.cards(ctx, []cases.Case{c})
	if err != nil {
		return MoveResult{}, err
	}
	return MoveResult{Card: cards[0], Changes: changes}, nil
}

// ErrForbidden means the actor's role does not allow the action.
var ErrForbidden = errors.New("not allowed")
