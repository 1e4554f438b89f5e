package evidence

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // GBK/GB18030/Big5 mail from Chinese customers and regulators
	"github.com/emersion/go-message/mail"
	"github.com/microcosm-cc/bluemonday"
)

// Preview kinds.
const (
	PreviewImage  = "image"
	PreviewPDF    = "pdf"
	PreviewText   = "text"
	PreviewEmail  = "email"
	PreviewBinary = "binary"
)

// maxPreviewText bounds the text a preview returns; the original stays complete in the store.
const maxPreviewText = 256 << 10

// maxInlineBytes bounds images and PDFs sent to the viewer inline.
const maxInlineBytes = 20 << 20

// Preview is what the viewer shows for one item.
type Preview struct {
	ItemID      int64      `json:"item_id"`
	Kind        string     `json:"kind"`
	ContentType string     `json:"content_type"`
	Filename    string     `json:"filename"`
	Text        string     `json:"text,omitempty"`
	Email       *EmailView `json:"email,omitempty"`
	Data        []byte     `json:"data,omitempty"` // images and PDFs (base64 in JSON)
	Truncated   bool       `json:"truncated"`
	Masked      bool       `json:"masked"`
	Note        string     `json:"note,omitempty"`
}

// EmailView is a parsed message: headers and the readable body.
type EmailView struct {
	From        string   `json:"from"`
	To          string   `json:"to"`
	Cc          string   `json:"cc,omitempty"`
	Subject     string   `json:"subject"`
	Date        string   `json:"date"`
	MessageID   string   `json:"message_id"`
	Body        string   `json:"body"`
	Attachments []string `json:"attachments"`
}

