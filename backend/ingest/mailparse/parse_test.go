package mailparse

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func parseString(t *testing.T, s string) *Message {
	t.Helper()
	m, err := Parse([]byte(s), nil)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return m
}

func TestParseTable(t *testing.T) {
	gbk := "\xbf\xcd\xbb\xa7\xcd\xb6\xcb\xdf" // "客户投诉" in GBK
	tests := []struct {
		name    string
		in      string
		subject string
		from    string
		text    string // substring
		atts    int
		warn    string // substring of a warning, "" = any
	}{
		{name: "gb2312 label on GBK words", in: "From: a@x.cn\r\nSubject: =?GB2312?B?v827p822y98=?=\r\n\r\nhi\r\n", subject: "客户投诉", from: "a@x.cn", text: "hi"},
		{name: "raw 8-bit GBK subject", in: "From: a@x.cn\r\nSubject: " + gbk + "\r\nContent-Type: text/plain; charset=gbk\r\n\r\n" + gbk + "\r\n", subject: "客户投诉", text: "客户投诉"},
		{name: "malformed encoded word kept", in: "From: a@x.cn\r\nSubject: =?utf-8?B?5a6i?= =?bogus?Q?x?=\r\n\r\n.\r\n", subject: "客"},
		{name: "word split across two encoded words", in: "From: a@x.cn\r\nSubject: =?UTF-8?B?5a6i5oi3?= =?UTF-8?B?5oqV?=\r\n\r\n.\r\n", subject: "客户投"},
		{name: "header name with space repaired", in: "From: a@x.cn\r\nX Bad Name: 1\r\nSubject: ok\r\n\r\nbody\r\n", subject: "ok", text: "body", warn: "repaired"},
		{name: "unpadded base64", in: "From: a@x.cn\r\nSubject: b\r\nContent-Transfer-Encoding: base64\r\n\r\n5a6i5oi35oqV6K+J", subject: "b", text: "客户投诉"},
		{name: "bad quoted-printable kept", in: "From: a@x.cn\r\nSubject: q\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\na=ZZb=3Dc=\r\nd\r\n", text: "a=ZZb=cd"},
		{name: "missing closing boundary", in: "From: a@x.cn\r\nSubject: m\r\nContent-Type: multipart/mixed; boundary=Z\r\n\r\n--Z\r\nContent-Type: text/plain\r\n\r\npart one\r\n--Z\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"a.pdf\"\r\n\r\n%PDF\r\n", text: "part one", atts: 1, warn: "never closed"},
		{name: "rfc2231 filename with path", in: "From: a@x.cn\r\nSubject: f\r\nContent-Type: multipart/mixed; boundary=Z\r\n\r\n--Z\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd\r\n\r\nx\r\n--Z--\r\n", atts: 1},
		{name: "html only becomes text", in: "From: a@x.cn\r\nSubject: h\r\nContent-Type: text/html\r\n\r\n<p>Hello<script>alert(1)</script></p><p>World</p>\r\n", text: "Hello\n"},
		{name: "big5 body", in: "From: a@x.tw\r\nSubject: t\r\nContent-Type: text/plain; charset=big5\r\n\r\n\xb0h\xb3f\r\n", text: "退貨"},
		{name: "no date, junk date", in: "From: a@x.cn\r\nSubject: d\r\nDate: yesterday-ish\r\n\r\n.\r\n", warn: "Date"},
		{name: "mbox From line", in: "From someone Mon Jan  1 00:00:00 2026\r\nFrom: a@x.cn\r\nSubject: mbox\r\n\r\n.\r\n", subject: "mbox"},
		{name: "nested rfc822", in: "From: a@x.cn\r\nSubject: fwd\r\nContent-Type: multipart/mixed; boundary=Z\r\n\r\n--Z\r\nContent-Type: message/rfc822\r\n\r\nFrom: b@y.cn\r\nSubject: inner\r\n\r\ninner text\r\n--Z--\r\n", text: "inner text", atts: 1},
		{name: "address without quotes, 8-bit name", in: "From: 王 小明 <wang@x.cn>\r\nSubject: a\r\n\r\n.\r\n", from: "wang@x.cn"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := parseString(t, tc.in)
			if tc.subject != "" && !strings.Contains(m.Subject, tc.subject) {
				t.Errorf("subject %q, want %q", m.Subject, tc.subject)
			}
			if tc.from != "" && m.From.Email != tc.from {
				t.Errorf("from %q, want %q", m.From.Email, tc.from)
			}
			if tc.text != "" && !strings.Contains(m.Text, tc.text) {
				t.Errorf("text %q, want it to contain %q", m.Text, tc.text)
			}
			if len(m.Attachments) != tc.atts {
				t.Errorf("%d attachments, want %d", len(m.Attachments), tc.atts)
			}
			if tc.warn != "" && !strings.Contains(strings.Join(m.Warnings, "|"), tc.warn) {
				t.Errorf("warnings %v, want one with %q", m.Warnings, tc.warn)
			}
			for _, a := range m.Attachments {
				if strings.ContainsAny(a.Filename, "/\\") || strings.Contains(a.Filename, "..") {
					t.Errorf("unsafe attachment name %q", a.Filename)
				}
			}
			if strings.Contains(m.HTML, "<script") {
				t.Errorf("script in sanitised HTML: %s", m.HTML)
			}
		})
	}
}

