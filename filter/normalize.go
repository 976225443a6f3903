// Package filter decides which items are worth posting, by keyword rules
// matched on normalised text.
//
// Japanese has no spaces between words and mixes full-width and half-width
// forms, so matching is by substring after NFKC and lower-casing: "ＣＶＥ",
// "cve" and "CVE" are the same, and "ｾｷｭﾘﾃｨ" matches "セキュリティ".
// Keywords that begin with a Latin letter or digit must begin a word, so that
// "rce" does not match "source" while "patch" still matches "patches".
package filter

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Normalize folds width and case: NFKC, then lower case, with runs of
// white space collapsed to one space.
func Normalize(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// isWordByte reports whether b continues a Latin word.
func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_'
}

// contains reports whether the normalised keyword kw occurs in the normalised
// text, where a keyword starting with a Latin letter or digit must not be
// preceded by one.
func contains(text, kw string) bool {
	if kw == "" {
		return false
	}
	needBoundary := isWordByte(kw[0])
	for from := 0; from <= len(text)-len(kw); {
		i := strings.Index(text[from:], kw)
		if i < 0 {
			return false
		}
		at := from + i
		if !needBoundary || at == 0 || !isWordByte(text[at-1]) {
			return true
		}
		from = at + 1
	}
	return false
}
