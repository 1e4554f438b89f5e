// Package mailparse turns raw RFC 5322 bytes into what a case needs: threading ids, sender, subject, text,
// sanitised HTML and attachments. It is lenient on purpose: real complaint mail is full of GB2312 labels on
// GBK text, raw 8-bit headers, unpadded base64 and missing boundaries, and the brief is to recover what can
// be read and quarantine only what cannot. Charsets come from go-message's charset package; the header and
// multipart framing is our own because go-message rejects header names with a tab or space and stops at a
// multipart without its closing boundary, both common in the corpora we must ingest.
package mailparse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Address is a sender or recipient; Email is lower-cased.
type Address struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Attachment is a non-text part; its bytes went to the SaveFunc and are addressed by SHA256.
type Attachment struct {
	Filename    string `json:"filename"` // display only, see SafeName; never a path
	ContentType string `json:"content_type"`
	ContentID   string `json:"content_id,omitempty"`
	Inline      bool   `json:"inline,omitempty"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
}

// Message is a parsed email.
type Message struct {
	MessageID   string
	InReplyTo   []string
	References  []string
	Subject     string
	From        Address
	To          []Address
	Cc          []Address
	Date        time.Time // zero when missing or unreadable
	Text        string    // text/plain parts, else the HTML converted to text
	HTML        string    // sanitised HTML, "" when the message has none
	Attachments []Attachment
	Warnings    []string // what was repaired or skipped, shown next to the message
}

// SaveFunc stores an attachment's decoded bytes and returns their SHA-256 and size.
type SaveFunc func(r io.Reader) (sum string, size int64, err error)

// ErrUnreadable wraps every reason a message is quarantined rather than ingested.
var ErrUnreadable = errors.New("unreadable message")

const (
	maxDepth     = 30      // MIME nesting; MimeKit's corpus has a deliberately bottomless message
	maxParts     = 2000    // parts per message; beyond that the rest is skipped with a warning
	maxTextBytes = 1 << 20 // extracted text kept for indexing and display
)

// Parse reads a whole message, all of it in memory (callers read it in one go, at its known size: the
// parts, decoded, are slices of it). save receives every attachment (nil: attachments are hashed and
// dropped, which is what the fuzzer does). The error wraps ErrUnreadable when the input is not a message
// at all.
func Parse(raw []byte, save SaveFunc) (*Message, error) {
	if save == nil {
		save = hashOnly
	}
	p := &parser{msg: &Message{}, save: save}
	return p.parse(raw)
}

type parser struct {
	msg      *Message
	save     SaveFunc
	parts    int
	html     []string
	text     []string
	fallback string // charset for raw 8-bit headers (see charsetFor), computed on first need
	top      header
	topBody  []byte
}

func (p *parser) warn(format string, args ...any) {
	if len(p.msg.Warnings) < 50 {
		p.msg.Warnings = append(p.msg.Warnings, fmt.Sprintf(format, args...))
	}
}

func (p *parser) parse(raw []byte) (*Message, error) {
	raw = skipMboxFrom(raw)
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrUnreadable)
	}
	if bytes.IndexByte(raw[:min(len(raw), 8192)], 0) >= 0 {
		return nil, fmt.Errorf("%w: NUL bytes in the header area (binary data, not a message)", ErrUnreadable)
	}
	hdrBytes, body := splitHeader(raw)
	h, bad := parseHeader(hdrBytes)
	if len(h) == 0 {
		return nil, fmt.Errorf("%w: no header fields", ErrUnreadable)
	}
	if bad > len(h) {
		return nil, fmt.Errorf("%w: %d of %d header lines are not fields", ErrUnreadable, bad, bad+len(h))
	}
	if bad > 0 {
		p.warn("repaired %d malformed header line(s)", bad)
	}
	if !h.hasAny("from", "subject", "date", "message-id", "to", "content-type", "mime-version", "received") {
		return nil, fmt.Errorf("%w: none of From, To, Subject, Date, Message-ID, Content-Type present", ErrUnreadable)
	}
	p.top, p.topBody = h, body
	p.headers(h)
	p.walk(h, body, 0)
	m := p.msg
	m.Text = joinText(p.text)
	if len(p.html) > 0 {
		joined := strings.Join(p.html, "\n<hr>\n")
		m.HTML = Sanitize(joined)
		if strings.TrimSpace(m.Text) == "" {
			m.Text = HTMLToText(joined)
		}
	}
	if len(m.Text) > maxTextBytes {
		m.Text = truncateUTF8(m.Text, maxTextBytes)
		p.warn("text cut at %d bytes", maxTextBytes)
	}
	return m, nil
}

func joinText(parts []string) string {
	var out []string
	for _, t := range parts {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return strings.Join(out, "\n\n")
}

// skipMboxFrom drops an mbox "From " separator line that some exports leave at the top.
func skipMboxFrom(raw []byte) []byte {
	if bytes.HasPrefix(raw, []byte("From ")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			return raw[i+1:]
		}
	}
	return raw
}

func (p *parser) headers(h header) {
	m := p.msg
	m.MessageID = firstID(h.get("message-id"))
	m.InReplyTo = msgIDs(h.get("in-reply-to"))
	m.References = msgIDs(strings.Join(h.all("references"), " "))
	m.Subject = strings.TrimSpace(p.decodeText(h.get("subject")))
	if from := p.addresses(h.get("from")); len(from) > 0 {
		m.From = from[0]
	} else if sender := p.addresses(h.get("sender")); len(sender) > 0 {
		m.From = sender[0]
	}
	m.To = p.addresses(strings.Join(h.all("to"), ", "))
	m.Cc = p.addresses(strings.Join(h.all("cc"), ", "))
	if d := strings.TrimSpace(h.get("date")); d != "" {
		t, err := parseDate(d)
		if err != nil {
			p.warn("unreadable Date header %q", truncateUTF8(d, 80))
		} else {
			m.Date = t.UTC()
		}
	}
}

var idRe = regexp.MustCompile(`<([^<>\s]+)>`)

// msgIDs returns the ids in angle brackets; a bare id without brackets is accepted as the only one.
func msgIDs(s string) []string {
	var out []string
	for _, m := range idRe.FindAllStringSubmatch(s, 200) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		if f := strings.Fields(s); len(f) == 1 && strings.Contains(f[0], "@") {
			out = append(out, f[0])
		}
	}
	return out
}

func firstID(s string) string {
	if ids := msgIDs(s); len(ids) > 0 {
		return truncateUTF8(ids[0], 500)
	}
	return ""
}

var emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-=#!$&'*/?^{|}~]+@[A-Za-z0-9.\-]+`)

