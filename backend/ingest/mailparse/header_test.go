package mailparse

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

// mimeLines wraps base64 in lines of 76 characters ending in eol, as mail does.
func mimeLines(data []byte, eol string) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for i := 0; i < len(enc); i += 76 {
		b.WriteString(enc[i:min(i+76, len(enc))])
		b.WriteString(eol)
	}
	return b.String()
}

func TestDecodeBase64(t *testing.T) {
	data := make([]byte, 300<<10) // long enough for the vectorised loop, with a tail it leaves to scalar code
	r := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	small := []byte("退货 refund 12315")
	for _, tc := range []struct {
		name    string
		in      string
		want    []byte
		damaged bool
	}{
		{"CRLF lines", mimeLines(data, "\r\n"), data, false},
		{"LF lines", mimeLines(data, "\n"), data, false},
		{"one line", base64.StdEncoding.EncodeToString(data), data, false},
		{"small", mimeLines(small, "\r\n"), small, false},
		{"no padding", strings.TrimRight(base64.StdEncoding.EncodeToString(small), "="), small, false},
		{"stray CR inside a line", "6YCA6LSn\rIHJlZnVuZCAxMjMxNQ==", small, false},
		{"lines of two widths", "6YCA6LSn\r\nIHJlZnVu\r\nZCAx\r\nMjMxNQ==\r\n", small, false},
		{"LF inside a fixed-width line", "6YCA6LSn\r\nIHJl\nZnVu\r\nZCAxMjMx\r\nNQ==", small, false},
		{"CRLF then LF", "6YCA6LSn\r\nIHJlZnVu\nZCAxMjMx\r\nNQ==", small, false},
		{"spaces and tabs", "6YCA 6LSn\tIHJlZnVuZCAxMjMxNQ==", small, false},
		{"URL-safe alphabet", base64.URLEncoding.EncodeToString([]byte{0xfb, 0xff, 0xfe}), []byte{0xfb, 0xff, 0xfe}, false},
		{"garbage inside", "6YCA6LSn*IHJlZnVuZCAxMjMxNQ==", small, true},
		{"empty", "", []byte{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, damaged := decodeBase64([]byte(tc.in))
			if !bytes.Equal(got, tc.want) {
				t.Errorf("decoded %d bytes, want %d (%q...)", len(got), len(tc.want), got[:min(len(got), 16)])
			}
			if damaged != tc.damaged {
				t.Errorf("damaged = %v, want %v", damaged, tc.damaged)
			}
		})
	}
}

func BenchmarkDecodeBase64(b *testing.B) {
	data := make([]byte, 300<<10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	in := []byte(mimeLines(data, "\r\n"))
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		decodeBase64(in)
	}
}

// FuzzDecodeBase64: whatever the standard decoder reads (it skips CR and LF anywhere), decodeBase64
// reads the same, undamaged.
func FuzzDecodeBase64(f *testing.F) {
	f.Add([]byte(mimeLines([]byte("退货 refund 12315 退货 refund 12315 退货 refund 12315 退货 refund"), "\r\n")))
	f.Add([]byte("6YCA6LSn\r\nIHJl\nZnVu\r\nZCAxMjMx\r\nNQ=="))
	f.Fuzz(func(t *testing.T, in []byte) {
		want := make([]byte, base64.StdEncoding.DecodedLen(len(in)))
		n, err := base64.StdEncoding.Decode(want, in)
		if err != nil {
			return
		}
		got, damaged := decodeBase64(in)
		if damaged || !bytes.Equal(got, want[:n]) {
			t.Fatalf("decodeBase64(%q) = %q, %v; want %q", in, got, damaged, want[:n])
		}
	})
}
