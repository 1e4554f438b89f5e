package evidence

import (
	"io/fs"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSafeName(t *testing.T) {
	long := strings.Repeat("投诉", 100) + ".pdf"
	tests := []struct{ in, want string }{
		{"photo.jpg", "photo.jpg"},
		{"../../etc/passwd", "passwd"},
		{`..\..\Windows\System32\drivers\etc\hosts`, "hosts"},
		{"/etc/shadow", "shadow"},
		{"C:\\Users\\a\\发票.pdf", "发票.pdf"},
		{"CON.txt", "_CON.txt"},
		{"con", "_con"},
		{"lpt1.log", "_lpt1.log"},
		{"COM10.txt", "COM10.txt"},
		{"a\x00b\r\nc.txt", "abc.txt"},
		{"invoice\u202Efdp.exe", "invoicefdp.exe"}, // right-to-left override hiding the real extension
		{"what?<>:\"|*.txt", "what_______.txt"},
		{"..", "file"},
		{"   ", "file"},
		{"", "file"},
		{".hidden", "hidden"},
		{"bad\xffutf8.txt", "bad_utf8.txt"},
	}
	for _, tt := range tests {
		if got := SafeName(tt.in); got != tt.want {
			t.Errorf("SafeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	got := SafeName(long)
	if len(got) > maxNameBytes || !utf8.ValidString(got) || !strings.HasSuffix(got, ".pdf") {
		t.Errorf("long name not shortened cleanly: %q (%d bytes)", got, len(got))
	}
}

// FuzzSafeName: whatever the name, the result is one valid, non-empty path element of bounded length.
func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"../../etc/passwd", "CON.txt", "a/b\\c", "\x00", "..", "投诉.pdf", "nul.tar.gz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := SafeName(in)
		if got == "" || got == "." || got == ".." || strings.ContainsAny(got, "/\\\x00") || !fs.ValidPath(got) ||
			len(got) > maxNameBytes+1 || !utf8.ValidString(got) {
			t.Fatalf("SafeName(%q) = %q", in, got)
		}
		base, _, _ := strings.Cut(got, ".")
		if windowsDevice(base) {
			t.Fatalf("SafeName(%q) = %q is a Windows device name", in, got)
		}
	})
}

// FuzzParseEmail: no input makes the mail parser panic, and the preview always renders.
func FuzzParseEmail(f *testing.F) {
	f.Add([]byte("From: a@b\r\nSubject: x\r\n\r\nbody"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain; charset=gb18030\r\n\r\n\xc4\xe3\r\n--x"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, _ = ParseEmail(raw)
		p := BuildPreview(Item{ContentType: "message/rfc822"}, raw, true)
		if p.Kind != PreviewEmail && p.Kind != PreviewText {
			t.Fatalf("preview kind %q", p.Kind)
		}
	})
}

func TestMaskText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"电话 13812345678。", "电话 138****5678。"},
		{"+86 139-0000-1111", "139****1111"},
		{"身份证 110101199003071234", "身份证 11**************34"},
		{"wangxm@example.com", "w*****@example.com"},
		{"订单 JD20260618001", "订单 JD20260618001"},
	}
	for _, tt := range tests {
		if got := MaskText(tt.in); got != tt.want {
			t.Errorf("MaskText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
