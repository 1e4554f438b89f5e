// Package pii masks customer personal data for views and exports (PIPL: show only what the role needs).
package pii

import (
	"strings"
	"unicode/utf8"
)

// Name keeps the first character: "王小明" -> "王**", "Alice Smith" -> "A*********".
func Name(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(r) + strings.Repeat("*", utf8.RuneCountInString(s[size:]))
}

// Email keeps the first character of the local part and the domain: "alice@example.com" -> "a****@example.com".
func Email(s string) string {
	local, domain, ok := strings.Cut(strings.TrimSpace(s), "@")
	if !ok {
		return Name(s)
	}
	return Name(local) + "@" + domain
}

// Phone keeps the first 3 and last 4 digits, the usual Chinese practice: "13812345678" -> "138****5678".
func Phone(s string) string {
	runes := []rune(strings.TrimSpace(s))
	if len(runes) <= 7 {
		return strings.Repeat("*", len(runes))
	}
	return string(runes[:3]) + strings.Repeat("*", len(runes)-7) + string(runes[len(runes)-4:])
}

// IDNumber keeps the first and last 2 characters of an ID card number.
func IDNumber(s string) string {
	runes := []rune(strings.TrimSpace(s))
	if len(runes) <= 4 {
		return strings.Repeat("*", len(runes))
	}
	return string(runes[:2]) + strings.Repeat("*", len(runes)-4) + string(runes[len(runes)-2:])
}

// Address keeps the first 6 characters (province and city) and hides the rest.
func Address(s string) string {
	runes := []rune(strings.TrimSpace(s))
	if len(runes) <= 6 {
		return string(runes)
	}
	return string(runes[:6]) + strings.Repeat("*", len(runes)-6)
}
