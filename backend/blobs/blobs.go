// Package blobs is the content-addressed file store: raw messages, attachments and evidence originals are
// kept unchanged under their SHA-256, so the same bytes are stored once and any change is detectable.
package blobs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Store keeps blobs under Dir/ab/abcdef... (two-level fan-out keeps directories small).
type Store struct {
	Dir string
}

// New returns a store rooted at dir (created on first Put).
func New(dir string) *Store { return &Store{Dir: dir} }

// ErrBadHash means a hash is not 64 lowercase hex digits; it guards Path against traversal.
var ErrBadHash = errors.New("not a SHA-256 hex digest")

func validHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	for _, c := range h {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Path is where the blob with this hash lives. Only hashes address files: names from mail or uploads never do.
func (s *Store) Path(sum string) (string, error) {
	if !validHash(sum) {
		return "", fmt.Errorf("%w: %q", ErrBadHash, sum)
	}
	return filepath.Join(s.Dir, sum[:2], sum), nil
}

// Put streams r into the store and returns its hash and size. Writing goes through a temp file and a rename,
// so a crash never leaves a partial blob under a valid name.
func (s *Store) Put(r io.Reader) (sum string, size int64, err error) {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return "", 0, fmt.Errorf("blob dir: %w", err)
	}
	tmp, err := os.CreateTemp(s.Dir, ".incoming-*")
	if err != nil {
		return "", 0, fmt.Errorf("blob temp file: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(tmp, h), r)
	if err != nil {
		return "", 0, fmt.Errorf("write blob: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return "", 0, fmt.Errorf("close blob: %w", err)
	}
	sum = hex.EncodeToString(h.Sum(nil))
	dst, _ := s.Path(sum)
	if _, statErr := os.Stat(dst); statErr == nil {
		os.Remove(tmp.Name())
		return sum, size, nil
	}
	if err = os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", 0, fmt.Errorf("blob dir: %w", err)
	}
	if err = os.Rename(tmp.Name(), dst); err != nil {
		return "", 0, fmt.Errorf("store blob: %w", err)
	}
	return sum, size, nil
}

// PutBytes is Put for data already in memory.
func (s *Store) PutBytes(b []byte) (string, int64, error) {
	return s.Put(bytes.NewReader(b))
}

// Open returns the blob's content.
func (s *Store) Open(sum string) (*os.File, error) {
	p, err := s.Path(sum)
	if err != nil {
		return nil, err
	}
	return os.Open(p)
}

// ReadAll returns the blob's content.
func (s *Store) ReadAll(sum string) ([]byte, error) {
	p, err := s.Path(sum)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(p)
}

// Verify re-hashes a blob; it returns an error naming what changed or disappeared.
func (s *Store) Verify(sum string) error {
	f, err := s.Open(sum)
	if err != nil {
		return fmt.Errorf("blob %s: %w", sum, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("blob %s: %w", sum, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("blob %s: content changed (now hashes to %s)", sum, got)
	}
	return nil
}
