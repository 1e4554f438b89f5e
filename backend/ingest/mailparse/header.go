package mailparse

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	simdbase64 "github.com/segmentio/asm/base64"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

type field struct{ name, value string }

// header keeps fields in order with folding removed; names are lower-cased.
type header []field

func (h header) get(name string) string {
	for _, f := range h {
		if f.name == name {
			return f.value
		}
	}
	return ""
}

func (h header) all(name string) []string {
	var out []string
	for _, f := range h {
		if f.name == name {
			out = append(out, f.value)
		}
	}
	return out
}

func (h header) hasAny(names ...string) bool {
	for _, n := range names {
		if h.get(n) != "" {
			return true
		}
	}
	return false
}

// splitHeader cuts at the first empty line (CRLF or LF). Without one, everything is header.
func splitHeader(b []byte) (hdr, body []byte) {
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return b, nil
		}
		line := b[i : i+j]
		if len(line) == 0 || (len(line) == 1 && line[0] == '\r') {
			return b[:i], b[i+j+1:]
		}
		i += j + 1
	}
	return b, nil
}

// parseHeader reads fields leniently: a field name with spaces, tabs or punctuation is repaired by
// replacing the bad bytes with '-', a line that is neither a field nor a continuation is counted in bad
// and dropped (the raw message keeps it).
func parseHeader(b []byte) (h header, bad int) {
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	for _, line := range lines {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(h) == 0 {
				bad++
				continue
			}
			h[len(h)-1].value += " " + strings.TrimSpace(line)
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || name == "" {
			bad++
			continue
		}
		clean, repaired := cleanName(name)
		if clean == "" {
			bad++
			continue
		}
		if repaired {
			bad++
		}
		h = append(h, field{name: strings.ToLower(clean), value: strings.TrimSpace(value)})
	}
	return h, bad
}

// cleanName keeps RFC 5322 ftext (printable ASCII except ':'); "Subject " (obsolete space before the colon)
// is plain trimming, anything else is replaced.
func cleanName(name string) (string, bool) {
	trimmed := strings.TrimRight(name, " \t")
	var sb strings.Builder
	repaired := false
	for i := 0; i < len(trimmed); i++ {
		c := trimmed[i]
		if c > 32 && c < 127 {
			sb.WriteByte(c)
		} else {
			sb.WriteByte('-')
			repaired = true
		}
	}
	return sb.String(), repaired
}

// splitMultipart returns the bodies between boundary lines. closed is false when the closing delimiter
// is missing; what was read is still returned.
func splitMultipart(body []byte, boundary string) (parts [][]byte, closed bool) {
	delim := []byte("--" + boundary)
	var cur []byte
	in := false
	start := 0
	for i := 0; i <= len(body); {
		j := bytes.IndexByte(body[i:], '\n')
		end := len(body)
		next := len(body) + 1
		if j >= 0 {
			end = i + j
			next = end + 1
		}
		line := bytes.TrimRight(body[i:end], "\r \t")
		if bytes.HasPrefix(line, delim) {
			rest := line[len(delim):]
			if in {
				// The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
				cur = body[start:i]
				cur = bytes.TrimSuffix(cur, []byte("\n"))
				cur = bytes.TrimSuffix(cur, []byte("\r"))
				parts = append(parts, cur)
			}
			if bytes.Equal(rest, []byte("--")) {
				return parts, true
			}
			if len(rest) == 0 {
				in = true
				start = next
				if start > len(body) {
					start = len(body)
				}
			}
		}
		i = next
	}
	if in && start <= len(body) {
		parts = append(parts, body[start:])
	}
	return parts, false
}

// decodeTransfer undoes the Content-Transfer-Encoding, leniently: unpadded or damaged base64 and bad
// quoted-printable escapes decode as far as they can instead of failing.
func (p *parser) decodeTransfer(h header, body []byte) []byte {
	switch strings.ToLower(strings.TrimSpace(h.get("content-transfer-encoding"))) {
	case "base64":
		out, damaged := decodeBase64(body)
		if damaged {
			p.warn("damaged base64 decoded as far as possible")
		}
		return out
	case "quoted-printable":
		return decodeQP(body)
	default:
		return body
	}
}