// addresses parses an address list; when net/mail refuses it (bare 8-bit names, missing quotes) the
// addresses are picked out by pattern so the sender is still known.
func (p *parser) addresses(v string) []Address {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	if !utf8.ValidString(v) {
		v = p.decodeText(v)
	}
	ap := mail.AddressParser{WordDecoder: wordDecoder}
	list, err := ap.ParseList(v)
	if err == nil {
		out := make([]Address, 0, len(list))
		for _, a := range list {
			out = append(out, Address{Name: p.decodeText(a.Name), Email: strings.ToLower(a.Address)})
		}
		return out
	}
	var out []Address
	for _, part := range strings.Split(v, ",") {
		e := emailRe.FindString(part)
		if e == "" {
			continue
		}
		name := part
		if i := strings.Index(part, "<"); i >= 0 {
			name = part[:i]
		} else {
			name = ""
		}
		out = append(out, Address{Name: strings.Trim(p.decodeText(strings.TrimSpace(name)), `"' `), Email: strings.ToLower(e)})
	}
	return out
}

var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700 (MST)", "2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST", "Mon, 02 Jan 2006 15:04:05 -0700", "2006-01-02 15:04:05 -0700",
	"2006-01-02T15:04:05Z07:00", "Mon Jan 2 15:04:05 2006", "Mon, 2 Jan 06 15:04:05 -0700",
}

var commentRe = regexp.MustCompile(`\([^()]*\)`)

