package teams

import (
	"regexp"
	"strings"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/internal/chat"
)

// The message a Workflows webhook takes: the flow posts each Adaptive Card
// attachment to the channel.
type message struct {
	Type        string       `json:"type"` // "message"
	Attachments []attachment `json:"attachments"`
}

type attachment struct {
	ContentType string  `json:"contentType"`
	ContentURL  *string `json:"contentUrl"` // null: the card is inline
	Content     card    `json:"content"`
}

type card struct {
	Schema  string      `json:"$schema"`
	Type    string      `json:"type"`
	Version string      `json:"version"`
	MSTeams msteams     `json:"msteams"`
	Body    []textBlock `json:"body"`
}

// msteams widens the card to the channel's width.
type msteams struct {
	Width string `json:"width"`
}

type textBlock struct {
	Type   string `json:"type"`
	Text   string `json:"text"`
	Wrap   bool   `json:"wrap"`
	Weight string `json:"weight,omitempty"`
}

// envelope builds the message for text: a TextBlock per non-blank line,
// the first in bold when more follow (a digest's header). Card schema 1.4
// is what Teams renders on every client.
func envelope(text string, stories []poster.Story) message {
	var body []textBlock
	for _, line := range chat.Parse(strings.ToValidUTF8(text, "\uFFFD"), stories) {
		if s := blockText(line); strings.TrimSpace(s) != "" {
			body = append(body, textBlock{Type: "TextBlock", Text: s, Wrap: true})
		}
	}
	if len(body) > 1 {
		body[0].Weight = "Bolder"
	}
	return message{Type: "message", Attachments: []attachment{{
		ContentType: "application/vnd.microsoft.card.adaptive",
		Content: card{Schema: "http://adaptivecards.io/schemas/adaptive-card.json", Type: "AdaptiveCard", Version: "1.4",
			MSTeams: msteams{Width: "Full"}, Body: body},
	}}}
}

// listStart is what Markdown would take for a list item at the start of a
// TextBlock, such as a digest's "12. ".
var listStart = regexp.MustCompile(`^\s*([-+*]|\d+[.)])(\s|$)`)

// wordJoiner before a list marker keeps it text: Teams would renumber a
// digest's "12." as "1.".
const wordJoiner = "\u2060"

// blockText renders a line as TextBlock Markdown: text neutralised, each
// story's title line a link [title](url), other URLs as they are (Teams
// links them). Backslash escapes are not used: Teams clients disagree on
// them.
func blockText(line chat.Line) string {
	var b strings.Builder
	for _, seg := range line {
		switch {
		case seg.URL == "":
			writeText(&b, seg.Text)
		case seg.Text == "":
			b.WriteString(seg.URL)
		default:
			b.WriteByte('[')
			writeText(&b, seg.Text)
			b.WriteString("](")
			writeTarget(&b, seg.URL)
			b.WriteByte(')')
		}
	}
	s := b.String()
	if listStart.MatchString(s) {
		s = wordJoiner + s
	}
	return s
}

// lookalikes replace the Markdown characters Teams formats with: '*' and
// '_' (emphasis), brackets (links), and the backslash that would escape our
// own link's bracket.
var lookalikes = map[rune]rune{
	'*':  '∗', // U+2217 asterisk operator
	'_':  'ˍ', // U+02CD modifier letter low macron
	'[':  '［',
	']':  '］',
	'\\': '＼',
}

// writeText writes plain text with Markdown characters replaced; '_'
// inside a word of ASCII letters and digits (itsec_jp) cannot emphasise
// and stays.
func writeText(b *strings.Builder, s string) {
	prev := ' '
	for i, r := range s {
		if l, ok := lookalikes[r]; ok {
			if r != '_' || !isWordChar(prev) || !isWordChar(nextRune(s, i)) {
				r = l
			}
		}
		b.WriteRune(r)
		prev = r
	}
}

func nextRune(s string, i int) rune {
	for j, r := range s[i:] {
		if j > 0 {
			return r
		}
	}
	return ' '
}

func isWordChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// writeTarget writes a link's URL with what would end the link
// percent-encoded.
func writeTarget(b *strings.Builder, u string) { b.WriteString(chat.EscapeTarget(u, "()<>[] ")) }
