package textlen

import "unicode/utf8"

// appendBareDomains handles a match without a scheme: only the ASCII-only
// domains inside its domain count as URLs (so "詳細はexample.com" yields
// "example.com"), and the last of them takes the path along.
func appendBareDomains(urls []span, text string, m urlMatch, dash bool) []span {
	found := asciiDomains(text[m.domain.start:m.domain.end], m.domain.start, dash)
	if len(found) == 0 {
		return urls
	}
	if m.hasPath {
		found[len(found)-1].end = m.url.end
	}
	return append(urls, found...)
}

// asciiDomains finds, left to right, the matches of twitter-text's
// validAsciiDomain pattern ("label." repeated, then a TLD) in dom, with spans
// shifted by offset.
func asciiDomains(dom string, offset int, dash bool) []span {
	var found []span
	prevLabelChar := false
	for p := 0; p < len(dom); {
		r, size := utf8.DecodeRuneInString(dom[p:])
		isLabelChar := asciiLabelChar(r)
		if isLabelChar && !prevLabelChar {
			if end, ok := matchASCIIDomain(dom, p, dash); ok {
				found = append(found, span{offset + p, offset + end})
				p, prevLabelChar = end, false
				continue
			}
		}
		prevLabelChar = isLabelChar
		p += size
	}
	return found
}

// matchASCIIDomain matches at p, trying the longest chain of labels first.
func matchASCIIDomain(dom string, p int, dash bool) (int, bool) {
	var buf [8]int
	tldStarts := buf[:0]
	for {
		e := p
		for e < len(dom) {
			r, size := utf8.DecodeRuneInString(dom[e:])
			if !asciiLabelChar(r) {
				break
			}
			e += size
		}
		if e == p || e >= len(dom) || dom[e] != '.' {
			break
		}
		p = e + 1
		tldStarts = append(tldStarts, p)
	}
	for k := len(tldStarts) - 1; k >= 0; k-- {
		t := tldStarts[k]
		if n := tlds.match(dom[t:]); n > 0 {
			return t + n, true
		}
		if n := punycodeTLD(dom[t:], dash); n > 0 {
			return t + n, true
		}
	}
	return 0, false
}

// asciiLabelChar is twitter-text's [-a-z0-9] plus its Latin accented letters.
func asciiLabelChar(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || r == '-'
	}
	return isLatinAccent(r)
}

// isLatinAccent is twitter-text's latinAccentChars class.
func isLatinAccent(r rune) bool {
	switch {
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x24F:
		return true
	case r >= 0x300 && r <= 0x36F, r >= 0x1E00 && r <= 0x1EFF:
		return true
	}
	switch r {
	case 0x253, 0x254, 0x256, 0x257, 0x259, 0x25B, 0x263, 0x268, 0x26F, 0x272, 0x289, 0x28B, 0x2BB:
		return true
	}
	return false
}
