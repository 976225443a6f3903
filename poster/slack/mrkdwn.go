package slack

import (
	"strings"
	"unicode/utf8"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/internal/chat"
)

// lookalikes replace the characters that start or end mrkdwn formatting.
// mrkdwn has no escape for them (a backslash shows as is, and a zero-width
// space around them makes formatting apply, not stop), so feed text that
// could format shows a lookalike instead.
var lookalikes = map[rune]rune{
	'*': '∗', // U+2217 asterisk operator
	'_': 'ˍ', // U+02CD modifier letter low macron
	'~': '∼', // U+223C tilde operator
	'`': 'ˋ', // U+02CB modifier letter grave accent
	'＊': '﹡', // U+FE61 small asterisk
	'＿': 'ˍ',
	'｀': 'ˋ',
}

// softHyphen before a '>' that starts a line keeps it from quoting.
const softHyphen = '\u00ad'

// mrkdwn renders text as Slack mrkdwn: '&', '<' and '>' escaped as Slack
// documents (so no <!channel>, <@U…> or link can be formed from feed
// text), formatting characters replaced by lookalikes, and each story's
// title line joined with its link as <url|title>. textlen.SlackLength
// bounds its length.
func mrkdwn(text string, stories []poster.Story) string {
	var b strings.Builder
	b.Grow(len(text) + len(text)/8)
	for i, line := range chat.Parse(strings.ToValidUTF8(text, "\uFFFD"), stories) {
		if i > 0 {
			b.WriteByte('\n')
		}
		for j, seg := range line {
			if seg.URL == "" {
				writeText(&b, seg.Text, j == 0)
				continue
			}
			b.WriteByte('<')
			writeTarget(&b, seg.URL)
			if seg.Text != "" {
				b.WriteByte('|')
				writeText(&b, seg.Text, false)
			}
			b.WriteByte('>')
		}
	}
	return b.String()
}

// writeText writes plain text: control characters escaped, formatting
// characters replaced unless inside a word of ASCII letters and digits
// (itsec_jp), where Slack does not format.
func writeText(b *strings.Builder, s string, lineStart bool) {
	prev := ' '
	for i, r := range s {
		if lineStart && (r == '>' || r == '＞') && strings.TrimSpace(s[:i]) == "" {
			b.WriteRune(softHyphen)
		}
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			if l, ok := lookalikes[r]; ok {
				next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
				if !isWordChar(prev) || !isWordChar(next) {
					r = l
				}
			}
			b.WriteRune(r)
		}
		prev = r
	}
}

func isWordChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// writeTarget writes a link's URL: '&' escaped, and the characters that
// would end the link ('|', '<', '>') percent-encoded.
func writeTarget(b *strings.Builder, u string) {
	b.WriteString(chat.EscapeTarget(strings.ReplaceAll(u, "&", "&amp;"), "|<>"))
}
