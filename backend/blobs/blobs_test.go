package blobs

import (
	"os"
	"strings"
	"testing"
)

func TestPutIsContentAddressedAndVerifies(t *testing.T) {
	s := New(t.TempDir())
	sum, size, err := s.Put(strings.NewReader("奶粉结块"))
	if err != nil {
		t.Fatal(err)
	}
	if size != int64(len("奶粉结块")) {
		t.Fatalf("size %d", size)
	}
	again, _, err := s.PutBytes([]byte("奶粉结块"))
	if err != nil || again != sum {
		t.Fatalf("same bytes gave %s, %v", again, err)
	}
	if err := s.Verify(sum); err != nil {
		t.Fatal(err)
	}
	p, _ := s.Path(sum)
	os.WriteFile(p, []byte("tampered"), 0o600)
	if err := s.Verify(sum); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Fatalf("tampering not detected: %v", err)
	}
}

func TestPathRejectsNonHashes(t *testing.T) {
	s := New(t.TempDir())
	for _, bad := range []string{"../../etc/passwd", "", strings.Repeat("g", 64), strings.Repeat("A", 64)} {
		if _, err := s.Path(bad); err == nil {
			t.Errorf("Path(%q) accepted", bad)
		}
	}
}
