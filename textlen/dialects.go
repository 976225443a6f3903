package textlen

import (
	"regexp"
	"strings"
)

// Character classes of twitter-text's JavaScript URL pattern. Regexps are
// only used after the domain: the parts before need lookahead, which Go's
// regexp lacks, and are matched by hand in domain.go.
const (
	latinAccents = `\x{C0}-\x{D6}\x{D8}-\x{F6}\x{F8}-\x{FF}\x{100}-\x{24F}\x{253}\x{254}\x{256}\x{257}` +
		`\x{259}\x{25B}\x{263}\x{268}\x{26F}\x{272}\x{289}\x{28B}\x{2BB}\x{300}-\x{36F}\x{1E00}-\x{1EFF}`
	jsPathChar = `[a-z\x{400}-\x{4FF}0-9!*';:=+,.$/%#\[\]\-\x{2013}_~@|&` + latinAccents + `]`
	jsParens   = `\((?:` + jsPathChar + `+|(?:` + jsPathChar + `*\(` + jsPathChar + `+\)` + jsPathChar + `*))\)`
	// JavaScript splices the ending class into the path pattern as bare text,
	// so its "|(parens)" alternative splits the whole unit: a path unit is
	// chars ending in an ending char, or balanced parens alone, or @chars/.
	jsPathEnd    = `[+\-a-z\x{400}-\x{4FF}0-9=_#/` + latinAccents + `]|(?:` + jsParens + `)`
	jsPath       = `(?:(?:` + jsPathChar + `*(?:` + jsParens + jsPathChar + `*)*` + jsPathEnd + `)|(?:@` + jsPathChar + `+/))`
	jsQueryChar  = `[a-z0-9!?*'();:&=+$/%#\[\]\-_.,~|@]`
	jsQueryEnd   = `[a-z0-9\-_&=#/]`
	jsURLTail    = `(?i)\A(?::[0-9]+)?(/` + jsPath + `*)?(?:\?` + jsQueryChar + `*` + jsQueryEnd + `)?`
	rubyPathChar = `[a-z\p{Cyrillic}0-9!*';:=+,.$/%#\[\]\p{Pd}_~&|@` + latinAccents + `]`
	rubyParens   = `\((?:` + rubyPathChar + `+|(?:` + rubyPathChar + `*\(` + rubyPathChar + `+\)` + rubyPathChar + `*))\)`
)

// Mastodon replaces the Ruby path and query classes with far looser ones
// (config/initializers/twitter_regex.rb), so a path runs up to white space.
const (
	rubySpace     = `\x{9}-\x{D}\x{20}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}`
	mastoPathChar = `[^` + rubySpace + `<>()?]`
	mastoParens   = `\((?:` + mastoPathChar + `+|(?:` + mastoPathChar + `*\(` + mastoPathChar + `+\)` + mastoPathChar + `*))\)`
	// The ending class was patched before the parens were, so it still embeds
	// the original Ruby parens.
	mastoPathEnd = `(?:[^` + rubySpace + `()?!*"'「」<>;:=,.$%\[\]~&|@]|` + rubyParens + `)`
	mastoPath    = `(?:(?:` + mastoPathChar + `*(?:` + mastoParens + mastoPathChar + `*)*` + mastoPathEnd + `)|(?:` + mastoPathChar + `+/))`
	mastoUChars  = `\x{A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}\x{10000}-\x{1FFFD}\x{20000}-\x{2FFFD}` +
		`\x{30000}-\x{3FFFD}\x{40000}-\x{4FFFD}\x{50000}-\x{5FFFD}\x{60000}-\x{6FFFD}\x{70000}-\x{7FFFD}` +
		`\x{80000}-\x{8FFFD}\x{90000}-\x{9FFFD}\x{A0000}-\x{AFFFD}\x{B0000}-\x{BFFFD}\x{C0000}-\x{CFFFD}` +
		`\x{D0000}-\x{DFFFD}\x{E1000}-\x{EFFFD}\x{E000}-\x{F8FF}\x{F0000}-\x{FFFFD}\x{100000}-\x{10FFFD}`
	mastoQueryChar = `[a-z0-9!?*'();:&=+$/%#\[\]\-_.,~|@^` + mastoUChars + `]`
	mastoQueryEnd  = `[a-z0-9_&=#/\-` + mastoUChars + `]`
	mastoURLTail   = `(?i)\A(?::[0-9]+)?(/` + mastoPath + `*)?(?:\?` + mastoQueryChar + `*` + mastoQueryEnd + `)?`
)

// xURLs is the X dialect: twitter-text's JavaScript rules, bare domains included.
var xURLs = &urlDialect{
	schemes:       []string{"https", "http"},
	withoutScheme: true,
	utf16:         true,
	domainChar:    jsDomainChar,
	punycodeDash:  true,
	tail:          regexp.MustCompile(jsURLTail),
}

// mastodonURLs is the Mastodon dialect: only URLs with a scheme, Ruby
// character classes, Mastodon's looser paths and its extra schemes.
var mastodonURLs = &urlDialect{
	schemes:    []string{"https", "http", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "gemini"},
	domainChar: rubyDomainChar,
	tail:       regexp.MustCompile(mastoURLTail),
}

// jsDomainChar is twitter-text's validDomainChars (JavaScript).
func jsDomainChar(r rune) bool {
	if r < 0x80 {
		return !strings.ContainsRune("!'#%&()*+,\\-./:;<=>?@[]^_{|}~$", r) && !(r >= 0x09 && r <= 0x0D) && r != ' '
	}
	return !isURLSpace(r) && !isDirectional(r) && !isInvalidTweetChar(r)
}

// rubyDomainChar is twitter-text's DOMAIN_VALID_CHARS (Ruby).
func rubyDomainChar(r rune) bool {
	if r < 0x80 {
		return r > 0x20 && r != 0x7F && !strings.ContainsRune("!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~", r)
	}
	return !isURLSpace(r) && !isDirectional(r) && !isInvalidTweetChar(r)
}

// isURLSpace is twitter-text's list of Unicode spaces.
func isURLSpace(r rune) bool {
	switch {
	case r >= 0x09 && r <= 0x0D, r >= 0x2000 && r <= 0x200A:
		return true
	}
	switch r {
	case 0x20, 0x85, 0xA0, 0x1680, 0x180E, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return false
}

// isWhiteSpace is Unicode White_Space, which no path or query class admits.
func isWhiteSpace(r rune) bool {
	return isURLSpace(r) && r != 0x180E
}

// isDirectional is twitter-text's list of bidirectional formatting marks.
func isDirectional(r rune) bool {
	return r == 0x061C || r == 0x200E || r == 0x200F || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// isInvalidTweetChar reports the characters twitter-text rejects outright.
func isInvalidTweetChar(r rune) bool {
	return r == 0xFFFE || r == 0xFEFF || r == 0xFFFF
}
