// Package replies is the reply desk of a case: the script library (the seed manuals' approved
// phrasings, editable), the forbidden-phrase check (禁忌用语) that highlights and explains what must not
// be said, and recording a drafted reply on the case timeline.
package replies

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// RulesPath is where the forbidden-phrase rules live inside the assets FS.
const RulesPath = "rules/forbidden.json"

// Rule is one forbidden phrase family as written in assets/rules/forbidden.json.
type Rule struct {
	ID        string `json:"id"`
	Category  string `json:"category"`
	Re        string `json:"re"`
	Negatable bool   `json:"negatable"`
	Zh        string `json:"zh"`
	En        string `json:"en"`
	Suggest   string `json:"suggest"`
	Source    string `json:"source"`
	re        *regexp.Regexp
}

// Finding is one forbidden phrase in a draft. Start and End are UTF-16 offsets into the draft exactly
// as given (what JavaScript string indices and the editor's highlighting use); Text is that span.
type Finding struct {
	Rule     string `json:"rule"`
	Category string `json:"category"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Text     string `json:"text"`
	Zh       string `json:"zh"`
	En       string `json:"en"`
	Suggest  string `json:"suggest,omitempty"` // a script key to use instead
	Source   string `json:"source"`
}

// Checker finds forbidden phrases. It is safe for concurrent use.
type Checker struct{ rules []Rule }

// LoadChecker reads and compiles the rules at RulesPath in fsys (assets.Rules in the app).
func LoadChecker(fsys fs.FS) (*Checker, error) {
	b, err := fs.ReadFile(fsys, RulesPath)
	if err != nil {
		return nil, fmt.Errorf("forbidden phrases: %w", err)
	}
	return ParseRules(b)
}

// ParseRules compiles a forbidden.json document; every rule needs an id, a valid expression and both
// explanations, so that a bad edit fails at start instead of silently checking nothing.
func ParseRules(b []byte) (*Checker, error) {
	var doc struct {
		Rules []Rule `json:"rules"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("forbidden phrases: %w", err)
	}
	if len(doc.Rules) == 0 {
		return nil, fmt.Errorf("forbidden phrases: no rules")
	}
	seen := map[string]bool{}
	for i := range doc.Rules {
		r := &doc.Rules[i]
		if r.ID == "" || seen[r.ID] {
			return nil, fmt.Errorf("forbidden phrases: rule %d: missing or duplicate id %q", i, r.ID)
		}
		seen[r.ID] = true
		if r.Zh == "" || r.En == "" {
			return nil, fmt.Errorf("forbidden phrases: rule %s: needs zh and en explanations", r.ID)
		}
		re, err := regexp.Compile("(?i)" + r.Re)
		if err != nil {
			return nil, fmt.Errorf("forbidden phrases: rule %s: %w", r.ID, err)
		}
		if re.MatchString("") {
			return nil, fmt.Errorf("forbidden phrases: rule %s matches empty text", r.ID)
		}
		r.re = re
	}
	return &Checker{rules: doc.Rules}, nil
}

// Rules returns the loaded rules (for showing the list in the UI).
func (c *Checker) Rules() []Rule { return c.rules }

// Check returns every forbidden phrase in text, in order of position.
func (c *Checker) Check(text string) []Finding {
	n := normalize(text)
	out := []Finding{}
	for _, r := range c.rules {
		for _, m := range r.re.FindAllStringIndex(n.text, -1) {
			if m[0] == m[1] {
				continue
			}
			from, to := n.runeAt[m[0]], n.runeAt[m[1]]
			if r.Negatable && negated(n.runes[:from]) {
				continue
			}
			a, b := n.orig[from], n.orig[to-1]
			out = append(out, Finding{Rule: r.ID, Category: r.Category, Start: a.u16, End: b.u16 + b.u16len,
				Text: text[a.byteOff : b.byteOff+b.byteLen], Zh: r.Zh, En: r.En, Suggest: r.Suggest, Source: r.Source})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Start != out[j].Start {
			return out[i].Start < out[j].Start
		}
		return out[i].End > out[j].End
	})
	return out
}

// negated says whether the normalised text before a match ends in a negation cue, as in
// "这不是您的问题" or "it is not your fault".
func negated(before []rune) bool {
	s := strings.TrimRight(string(before), " ")
	for _, cue := range []string{"不", "没", "沒", "非", "别", "別", "无", "無", "绝不", "並不", "并不", "not", "never", "isn't", "wasn't"} {
		if strings.HasSuffix(s, cue) {
			return true
		}
	}
	return false
}

// origSpan is where one normalised rune came from in the original text.
type origSpan struct {
	byteOff, byteLen int
	u16, u16len      int
}

type normalized struct {
	text   string
	runes  []rune
	orig   []origSpan // per normalised rune
	runeAt []int      // byte offset in text -> rune index (len(text)+1 entries)
}

// zeroWidth are characters that render as nothing and are used (deliberately or by copy-paste) to
// split a phrase so that a naive substring check misses it.
func zeroWidth(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return true
	}
	return false
}

// normalize folds full-width forms to half-width (ＴＭ -> tm, the ideographic space -> space),
// lower-cases, drops zero-width characters, drops whitespace next to a Chinese character (稍 等 -> 稍等)
// and collapses other whitespace runs to one space, remembering where each rune came from.
func normalize(s string) normalized {
	var n normalized
	pendingSpace := false
	u16 := 0
	for off, r := range s {
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			size = 1
		}
		u16len := len(utf16.Encode([]rune{r}))
		span := origSpan{byteOff: off, byteLen: size, u16: u16, u16len: u16len}
		u16 += u16len
		if zeroWidth(r) {
			continue
		}
		if f := width.LookupRune(r).Folded(); f != 0 {
			r = f
		}
		r = unicode.ToLower(r)
		if unicode.IsSpace(r) {
			pendingSpace = len(n.runes) > 0
			continue
		}
		if pendingSpace {
			prev := n.runes[len(n.runes)-1]
			if prev < utf8.RuneSelf && r < utf8.RuneSelf {
				n.runes = append(n.runes, ' ')
				n.orig = append(n.orig, span)
			}
			pendingSpace = false
		}
		n.runes = append(n.runes, r)
		n.orig = append(n.orig, span)
	}
	var b strings.Builder
	for i, r := range n.runes {
		for range utf8.RuneLen(r) {
			n.runeAt = append(n.runeAt, i)
		}
		b.WriteRune(r)
	}
	n.runeAt = append(n.runeAt, len(n.runes))
	n.text = b.String()
	return n
}
