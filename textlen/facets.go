package textlen

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Facet kinds.
const (
	FacetLink = "link"
	FacetTag  = "tag"
)

const (
	maxTagGraphemes = 64  // app.bsky.richtext.facet#tag tag maxGraphemes
	maxTagBytes     = 640 // and maxLength
)

// Facet is a Bluesky rich-text facet over UTF-8 byte offsets [ByteStart, ByteEnd).
type Facet struct {
	ByteStart, ByteEnd int
	Kind               string // FacetLink or FacetTag
	Value              string // the URI for links; the tag without '#' for tags
}

// BlueskyFacets finds the http(s) links and hashtags of text, in order and
// without overlaps. Bluesky does not link text by itself: a post needs these
// facets for its links and tags to work. Hashtags follow Bluesky's rules:
// '#' or '＃' at the start or after white space, not all digits, trailing
// punctuation excluded, at most 64 graphemes.
func BlueskyFacets(text string) []Facet {
	facets := append(blueskyLinks(text), blueskyTags(text)...)
	slices.SortStableFunc(facets, func(a, b Facet) int { return a.ByteStart - b.ByteStart })
	kept := facets[:0]
	for _, f := range facets {
		if len(kept) > 0 && f.ByteStart < kept[len(kept)-1].ByteEnd {
			continue
		}
		kept = append(kept, f)
	}
	return kept
}

// blueskyLinks finds http:// and https:// links. A link ends at white space
// or CJK punctuation (so "https://example.jp/a。" stops before "。"); as
// Bluesky's own detector does, trailing sentence punctuation and an
// unbalanced ')' are left out.
func blueskyLinks(text string) []Facet {
	var links []Facet
	for pos := 0; pos < len(text); {
		i := indexFold(text[pos:], "http")
		if i < 0 {
			break
		}
		start := pos + i
		pos = start + 4
		scheme := xURLs.schemeLen(text[start:])
		if scheme == 0 || !startsLink(text[:start]) {
			continue
		}
		end := start + linkRunLen(text[start:])
		end = start + len(trimLinkEnd(text[start:end]))
		if end-start <= scheme {
			continue
		}
		links = append(links, Facet{ByteStart: start, ByteEnd: end, Kind: FacetLink, Value: text[start:end]})
		pos = end
	}
	return links
}

// startsLink reports whether a link may begin after before: not in the
// middle of an ASCII word, nor right after a hashtag or mention sign.
func startsLink(before string) bool {
	if before == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	if r < utf8.RuneSelf {
		return strings.ContainsRune(" \t\n\v\f\r(<[{\"'", r)
	}
	return r != '＃' && r != '＠'
}

func linkRunLen(s string) int {
	for i, r := range s {
		if unicode.IsSpace(r) || r == '<' || r == '>' || r == '"' ||
			r >= 0x3000 && r <= 0x303F || r >= 0xFF01 && r <= 0xFF65 {
			return i
		}
	}
	return len(s)
}

func trimLinkEnd(uri string) string {
	uri = strings.TrimRight(uri, ".,;:!?'")
	if strings.HasSuffix(uri, ")") && !strings.Contains(uri, "(") {
		uri = strings.TrimRight(uri[:len(uri)-1], ".,;:!?'")
	}
	return uri
}

// indexFold is strings.Index for an ASCII lower-case needle, ignoring case.
func indexFold(s, lowerNeedle string) int {
	for i := 0; i+len(lowerNeedle) <= len(s); i++ {
		if lowerASCII(s[i]) == lowerNeedle[0] && strings.EqualFold(s[i:i+len(lowerNeedle)], lowerNeedle) {
			return i
		}
	}
	return -1
}

// blueskyTags finds hashtags the way Bluesky's TAG_REGEX and detectFacets do.
func blueskyTags(text string) []Facet {
	var tags []Facet
	prevSpace := true // start of text counts as a boundary
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if prevSpace && (r == '#' || r == '＃') {
			body := tagBodyLen(text[i+size:])
			tag := strings.TrimRightFunc(text[i+size:i+size+body], unicode.IsPunct)
			if isValidTag(tag) {
				end := i + size + len(tag)
				tags = append(tags, Facet{ByteStart: i, ByteEnd: end, Kind: FacetTag, Value: tag})
			}
			i += size + body
			prevSpace = false
			continue
		}
		prevSpace = isJSSpace(r)
		i += size
	}
	return tags
}

// tagBodyLen is the length of the run after '#' that TAG_REGEX may take:
// up to white space or an invisible separator, and not starting with U+FE0F.
func tagBodyLen(s string) int {
	if strings.HasPrefix(s, "\uFE0F") {
		return 0
	}
	for i, r := range s {
		if isJSSpace(r) || isTagSeparator(r) {
			return i
		}
	}
	return len(s)
}

// isValidTag requires a character other than a digit or punctuation, and
// Bluesky's size limits.
func isValidTag(tag string) bool {
	if tag == "" || len(tag) > maxTagBytes {
		return false
	}
	hasLetter := strings.ContainsFunc(tag, func(r rune) bool {
		return !(r >= '0' && r <= '9') && !unicode.IsPunct(r)
	})
	return hasLetter && uniseg.GraphemeClusterCount(tag) <= maxTagGraphemes
}

func isTagSeparator(r rune) bool {
	switch r {
	case 0x00AD, 0x2060, 0x200A, 0x200B, 0x200C, 0x200D, 0x20E2:
		return true
	}
	return false
}

// isJSSpace is JavaScript's \s.
func isJSSpace(r rune) bool {
	return unicode.IsSpace(r) && r != 0x85 || r == 0xFEFF
}
