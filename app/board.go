package app

import (
	"context"
	"fmt"
	"os"
	"sync"

	"cockpit/backend/board"
	"cockpit/backend/people"
	"cockpit/backend/store"
)

// Board is the bound service behind the escalation board: columns with counts, windows of cards for
// the virtualised lists, moves with a reason, saved views, and the first-paint mark of `make bench-board`.
//
// Events: "board:changed" {caseId} after a move (the board refetches, throttled by the UI),
// "case:moved" board.MoveResult.
type Board struct {
	core  *Core
	Guard Guard

	mu        sync.Mutex
	optimized *store.Store // the store whose planner statistics were refreshed
}

// Guard is the sign-in check of bound methods; *people.Session satisfies it. The composition root sets
// it on Board, Replies and Review once the session is wired into Core. Without one, reading works and
// every change answers "sign in first" rather than acting as nobody.
type Guard interface {
	Require(roles ...people.Role) (people.User, error)
}

// signedIn returns the guard's user.
func signedIn(g Guard) (people.User, error) {
	if g == nil {
		return people.User{}, fmt.Errorf("sign in first")
	}
	return g.Require(people.Anyone...) // the backend packages check the role for each action
}

func (s *Board) service() (*board.Service, error) {
	st, err := s.core.ready()
	if err != nil {
		return nil, err
	}
	eng, err := s.core.caseEngine() // replays the cards' clocks (nearest deadline)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.optimized != st {
		s.optimized = st
		// The board's filters pick their index from the planner statistics; refresh them once per
		// workspace, beside the first board rather than before it.
		go func() {
			if err := st.OptimizeStats(context.Background()); err != nil {
				fmt.Fprintln(os.Stderr, "cockpit:", err)
			}
		}()
	}
	s.mu.Unlock()
	_, fl, err := s.core.legal()
	if err != nil {
		return nil, err
	}
	return &board.Service{Store: st, Clock: s.core.Clock, Deadlines: eng.Deadlines, Missing: fl.MissingByCase,
		Changed: eng.OnCaseChanged}, nil
}

// warm answers the opening board once, before anyone has signed in: the rule set the clock replays need
// compiles, the planner statistics refresh and SQLite's page cache fills, which makes the first
// Board.Get after sign-in take its warm time (~30 ms on 100,000 cases) instead of ~110 ms.
func (s *Board) warm(ctx context.Context) {
	svc, err := s.service()
	if err == nil {
		_, err = svc.Board(ctx, board.Query{})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cockpit: warm the board:", err)
	}
}

// Get returns the board for q: every column's count and first window of cards, and open incidents.
func (s *Board) Get(q board.Query) (board.Board, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return board.Board{}, err
	}
	s.core.stages.mark(StageBoardQuery)
	svc, err := s.service()
	if err != nil {
		return board.Board{}, err
	}
	b, err := svc.Board(context.Background(), q)
	s.core.stages.mark(StageBoardResult)
	return b, err
}

// Window returns cards [offset, offset+limit) of the column with key (see board.Column.Key).
func (s *Board) Window(q board.Query, key string, offset, limit int) ([]board.Card, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return nil, err
	}
	svc, err := s.service()
	if err != nil {
		return nil, err
	}
	return svc.Window(context.Background(), q, key, offset, limit)
}

// Move changes a case's level, owner or status with a reason (timeline event + audit entry).
func (s *Board) Move(m board.Move) (board.MoveResult, error) {
	svc, err := s.service()
	if err != nil {
		return board.MoveResult{}, err
	}
	who, err := signedIn(s.Guard)
	if err != nil {
		return board.MoveResult{}, err
	}
	res, err := svc.Move(context.Background(), who, m)
	if err != nil {
		return board.MoveResult{}, err
	}
	s.core.Events.Emit("case:moved", res)
	s.core.Events.Emit("board:changed", map[string]int64{"caseId": m.CaseID})
	return res, nil
}

// Views lists the signed-in person's saved views.
func (s *Board) Views() ([]board.SavedView, error) {
	svc, err := s.service()
	if err != nil {
		return nil, err
	}
	who, err := signedIn(s.Guard)
	if err != nil {
		return nil, err
	}
	return svc.Views(context.Background(), who)
}

// SaveView stores q under name for the signed-in person (same name: replaced).
func (s *Board) SaveView(name string, q board.Query) (board.SavedView, error) {
	svc, err := s.service()
	if err != nil {
		return board.SavedView{}, err
	}
	who, err := signedIn(s.Guard)
	if err != nil {
		return board.SavedView{}, err
	}
	return svc.SaveView(context.Background(), who, name, q)
}

// DeleteView removes one of the signed-in person's saved views.
func (s *Board) DeleteView(id int64) error {
	svc, err := s.service()
	if err != nil {
		return err
	}
	who, err := signedIn(s.Guard)
	if err != nil {
		return err
	}
	return svc.DeleteView(context.Background(), who, id)
}
