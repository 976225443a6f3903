package textlen

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:embed tlds.txt
var tldList string

// tldTable answers "does a known top-level domain start here?". ASCII TLDs
// sit in a set; the few non-ASCII ones are kept in list order because a
// regexp alternation prefers the first entry that matches.
type tldTable struct {
	ascii    map[string]struct{}
	nonASCII map[rune][]string // by first rune, each list in file order
}

// tlds is built once from the embedded list and only read afterwards.
var tlds = parseTLDs(tldList)

func parseTLDs(list string) tldTable {
	t := tldTable{ascii: make(map[string]struct{}, 1600), nonASCII: make(map[rune][]string)}
	for line := range strings.Lines(list) {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if isASCII(line) {
			t.ascii[line] = struct{}{}
		} else {
			first, _ := utf8.DecodeRuneInString(line)
			t.nonASCII[first] = append(t.nonASCII[first], line)
		}
	}
	return t
}

// match returns the byte length of the TLD that starts s, or 0. Like
// twitter-text it is case-insensitive and requires the TLD not to be followed
// by an ASCII letter or digit, '@', '+' or '-'.
func (t tldTable) match(s string) int {
	first, _ := utf8.DecodeRuneInString(s)
	for _, tld := range t.nonASCII[unicode.ToLower(first)] {
		if n := prefixFold(s, tld); n > 0 && tldBoundary(s[n:]) {
			return n
		}
	}
	n := 0
	for n < len(s) && isASCIIAlnum(s[n]) {
		n++
	}
	if n == 0 || n > 64 || !tldBoundary(s[n:]) {
		return 0
	}
	var buf [64]byte
	for i := range n {
		buf[i] = lowerASCII(s[i])
	}
	if _, ok := t.ascii[string(buf[:n])]; ok {
		return n
	}
	return 0
}

// prefixFold reports how many bytes of s spell lowerPrefix, ignoring case, or 0.
func prefixFold(s, lowerPrefix string) int {
	i := 0
	for _, want := range lowerPrefix {
		if i >= len(s) {
			return 0
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != want && unicode.ToLower(r) != want {
			return 0
		}
		i += size
	}
	return i
}

func tldBoundary(rest string) bool {
	if rest == "" {
		return true
	}
	c := rest[0]
	return !isASCIIAlnum(c) && c != '@' && c != '+' && c != '-'
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
