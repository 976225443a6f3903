package textlen

import (
	"strings"
	"unicode/utf8"
)

// Chat platforms get the composed text with markup added: escapes, link
// syntax around each URL, lookalikes for markup characters. Their rules
// measure the text as it will be sent, counting each character at the most
// its markup can make of it, so a text that fits stays within the platform's
// limit once marked up. The posters (poster/slack, poster/discord,
// poster/teams) check the marked-up text again before sending.
const (
	// slackDefaultMax is what Slack asks clients to keep a message's text
	// under; it truncates beyond 40,000 characters.
	slackDefaultMax = 4000
	// discordDefaultMax is the content limit of a Discord message, in code
	// points (the API counts Python str length).
	discordDefaultMax = 2000
	// teamsDefaultMax bounds the card's text in UTF-8 bytes of JSON. Teams
	// refuses messages over 28 KB after a flow has accepted them; a Workflows
	// request of 24 KB has been seen to count 28.9 KB on arrival, so the
	// whole request is kept under 20 KB and 1 KB of it is left to the card's
	// fixed parts.
	teamsDefaultMax = 19000
	// teamsLineBytes is what a line costs as a TextBlock of its own: the
	// element's JSON and a word joiner that keeps a list marker literal.
	teamsLineBytes = 64
	// webhookDefaultMax is a limit of our own: receivers state none.
	webhookDefaultMax = 10000
)

type chatRule struct {
	platform string
	max      int
	length   func(string) int
}

func (r chatRule) Platform() string       { return r.platform }
func (r chatRule) Length(text string) int { return r.length(text) }
func (r chatRule) Limit() int             { return r.max }
func (r chatRule) Fits(text string) bool  { return !isBlank(text) && r.length(text) <= r.max }

func newChatRule(platform string, limit, def int, length func(string) int) Rule {
	if limit <= 0 {
		limit = def
	}
	return chatRule{platform: platform, max: limit, length: length}
}

// Slack returns the rule of a Slack message's mrkdwn text: code points
// after escaping, 4000 by default (maxChars <= 0).
func Slack(maxChars int) Rule {
	return newChatRule(PlatformSlack, maxChars, slackDefaultMax, SlackLength)
}

// SlackLength is the length of text once sent as mrkdwn: '&' becomes
// "&amp;", '<' "&lt;", '>' "&gt;" (with a soft hyphen at the start of a
// line, where it would quote), '＞' gains that soft hyphen, '|' in a URL
// is percent-encoded, and each URL gains "<" and ">" (or "|" for a label,
// in place of the line break before it).
func SlackLength(text string) int {
	n := 2 * urlStarts(text)
	for _, r := range text {
		switch r {
		case '&', '>':
			n += 5
		case '<':
			n += 4
		case '|':
			n += 3
		case '＞':
			n += 2
		default:
			n++
		}
	}
	return n
}

// Discord returns the rule of a Discord message's content: code points
// after escaping, 2000 by default (maxChars <= 0).
func Discord(maxChars int) Rule {
	return newChatRule(PlatformDiscord, maxChars, discordDefaultMax, DiscordLength)
}

// DiscordLength is the length of text once sent as Discord markdown: a
// backslash before each markdown character, a zero-width space after '@',
// brackets and parentheses percent-encoded inside URLs, and each URL
// wrapped as "<url>" or a masked link "[label](url)" (four characters, one
// of them in place of the line break before it).
func DiscordLength(text string) int {
	n := 4 * urlStarts(text)
	for _, r := range text {
		switch r {
		case '(', ')', '<', '>', '[', ']':
			n += 3
		case '\\', '*', '_', '~', '|', '#', '-', '`', '@', '＠':
			n += 2
		default:
			n++
		}
	}
	return n
}

// Teams returns the rule of an Adaptive Card posted through a Teams
// Workflows webhook: UTF-8 bytes of the card's text elements, 19000 by
// default (maxBytes <= 0).
func Teams(maxBytes int) Rule {
	return newChatRule(PlatformTeams, maxBytes, teamsDefaultMax, TeamsLength)
}

// TeamsLength is the size of text once sent as TextBlocks of an Adaptive
// Card, in UTF-8 bytes of JSON: each line is a TextBlock, markdown
// characters become lookalikes ('*', '\' and brackets 3 bytes, '_' 2),
// '"' is escaped, characters percent-encoded in a link count 3, and each
// URL gains the brackets of a markdown link.
func TeamsLength(text string) int {
	n := 4*urlStarts(text) + teamsLineBytes*(1+strings.Count(text, "\n"))
	for _, r := range text {
		switch r {
		case '*', '[', ']', '(', ')', '<', '>', '\\':
			n += 3
		case '_', '"':
			n += 2
		case '\n': // a line break ends a TextBlock: counted per line
		case '\u2028', '\u2029':
			n += 6 // escaped by encoding/json
		default:
			if r < 0x20 {
				n += 6 // a control character, escaped as \u00XX
			} else {
				n += utf8.RuneLen(r)
			}
		}
	}
	return n
}

// Webhook returns the rule of the generic JSON webhook: code points,
// 10000 by default (maxChars <= 0).
func Webhook(maxChars int) Rule {
	return newChatRule(PlatformWebhook, maxChars, webhookDefaultMax, utf8.RuneCountInString)
}

// urlStarts counts "http://" and "https://" in text, in any letter case:
// every URL the chat posters mark up starts with one.
func urlStarts(text string) int {
	if !strings.ContainsAny(text, ":") {
		return 0
	}
	lower := strings.ToLower(text)
	return strings.Count(lower, "http://") + strings.Count(lower, "https://")
}
