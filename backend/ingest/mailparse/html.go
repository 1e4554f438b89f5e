package mailparse

import (
	"path"
	"regexp"
	"strings"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// policy allows formatting, tables, links and images; it drops scripts, forms, event handlers, iframes,
// objects and styles that could hide or overlay content. Images may point at cid: (inline parts), data:
// or http(s): the CSP below blocks remote loads until the user asks for them.
var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto", "cid")
	p.AllowDataURIImages()
	p.AllowAttrs("width", "height", "align", "bgcolor", "border", "cellpadding", "cellspacing", "valign", "colspan", "rowspan").Globally()
	p.AllowElements("font", "center")
	p.AllowAttrs("color", "face", "size").OnElements("font")
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
}()

// Sanitize makes mail HTML safe to show in the sandboxed iframe.
func Sanitize(h string) string { return policy.Sanitize(h) }

// CSP is the Content-Security-Policy for showing a message: nothing runs, nothing loads from the network
// unless allowRemote (the user clicked "show remote images"), and then only images.
func CSP(allowRemote bool) string {
	img := "img-src data: cid:"
	if allowRemote {
		img += " https: http:"
	}
	return "default-src 'none'; " + img + "; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
}

var blockTags = map[string]bool{
	"p": true, "div": true, "br": true, "tr": true, "li": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "table": true, "blockquote": true, "pre": true, "hr": true, "ul": true, "ol": true,
}

var blankLines = regexp.MustCompile(`\n{3,}`)

// HTMLToText extracts readable text for indexing: block elements become line breaks, scripts and styles
// are dropped, entities decoded.
func HTMLToText(h string) string {
	z := html.NewTokenizer(strings.NewReader(h))
	var sb strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			out := blankLines.ReplaceAllString(sb.String(), "\n\n")
			return strings.TrimSpace(out)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if tag == "script" || tag == "style" || tag == "head" || tag == "title" {
				skip++
			}
			if blockTags[tag] {
				sb.WriteByte('\n')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if (tag == "script" || tag == "style" || tag == "head" || tag == "title") && skip > 0 {
				skip--
			}
			if blockTags[tag] {
				sb.WriteByte('\n')
			}
		case html.TextToken:
			if skip == 0 {
				t := strings.Join(strings.FieldsFunc(string(z.Text()), func(r rune) bool { return r == '\n' || r == '\r' || r == '\t' }), " ")
				sb.WriteString(t)
			}
		}
	}
}

var reservedNames = map[string]bool{
	"con": true, "prn": true, "aux": true, "nul": true, "com1": true, "com2": true, "com3": true, "com4": true,
	"com5": true, "com6": true, "com7": true, "com8": true, "com9": true, "lpt1": true, "lpt2": true,
	"lpt3": true, "lpt4": true, "lpt5": true, "lpt6": true, "lpt7": true, "lpt8": true, "lpt9": true,
}

// SafeName turns a name from mail into a display name that is also harmless if someone later uses it as a
// file name (an export, "save as"): no directories, no "..", no control or bidi characters, no Windows
// reserved names, at most 200 bytes. Storage never uses it: blobs are addressed by hash.
func SafeName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base("/" + name)
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), r == '\uFFFD', unicode.Is(unicode.Bidi_Control, r), r == ':' || r == '*' || r == '?' || r == '"' || r == '<' || r == '>' || r == '|':
			return '_'
		}
		return r
	}, name)
	name = strings.Trim(name, " .")
	stem, _, _ := strings.Cut(strings.ToLower(name), ".")
	if reservedNames[stem] {
		name = "_" + name
	}
	name = truncateUTF8(name, 200)
	if name == "" || name == "/" {
		return "attachment"
	}
	return name
}