func decodeBase64(b []byte) (out []byte, damaged bool) {
	// Well-formed base64 in lines is the common case, and attachments make it the bulk of a mailbox's
	// bytes. Without its line breaks it goes through a vectorised decoder (segmentio/asm: about three
	// times the standard library's speed here, same results); the byte filter below handles the rest.
	out = make([]byte, base64.StdEncoding.DecodedLen(len(b)))
	n, err := simdbase64.StdEncoding.Decode(out, withoutLineBreaks(b))
	if err == nil {
		return out[:n], false
	}
	clean := make([]byte, 0, len(b))
	for _, c := range b {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
			clean = append(clean, c)
		case c == '-':
			clean = append(clean, '+')
		case c == '_':
			clean = append(clean, '/')
		case c == ' ', c == '\t', c == '\r', c == '\n', c == '=':
		default:
			damaged = true
		}
	}
	if len(clean)%4 == 1 { // one stray character cannot encode a byte
		clean = clean[:len(clean)-1]
		damaged = true
	}
	if need := base64.RawStdEncoding.DecodedLen(len(clean)); cap(out) >= need {
		out = out[:need]
	} else {
		out = make([]byte, need) // unpadded input can decode to more than the padded estimate
	}
	n, err = base64.RawStdEncoding.Decode(out, clean)
	if err != nil {
		damaged = true
	}
	return out[:n], damaged
}

