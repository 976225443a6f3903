// Package chat splits a composed post into what chat platforms mark up:
// lines of text with the URLs in them found, and each story's title line
// joined with the story's link on the line after it, so that the link can
// carry the title as its label.
//
// The composed text stays the source: its titles are already shortened to
// fit and cleaned of mentions and hashtags. Post.Stories say which URLs are
// story links.
package chat

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/itsecbot/itsecbot/poster"
)

// Segment is a run of a line: plain text, or a link.
type Segment struct {
	Text string // plain text, or a link's label ("" for a bare link)
	URL  string // "" for plain text
}

// Line is one line of a post.
type Line []Segment

// urlPattern finds http(s) URLs: ASCII up to white space, angle brackets
// or quotes. Every match starts with the scheme textlen's chat rules count.
// Only the scheme ignores case: a case-folded class would also exclude 'k'
// and 's' (the Kelvin sign and the long s are outside ASCII).
var urlPattern = regexp.MustCompile(`(?i:https?)://[^\s<>"\x{80}-\x{10FFFF}]+`)

// numbering is a digest's "12. " before a story title; it stays outside
// the link's label.
var numbering = regexp.MustCompile(`^\s*\d{1,4}\.\s+`)

// Parse splits text into lines. A line that is exactly the link of one of
// stories is joined to the plain text line before it, which becomes the
// link's label; anywhere else a URL is a bare link.
func Parse(text string, stories []poster.Story) []Line {
	links := make(map[string]bool, len(stories))
	for _, s := range stories {
		if l := strings.TrimSpace(s.Link); l != "" {
			links[l] = true
		}
	}
	var out []Line
	joinable := false // the last line is plain text that can take a link
	for raw := range strings.SplitSeq(text, "\n") {
		if links[raw] {
			if joinable {
				out[len(out)-1] = labelled(out[len(out)-1][0].Text, raw)
			} else {
				out = append(out, Line{{URL: raw}})
			}
			joinable = false
			continue
		}
		line := split(raw)
		out = append(out, line)
		joinable = len(line) == 1 && line[0].URL == "" && hasLabel(line[0].Text)
	}
	return out
}

// hasLabel reports whether text has something besides its numbering.
func hasLabel(text string) bool {
	return strings.TrimSpace(text[len(numbering.FindString(text)):]) != ""
}

// labelled makes text the label of a link to u, keeping its numbering out.
func labelled(text, u string) Line {
	num := numbering.FindString(text)
	var line Line
	if num != "" {
		line = append(line, Segment{Text: num})
	}
	return append(line, Segment{Text: text[len(num):], URL: u})
}

// split cuts a line into text and bare links.
func split(s string) Line {
	var line Line
	prev := 0
	for _, m := range urlPattern.FindAllStringIndex(s, -1) {
		if m[0] < prev {
			continue
		}
		end := m[0] + len(trimURL(s[m[0]:m[1]]))
		if !strings.Contains(s[m[0]:end], "://") || strings.HasSuffix(s[m[0]:end], "://") {
			continue
		}
		if m[0] > prev {
			line = append(line, Segment{Text: s[prev:m[0]]})
		}
		line = append(line, Segment{URL: s[m[0]:end]})
		prev = end
	}
	if prev < len(s) {
		line = append(line, Segment{Text: s[prev:]})
	}
	return line
}

// trimURL drops punctuation that ends the sentence rather than the URL,
// and closing brackets the URL did not open.
func trimURL(u string) string {
	for u != "" {
		last := u[len(u)-1]
		switch {
		case strings.IndexByte(".,;:!?'*", last) >= 0:
		case last == ')' && strings.Count(u, "(") < strings.Count(u, ")"):
		case last == ']' && strings.Count(u, "[") < strings.Count(u, "]"):
		default:
			return u
		}
		u = u[:len(u)-1]
	}
	return u
}

// EscapeTarget percent-encodes in the URL u each of ends: the characters
// (ASCII) that would end a link in the platform's markup.
func EscapeTarget(u, ends string) string {
	var b strings.Builder
	for _, r := range u {
		if r < utf8.RuneSelf && strings.ContainsRune(ends, r) {
			fmt.Fprintf(&b, "%%%02X", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