func parseDate(s string) (time.Time, error) {
	if t, err := mail.ParseDate(s); err == nil {
		return t, nil
	}
	// Comments such as "(EDT)" in odd places trip net/mail; drop them and try the common layouts.
	s = strings.Join(strings.Fields(commentRe.ReplaceAllString(s, " ")), " ")
	if t, err := mail.ParseDate(s); err == nil {
		return t, nil
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unknown date format")
}

// walk visits one entity (the message or a part) and everything inside it.
func (p *parser) walk(h header, body []byte, depth int) {
	p.parts++
	if p.parts > maxParts {
		if p.parts == maxParts+1 {
			p.warn("more than %d MIME parts; the rest are kept only in the raw message", maxParts)
		}
		return
	}
	if depth > maxDepth {
		if depth == maxDepth+1 {
			p.warn("MIME nesting deeper than %d; inner parts kept only in the raw message", maxDepth)
		}
		return
	}
	ct, params := p.mediaType(h.get("content-type"))
	disp, dparams := p.disposition(h.get("content-disposition"))
	name := p.partName(params, dparams)
	switch {
	case strings.HasPrefix(ct, "multipart/"):
		boundary := params["boundary"]
		if boundary == "" {
			p.warn("%s without a boundary read as text", ct)
			p.addText("text/plain", params, p.decodeTransfer(h, body))
			return
		}
		parts, closed := splitMultipart(body, boundary)
		if !closed {
			p.warn("multipart boundary %q never closed; read to the end", truncateUTF8(boundary, 40))
		}
		if len(parts) == 0 {
			p.warn("%s with no parts", ct)
		}
		for _, part := range parts {
			ph, pbody := splitHeader(part)
			phdr, bad := parseHeader(ph)
			if bad > 0 {
				p.warn("repaired %d malformed header line(s) in a part", bad)
			}
			p.walk(phdr, pbody, depth+1)
		}
	case ct == "message/rfc822" || ct == "message/global":
		data := p.decodeTransfer(h, body)
		if name == "" {
			name = "message.eml"
		}
		p.attach(name, ct, h, disp, data)
		ih, ib := splitHeader(data)
		inner, _ := parseHeader(ih)
		if len(inner) > 0 {
			if subj := p.decodeText(inner.get("subject")); subj != "" {
				p.text = append(p.text, "---- 附带邮件 / Attached message: "+subj+" ----")
			}
			p.walk(inner, ib, depth+1)
		}
	case (ct == "text/plain" || ct == "text/html" || ct == "text/enriched") && disp != "attachment" && name == "":
		p.addText(ct, params, p.decodeTransfer(h, body))
	default:
		data := p.decodeTransfer(h, body)
		if name == "" {
			name = defaultName(ct)
		}
		p.attach(name, ct, h, disp, data)
	}
}

func (p *parser) addText(ct string, params map[string]string, data []byte) {
	s := p.decodeCharset(params["charset"], data)
	if ct == "text/html" {
		p.html = append(p.html, s)
		return
	}
	p.text = append(p.text, s)
}

func (p *parser) attach(name, ct string, h header, disp string, data []byte) {
	sum, size, err := p.save(bytes.NewReader(data))
	if err != nil {
		// Storage trouble is not the message's fault: surface it through Warnings and keep the rest, the raw
		// message still holds the bytes.
		p.warn("attachment %q not stored: %v", SafeName(name), err)
		return
	}
	cid := strings.Trim(strings.TrimSpace(h.get("content-id")), "<>")
	p.msg.Attachments = append(p.msg.Attachments, Attachment{
		Filename: SafeName(name), ContentType: ct, ContentID: truncateUTF8(cid, 300),
		Inline: disp == "inline" || (disp == "" && cid != ""), SHA256: sum, Size: size,
	})
}

func defaultName(ct string) string {
	exts, _ := mime.ExtensionsByType(ct)
	ext := ".bin"
	if len(exts) > 0 {
		ext = exts[0]
	}
	return "attachment" + ext
}

// mediaType parses Content-Type leniently: a value mime.ParseMediaType rejects still yields its type and
// any parameters that can be read, and a missing type is text/plain (RFC 2045 §5.2).
func (p *parser) mediaType(v string) (string, map[string]string) {
	if strings.TrimSpace(v) == "" {
		return "text/plain", map[string]string{}
	}
	mt, params, err := mime.ParseMediaType(v)
	if err != nil {
		mt, params = lenientParams(v)
	}
	mt = strings.ToLower(mt)
	if !strings.Contains(mt, "/") {
		p.warn("content type %q read as text/plain", truncateUTF8(mt, 60))
		mt = "text/plain"
	}
	return mt, params
}

func (p *parser) disposition(v string) (string, map[string]string) {
	if strings.TrimSpace(v) == "" {
		return "", map[string]string{}
	}
	d, params, err := mime.ParseMediaType(v)
	if err != nil {
		d, params = lenientParams(v)
	}
	return strings.ToLower(d), params
}

var paramRe = regexp.MustCompile(`(?i)([a-z0-9_\-*]+)\s*=\s*("([^"]*)"|[^;\s]+)`)

func lenientParams(v string) (string, map[string]string) {
	first, rest, _ := strings.Cut(v, ";")
	params := map[string]string{}
	for _, m := range paramRe.FindAllStringSubmatch(rest, 50) {
		val := m[2]
		if strings.HasPrefix(val, `"`) {
			val = m[3]
		}
		key := strings.ToLower(m[1])
		if _, dup := params[key]; !dup {
			params[key] = val
		}
	}
	return strings.TrimSpace(first), params
}

// partName is the attachment's name: filename (RFC 2231 handled by mime.ParseMediaType), else the
// Content-Type name; encoded-words inside are decoded because many mailers put them there.
func (p *parser) partName(params, dparams map[string]string) string {
	for _, v := range []string{dparams["filename"], params["name"], dparams["filename*"], params["name*"]} {
		if v != "" {
			return p.decodeText(v)
		}
	}
	return ""
}

func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func hashOnly(r io.Reader) (string, int64, error) {
	return sha256Reader(r)
}
