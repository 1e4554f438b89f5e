package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"cockpit/backend/cases"
	"cockpit/backend/ingest/imapsync/dovecottest"
	"cockpit/backend/store"
)

// TestHelperCLI is not a test: it is the `cockpit` CLI run in a child process by the tests below (the test
// binary re-executes itself, so no separate build of the Wails binary is needed).
func TestHelperCLI(t *testing.T) {
	js := os.Getenv("COCKPIT_CLI_HELPER")
	if js == "" {
		t.Skip("runs only as the child process of the sync tests")
	}
	var args []string
	if err := json.Unmarshal([]byte(js), &args); err != nil {
		t.Fatal(err)
	}
	g, rest, err := ParseGlobal(args, os.Stderr)
	if err != nil {
		os.Exit(ExitUsage)
	}
	os.Exit(Run(g, rest, os.Stdin, os.Stdout, os.Stderr))
}

func syncCLICmd(t *testing.T, password string, args ...string) *exec.Cmd {
	js, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCLI$")
	cmd.Env = append(os.Environ(), "COCKPIT_CLI_HELPER="+string(js), "COCKPIT_SECRETS=file", "IMAP_PW="+password)
	return cmd
}

func runSyncCLI(t *testing.T, password string, args ...string) string {
	t.Helper()
	out, err := syncCLICmd(t, password, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("cockpit %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// seed writes n messages straight into the maildir (much faster than APPEND) and indexes them.
func seedMaildir(t *testing.T, srv *dovecottest.Server, n int) {
	t.Helper()
	dir := srv.MaildirNew("INBOX")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// 30 threads: the case engine refreshes a case once per burst, so few cases keep the test quick.
	for i := 0; i < n; i++ {
		var msg string
		thread := i % 30
		switch {
		case i%50 == 7:
			msg = "garbage without any header line\r\n"
		case i >= 30: // a reply into its thread
			msg = fmt.Sprintf("From: c%d@example.com\r\nSubject: Re: 订单 %d\r\nMessage-ID: <k%d@example.com>\r\nIn-Reply-To: <k%d@example.com>\r\n\r\n还没处理 %d\r\n", thread, thread, i, thread, i)
		default:
			msg = fmt.Sprintf("From: c%d@example.com\r\nSubject: 订单 %d\r\nMessage-ID: <k%d@example.com>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0800\r\n\r\n淘宝订单号 %018d 的奶粉有问题。\r\n", i, i, i, 100000+i)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.M%dP1.test:2,", 1700000000+i, i)), []byte(msg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.Index(context.Background(), "INBOX"); err != nil {
		t.Fatal(err)
	}
}

type syncSnapshot struct {
	raws   []string
	titles []string
	events int
}

func syncSnap(t *testing.T, dir string) syncSnapshot {
	t.Helper()
	st, err := store.Open(context.Background(), dir, store.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	raws, err := st.ListRawItems(context.Background(), store.RawItemFilter{Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var s syncSnapshot
	for _, r := range raws {
		s.raws = append(s.raws, fmt.Sprintf("%s/%d/%s %s %s", r.Folder, r.UIDValidity, r.ExternalID, r.SHA256, r.Status))
	}
	list, err := st.ListCases(context.Background(), cases.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		s.titles = append(s.titles, fmt.Sprintf("%s x%d", c.Title, c.MessageCount))
		ev, err := st.CaseEvents(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Only the mail events: the case engine adds its own (level changes ...) whose number depends on
		// when its refresh ran between messages, which a kill legitimately changes.
		for _, e := range ev {
			if e.Kind == "email" {
				s.events++
			}
		}
	}
	sort.Strings(s.raws)
	sort.Strings(s.titles)
	return s
}

func syncRawCount(dir string) int {
	st, err := store.Open(context.Background(), dir, store.ReadOnly)
	if err != nil {
		return 0
	}
	defer st.Close()
	counts, err := st.RawItemCounts(context.Background(), 0)
	if err != nil {
		return 0
	}
	return counts["ingested"] + counts["quarantined"] + counts["duplicate"]
}

// SIGKILL in the middle of `cockpit sync --once`, then run it again: the result must be exactly what an
// uninterrupted run produces (nothing lost, nothing twice).
func TestSyncKilledMidwayThenRerunMatchesCleanRun(t *testing.T) {
	srv := dovecottest.Start(t)
	// Enough messages for several commit batches (a batch takes up to 500).
	const n = 1500
	seedMaildir(t, srv, n)
	add := []string{"account", "add", "box", "--host", "127.0.0.1", "--port", fmt.Sprint(srv.Port), "--security", "plain",
		"--user", srv.User, "--password-env", "IMAP_PW", "--folder", "INBOX=complaints"}
	clean, killed := t.TempDir(), t.TempDir()
	for _, dir := range []string{clean, killed} {
		runSyncCLI(t, srv.Password, append([]string{"--data-dir", dir}, add...)...)
	}
	t0 := time.Now()
	runSyncCLI(t, srv.Password, "--data-dir", clean, "sync", "--once")
	t.Logf("clean sync took %s", time.Since(t0))

	cmd := syncCLICmd(t, srv.Password, "--data-dir", killed, "sync", "--once")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	killedAt := -1
	for killedAt < 0 && time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("sync finished (%v) before it could be killed; raise n\n%s", err, out.String())
		case <-time.After(5 * time.Millisecond):
		}
		if c := syncRawCount(killed); c >= n/5 {
			_ = cmd.Process.Signal(syscall.SIGKILL)
			<-exited
			killedAt = syncRawCount(killed)
		}
	}
	if killedAt < 0 || killedAt >= n {
		t.Fatalf("kill point %d of %d", killedAt, n)
	}
	t.Logf("killed after %d of %d messages were committed", killedAt, n)
	runSyncCLI(t, srv.Password, "--data-dir", killed, "sync", "--once")

	a, b := syncSnap(t, clean), syncSnap(t, killed)
	if len(a.raws) != n {
		t.Fatalf("clean run recorded %d raw items, want %d", len(a.raws), n)
	}
	if strings.Join(a.raws, "\n") != strings.Join(b.raws, "\n") {
		t.Fatalf("raw items differ after kill+rerun: %d vs %d", len(a.raws), len(b.raws))
	}
	if strings.Join(a.titles, "\n") != strings.Join(b.titles, "\n") || a.events != b.events {
		t.Fatalf("cases differ after kill+rerun: %d cases/%d events vs %d/%d", len(a.titles), a.events, len(b.titles), b.events)
	}
	// A third run adds nothing.
	if got := runSyncCLI(t, srv.Password, "--data-dir", killed, "sync", "--once", "--json"); !strings.Contains(got, `"fetched":0`) {
		t.Fatalf("rerun fetched something: %s", got)
	}
}

func TestAccountCommands(t *testing.T) {
	srv := dovecottest.Start(t)
	if _, err := srv.Append("INBOX", []byte("From: a@example.com\r\nSubject: x\r\n\r\ny\r\n")); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	base := []string{"--data-dir", dir, "account"}
	// The password never comes from a flag, and plain IMAP to a remote host needs --insecure.
	for _, bad := range [][]string{
		{"add", "x", "--host", "127.0.0.1", "--user", "u", "--password", "p"},
		{"add", "x", "--host", "mail.example.com", "--security", "plain", "--user", "u", "--password-env", "IMAP_PW"},
		{"add", "x", "--host", "127.0.0.1", "--user", "u", "--folder", "INBOX=spam", "--password-env", "IMAP_PW"},
		{"bogus"},
	} {
		cmd := syncCLICmd(t, srv.Password, append(base, bad...)...)
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != ExitUsage {
			t.Errorf("account %v: want exit 2, got %v\n%s", bad, err, out)
		}
	}
	out := runSyncCLI(t, srv.Password, append(base, "add", "box", "--host", "127.0.0.1", "--port", fmt.Sprint(srv.Port),
		"--security", "plain", "--user", srv.User, "--password-env", "IMAP_PW", "--folder", "INBOX=complaints")...)
	if !strings.Contains(out, "file") {
		t.Errorf("add output %q", out)
	}
	// Password from stdin works too, and the password is stored nowhere in the database.
	cmd := syncCLICmd(t, "", append(base, "add", "box2", "--host", "127.0.0.1", "--port", fmt.Sprint(srv.Port),
		"--security", "plain", "--user", srv.User)...)
	cmd.Stdin = strings.NewReader(srv.Password + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("add from stdin: %v %s", err, out)
	}
	db, err := os.ReadFile(filepath.Join(dir, "cockpit.db"))
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(filepath.Join(dir, "cockpit.db-wal"))
	if bytes.Contains(db, []byte(srv.Password)) || bytes.Contains(wal, []byte(srv.Password)) {
		t.Fatal("password found in the database")
	}
	if fi, err := os.Stat(filepath.Join(dir, "secrets", "secrets.json")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode: %v %v", fi, err)
	}
	if out := runSyncCLI(t, "", append(base, "test", "box")...); !strings.Contains(out, "INBOX") || !strings.Contains(out, "IMAP4rev1") {
		t.Errorf("test output %q", out)
	}
	if out := runSyncCLI(t, "", append(base, "list")...); !strings.Contains(out, "box2") {
		t.Errorf("list output %q", out)
	}
	runSyncCLI(t, "", "--data-dir", dir, "sync", "--once", "--source", "box")
	// box fed a case: removing it disables it and deletes the password; box2 fed nothing and goes.
	if out := runSyncCLI(t, "", append(base, "remove", "box")...); !strings.Contains(out, "disabled") {
		t.Errorf("remove output %q", out)
	}
	if out := runSyncCLI(t, "", append(base, "remove", "box2")...); !strings.Contains(out, "removed") {
		t.Errorf("remove output %q", out)
	}
	sec, _ := os.ReadFile(filepath.Join(dir, "secrets", "secrets.json"))
	if bytes.Contains(sec, []byte(srv.Password)) {
		t.Fatal("password still stored after remove")
	}
}