// DetectType names the content type of an original from its bytes, its name and its kind.
func DetectType(name string, kind Kind, head []byte) string {
	switch kind {
	case KindEmail, KindLetter:
		if looksLikeMail(head) {
			return "message/rfc822"
		}
	}
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".eml" {
		return "message/rfc822"
	}
	sniffed := http.DetectContentType(head)
	if sniffed != "application/octet-stream" && !strings.HasPrefix(sniffed, "text/plain") {
		return sniffed
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	if strings.HasPrefix(sniffed, "text/plain") && looksLikeMail(head) {
		return "message/rfc822"
	}
	return sniffed
}

func looksLikeMail(head []byte) bool {
	h := strings.ToLower(string(head[:min(len(head), 4096)]))
	return (strings.Contains(h, "\nfrom:") || strings.HasPrefix(h, "from:") || strings.HasPrefix(h, "received:") ||
		strings.HasPrefix(h, "return-path:") || strings.HasPrefix(h, "message-id:") || strings.HasPrefix(h, "mime-version:")) &&
		(strings.Contains(h, "\nsubject:") || strings.Contains(h, "\ndate:") || strings.Contains(h, "\nto:"))
}

// previewKind maps a content type to what the viewer can show.
func previewKind(contentType string) string {
	ct, _, _ := mime.ParseMediaType(contentType)
	switch {
	case ct == "message/rfc822":
		return PreviewEmail
	case ct == "application/pdf":
		return PreviewPDF
	case ct == "image/png" || ct == "image/jpeg" || ct == "image/gif" || ct == "image/webp" || ct == "image/bmp":
		return PreviewImage
	case strings.HasPrefix(ct, "text/") || ct == "application/json" || ct == "application/xml":
		return PreviewText
	}
	return PreviewBinary
}

// BuildPreview renders data for the viewer. mask hides customer phone numbers, ID numbers and e-mail
// addresses in text and mail for roles that do not need them.
func BuildPreview(it Item, data []byte, mask bool) Preview {
	p := Preview{ItemID: it.ID, ContentType: it.ContentType, Filename: it.Filename, Kind: previewKind(it.ContentType)}
	switch p.Kind {
	case PreviewImage, PreviewPDF:
		if len(data) > maxInlineBytes {
			p.Kind, p.Note = PreviewBinary, fmt.Sprintf("%d bytes is too large to preview; export a copy instead", len(data))
			return p
		}
		p.Data = data
	case PreviewEmail:
		ev, err := ParseEmail(data)
		if err != nil {
			p.Note = "could not parse the message, showing its raw text: " + err.Error()
			p.Kind = PreviewText
			p.Text, p.Truncated = clipText(data)
		} else {
			p.Email = &ev
			if len(ev.Body) > maxPreviewText {
				ev.Body, p.Truncated = ev.Body[:cutRune(ev.Body, maxPreviewText)], true
				p.Email = &ev
			}
		}
	case PreviewText:
		p.Text, p.Truncated = clipText(data)
	default:
		p.Note = "no preview for " + it.ContentType
	}
	if mask {
		p.Masked = true
		p.Text = MaskText(p.Text)
		if p.Email != nil {
			e := *p.Email
			e.From, e.To, e.Cc, e.Body = MaskText(e.From), MaskText(e.To), MaskText(e.Cc), MaskText(e.Body)
			p.Email = &e
		}
	}
	return p
}

func clipText(data []byte) (string, bool) {
	s := strings.ToValidUTF8(string(data), "\uFFFD")
	if len(s) > maxPreviewText {
		return s[:cutRune(s, maxPreviewText)], true
	}
	return s, false
}

func cutRune(s string, n int) int {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

var textPolicy = bluemonday.StrictPolicy()

// ParseEmail reads an RFC 5322 message: decoded headers, the text body (HTML reduced to text when there
// is no plain part) and the attachment names. Unknown charsets degrade to raw bytes rather than failing.
func ParseEmail(raw []byte) (EmailView, error) {
	var ev EmailView
	ev.Attachments = []string{}
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return ev, fmt.Errorf("parse message: %w", err)
	}
	if mr == nil {
		return ev, errors.New("parse message: no header")
	}
	defer mr.Close()
	h := mr.Header
	ev.From = addrList(h, "From")
	ev.To = addrList(h, "To")
	ev.Cc = addrList(h, "Cc")
	ev.Subject, _ = h.Subject()
	if ev.Subject == "" {
		ev.Subject = h.Get("Subject")
	}
	if d, err := h.Date(); err == nil && !d.IsZero() {
		ev.Date = d.UTC().Format("2006-01-02T15:04:05Z")
	} else {
		ev.Date = h.Get("Date")
	}
	ev.MessageID, _ = h.MessageID()
	var plain, html string
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
			if plain == "" && html == "" {
				return ev, fmt.Errorf("read message body: %w", err)
			}
			break // keep what was readable
		}
		if part == nil {
			break
		}
		switch ph := part.Header.(type) {
		case *mail.InlineHeader:
			ct, _, _ := ph.ContentType()
			body, _ := io.ReadAll(io.LimitReader(part.Body, maxPreviewText+1))
			switch {
			case ct == "text/plain" || ct == "":
				if plain == "" {
					plain = string(body)
				}
			case ct == "text/html":
				if html == "" {
					html = textPolicy.Sanitize(string(body))
				}
			}
		case *mail.AttachmentHeader:
			name, _ := ph.Filename()
			ev.Attachments = append(ev.Attachments, name)
		}
	}
	ev.Body = plain
	if strings.TrimSpace(ev.Body) == "" {
		ev.Body = strings.TrimSpace(html)
	}
	ev.Body = strings.ToValidUTF8(ev.Body, "\uFFFD")
	return ev, nil
}

func addrList(h mail.Header, key string) string {
	if list, err := h.AddressList(key); err == nil && len(list) > 0 {
		parts := make([]string, 0, len(list))
		for _, a := range list {
			// Address.String would re-encode a Chinese name as =?utf-8?q?...?=; show it as read.
			if a.Name == "" {
				parts = append(parts, "<"+a.Address+">")
			} else {
				parts = append(parts, a.Name+" <"+a.Address+">")
			}
		}
		return strings.Join(parts, ", ")
	}
	v, _ := h.Text(key)
	if v == "" {
		v = h.Get(key)
	}
	return v
}
