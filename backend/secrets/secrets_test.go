package secrets

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The file backend is what headless machines and CI use; the keyring backend needs a Secret Service and
// is chosen only when one answers (Open "auto").
func TestFileBackend(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, "file")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("imap:source:1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing key: %v", err)
	}
	const pw = "p@ss wörd-42"
	if err := s.Set("imap:source:1", pw); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("imap:source:2", "other"); err != nil {
		t.Fatal(err)
	}
	// A second Store on the same dir (another process) reads it.
	s2, _ := Open(dir, "file")
	if got, err := s2.Get("imap:source:1"); err != nil || got != pw {
		t.Fatalf("get: %q %v", got, err)
	}
	path := filepath.Join(dir, "secrets", "secrets.json")
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode %v %v", fi.Mode(), err)
	}
	if di, err := os.Stat(filepath.Dir(path)); err != nil || di.Mode().Perm() != 0o700 {
		t.Fatalf("secret dir mode %v %v", di.Mode(), err)
	}
	if err := s.Delete("imap:source:1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("imap:source:1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted key: %v", err)
	}
	// A damaged file is reported without echoing its content.
	if err := os.WriteFile(path, []byte("{"+pw), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("x"); err == nil || strings.Contains(err.Error(), pw) {
		t.Fatalf("damaged file error %v", err)
	}
	if _, err := Open(dir, "vault"); err == nil {
		t.Fatal("unknown backend accepted")
	}
}

// Without a session bus "auto" must fall back to the file at once rather than hang on D-Bus.
func TestAutoWithoutSessionBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	s, err := Open(t.TempDir(), "auto")
	if err != nil || s.Backend() != "file" {
		t.Fatalf("auto: %v %v", s, err)
	}
}

// Lazy leaves the keyring probe to the first use: the session bus (here a socket that counts who dials it
// and hangs up) is not dialled when the store is made, and is once a secret is asked for.
func TestLazyProbesOnFirstUse(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "bus")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dialled := make(chan struct{}, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			dialled <- struct{}{}
			c.Close()
		}
	}()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+sock)

	dir := t.TempDir()
	s, err := Lazy(dir, "auto")
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-dialled:
		t.Fatal("the bus was dialled before any secret was needed")
	case <-time.After(100 * time.Millisecond):
	}
	if err := s.Set("imap:1", "pw"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-dialled:
	default:
		t.Fatal("the first use did not probe the keyring")
	}
	if v, err := s.Get("imap:1"); err != nil || v != "pw" || s.Backend() != "file" {
		t.Errorf("no keyring answered: got %q, %v from the %s", v, err, s.Backend())
	}
	if _, err := Lazy(dir, "vault"); err == nil {
		t.Error("an unknown backend must be refused when the store is made")
	}
}
