package pii

import (
	"regexp"
	"strings"
)

// Customers write their phone and ID numbers into message bodies ("我的电话是1992…"), so masking the
// customer record alone is not enough: free text shown to a role without contact access goes through Text.
var (
	// Chinese mobile numbers, optionally with +86 and separators; digits on either side mean it is part of
	// something longer (an order number), which is left alone.
	mobileRe = regexp.MustCompile(`(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}`)
	// 18-character resident ID numbers; only those whose GB 11643 check digit is right are masked, because
	// 18-digit order numbers are common and must stay readable.
	idRe = regexp.MustCompile(`\d{17}[\dXx]`)
)

// Text masks mobile numbers and resident ID numbers inside free text.
func Text(s string) string {
	if s == "" {
		return s
	}
	s = replaceIsolated(s, idRe, func(m string) (string, bool) {
		if !validID(m) {
			return m, false
		}
		return IDNumber(m), true
	})
	return replaceIsolated(s, mobileRe, func(m string) (string, bool) {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, m)
		return Phone(digits[len(digits)-11:]), true
	})
}

// replaceIsolated replaces matches that are not glued to other digits.
func replaceIsolated(s string, re *regexp.Regexp, repl func(string) (string, bool)) string {
	var b strings.Builder
	last := 0
	for _, loc := range re.FindAllStringIndex(s, -1) {
		start, end := loc[0], loc[1]
		if start > 0 && isDigit(s[start-1]) || end < len(s) && isDigit(s[end]) {
			continue
		}
		out, ok := repl(s[start:end])
		if !ok {
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString(out)
		last = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// validID checks the GB 11643-1999 check digit.
func validID(id string) bool {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(id[i]-'0') * weights[i]
	}
	check := "10X98765432"[sum%11]
	last := id[17]
	if last == 'x' {
		last = 'X'
	}
	return last == check
}
