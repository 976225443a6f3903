package textlen

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

const (
	mastodonDefaultMax = 500 // StatusLengthValidator::MAX_CHARS upstream
	mastodonURLChars   = 23  // URL_PLACEHOLDER_CHARS
)

type mastodonRule struct{ max, urlChars int }

// URLFull as a URL length means URLs are counted in full, as some
// Mastodon-compatible servers do whatever they advertise.
const URLFull = -1

// Mastodon returns the rule of a Mastodon server. Pass the instance's
// configuration.statuses.max_characters and characters_reserved_per_url;
// maxChars <= 0 means 500, urlChars 0 means 23 and URLFull (or any negative
// value) counts each URL at its full length.
func Mastodon(maxChars, urlChars int) Rule {
	if maxChars <= 0 {
		maxChars = mastodonDefaultMax
	}
	if urlChars == 0 {
		urlChars = mastodonURLChars
	}
	return mastodonRule{max: maxChars, urlChars: urlChars}
}

func (mastodonRule) Platform() string         { return PlatformMastodon }
func (r mastodonRule) Length(text string) int { return MastodonLength("", text, r.urlChars) }
func (r mastodonRule) Limit() int             { return r.max }
func (r mastodonRule) Fits(text string) bool {
	return !isBlank(text) && r.Length(text) <= r.max
}

// MastodonLength counts a status as Mastodon's StatusLengthValidator does:
// grapheme clusters of the content warning followed by the text, where each
// URL with a scheme counts urlChars (0 means 23, negative: the URL's own
// length) and "@user@domain" counts as "@user". Compare it with the
// instance's max_characters.
func MastodonLength(warning, text string, urlChars int) int {
	if urlChars == 0 {
		urlChars = mastodonURLChars
	}
	countable := mastodonCountable(text, urlChars)
	if warning != "" {
		countable = warning + countable
	}
	return uniseg.GraphemeClusterCount(countable)
}

// mastodonEntity is a URL or mention to rewrite before counting.
type mastodonEntity struct {
	span
	keep int // bytes of a mention kept ("@user"); 0 for a URL
}

// mastodonCountable rewrites text the way Mastodon does before counting:
// URLs become urlChars 'x's and remote mentions lose their domain.
func mastodonCountable(text string, urlChars int) string {
	if isBlank(text) {
		return ""
	}
	entities := mastodonMentions(text)
	for _, u := range mastodonURLs.extract(text) {
		entities = append(entities, mastodonEntity{span: u})
	}
	if len(entities) == 0 {
		return text
	}
	slices.SortStableFunc(entities, func(a, b mastodonEntity) int { return a.start - b.start })
	var b strings.Builder
	b.Grow(len(text))
	prev := 0
	for _, e := range entities {
		if e.start < prev {
			continue // overlaps the entity before it
		}
		b.WriteString(text[prev:e.start])
		switch {
		case e.keep > 0:
			b.WriteString(text[e.start : e.start+e.keep])
		case urlChars < 0:
			b.WriteString(text[e.start:e.end])
		default:
			b.WriteString(strings.Repeat("x", urlChars))
		}
		prev = e.end
	}
	b.WriteString(text[prev:])
	return b.String()
}

// mentionPattern is Account::MENTION_RE after its '@' (its lookbehind is
// checked by hand): a username, then optionally '@' and a domain.
var mentionPattern = regexp.MustCompile(`\A@((?i:[a-z0-9_]+(?:[.-]+[a-z0-9_]+)*))` +
	`(?:@[\p{L}\p{M}\p{Nd}\p{Pc}]+(?:[.-]+[\p{L}\p{M}\p{Nd}\p{Pc}]+)*)?`)

// mastodonMentions finds mentions as Mastodon's Extractor does.
func mastodonMentions(text string) []mastodonEntity {
	var found []mastodonEntity
	for pos := 0; pos < len(text); {
		i := strings.IndexByte(text[pos:], '@')
		if i < 0 {
			break
		}
		at := pos + i
		pos = at + 1
		if prev, _ := utf8.DecodeLastRuneInString(text[:at]); at > 0 && (prev == '=' || prev == '/' || isWordRune(prev)) {
			continue
		}
		loc := mentionPattern.FindStringSubmatchIndex(text[at:])
		if loc == nil {
			continue
		}
		end := at + loc[1]
		pos = end
		if endsMention(text[end:]) {
			continue
		}
		found = append(found, mastodonEntity{span: span{at, end}, keep: loc[3]})
	}
	return found
}

// endsMention is twitter-text's end_mention_match: text right after a
// mention that means it was not one.
func endsMention(after string) bool {
	r, _ := utf8.DecodeRuneInString(after)
	return r == '@' || r == '＠' || isLatinAccent(r) || strings.HasPrefix(after, "://")
}

// isWordRune is Onigmo's [[:word:]] on Unicode text.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r) || unicode.Is(unicode.Pc, r)
}
