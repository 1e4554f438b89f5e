package secrets

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startSecretService runs a private D-Bus session bus with a GNOME Keyring (a real Secret Service, the
// one a Linux desktop runs) in a temp home, and points this process at it. It skips when the programs are
// missing, or fails when COCKPIT_CI=1 (CI installs them: scripts/deps.sh test).
func startSecretService(t *testing.T) {
	t.Helper()
	for _, p := range []string{"dbus-daemon", "dbus-send", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("COCKPIT_CI") == "1" {
				t.Fatalf("COCKPIT_CI=1 and %s is missing: %v", p, err)
			}
			t.Skipf("skipping: %s is missing", p)
		}
	}
	home := t.TempDir()
	bus := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address=1")
	out, err := bus.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bus.Process.Kill(); _ = bus.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon address: %v", err)
	}
	session := []string{"HOME=" + home, "XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"XDG_RUNTIME_DIR=" + home, "DBUS_SESSION_BUS_ADDRESS=" + strings.TrimSpace(addr)}
	env := append(os.Environ(), session...)
	// --unlock reads the login keyring's password from stdin and creates the keyring unlocked.
	kr := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	kr.Env = env
	kr.Stdin = strings.NewReader("test-keyring-password")
	if err := kr.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kr.Process.Kill(); _ = kr.Wait() })
	// Until the daemon owns the Secret Service name, a client would have the bus start another one
	// (D-Bus activation), without the unlocked keyring.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		owned := exec.Command("dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
			"org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets")
		owned.Env = env
		if out, err := owned.Output(); err == nil && strings.Contains(string(out), "boolean true") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("gnome-keyring-daemon did not take org.freedesktop.secrets within 10 s")
		}
	}
	for _, kv := range session {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}

// The keyring backend against a real Secret Service, in a child process: the D-Bus library keeps one
// session connection per process, so the bus this test starts must be the first that process sees.
func TestKeyringBackend(t *testing.T) {
	if os.Getenv("COCKPIT_KEYRING_CHILD") == "" {
		startSecretService(t)
		cmd := exec.Command(os.Args[0], "-test.run=^TestKeyringBackend$", "-test.v")
		cmd.Env = append(os.Environ(), "COCKPIT_KEYRING_CHILD=1", "COCKPIT_DATA="+t.TempDir())
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestKeyringBackend") {
			t.Fatalf("keyring child: %v\n%s", err, out)
		}
		t.Logf("keyring child:\n%s", out)
		return
	}
	dir := os.Getenv("COCKPIT_DATA")
	file := filepath.Join(dir, "secrets", "secrets.json")
	// A password stored while no keyring answered sits in the file.
	old, err := Open(dir, "file")
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Set("imap:source:1", "from-the-file"); err != nil {
		t.Fatal(err)
	}

	// Now a Secret Service answers: "auto" picks it, within its probe's few seconds.
	start := time.Now()
	s, err := Open(dir, "auto")
	if err != nil {
		t.Fatal(err)
	}
	if s.Backend() != "keyring" {
		t.Fatalf("auto picked %q with a Secret Service running", s.Backend())
	}
	t.Logf("probe took %v", time.Since(start))
	if got, err := s.Get("imap:source:1"); err != nil || got != "from-the-file" {
		t.Fatalf("the file's password through the keyring store: %q %v", got, err)
	}
	const pw = "p@ss wörd-42 钥匙"
	if err := s.Set("imap:source:2", pw); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("imap:source:1", "moved"); err != nil { // a new password goes to the keyring ...
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	if strings.Contains(string(b), pw) || strings.Contains(string(b), "moved") || strings.Contains(string(b), "from-the-file") {
		t.Fatalf("a password stayed in or went to the file once the keyring answered:\n%s", b) // ... and leaves the file
	}
	// Another process on the same data dir (the CLI beside the window) reads them from the keyring.
	kr, err := Open(dir, "keyring")
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"imap:source:1": "moved", "imap:source:2": pw} {
		if got, err := kr.Get(key); err != nil || got != want {
			t.Fatalf("%s from the keyring: %q %v", key, got, err)
		}
	}
	// Another workspace's keyring entries are its own.
	other, _ := Open(t.TempDir(), "keyring")
	if _, err := other.Get("imap:source:2"); err == nil {
		t.Fatal("another data dir read this one's password")
	}
	if err := s.Delete("imap:source:2"); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Get("imap:source:2"); err == nil {
		t.Fatal("deleted password still in the keyring")
	}
}
