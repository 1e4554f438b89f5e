package demo

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// The demo writes its MIME by hand rather than through go-message's writer because it has to produce
// what real Chinese mail clients send and go-message never writes: GBK/GB2312 bodies and encoded words,
// base64 and quoted-printable mixed, HTML-only bodies. The parsers under test must cope with all of it.

// charset is how one message's text is encoded on the wire.
type charset string

const (
	csUTF8    charset = "UTF-8"
	csGBK     charset = "GBK"
	csGB2312  charset = "GB2312" // labelled GB2312, bytes from the GBK encoder as most clients do
	csGB18030 charset = "GB18030"
)

// encodeText returns s in cs, or false when s has a character cs cannot carry (the caller then uses UTF-8).
func encodeText(cs charset, s string) ([]byte, bool) {
	switch cs {
	case csGBK, csGB2312:
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
		return b, err == nil
	case csGB18030:
		b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
		return b, err == nil
	default:
		return []byte(s), true
	}
}

// encodeWord renders a header value as RFC 2047 encoded words in cs; ASCII stays as it is.
func encodeWord(cs charset, s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	if cs == csUTF8 {
		return mime.BEncoding.Encode("UTF-8", s)
	}
	if _, ok := encodeText(cs, s); !ok {
		return mime.BEncoding.Encode("UTF-8", s)
	}
	// Split on rune boundaries so that no word cuts a double-byte character and each stays under 75 bytes.
	var words []string
	var chunk strings.Builder
	flush := func() {
		if chunk.Len() == 0 {
			return
		}
		b, _ := encodeText(cs, chunk.String())
		words = append(words, "=?"+string(cs)+"?B?"+base64.StdEncoding.EncodeToString(b)+"?=")
		chunk.Reset()
	}
	n := 0
	for _, r := range s {
		w := 1
		if r >= utf8.RuneSelf {
			w = 2
		}
		if n+w > 36 { // 36 bytes -> 48 base64 chars, plus the charset label, stays under 75
			flush()
			n = 0
		}
		chunk.WriteRune(r)
		n += w
	}
	flush()
	return strings.Join(words, "\r\n ")
}

// address renders `"Name" <mail>` with the name encoded in cs.
func address(cs charset, name, mail string) string {
	if name == "" {
		return "<" + mail + ">"
	}
	enc := encodeWord(cs, name)
	if enc == name {
		enc = `"` + strings.ReplaceAll(name, `"`, "") + `"`
	}
	return enc + " <" + mail + ">"
}

// part is one leaf of a message body.
type part struct {
	contentType string // e.g. text/plain, text/html, image/png
	filename    string
	data        []byte // for text parts: the UTF-8 text before encoding
	text        bool
}

// envelope is what goes into the top-level header.
type envelope struct {
	from, fromName string
	to, toName     string
	subject        string
	date           time.Time
	messageID      string
	inReplyTo      string
	references     []string
	mailer         string
	cs             charset
	qp             bool // quoted-printable for text parts, else base64
}

