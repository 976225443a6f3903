package poster

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// SameText reports whether a text read back from a platform is the text
// that was posted. Servers rewrite what they store: line breaks become
// paragraphs, links and hashtags gain markup, white space is collapsed,
// and zero-width characters may be dropped. So both are compared in NFC
// without white space and without format characters.
func SameText(posted, readBack string) bool {
	return comparable(posted) == comparable(readBack)
}

func comparable(s string) string {
	s = norm.NFC.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}
