package store

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

func TestDueClocks(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	now := time.Date(2026, 6, 18, 8, 0, 0, 0, time.UTC)
	var alice int64
	if err := st.write.QueryRowContext(ctx, `INSERT INTO people (username, role, created_at) VALUES ('alice', 'supervisor', $1) RETURNING id`,
		FormatTime(now)).Scan(&alice); err != nil {
		t.Fatal(err)
	}
	newCase := func(title, status string, owner any) int64 {
		var id int64
		if err := st.write.QueryRowContext(ctx, `INSERT INTO cases (title, status, owner_id, level, opened_at, updated_at)
			VALUES ($1, $2, $3, 1, $4, $4) RETURNING id`, title, status, owner, FormatTime(now)).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	open, pending, closed := newCase("open", "open", alice), newCase("pending", "pending", nil), newCase("closed", "closed", alice)
	clock := func(id int64, name string, due time.Duration, state string) ClockRow {
		return ClockRow{CaseID: id, ClockID: name, StartedAt: now.Add(-time.Hour), DueAt: now.Add(due), State: state, ComputedAt: now}
	}
	if err := st.Tx(ctx, func(tx *sql.Tx) error {
		for id, rows := range map[int64][]ClockRow{
			open: {clock(open, "late", -time.Hour, "breached"), clock(open, "soon", 30*time.Minute, "warning80"),
				clock(open, "later", 5*time.Hour, "running"), clock(open, "met", -2*time.Hour, "met")},
			pending: {clock(pending, "paused", -time.Hour, "paused"), clock(pending, "soon", 10*time.Minute, "running")},
			closed:  {clock(closed, "late", -time.Hour, "breached")},
		} {
			if err := ReplaceCaseClocksTx(ctx, tx, id, rows); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	got, err := st.DueClocks(ctx, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		caseID int64
		clock  string
		owner  string
	}{{open, "late", "alice"}, {pending, "soon", ""}, {open, "soon", "alice"}}
	if len(got) != len(want) {
		t.Fatalf("got %d clocks, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].CaseID != w.caseID || got[i].ClockID != w.clock || got[i].Owner != w.owner || got[i].DueAt.IsZero() {
			t.Errorf("clock %d = %+v, want %+v", i, got[i], w)
		}
	}
}