// build assembles an RFC 5322 message: a single text part, multipart/alternative for text+HTML, and
// multipart/mixed when there are attachments.
func build(env envelope, body []part, attachments []part) ([]byte, error) {
	var buf bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&buf, "%s: %s\r\n", k, v) }
	h("From", address(env.cs, env.fromName, env.from))
	h("To", address(env.cs, env.toName, env.to))
	h("Subject", encodeWord(env.cs, env.subject))
	h("Date", env.date.Format(time.RFC1123Z))
	h("Message-ID", "<"+env.messageID+">")
	if env.inReplyTo != "" {
		h("In-Reply-To", "<"+env.inReplyTo+">")
	}
	if len(env.references) > 0 {
		refs := make([]string, len(env.references))
		for i, r := range env.references {
			refs[i] = "<" + r + ">"
		}
		h("References", strings.Join(refs, "\r\n "))
	}
	if env.mailer != "" {
		h("X-Mailer", env.mailer)
	}
	h("MIME-Version", "1.0")

	var leaf func(w *multipart.Writer, p part) error
	leaf = func(w *multipart.Writer, p part) error {
		hdr, payload := leafHeader(env, p)
		pw, err := w.CreatePart(hdr)
		if err != nil {
			return err
		}
		_, err = pw.Write(payload)
		return err
	}
	writeAlternative := func(w *multipart.Writer) error {
		for _, p := range body {
			if err := leaf(w, p); err != nil {
				return err
			}
		}
		return w.Close()
	}

	switch {
	case len(attachments) == 0 && len(body) == 1:
		hdr, payload := leafHeader(env, body[0])
		for _, k := range []string{"Content-Type", "Content-Transfer-Encoding"} {
			h(k, hdr.Get(k))
		}
		buf.WriteString("\r\n")
		buf.Write(payload)
	case len(attachments) == 0:
		w := newWriter(&buf, env, "alt")
		h("Content-Type", `multipart/alternative; boundary="`+w.Boundary()+`"`)
		buf.WriteString("\r\n")
		if err := writeAlternative(w); err != nil {
			return nil, err
		}
	default:
		mixed := newWriter(&buf, env, "mixed")
		h("Content-Type", `multipart/mixed; boundary="`+mixed.Boundary()+`"`)
		buf.WriteString("\r\n")
		if len(body) == 1 {
			if err := leaf(mixed, body[0]); err != nil {
				return nil, err
			}
		} else {
			var inner bytes.Buffer
			alt := newWriter(&inner, env, "alt")
			if err := writeAlternative(alt); err != nil {
				return nil, err
			}
			pw, err := mixed.CreatePart(textproto.MIMEHeader{"Content-Type": {`multipart/alternative; boundary="` + alt.Boundary() + `"`}})
			if err != nil {
				return nil, err
			}
			if _, err := pw.Write(inner.Bytes()); err != nil {
				return nil, err
			}
		}
		for _, a := range attachments {
			if err := leaf(mixed, a); err != nil {
				return nil, err
			}
		}
		if err := mixed.Close(); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// newWriter uses a boundary derived from the Message-ID: multipart's default is random, and the demo
// mailbox must be byte-identical for a given seed (re-opening the workspace re-delivers the same mail).
func newWriter(buf *bytes.Buffer, env envelope, tag string) *multipart.Writer {
	w := multipart.NewWriter(buf)
	sum := sha256.Sum256([]byte(env.messageID))
	_ = w.SetBoundary(fmt.Sprintf("=_%s_%x", tag, sum[:12])) // always valid: ASCII, < 70 chars
	return w
}

// leafHeader returns the MIME header and the encoded payload of one leaf part.
func leafHeader(env envelope, p part) (textproto.MIMEHeader, []byte) {
	hdr := textproto.MIMEHeader{}
	if !p.text {
		ct := p.contentType
		disp := "attachment"
		if p.filename != "" {
			// RFC 2231 would be cleaner; Chinese clients mostly send encoded words in name=, so do that.
			ct += `; name="` + encodeWord(env.cs, p.filename) + `"`
			disp += `; filename="` + encodeWord(env.cs, p.filename) + `"`
		}
		hdr.Set("Content-Type", ct)
		hdr.Set("Content-Disposition", disp)
		hdr.Set("Content-Transfer-Encoding", "base64")
		return hdr, base64Lines(p.data)
	}
	cs := env.cs
	data, ok := encodeText(cs, string(p.data))
	if !ok {
		cs, data = csUTF8, p.data
	}
	hdr.Set("Content-Type", p.contentType+"; charset="+strings.ToLower(string(cs)))
	if env.qp {
		hdr.Set("Content-Transfer-Encoding", "quoted-printable")
		var out bytes.Buffer
		w := quotedprintable.NewWriter(&out)
		_, _ = w.Write(crlf(data))
		_ = w.Close()
		return hdr, out.Bytes()
	}
	hdr.Set("Content-Transfer-Encoding", "base64")
	return hdr, base64Lines(crlf(data))
}

func crlf(b []byte) []byte {
	return bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
}

func base64Lines(b []byte) []byte {
	s := base64.StdEncoding.EncodeToString(b)
	var out bytes.Buffer
	for len(s) > 76 {
		out.WriteString(s[:76])
		out.WriteString("\r\n")
		s = s[76:]
	}
	out.WriteString(s)
	out.WriteString("\r\n")
	return out.Bytes()
}
