package evidence

import (
	"fmt"
	"regexp"
	"strings"

	"cockpit/backend/pii"
)

var (
	// Mainland mobile numbers, optionally +86, with the separators people type.
	rePhone = regexp.MustCompile(`(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}`)
	// 18-character resident ID numbers (the last may be X).
	reIDNumber = regexp.MustCompile(`\b\d{17}[\dXx]\b`)
	reEmail    = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
)

// MaskText hides phone numbers, ID numbers and e-mail addresses with the same rules the views use.
// ID numbers go first: a phone pattern can match inside one.
func MaskText(s string) string {
	if s == "" {
		return s
	}
	s = reIDNumber.ReplaceAllStringFunc(s, pii.IDNumber)
	s = rePhone.ReplaceAllStringFunc(s, func(m string) string {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, m)
		if len(digits) > 11 {
			digits = digits[len(digits)-11:]
		}
		return pii.Phone(digits)
	})
	return reEmail.ReplaceAllStringFunc(s, pii.Email)
}

// RedactedCopy renders an original as masked text: for mail the decoded headers and body (masking the
// raw MIME would miss base64 and quoted-printable text), for text the text itself. Images and PDFs cannot
// be redacted automatically; their redacted copies are made by hand and added as uploads.
func RedactedCopy(it Item, data []byte) ([]byte, string, error) {
	switch previewKind(it.ContentType) {
	case PreviewEmail:
		ev, err := ParseEmail(data)
		if err != nil {
			return nil, "", fmt.Errorf("redact evidence %d: %w", it.ID, err)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "From: %s\nTo: %s\n", MaskText(ev.From), MaskText(ev.To))
		if ev.Cc != "" {
			fmt.Fprintf(&b, "Cc: %s\n", MaskText(ev.Cc))
		}
		fmt.Fprintf(&b, "Date: %s\nSubject: %s\n", ev.Date, MaskText(ev.Subject))
		if len(ev.Attachments) > 0 {
			fmt.Fprintf(&b, "Attachments: %s\n", strings.Join(ev.Attachments, ", "))
		}
		fmt.Fprintf(&b, "\n%s\n", MaskText(ev.Body))
		return []byte(b.String()), "text/plain; charset=utf-8", nil
	case PreviewText:
		return []byte(MaskText(strings.ToValidUTF8(string(data), "\uFFFD"))), "text/plain; charset=utf-8", nil
	}
	return nil, "", fmt.Errorf("redact evidence %d: %s cannot be redacted automatically; add a redacted copy made by hand as an upload", it.ID, it.ContentType)
}

// RedactedName is the derived copy's display name.
func RedactedName(name string) string {
	base := strings.TrimSuffix(name, "."+lastExt(name))
	if base == "" {
		base = "evidence"
	}
	return base + ".redacted.txt"
}

func lastExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 && i < len(name)-1 {
		return name[i+1:]
	}
	return ""
}
