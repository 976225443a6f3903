package discord

import (
	"strings"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/internal/chat"
)

// escaped are the characters of Discord markdown: emphasis, strikethrough,
// spoilers, quotes, headings and lists, code, masked links, and the angle
// brackets of mentions, timestamps and custom emoji. A backslash before
// each shows it as is.
const escaped = "\\*_~|><#-`[]()"

// zwsp after '@' breaks @everyone and @here even where allowed_mentions
// would not (a client showing the text highlighted).
const zwsp = '\u200b'

// markdown renders text as Discord message content: markdown characters
// from the text escaped, '@' followed by a zero-width space, each story's
// title line joined with its link as a masked link [title](url), and other
// URLs as <url> (a link, without markdown inside). textlen.DiscordLength
// bounds its length.
func markdown(text string, stories []poster.Story) string {
	var b strings.Builder
	b.Grow(len(text) + len(text)/8)
	for i, line := range chat.Parse(text, stories) {
		if i > 0 {
			b.WriteByte('\n')
		}
		for _, seg := range line {
			switch {
			case seg.URL == "":
				writeText(&b, seg.Text)
			case seg.Text == "":
				b.WriteByte('<')
				writeTarget(&b, seg.URL)
				b.WriteByte('>')
			default:
				b.WriteByte('[')
				writeText(&b, seg.Text)
				b.WriteString("](")
				writeTarget(&b, seg.URL)
				b.WriteByte(')')
			}
		}
	}
	return b.String()
}

func writeText(b *strings.Builder, s string) {
	rs := []rune(s)
	for i, r := range rs {
		if strings.ContainsRune(escaped, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		if (r == '@' || r == '＠') && (i+1 == len(rs) || rs[i+1] != zwsp) {
			b.WriteRune(zwsp)
		}
	}
}

// writeTarget writes a link's URL with the characters that would end the
// link or the masked link percent-encoded.
func writeTarget(b *strings.Builder, u string) { b.WriteString(chat.EscapeTarget(u, "()<>[]")) }
