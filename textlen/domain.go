package textlen

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// domain matches "subdomain* domainName TLD" at s, preferring the most
// subdomains as a greedy regexp does. When it fails because the first label
// run is not followed by a dot, runEnd tells where that run ends: no position
// inside it can start a bare domain either.
func (d *urlDialect) domain(text string, s int) (end int, ok bool, runEnd int) {
	var buf [8]span
	labels := buf[:0]
	runEnd = s
	for p := s; ; {
		e, valid := d.labelRun(text, p)
		if e >= len(text) || text[e] != '.' {
			if len(labels) == 0 {
				runEnd = e
			}
			break
		}
		if !valid {
			break
		}
		labels = append(labels, span{p, e})
		p = e + 1
	}
	for k := len(labels) - 1; k >= 0; k-- {
		if strings.IndexByte(text[labels[k].start:labels[k].end], '_') >= 0 {
			continue // only subdomains may contain '_'
		}
		t := labels[k].end + 1
		if n := d.tld(text[t:]); n > 0 {
			return t + n, true, s
		}
	}
	return 0, false, runEnd
}

// labelRun returns the end of the run of domain characters, '-' and '_'
// starting at p, and whether it is a label: non-empty, starting and ending
// with a domain character.
func (d *urlDialect) labelRun(text string, p int) (end int, valid bool) {
	firstOK, lastOK := false, false
	for end = p; end < len(text); {
		r, size := utf8.DecodeRuneInString(text[end:])
		isDomainChar := d.domainChar(r)
		if !isDomainChar && r != '-' && r != '_' {
			break
		}
		if end == p {
			firstOK = isDomainChar
		}
		lastOK = isDomainChar
		end += size
	}
	return end, firstOK && lastOK
}

// tld returns the length of the top-level domain starting s, or 0.
func (d *urlDialect) tld(s string) int {
	if n := tlds.match(s); n > 0 {
		return n
	}
	return punycodeTLD(s, d.punycodeDash)
}

// punycodeTLD matches xn--[0-9a-z]+ (optionally also '-') case-insensitively.
func punycodeTLD(s string, dash bool) int {
	if len(s) < 5 || !strings.EqualFold(s[:4], "xn--") {
		return 0
	}
	n := 4
	for n < len(s) && (isASCIIAlnum(s[n]) || dash && s[n] == '-') {
		n++
	}
	if n == 4 {
		return 0
	}
	return n
}

// valid applies twitter-text's isValidUrl: every label fits DNS once
// punycode-encoded, and the URL is not absurdly long.
func (d *urlDialect) valid(text string, m urlMatch) bool {
	dom := text[m.domain.start:m.domain.end]
	if strings.HasPrefix(dom, "xn--") && len(asciiDomains(dom, 0, d.punycodeDash)) == 0 {
		return false // a punycode domain cannot hold non-ASCII characters
	}
	for label := range strings.SplitSeq(dom, ".") {
		if n := punycodeLen(label); n < 1 || n > maxLabelLength {
			return false
		}
	}
	schemeLen := len("https://") // assumed for bare domains
	if m.hasScheme {
		schemeLen = m.domain.start - m.url.start
	}
	return schemeLen+utf16Len(text[m.url.start:m.url.end]) <= maxURLLength
}

// punycodeLen is the length of label in ASCII (IDNA) form. Ideographic full
// stops split it further, as the punycode encoder treats them as dots.
func punycodeLen(label string) int {
	if isASCII(label) {
		return len(label)
	}
	if runes := utf8.RuneCountInString(label); runes > maxLabelLength {
		return runes // encoding only grows it; skip the work
	}
	n := 0
	for {
		i := strings.IndexFunc(label, isIDNSeparator)
		part := label
		if i >= 0 {
			part = label[:i]
		}
		if isASCII(part) {
			n += len(part)
		} else {
			encoded, _ := idna.Punycode.ToASCII(part)
			n += len(encoded)
		}
		if i < 0 {
			return n
		}
		_, size := utf8.DecodeRuneInString(label[i:])
		label = label[i+size:]
		n++ // the separator, written as '.'
	}
}

func isIDNSeparator(r rune) bool {
	return r == '.' || r == '\u3002' || r == '\uFF0E' || r == '\uFF61'
}

// utf16Len counts UTF-16 code units, the unit of JavaScript string lengths.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}
