package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"cockpit/backend/store"
)

// The foundation's bad-input promises: a broken or unwritable database, a second writer, bad flags and
// unknown commands each end with a clear message and the right exit code, never a panic or a hang.

func TestUsageErrorsExit2(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"frobnicate"},
		{"cases", "--bogus"},
		{"cases", "--level", "9"},
		{"cases", "--status", "lost"},
		{"cases", "extra"},
		{"case"},
		{"case", "abc"},
		{"case", "-3"},
		{"version", "--nope"},
	} {
		code, _, errs := runCLI(t, dir, "", args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
		if strings.TrimSpace(errs) == "" {
			t.Errorf("%v: no message on stderr", args)
		}
	}
}

func TestGlobalFlags(t *testing.T) {
	var errb bytes.Buffer
	if _, _, err := ParseGlobal([]string{"--no-such-flag", "cases"}, &errb); !errors.As(err, new(UsageError)) {
		t.Errorf("unknown global flag: %v, want a UsageError", err)
	}
	g, rest, err := ParseGlobal([]string{"--data-dir", "/tmp/x", "--zone", "UTC", "cases", "--json"}, &errb)
	if err != nil || g.DataDir != "/tmp/x" || g.Zone != "UTC" || strings.Join(rest, " ") != "cases --json" {
		t.Errorf("ParseGlobal = %+v %v %v", g, rest, err)
	}
	if g, _, err := ParseGlobal([]string{"--case", "42"}, &errb); err != nil || g.Case != 42 {
		t.Errorf("--case 42: %+v %v", g, err)
	}
	if _, _, err := ParseGlobal([]string{"--case", "-1"}, &errb); !errors.As(err, new(UsageError)) {
		t.Errorf("--case -1: %v, want a UsageError", err)
	}
	code := Run(Global{DataDir: t.TempDir(), Zone: "Mars/Olympus"}, []string{"cases"}, nil, &bytes.Buffer{}, &errb)
	if code != ExitUsage || !strings.Contains(errb.String(), "unknown time zone") {
		t.Errorf("bad zone: exit %d, %q", code, errb.String())
	}
}

func TestCorruptDatabase(t *testing.T) {
	for name, content := range map[string][]byte{
		"garbage":   bytes.Repeat([]byte("this is not sqlite "), 300),
		"truncated": []byte("SQLite format 3\x00\x10\x00\x02\x02"),
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "cockpit.db"), content, 0o600); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"cases", "--json"}, {"case", "1"}} {
				code, out, errs := runCLI(t, dir, "", args...)
				if code != ExitFailure {
					t.Fatalf("%v: exit %d, want 1 (stderr %q)", args, code, errs)
				}
				if out != "" || !strings.Contains(errs, "corrupt") || !strings.Contains(errs, "cockpit.db") {
					t.Fatalf("%v: stdout %q stderr %q; want a message naming the file and saying it is corrupt", args, out, errs)
				}
			}
			// The failed open released the data-dir lock: the message stays the same, not "in use".
			if _, err := store.Open(context.Background(), dir, store.ReadWrite); err == nil || errors.Is(err, store.ErrLocked) {
				t.Fatalf("reopen after failure: %v", err)
			}
			got, _ := os.ReadFile(filepath.Join(dir, "cockpit.db"))
			if !bytes.Equal(got, content) {
				t.Fatal("the corrupt file was modified; it must be left for the user to restore or inspect")
			}
		})
	}
}

func TestDataDirIsAFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, f, "", "cases")
	if code != ExitFailure || !strings.Contains(errs, f) {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

func TestSecondWriterRefusedReadersFallBack(t *testing.T) {
	dir := t.TempDir()
	holder, err := store.Open(context.Background(), dir, store.ReadWrite) // stands in for the open window
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if _, err := store.Open(context.Background(), dir, store.ReadWrite); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second writer: %v, want ErrLocked", err)
	}
	code, out, errs := runCLI(t, dir, "", "cases", "--json")
	if code != ExitOK || out != "" {
		t.Fatalf("read command while locked: exit %d stdout %q stderr %q", code, out, errs)
	}
	if !strings.Contains(errs, "read-only") {
		t.Fatalf("read command while locked says nothing about reading read-only: %q", errs)
	}
}

// Another process holding the lock (the real case: the window is open) is refused the same way.
func TestSecondWriterOtherProcess(t *testing.T) {
	if os.Getenv("COCKPIT_TEST_HOLD_LOCK") != "" {
		st, err := store.Open(context.Background(), os.Getenv("COCKPIT_TEST_HOLD_LOCK"), store.ReadWrite)
		if err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("locked\n")
		buf := make([]byte, 1)
		os.Stdin.Read(buf) // hold until the parent closes stdin
		st.Close()
		os.Exit(0)
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondWriterOtherProcess$")
	cmd.Env = append(os.Environ(), "COCKPIT_TEST_HOLD_LOCK="+dir)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	buf := make([]byte, 7)
	if _, err := stdout.Read(buf); err != nil || string(buf) != "locked\n" {
		t.Fatalf("helper did not take the lock: %q %v", buf, err)
	}
	_, err := store.Open(context.Background(), dir, store.ReadWrite)
	if !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), "pid") {
		t.Fatalf("second writer: %v, want ErrLocked naming the holder's pid", err)
	}
}

// A database file the user cannot write: the read command still answers (read-only) or says clearly
// which file it cannot write; never a panic. Root ignores file modes, so when the test runs as root the
// command runs as nobody in a child process (a copy of this test binary in a directory nobody can enter).
func TestReadOnlyDatabaseFile(t *testing.T) {
	for _, writableDir := range []bool{false, true} {
		t.Run(map[bool]string{false: "read-only dir", true: "read-only file"}[writableDir], func(t *testing.T) {
			readOnlyDatabase(t, writableDir)
		})
	}
}

func readOnlyDatabase(t *testing.T, writableDir bool) {
	if dir := os.Getenv("COCKPIT_TEST_RO_DIR"); dir != "" {
		code, out, errs := runCLI(t, dir, "", "cases", "--json")
		os.Stdout.WriteString(out)
		os.Stderr.WriteString(errs)
		os.Exit(code)
	}
	base, err := os.MkdirTemp("", "cockpit-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	dir := filepath.Join(base, "data")
	st, err := store.Open(context.Background(), dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	bin := filepath.Join(base, "cli.test")
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if err := os.Chmod(filepath.Join(dir, e.Name()), 0o444); err != nil {
			t.Fatal(err)
		}
	}
	dirMode := os.FileMode(0o755)
	if writableDir {
		dirMode = 0o777
		os.Chmod(filepath.Join(dir, "cockpit.lock"), 0o666)
	}
	for _, p := range []string{base, dir} {
		if err := os.Chmod(p, dirMode); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "-test.run=^TestReadOnlyDatabaseFile$/^"+strings.ReplaceAll(t.Name()[len("TestReadOnlyDatabaseFile/"):], " ", "_")+"$")
	cmd.Env = append(os.Environ(), "COCKPIT_TEST_RO_DIR="+dir)
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	var outb, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &outb, &errb
	err = cmd.Run()
	var ee *exec.ExitError
	code := 0
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	t.Logf("exit %d, stdout %q, stderr %q", code, outb.String(), errb.String())
	switch {
	case code == ExitOK && strings.Contains(errb.String(), "read-only"):
	case code == ExitFailure && strings.Contains(errb.String(), filepath.Join(dir, "cockpit.db")):
	default:
		t.Fatalf("want exit 0 with a read-only note or exit 1 naming the file; got exit %d, stderr %q", code, errb.String())
	}
}
