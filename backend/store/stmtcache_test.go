package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

func openCaching(t *testing.T) *sql.DB {
	t.Helper()
	conns, err := newCachingConnector("file:" + filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(conns)
	t.Cleanup(func() { db.Close() })
	return db
}

// oneConn is a connection of a caching pool, so that a test can look at what it kept.
func oneConn(t *testing.T) *sql.Conn {
	t.Helper()
	conn, err := openCaching(t).Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func keptCount(t *testing.T, conn *sql.Conn) int {
	t.Helper()
	n := -1
	if err := conn.Raw(func(dc any) error { n = len(dc.(*cachingConn).byQuery); return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestKeptStatementsAreReusedAndStayCorrect(t *testing.T) {
	ctx := context.Background()
	conn := oneConn(t)
	if _, err := conn.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if _, err := conn.ExecContext(ctx, `INSERT INTO t (id, v) VALUES ($1, $2)`, i, fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := keptCount(t, conn); n != 2 {
		t.Fatalf("kept %d statements after one CREATE and five identical INSERTs, want 2", n)
	}

	// A loop over rows that runs the same query again: the inner query must not reset the outer one.
	const q = `SELECT id, v FROM t WHERE id >= $1 ORDER BY id`
	rows, err := conn.QueryContext(ctx, q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var outer []int
	for rows.Next() {
		var id int
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		outer = append(outer, id)
		var inner int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM (`+q+`)`, id).Scan(&inner); err != nil {
			t.Fatal(err)
		}
		innerRows, err := conn.QueryContext(ctx, q, id)
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for innerRows.Next() {
			got++
		}
		innerRows.Close()
		if got != inner || got != 6-id {
			t.Fatalf("inner query from %d read %d rows, count says %d, want %d", id, got, inner, 6-id)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if fmt.Sprint(outer) != "[1 2 3 4 5]" {
		t.Fatalf("outer query read %v, want [1 2 3 4 5]", outer)
	}

	// A kept statement survives a schema change: SQLite prepares it again.
	if _, err := conn.ExecContext(ctx, `ALTER TABLE t ADD COLUMN w TEXT NOT NULL DEFAULT 'x'`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO t (id, v) VALUES ($1, $2)`, 6, "v6"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM (`+q+`)`, 1).Scan(&n); err != nil || n != 6 {
		t.Fatalf("count after ALTER TABLE = %d, %v; want 6", n, err)
	}

	// A failed statement leaves its kept statement usable.
	if _, err := conn.ExecContext(ctx, `INSERT INTO t (id, v) VALUES ($1, $2)`, 6, "dup"); err == nil {
		t.Fatal("duplicate id inserted")
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO t (id, v) VALUES ($1, $2)`, 7, "v7"); err != nil {
		t.Fatalf("insert after a failed one: %v", err)
	}
}

func TestKeptStatementsAreBounded(t *testing.T) {
	ctx := context.Background()
	conn := oneConn(t)
	for i := 0; i < stmtCacheSize+50; i++ {
		var got int
		if err := conn.QueryRowContext(ctx, fmt.Sprintf(`SELECT %d + $1`, i), 1).Scan(&got); err != nil || got != i+1 {
			t.Fatalf("query %d = %d, %v", i, got, err)
		}
	}
	if n := keptCount(t, conn); n != stmtCacheSize {
		t.Fatalf("kept %d statements, want the bound %d", n, stmtCacheSize)
	}
}

func TestKeptStatementsInTransactions(t *testing.T) {
	ctx := context.Background()
	db := openCaching(t)
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	for _, commit := range []bool{false, true} {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			if _, err := tx.ExecContext(ctx, `INSERT INTO t DEFAULT VALUES`); err != nil {
				t.Fatal(err)
			}
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("rows after a rolled back and a committed transaction = %d, %v; want 3", n, err)
	}
}

// Id lists longer than a chunk are read chunk by chunk, every id once, each chunk in the query's order.
func TestEachRowOfIDsAcrossChunks(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	at := time.Date(2026, 6, 20, 2, 0, 0, 0, time.UTC)
	var list []SyntheticCase
	for i := range 2*idChunk + 1 {
		list = append(list, SyntheticCase{Title: fmt.Sprint("case ", i), OpenedAt: at})
	}
	ids, err := st.InsertSynthetic(ctx, list)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	err = eachRowOfIDs(ctx, st.reader(), "SELECT id FROM cases WHERE id IN :ids ORDER BY id DESC", ids, func(rows *sql.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		got = append(got, id)
		return nil
	})
	if err != nil || len(got) != len(ids) {
		t.Fatalf("read %d of %d ids: %v", len(got), len(ids), err)
	}
	// Three chunks, each descending.
	if got[0] != ids[idChunk-1] || got[idChunk] != ids[2*idChunk-1] || got[2*idChunk] != ids[2*idChunk] {
		t.Fatalf("chunk order: %d, %d, %d", got[0], got[idChunk], got[2*idChunk])
	}
}
