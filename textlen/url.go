package textlen

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// span is a half-open byte range [start, end) of a text.
type span struct{ start, end int }

// urlDialect holds what differs between the URL rules of twitter-text's
// JavaScript/Java extractor (X) and the Ruby one as patched by Mastodon.
// Both follow the same shape: a preceding character, an optional scheme,
// a domain ending in a known TLD, then optional port, path and query.
type urlDialect struct {
	schemes       []string // lower case, each followed by "://" in text
	withoutScheme bool     // bare domains such as example.com count too
	utf16         bool     // scans UTF-16 code units, as JavaScript does
	domainChar    func(r rune) bool
	punycodeDash  bool           // whether an xn-- TLD may contain '-'
	tail          *regexp.Regexp // port, path and query, anchored at \A
}

// maxURLLength is twitter-text's MAX_URL_LENGTH, in UTF-16 code units.
const maxURLLength = 4096

// maxLabelLength is the DNS limit on one label after punycode encoding.
const maxLabelLength = 63

// urlMatch is one match of the extraction pattern before validation.
type urlMatch struct {
	before    rune // character consumed in front of the URL, -1 at text start
	url       span
	domain    span
	hasScheme bool
	hasPath   bool
}

// extract returns the URLs of text in order, as twitter-text's
// extractUrlsWithIndices would find them.
func (d *urlDialect) extract(text string) []span {
	if d.withoutScheme && !strings.Contains(text, ".") || !d.withoutScheme && !strings.Contains(text, ":") {
		return nil
	}
	var urls []span
	for from := 0; from <= len(text); {
		m, ok := d.next(text, from)
		if !ok {
			break
		}
		from = m.url.end
		if !d.valid(text, m) {
			continue
		}
		if m.hasScheme {
			if u, ok := tcoTrim(text, m.url); ok {
				urls = append(urls, u)
			}
			continue
		}
		if d.withoutScheme && !strings.ContainsRune("-_./", m.before) {
			urls = appendBareDomains(urls, text, m, d.punycodeDash)
		}
	}
	return urls
}

// next finds the first match whose consumed preceding character is at or
// after from, trying positions left to right like a global regexp search.
func (d *urlDialect) next(text string, from int) (urlMatch, bool) {
	skipUntil := from // positions before this cannot start a bare domain
	for p := from; p < len(text); {
		r, size := utf8.DecodeRuneInString(text[p:])
		if d.utf16 && size == 4 {
			// JavaScript may consume only the high surrogate and start a
			// domain at the low one, which counts as a domain character.
			if m, ok := d.matchAt(text, p, &skipUntil); ok {
				m.before = r
				return m, true
			}
		}
		if precedesURL(r) {
			if m, ok := d.matchAt(text, p+size, &skipUntil); ok {
				m.before = r
				return m, true
			}
		}
		if p == 0 { // the pattern's "^" alternative, tried after consuming text[0]
			noSkip := 0 // skipUntil only holds for positions after the one it came from
			if m, ok := d.matchAt(text, 0, &noSkip); ok {
				m.before = -1
				return m, true
			}
		}
		p += size
	}
	return urlMatch{}, false
}

// matchAt matches a URL starting exactly at u. skipUntil lets the caller
// avoid rescanning a label run already known not to be followed by a dot.
func (d *urlDialect) matchAt(text string, u int, skipUntil *int) (urlMatch, bool) {
	m := urlMatch{url: span{start: u}}
	if n := d.schemeLen(text[u:]); n > 0 {
		if end, ok, _ := d.domain(text, u+n); ok {
			m.hasScheme = true
			m.domain = span{u + n, end}
			return d.withTail(text, m), true
		}
	}
	if u < *skipUntil {
		return m, false
	}
	end, ok, runEnd := d.domain(text, u)
	if !ok {
		*skipUntil = runEnd
		return m, false
	}
	m.domain = span{u, end}
	return d.withTail(text, m), true
}

// schemeLen returns the length of a leading "scheme://" of the dialect, or 0.
func (d *urlDialect) schemeLen(s string) int {
	if s == "" {
		return 0
	}
	first := lowerASCII(s[0])
	for _, scheme := range d.schemes {
		n := len(scheme)
		if first == scheme[0] && len(s) >= n+3 && s[n:n+3] == "://" && strings.EqualFold(s[:n], scheme) {
			return n + 3
		}
	}
	return 0
}

// withTail extends a match over the optional port, path and query.
func (d *urlDialect) withTail(text string, m urlMatch) urlMatch {
	rest := text[m.domain.end:]
	if i := strings.IndexFunc(rest, isWhiteSpace); i >= 0 {
		rest = rest[:i] // no tail character is a space; keeps the regexp input short
	}
	loc := d.tail.FindStringSubmatchIndex(rest)
	m.url.end = m.domain.end
	if loc != nil {
		m.url.end += loc[1]
		m.hasPath = loc[2] >= 0
	}
	return m
}

// precedesURL reports whether r may stand right before a URL.
func precedesURL(r rune) bool {
	if r < utf8.RuneSelf {
		return !isASCIIAlnum(byte(r)) && r != '@' && r != '$' && r != '#'
	}
	switch r {
	case '＠', '＃', 0xFFFE, 0xFEFF, 0xFFFF:
		return false
	}
	return true
}

// tcoTrim stops a t.co link after its slug and query, and drops it when the
// slug is longer than t.co ever makes them, as twitter-text does.
func tcoTrim(text string, u span) (span, bool) {
	loc := tcoURL.FindStringSubmatchIndex(text[u.start:u.end])
	if loc == nil {
		return u, true
	}
	if loc[3]-loc[2] > 40 {
		return u, false
	}
	return span{u.start, u.start + loc[1]}, true
}

var tcoURL = regexp.MustCompile(`(?i)\Ahttps?://t\.co/([a-z0-9]+)(?:\?` + jsQueryChar + `*` + jsQueryEnd + `)?`)
