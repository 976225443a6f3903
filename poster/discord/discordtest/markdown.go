package discordtest

import (
	"regexp"
	"strings"
)

var (
	maskedLink = regexp.MustCompile(`^\[((?:\\.|[^\[\]\\])*)\]\(([^()\s]+)\)`)
	autoLink   = regexp.MustCompile(`^<(https?://[^<>\s]+)>`)
	escape     = regexp.MustCompile(`\\([[:punct:]])`)
)

// parse reads message content as the channel shows it: masked links as
// their labels, <url> as the URL, and escaped characters as themselves.
// An escaped '<' or '[' starts no link.
func parse(content string) (string, []Link) {
	var links []Link
	var b strings.Builder
	for i := 0; i < len(content); {
		rest := content[i:]
		if m := maskedLink.FindStringSubmatch(rest); m != nil {
			label := escape.ReplaceAllString(m[1], "$1")
			links = append(links, Link{URL: m[2], Label: label})
			b.WriteString(label)
			i += len(m[0])
			continue
		}
		if m := autoLink.FindStringSubmatch(rest); m != nil {
			links = append(links, Link{URL: m[1]})
			b.WriteString(m[1])
			i += len(m[0])
			continue
		}
		if len(rest) > 1 && rest[0] == '\\' && escape.MatchString(rest[:2]) {
			i++ // the escaped character follows as itself
			rest = rest[1:]
		}
		b.WriteByte(rest[0])
		i++
	}
	return b.String(), links
}
