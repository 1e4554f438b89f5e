package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestOpenMigratesOnceAndLocks(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "nested", "data") // created on demand
	st, err := Open(ctx, dir, ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	v, err := st.SchemaVersion(ctx)
	if err != nil || v < 1 {
		t.Fatalf("schema version %d, %v", v, err)
	}
	if _, err := Open(ctx, dir, ReadWrite); !errors.Is(err, ErrLocked) {
		t.Fatalf("second writer: %v, want ErrLocked", err)
	}
	ro, err := Open(ctx, dir, ReadOnly) // the tray and read commands beside the window
	if err != nil {
		t.Fatalf("reader beside the writer: %v", err)
	}
	if _, err := ro.exec(ctx, "DELETE FROM settings"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("write on a read-only store: %v, want ErrReadOnly", err)
	}
	if err := ro.Tx(ctx, nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Tx on a read-only store: %v, want ErrReadOnly", err)
	}
	ro.Close()
	st.Close()

	// Closing released the lock; re-opening applies nothing twice.
	st, err = Open(ctx, dir, ReadWrite)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer st.Close()
	var n, distinct int
	if err := st.reader().QueryRowContext(ctx, "SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations").Scan(&n, &distinct); err != nil {
		t.Fatal(err)
	}
	all, _ := loadMigrations()
	if n != len(all) || distinct != n {
		t.Fatalf("%d migration rows (%d distinct) for %d migrations", n, distinct, len(all))
	}
	var fk, mode string
	st.write.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk)
	st.write.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode)
	if fk != "1" || mode != "wal" {
		t.Errorf("foreign_keys=%s journal_mode=%s, want 1 and wal", fk, mode)
	}
}

func TestOpenReadOnlyMissing(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(context.Background(), dir, ReadOnly)
	if err == nil {
		t.Fatal("read-only open of a missing database succeeded")
	}
	if _, statErr := os.Stat(filepath.Join(dir, "cockpit.db")); !os.IsNotExist(statErr) {
		t.Error("a read-only open created the database")
	}
}

func TestOpenCorrupt(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "cockpit.db"), []byte("definitely not a database, but long enough to have a header......"), 0o600)
	for _, mode := range []Mode{ReadWrite, ReadOnly} {
		_, err := Open(context.Background(), dir, mode)
		if err == nil || errors.Is(err, ErrLocked) {
			t.Fatalf("mode %d: %v", mode, err)
		}
	}
	// The failed ReadWrite open released the lock: a valid database in its place opens.
	os.Remove(filepath.Join(dir, "cockpit.db"))
	st, err := Open(context.Background(), dir, ReadWrite)
	if err != nil {
		t.Fatalf("open after replacing the corrupt file: %v", err)
	}
	st.Close()
}

func TestTimeFormat(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
		bad  bool
	}{
		{"", time.Time{}, false},
		{"2026-06-18T02:03:04.005Z", time.Date(2026, 6, 18, 2, 3, 4, 5e6, time.UTC), false},
		{"2026-06-18T10:03:04+08:00", time.Date(2026, 6, 18, 2, 3, 4, 0, time.UTC), false},
		{"18/06/2026", time.Time{}, true},
	}
	for _, c := range cases {
		got, err := ParseTime(c.in)
		if (err != nil) != c.bad || (!c.bad && !got.Equal(c.want)) {
			t.Errorf("ParseTime(%q) = %v, %v", c.in, got, err)
		}
	}
	shanghai := time.FixedZone("CST", 8*3600)
	a := time.Date(2026, 6, 18, 9, 0, 0, 0, shanghai)
	b := time.Date(2026, 6, 18, 1, 30, 0, 0, time.UTC)
	if FormatTime(a) >= FormatTime(b) { // 01:00Z < 01:30Z: text order must follow time order across zones
		t.Errorf("FormatTime order: %s vs %s", FormatTime(a), FormatTime(b))
	}
	if got, _ := ParseTime(FormatTime(a)); !got.Equal(a) {
		t.Errorf("round trip %v -> %v", a, got)
	}
}

// openTestStore opens a fresh workspace in a temp dir, closed when the test ends.
func openTestStore(tb testing.TB) *Store {
	tb.Helper()
	st, err := Open(context.Background(), tb.TempDir(), ReadWrite)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}
