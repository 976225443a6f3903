package config

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// visible names the characters an editor does not show, so that a message
// about `unknown field " url"` says which character is in the way:
// `unknown field "<NBSP U+00A0>url"`.
func visible(s string) string {
	if !strings.ContainsFunc(s, invisible) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "<byte 0x%02X>", s[i])
		case invisible(r):
			b.WriteString(runeName(r))
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// invisible reports characters that look like nothing or like a plain
// space: controls, format characters (zero-width, BOM, bidi) and every
// space other than U+0020.
func invisible(r rune) bool {
	switch {
	case r == ' ':
		return false
	case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Zs, r):
		return true
	case r == '\u2028', r == '\u2029':
		return true
	}
	return false
}

var runeNames = map[rune]string{
	'\t':     "<TAB>",
	'\n':     "<LF>",
	'\r':     "<CR>",
	'\u00a0': "<NBSP U+00A0>",
	'\u00ad': "<SOFT HYPHEN U+00AD>",
	'\u200b': "<ZERO WIDTH SPACE U+200B>",
	'\u200c': "<ZERO WIDTH NON-JOINER U+200C>",
	'\u200d': "<ZERO WIDTH JOINER U+200D>",
	'\u2060': "<WORD JOINER U+2060>",
	'\u3000': "<IDEOGRAPHIC SPACE U+3000>",
	'\ufeff': "<BOM U+FEFF>",
}

// runeName is how visible prints an invisible character.
func runeName(r rune) string {
	if n, ok := runeNames[r]; ok {
		return n
	}
	return fmt.Sprintf("<U+%04X>", r)
}
