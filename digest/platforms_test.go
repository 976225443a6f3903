package digest

import (
	"regexp"
	"strings"
	"unicode"
)

// grammar approximates one platform's mention and hashtag extraction, as
// read from its source (see the package documentation). Go's regexp has no
// look-behind, so the preceding-character rules are written as a consumed
// group; that finds the same first entity at each place.
type grammar struct {
	name     string
	mention  *regexp.Regexp
	hashtag  *regexp.Regexp
	tagCheck func(name string) bool // extra rules regexps cannot say
}

const (
	// X's hashtag letters: \p{L}\p{M}\p{Nd} plus twitter-text's special chars.
	xTagChars = `\p{L}\p{M}\p{Nd}_\x{200c}\x{200d}\x{a67e}\x{05be}\x{05f3}\x{05f4}\x{ff5e}\x{301c}\x{309b}\x{309c}\x{30a0}\x{30fb}\x{3003}\x{0f0b}\x{0f0c}\x{00b7}`
	// Bluesky's invisible characters that end a tag.
	bskyInvisible = `\x{00AD}\x{2060}\x{200A}\x{200B}\x{200C}\x{200D}\x{20e2}`
)

var grammars = []grammar{
	{
		// Account::MENTION_RE and Tag::HASHTAG_RE (4.3+: '＃' too, after
		// start or white space).
		name:    "mastodon",
		mention: regexp.MustCompile(`(?i)(?:^|[^=/\p{L}\p{M}\p{Nd}\p{Pc}])@([a-z0-9_]+)`),
		hashtag: regexp.MustCompile(`(?:^|\s)[#＃]([\p{L}\p{M}\p{Nd}\p{Pc}][\p{L}\p{M}\p{Nd}\p{Pc}·・\x{200c}]*)`),
		tagCheck: func(name string) bool {
			return strings.IndexFunc(name, unicode.IsLetter) >= 0
		},
	},
	{
		// twitter-text validMentionOrList and validHashtag.
		name:    "x",
		mention: regexp.MustCompile(`(?:^|[^a-zA-Z0-9_!#$%&*@＠])[@＠]([a-zA-Z0-9_]{1,20})`),
		hashtag: regexp.MustCompile(`(?:^|[^&` + xTagChars + `])[#＃]([` + xTagChars + `]*[\p{L}\p{M}][` + xTagChars + `]*)`),
	},
	{
		// mfm.js mention and hashtag parsers.
		name:    "misskey",
		mention: regexp.MustCompile(`(?i)(?:^|[^a-z0-9])@([a-z0-9_-]+)`),
		hashtag: regexp.MustCompile(`(?i)(?:^|[^a-z0-9])#([^ \x{3000}\t\r\n.,!?'"#:/\[\]【】()「」（）<>]+)`),
		tagCheck: func(name string) bool {
			return !digitsOnly(name)
		},
	},
	{
		// @atproto/api rich-text detection (MENTION_REGEX, TAG_REGEX).
		name:    "bluesky",
		mention: regexp.MustCompile(`(?:^|\s|\()@([a-zA-Z0-9.-]+)`),
		hashtag: regexp.MustCompile(`(?:^|\s)[#＃]([^\s` + bskyInvisible + `]*[^\d\s\p{P}` + bskyInvisible + `]+[^\s` + bskyInvisible + `]*)`),
	},
}

// mentions returns the names g would mention in text.
func (g grammar) mentions(text string) []string {
	var out []string
	for _, m := range g.mention.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return out
}

// hashtags returns the tags g would link in text.
func (g grammar) hashtags(text string) []string {
	var out []string
	for _, m := range g.hashtag.FindAllStringSubmatch(text, -1) {
		if g.tagCheck == nil || g.tagCheck(m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// digitsOnly reports a name of digits only, which mfm.js does not link.
func digitsOnly(name string) bool {
	return strings.IndexFunc(name, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
}