func TestUnreadable(t *testing.T) {
	for _, in := range []string{"", "   \r\n", "just some prose\r\nwithout headers\r\n", "\x00\x01binary", "\tcontinuation only\r\n"} {
		if _, err := Parse([]byte(in), nil); !errors.Is(err, ErrUnreadable) {
			t.Errorf("%q: err %v, want ErrUnreadable", in, err)
		}
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":        "passwd",
		`C:\Windows\system32.dll`: "system32.dll",
		"CON.txt":                 "_CON.txt",
		"a\x00b\u202ec.exe":       "a_b_c.exe",
		"..":                      "attachment",
		"照片.jpg":                  "照片.jpg",
		"  .hidden  ":             "hidden",
		"":                        "attachment",
	} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAttachmentBytesAndSave(t *testing.T) {
	in := "From: a@x.cn\r\nSubject: s\r\nContent-Type: multipart/mixed; boundary=Z\r\n\r\n--Z\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"=?UTF-8?B?5Y+R56WoLnBkZg==?=\"\r\n\r\nAAECAwQF\r\n--Z--\r\n"
	var saved [][]byte
	m, err := Parse([]byte(in), func(r io.Reader) (string, int64, error) {
		b, _ := io.ReadAll(r)
		saved = append(saved, b)
		return sha256Reader(bytes.NewReader(b))
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(saved) != 1 || !bytes.Equal(saved[0], []byte{0, 1, 2, 3, 4, 5}) || m.Attachments[0].Filename != "发票.pdf" || m.Attachments[0].Size != 6 {
		t.Fatalf("attachment %+v saved %v", m.Attachments, saved)
	}
}

func corpusFiles() ([]string, error) {
	a, err := filepath.Glob(filepath.Join("testdata", "letters", "*.txt"))
	if err != nil {
		return nil, err
	}
	b, err := filepath.Glob(filepath.Join("testdata", "mimekit", "*"))
	return append(a, b...), err
}

// TestCorpora: every third-party test message (mnako/letters, MimeKit) either parses into valid UTF-8 or
// is refused as unreadable; nothing panics, and the letters matrix decodes its CJK subjects.
func TestCorpora(t *testing.T) {
	files, err := corpusFiles()
	if err != nil || len(files) < 190 {
		t.Fatalf("corpus files: %d %v", len(files), err)
	}
	parsed := 0
	for _, f := range files {
		if strings.HasSuffix(f, "PROVENANCE.md") {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Parse(raw, nil)
		if err != nil {
			if !errors.Is(err, ErrUnreadable) {
				t.Errorf("%s: %v", f, err)
			}
			continue
		}
		parsed++
		if !utf8.ValidString(m.Text) || !utf8.ValidString(m.Subject) {
			t.Errorf("%s: invalid UTF-8 out", f)
		}
		base := filepath.Base(f)
		if strings.HasPrefix(base, "test_chinese_") && !strings.Contains(m.Subject, "施氏食狮史") {
			t.Errorf("%s: subject %q", f, m.Subject)
		}
		if strings.HasPrefix(base, "test_japanese_") && !strings.Contains(m.Subject, "いろは歌") {
			t.Errorf("%s: subject %q", f, m.Subject)
		}
		if strings.HasPrefix(base, "test_chinese_plaintext") && !strings.Contains(m.Text, "施氏") {
			t.Errorf("%s: body %q", f, m.Text)
		}
	}
	if parsed < 190 {
		t.Fatalf("only %d corpus messages parsed", parsed)
	}
}

// FuzzParse: no input panics or hangs the parser, and what it returns is valid UTF-8 with safe names.
func FuzzParse(f *testing.F) {
	files, _ := corpusFiles()
	for i, p := range files {
		if i%7 != 0 { // a spread of seeds keeps the seed corpus run quick
			continue
		}
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	f.Add([]byte("From: a@b\r\nContent-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n"))
	f.Add([]byte("Subject: =?gb2312?B?====?=\r\n\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b, nil)
		if err != nil {
			if !errors.Is(err, ErrUnreadable) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if !utf8.ValidString(m.Subject) || !utf8.ValidString(m.Text) {
			t.Fatal("invalid UTF-8")
		}
		for _, a := range m.Attachments {
			if strings.ContainsAny(a.Filename, "/\\\x00") {
				t.Fatalf("unsafe name %q", a.Filename)
			}
		}
	})
}
