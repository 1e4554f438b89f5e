// Package secrets keeps passwords and tokens out of the database, logs and error messages: in the OS
// keyring (Secret Service via github.com/zalando/go-keyring) when one answers, otherwise in a 0600 file in
// a 0700 directory of the data dir. The file is plain JSON: without a keyring there is no key to encrypt
// it with that would not sit right beside it, so file permissions are the protection, as for ~/.netrc.
package secrets

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// ErrNotFound means no secret is stored under the key.
var ErrNotFound = errors.New("no secret stored")

// Store gets, sets and deletes secrets by key (e.g. "imap:complaints-mailbox").
type Store interface {
	Get(key string) (string, error)
	Set(key, value string) error
	Delete(key string) error
	// Backend names where secrets go ("keyring" or "file"), for the settings page.
	Backend() string
}

// Open picks the backend for a data dir. COCKPIT_SECRETS=file|keyring forces one (tests, headless boxes);
// otherwise the keyring is used when a Secret Service answers within a few seconds.
func Open(dataDir, mode string) (Store, error) {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("secrets: %w", err)
	}
	file := &File{Path: filepath.Join(abs, "secrets", "secrets.json")}
	// Keyring entries are per OS user, so the service name carries the data dir: two workspaces (the demo,
	// a test) never see each other's passwords.
	sum := sha256.Sum256([]byte(abs))
	kr := &Keyring{Service: "cockpit-" + hex.EncodeToString(sum[:6])}
	switch mode {
	case "file":
		return file, nil
	case "keyring":
		return kr, nil
	case "", "auto":
		if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" && kr.probe() {
			return &fallback{primary: kr, file: file}, nil
		}
		return file, nil
	}
	return nil, fmt.Errorf("secrets: unknown backend %q (file, keyring or auto)", mode)
}

// Lazy is Open, with the keyring probe of "auto" left to the first use. The probe can start the keyring's
// daemon over D-Bus and take seconds; the window's mail watchers start on the way to the first screen, and
// a workspace whose accounts need no password yet should not pay for that there.
func Lazy(dataDir, mode string) (Store, error) {
	if mode != "" && mode != "auto" {
		return Open(dataDir, mode)
	}
	if _, err := filepath.Abs(dataDir); err != nil {
		return nil, fmt.Errorf("secrets: %w", err)
	}
	return &lazy{open: func() (Store, error) { return Open(dataDir, mode) }}, nil
}

type lazy struct {
	once  sync.Once
	open  func() (Store, error)
	store Store
	err   error
}

func (l *lazy) get() (Store, error) {
	l.once.Do(func() { l.store, l.err = l.open() })
	return l.store, l.err
}

func (l *lazy) Get(key string) (string, error) {
	s, err := l.get()
	if err != nil {
		return "", err
	}
	return s.Get(key)
}

func (l *lazy) Set(key, value string) error {
	s, err := l.get()
	if err != nil {
		return err
	}
	return s.Set(key, value)
}

func (l *lazy) Delete(key string) error {
	s, err := l.get()
	if err != nil {
		return err
	}
	return s.Delete(key)
}

// Backend implements Store. Lazy checked what can fail before the probe, so the error cannot happen.
func (l *lazy) Backend() string {
	if s, err := l.get(); err == nil {
		return s.Backend()
	}
	return "file"
}

// Keyring stores secrets in the OS keyring.
type Keyring struct{ Service string }

func (k *Keyring) probe() bool {
	done := make(chan error, 1)
	go func() {
		// A Get of a key that does not exist still needs a working Secret Service.
		_, err := keyring.Get(k.Service, "probe")
		if errors.Is(err, keyring.ErrNotFound) {
			err = nil
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err == nil
	case <-time.After(3 * time.Second):
		return false
	}
}

// Get implements Store.
func (k *Keyring) Get(key string) (string, error) {
	v, err := keyring.Get(k.Service, key)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", fmt.Errorf("%s: %w", key, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("keyring: read %s: %w", key, err)
	}
	return v, nil
}

// Set implements Store.
func (k *Keyring) Set(key, value string) error {
	if err := keyring.Set(k.Service, key, value); err != nil {
		return fmt.Errorf("keyring: store %s: %w", key, err)
	}
	return nil
}

// Delete implements Store.
func (k *Keyring) Delete(key string) error {
	err := keyring.Delete(k.Service, key)
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("keyring: delete %s: %w", key, err)
	}
	return nil
}

// Backend implements Store.
func (k *Keyring) Backend() string { return "keyring" }

// fallback writes to the keyring and reads from both, so secrets stored in the file while no keyring was
// running stay readable once one is.
type fallback struct {
	primary Store
	file    *File
}

func (f *fallback) Get(key string) (string, error) {
	v, err := f.primary.Get(key)
	if err == nil {
		return v, nil
	}
	if v, ferr := f.file.Get(key); ferr == nil {
		return v, nil
	}
	return "", err
}

func (f *fallback) Set(key, value string) error {
	if err := f.primary.Set(key, value); err != nil {
		return err
	}
	return f.file.Delete(key)
}

func (f *fallback) Delete(key string) error {
	return errors.Join(f.primary.Delete(key), f.file.Delete(key))
}

func (f *fallback) Backend() string { return f.primary.Backend() }

// File stores secrets in one JSON file with mode 0600 (directory 0700), replaced atomically.
type File struct {
	Path string
	mu   sync.Mutex
}

func (f *File) load() (map[string]string, error) {
	b, err := os.ReadFile(f.Path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("secret file: %w", err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		// The content is secret: name the file, never echo it.
		return nil, fmt.Errorf("secret file %s is not valid JSON", f.Path)
	}
	return m, nil
}

func (f *File) save(m map[string]string) error {
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o700); err != nil {
		return fmt.Errorf("secret dir: %w", err)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("secret file: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.Path), ".secrets-*")
	if err != nil {
		return fmt.Errorf("secret file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("secret file: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("secret file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("secret file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("secret file: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.Path); err != nil {
		return fmt.Errorf("secret file: %w", err)
	}
	return nil
}

// Get implements Store.
func (f *File) Get(key string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return "", err
	}
	v, ok := m[key]
	if !ok {
		return "", fmt.Errorf("%s: %w", key, ErrNotFound)
	}
	return v, nil
}

// Set implements Store.
func (f *File) Set(key, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return err
	}
	m[key] = value
	return f.save(m)
}

// Delete implements Store.
func (f *File) Delete(key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return err
	}
	if _, ok := m[key]; !ok {
		return nil
	}
	delete(m, key)
	return f.save(m)
}

// Backend implements Store.
func (f *File) Backend() string { return "file" }
