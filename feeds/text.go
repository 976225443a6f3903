package feeds

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// PlainText turns a feed's HTML or text fragment into one line of plain text:
// tags stripped, entities decoded, script/style contents dropped, whitespace
// collapsed, control and bidi-override characters removed.
func PlainText(s string) string {
	if strings.ContainsAny(s, "<&") {
		s = stripHTML(s)
	}
	return cleanText(s)
}

// stripHTML keeps only the text tokens of s. Block-level tags become spaces so
// that "<p>a</p><p>b</p>" does not glue words together.
func stripHTML(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skipping := atom.Atom(0) // set while inside <script>, <style>...
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skipping == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skipping == 0 && dropped(a) {
				skipping = a
			}
			b.WriteByte(' ')
		case html.EndTagToken:
			name, _ := z.TagName()
			if a := atom.Lookup(name); a == skipping {
				skipping = 0
			}
			b.WriteByte(' ')
		case html.SelfClosingTagToken:
			b.WriteByte(' ')
		}
	}
}

// dropped reports elements whose content is code or metadata, never
// readable text.
func dropped(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe, atom.Object:
		return true
	}
	return false
}

// cleanText removes invisible or dangerous characters and collapses every
// whitespace run (including U+3000 and NBSP) into one ASCII space.
func cleanText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case removedRune(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// removedRune reports control characters, bidi embeddings/overrides/isolates
// (which can make a post display differently from what was filtered), the
// BOM and invalid UTF-8.
func removedRune(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0xFEFF, r == unicode.ReplacementChar:
		return true
	}
	return false
}