// withoutLineBreaks returns b without its line ends, LF or CRLF (b itself when it has none). A stray CR
// or LF left inside a line makes the fast decoder fail, and the byte filter then reads the part.
func withoutLineBreaks(b []byte) []byte {
	first := bytes.IndexByte(b, '\n')
	if first < 0 {
		return b
	}
	eol := 1
	if first > 0 && b[first-1] == '\r' {
		eol = 2
	}
	// Mail wraps base64 at one width: while lines keep the first one's width and line end they are
	// copied by stride, without a search for each line end (which cost as much as the decoding).
	stride := first + 1
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		if len(b) >= stride && b[stride-1] == '\n' && (eol == 1 || b[stride-2] == '\r') {
			out = append(out, b[:stride-eol]...)
			b = b[stride:]
			continue
		}
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		out = append(out, bytes.TrimSuffix(line, []byte("\r"))...)
	}
	return out
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// decodeQP is a lenient RFC 2045 decoder: soft breaks are removed, =XX decoded, anything else kept as is
// (mime/quotedprintable stops at the first bad escape, which loses the rest of the body).
func decodeQP(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '=' {
			out = append(out, c)
			continue
		}
		if i+1 < len(b) && b[i+1] == '\n' {
			i++
			continue
		}
		if i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n' {
			i += 2
			continue
		}
		if i+2 < len(b) {
			hi, ok1 := unhex(b[i+1])
			lo, ok2 := unhex(b[i+2])
			if ok1 && ok2 {
				out = append(out, hi<<4|lo)
				i += 2
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// isGBLabel: GB2312 labels are decoded as GB18030 (a superset) because senders routinely label GBK or
// GB18030 text as GB2312.
func isGBLabel(l string) bool {
	switch l {
	case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "windows-936", "euc-cn", "csgb2312", "gb_2312-80", "chinese", "x-euc-cn":
		return true
	}
	return false
}

func (p *parser) decodeCharset(label string, b []byte) string {
	s, ok := decodeWith(label, b)
	if !ok {
		p.warn("unknown or wrong charset %q; decoded as best guess", truncateUTF8(label, 40))
	}
	return s
}

// decodeWith decodes b labelled with charset label. ok is false when the label was unknown and a guess was
// made (valid UTF-8, else GB18030, the most likely charset of unlabelled Chinese mail).
func decodeWith(label string, b []byte) (string, bool) {
	l := strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	switch {
	case l == "" || l == "us-ascii" || l == "ascii" || l == "utf-8" || l == "utf8":
		if utf8.Valid(b) {
			return string(b), true
		}
		return guess(b), l == ""
	case isGBLabel(l):
		out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
		if err != nil {
			return guess(b), false
		}
		return string(out), true
	}
	r, err := charset.Reader(l, bytes.NewReader(b))
	if err != nil {
		return guess(b), false
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return guess(b), false
	}
	return strings.ToValidUTF8(string(out), "\uFFFD"), true
}

func guess(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	if out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil && utf8.Valid(out) {
		return string(out)
	}
	out, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

var wordDecoder = &mime.WordDecoder{CharsetReader: func(label string, input io.Reader) (io.Reader, error) {
	if isGBLabel(strings.ToLower(label)) {
		return simplifiedchinese.GB18030.NewDecoder().Reader(input), nil
	}
	return charset.Reader(label, input)
}}

var encodedWordRe = regexp.MustCompile(`=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=`)

// decodeText decodes a header value: raw 8-bit bytes with the message's likely charset, then RFC 2047
// words. When the whole value is rejected (a bad word among good ones, words split mid-character), each
// word is decoded on its own and undecodable ones stay as they were.
func (p *parser) decodeText(v string) string {
	if v == "" {
		return ""
	}
	if !utf8.ValidString(v) {
		if p.fallback == "" {
			p.fallback = guessHeaderCharset(p.top, p.topBody)
		}
		v, _ = decodeWith(p.fallback, []byte(v))
	}
	if !strings.Contains(v, "=?") {
		return v
	}
	if out, err := wordDecoder.DecodeHeader(v); err == nil {
		return strings.ToValidUTF8(out, "\uFFFD")
	}
	// Adjacent words of one charset may split a multi-byte character: join their bytes before decoding.
	var sb strings.Builder
	last := 0
	locs := encodedWordRe.FindAllStringSubmatchIndex(v, -1)
	for i := 0; i < len(locs); {
		loc := locs[i]
		gap := v[last:loc[0]]
		if last == 0 || strings.TrimSpace(gap) != "" {
			sb.WriteString(gap)
		}
		cs := strings.ToLower(v[loc[2]:loc[3]])
		var raw []byte
		j := i
		for ; j < len(locs); j++ {
			l := locs[j]
			if j > i && (strings.ToLower(v[l[2]:l[3]]) != cs || strings.TrimSpace(v[locs[j-1][1]:l[0]]) != "") {
				break
			}
			raw = append(raw, decodeWordPayload(v[l[4]:l[5]], v[l[6]:l[7]])...)
		}
		if s, ok := decodeWith(cs, raw); ok {
			sb.WriteString(s)
		} else {
			sb.WriteString(v[loc[0]:locs[j-1][1]])
		}
		last = locs[j-1][1]
		i = j
	}
	sb.WriteString(v[last:])
	return strings.ToValidUTF8(sb.String(), "\uFFFD")
}

func decodeWordPayload(enc, text string) []byte {
	if enc == "b" || enc == "B" {
		out, _ := decodeBase64([]byte(text))
		return out
	}
	return decodeQP([]byte(strings.ReplaceAll(text, "_", " ")))
}

var charsetParamRe = regexp.MustCompile(`(?i)charset\s*=\s*"?([A-Za-z0-9_\-:.]+)`)

// guessHeaderCharset picks the charset for raw 8-bit header bytes: the first charset the message declares
// anywhere (mailers that write raw headers write them in the body's charset), else GB18030.
func guessHeaderCharset(h header, body []byte) string {
	if m := charsetParamRe.FindStringSubmatch(h.get("content-type")); m != nil {
		return m[1]
	}
	if m := charsetParamRe.FindSubmatch(body[:min(len(body), 64<<10)]); m != nil {
		return string(m[1])
	}
	return "gb18030"
}

func sha256Reader(r io.Reader) (string, int64, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
