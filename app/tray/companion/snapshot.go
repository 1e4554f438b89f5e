// Package companion is the logic of the tray companion (app/tray): it reads a Cockpit data dir read-only,
// keeps the tray menu and status window current, and raises desktop notifications for new red alerts and
// for clocks about to breach on the user's own cases. It imports no Fyne driver, so its tests run with
// Fyne's test package and no display; app/tray wires it to the GLFW driver and the system tray.
package companion

import (
	"context"
	"fmt"
	"slices"
	"time"

	"cockpit/backend/cases"
	"cockpit/backend/store"
)

// Item is one line the tray can open: a red alert or a clock of the user's own case.
type Item struct {
	Key    string // stable identity, for "is this new?"
	CaseID int64  // 0: an incident; the menu opens the board
	Title  string
	DueAt  time.Time // clocks only
	// Breached is true for a clock already past due.
	Breached bool
}

// Snapshot is what one poll of the data dir found.
type Snapshot struct {
	At            time.Time
	Breached      int // clocks of open cases past due
	DueSoon       int // clocks of open cases due within the window
	OpenIncidents int
	Red           []Item // open incidents (most severe first), then open level-1 cases (latest first)
	Mine          []Item // the user's clocks that are breached or due within the window
}

// Reader produces snapshots.
type Reader interface {
	Read(ctx context.Context, now time.Time) (Snapshot, error)
}

// MaxItems bounds each list: a tray menu is not a case list.
const MaxItems = 8

// StoreReader reads a data dir read-only: it never takes the writer lock and never writes, so the app
// (or a sync) keeps working while the tray polls. The store is opened on first use and re-opened after an
// error, so a tray started before the workspace exists begins to show it once it does.
type StoreReader struct {
	Dir  string
	User string        // username whose clocks are reminded ("" none)
	Soon time.Duration // "about to breach" window

	st *store.Store
}

// Read implements Reader.
func (r *StoreReader) Read(ctx context.Context, now time.Time) (Snapshot, error) {
	s := Snapshot{At: now}
	if r.st == nil {
		st, err := store.Open(ctx, r.Dir, store.ReadOnly)
		if err != nil {
			return s, err
		}
		r.st = st
	}
	snap, err := r.read(ctx, now)
	if err != nil {
		r.Close()
		return s, err
	}
	return snap, nil
}

func (r *StoreReader) read(ctx context.Context, now time.Time) (Snapshot, error) {
	s := Snapshot{At: now}
	due, err := r.st.DueClocks(ctx, now.Add(r.Soon))
	if err != nil {
		return s, err
	}
	// The user's list shows what is about to breach first (soonest first), then what already has (latest
	// first): a clock breached a week ago is old news next to one running out in ten minutes.
	var soon, late []Item
	for _, d := range due {
		breached := !d.DueAt.After(now)
		if breached {
			s.Breached++
		} else {
			s.DueSoon++
		}
		if r.User == "" || d.Owner != r.User {
			continue
		}
		it := Item{CaseID: d.CaseID, Title: d.Title, DueAt: d.DueAt, Breached: breached}
		if breached {
			it.Key = fmt.Sprintf("clock:%d:%s:breached", d.CaseID, d.ClockID)
			late = append(late, it)
		} else {
			it.Key = fmt.Sprintf("clock:%d:%s:soon", d.CaseID, d.ClockID)
			soon = append(soon, it)
		}
	}
	slices.Reverse(late)
	s.Mine = append(soon, late...)
	if len(s.Mine) > MaxItems {
		s.Mine = s.Mine[:MaxItems]
	}
	incidents, err := r.st.OpenIncidents(ctx)
	if err != nil {
		return s, err
	}
	s.OpenIncidents = len(incidents)
	for _, in := range incidents {
		if len(s.Red) < MaxItems {
			s.Red = append(s.Red, Item{Key: fmt.Sprintf("incident:%d", in.ID), Title: in.Title})
		}
	}
	red, err := r.st.ListCases(ctx, cases.Filter{Level: 1, Status: []cases.Status{cases.StatusOpen, cases.StatusPending}, Limit: MaxItems})
	if err != nil {
		return s, err
	}
	for _, c := range red {
		if len(s.Red) < MaxItems {
			s.Red = append(s.Red, Item{Key: fmt.Sprintf("case:%d", c.ID), CaseID: c.ID, Title: c.Title})
		}
	}
	return s, nil
}

// Close releases the store.
func (r *StoreReader) Close() {
	if r.st != nil {
		r.st.Close()
		r.st = nil
	}
}
