// Package letters files regulator correspondence dropped into a watched folder (or onto the window):
// PDF, EML, DOCX and images are kept unchanged in the blob store, their text is extracted where there is
// any, and the 12315 work-order number, regulator office, received date and stated deadline are proposed
// for a person to confirm before the letter joins a case or opens a new regulator matter.
package letters

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"

	"cockpit/backend/ingest/mailparse"
)

// Text statuses.
const (
	TextFound = "text"
	NoText    = "no_text"
	TextError = "error"
)

// Extracted is what could be read from a file.
type Extracted struct {
	Format string // pdf | eml | docx | image | text
	Text   string
	Status string // text | no_text | error
	Note   string // shown beside the letter: why there is no text, what failed
	Mail   *mailparse.Message
}

// ErrUnsupported is returned for files the folder does not take (spreadsheets, archives ...).
var ErrUnsupported = errors.New("not a letter format (PDF, EML, DOCX, image or text)")

var imageExt = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".tif": true, ".tiff": true,
	".bmp": true, ".webp": true, ".heic": true}

// FormatOf names the letter format of a file name, or "" when the folder does not take it.
func FormatOf(name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case ext == ".pdf":
		return "pdf"
	case ext == ".eml":
		return "eml"
	case ext == ".docx":
		return "docx"
	case ext == ".txt":
		return "text"
	case imageExt[ext]:
		return "image"
	}
	return ""
}

const noTextNote = "未找到文字（扫描件），原件已作为证据保存 / No text found (scanned image); the original is kept as evidence"

// Extract reads a letter's text. A file whose text cannot be read is still a letter: Status says so and
// the original is kept; only a format the folder does not take is an error.
func Extract(name string, data []byte, save mailparse.SaveFunc) (Extracted, error) {
	format := FormatOf(name)
	x := Extracted{Format: format}
	var text string
	var err error
	switch format {
	case "":
		return x, fmt.Errorf("%s: %w", filepath.Base(name), ErrUnsupported)
	case "image":
		x.Status, x.Note = NoText, noTextNote
		return x, nil
	case "pdf":
		text, err = pdfText(data)
	case "docx":
		text, err = docxText(data)
	case "eml":
		x.Mail, err = mailparse.Parse(data, save)
		if err == nil {
			text = strings.TrimSpace(x.Mail.Subject + "\n" + x.Mail.Text)
		}
	case "text":
		if !utf8.Valid(data) {
			err = errors.New("the text file is not UTF-8")
		}
		text = string(data)
	}
	if err != nil {
		x.Status, x.Note = TextError, "无法读取文字 / Could not read the text: "+err.Error()
		return x, nil
	}
	x.Text = strings.TrimSpace(text)
	x.Status = TextFound
	if x.Text == "" {
		x.Status, x.Note = NoText, noTextNote
	}
	return x, nil
}

// pdfText uses github.com/ledongthuc/pdf (pure Go). It panics on some malformed files, so a panic is
// turned into an error here: a broken PDF must not stop the folder scan.
func pdfText(data []byte) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("malformed PDF: %v", r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("pdf: %w", err)
	}
	var b strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() || p.V.Key("Contents").Kind() == pdf.Null {
			continue
		}
		pageText(&b, p)
	}
	return b.String(), nil
}

// identityUCS matches the ToUnicode CMap that maps every 2-byte code to the same UTF-16 value, as
// fpdf/tFPDF and several office exporters write it. ledongthuc/pdf decodes such a full-range bfrange
// wrongly (it only offsets the last byte), so those fonts are decoded as UTF-16BE here.
var identityUCS = regexp.MustCompile(`(?i)beginbfrange\s*<0000>\s*<ffff>\s*<0000>\s*endbfrange`)

// pageText walks a page's content stream and writes its text, a line per text positioning step.
func pageText(b *strings.Builder, p pdf.Page) {
	decoders := map[string]func(string) string{}
	for _, name := range p.Fonts() {
		f := p.Font(name)
		if tu := f.V.Key("ToUnicode"); tu.Kind() == pdf.Stream {
			if cm, err := io.ReadAll(io.LimitReader(tu.Reader(), 1<<20)); err == nil && identityUCS.Match(cm) {
				decoders[name] = utf16BE
				continue
			}
		}
		enc := f.Encoder()
		decoders[name] = enc.Decode
	}
	decode := func(s string) string { return s }
	newline := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	pdf.Interpret(p.V.Key("Contents"), func(stk *pdf.Stack, op string) {
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch op {
		case "Tf":
			if len(args) == 2 {
				if d, ok := decoders[args[0].Name()]; ok {
					decode = d
				}
			}
		case "Tj", "'", "\"":
			if op != "Tj" {
				newline()
			}
			if len(args) > 0 {
				b.WriteString(decode(args[len(args)-1].RawString()))
			}
		case "TJ":
			if len(args) == 1 {
				for i := 0; i < args[0].Len(); i++ {
					if v := args[0].Index(i); v.Kind() == pdf.String {
						b.WriteString(decode(v.RawString()))
					}
				}
			}
		case "Td", "TD", "T*", "ET":
			newline()
		}
	})
}

func utf16BE(s string) string {
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return string(utf16.Decode(u))
}

// docxText reads word/document.xml: w:t runs, w:tab, and a line break per paragraph or w:br. A DOCX is a
// zip of XML parts; nothing else in the package is needed for its text.
func docxText(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("docx: %w", err)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
		}
	}
	if doc == nil {
		return "", errors.New("docx: no word/document.xml")
	}
	rc, err := doc.Open()
	if err != nil {
		return "", fmt.Errorf("docx: %w", err)
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, 64<<20))
	var b strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("docx xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				b.WriteByte('\t')
			case "br", "cr":
				b.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				b.WriteByte('\n')
			}
		case xml.CharData:
			if inText {
				b.Write(t)
			}
		}
	}
	return b.String(), nil
}
