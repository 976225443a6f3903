package misskey

import (
	"strings"
	"unicode/utf8"
)

// Misskey renders note text as MFM (Misskey Flavored Markdown), so feed
// text such as "**bold**", "`code`", "$[x2 ...]", "<center>", a line
// starting with "> " or ending with " 検索", or "[title](https://...)"
// would turn into markup. Neutralise defuses each construct with the least
// change, following the grammar of mfm.js (the parser Misskey uses):
//
//   - a zero-width space (U+200B) after the character that opens a
//     construct, so that the opener no longer matches: "*​*", "_​_", "~​~",
//     "$​[", "\​(", "<​b>", "]​(https://", "@​user", " ​検索"; a quote line
//     gets one before its ">", an emoji code before its closing colon
//     (":name​:");
//   - inline code, whose content may be anything, cannot be broken that
//     way: a backtick that another one follows on its line becomes U+FF40
//     (full-width grave) followed by U+200B, which Unneutralise turns back.
//
// URLs, "<https://...>" and hashtags are copied as they are, as mfm.js
// would read them, so links stay live and configured hashtags stay tags.
// Each insertion but the emoji code's follows a character that is not an
// ASCII letter or digit, and none precedes a colon that closes an emoji
// code, so no test of the grammar on the character before or after a
// construct changes. mfm.js itself checks the result in the tests. The
// U+200B are invisible, and poster.SameText ignores them; every U+200B in
// a composed post is ours or the digest's (feed text loses its own).
//
// Constructs that swallow the rest of the text when left unclosed (bold,
// strike, the tags, $[...]) are defused wherever their opener appears;
// the others only where they would match.

const (
	zwsp         = '\u200b'
	graveMarker  = "\uff40\u200b" // a defused backtick
	mfmNestLimit = 20             // mfm.js's default nesting depth
)

// Neutralise returns text with every MFM construct other than URLs,
// hashtags and emoji defused, and the number of code points it added.
func Neutralise(text string) (string, int) {
	n := neutralise(text)
	return n.b.String(), utf8.RuneCountInString(n.b.String()) - len(n.rs)
}

func neutralise(text string) *neutraliser {
	n := &neutraliser{rs: []rune(text), closing: -1}
	n.b.Grow(len(text) + 16)
	for n.i < len(n.rs) {
		n.step()
	}
	return n
}

// Unneutralise turns the defused backticks of a note read back into the
// text that was posted, up to the U+200B that poster.SameText ignores.
func Unneutralise(text string) string {
	return strings.ReplaceAll(text, graveMarker, "`")
}

type neutraliser struct {
	rs   []rune
	i    int
	b    strings.Builder
	prev rune // last rune written, 0 at the start
	// closing is the index of an emoji code's closing colon that gets a
	// U+200B before it, -1 when none is due.
	closing int
	// urls and tags are the URLs and hashtags copied, as mfm.js names
	// them (without "<>" or "#"), for tests to compare with mfm.js.
	urls, tags []string
}

func (n *neutraliser) write(rs ...rune) {
	for _, r := range rs {
		n.b.WriteRune(r)
		n.prev = r
	}
}

// step handles the text at n.i and advances past it.
func (n *neutraliser) step() {
	rs, i := n.rs, n.i
	if i == n.closing {
		n.write(zwsp)
	}
	if k := n.verbatim(); k > 0 {
		n.record(rs[i : i+k])
		n.write(rs[i : i+k]...)
		n.i += k
		return
	}
	r := rs[i]
	lineStart := i == 0 || rs[i-1] == '\n' || rs[i-1] == '\r'
	switch {
	case lineStart && r == '>': // quote
		n.write(zwsp, r)
	case r == '`' && backtickFollows(rs, i): // inline code, code block
		n.b.WriteString(graveMarker)
		n.prev = zwsp
	default:
		n.write(r)
		if n.opens(r) {
			n.write(zwsp)
		}
	}
	n.i++
}

// verbatim returns the length of a URL, bracketed URL or hashtag starting
// at n.i, as mfm.js would read it there, or 0.
func (n *neutraliser) verbatim() int {
	if n.closing > n.i {
		return 0 // inside an emoji code's name: "https" in ":https://x" is no URL
	}
	switch n.rs[n.i] {
	case '<':
		return urlAltLen(n.rs, n.i)
	case 'h':
		return urlLen(n.rs, n.i)
	case '#':
		return hashtagLen(n.rs, n.i, n.prev)
	}
	return 0
}

func (n *neutraliser) record(token []rune) {
	s := string(token)
	switch {
	case token[0] == '#':
		n.tags = append(n.tags, s[1:])
	case token[0] == '<':
		n.urls = append(n.urls, s[1:len(s)-1])
	case strings.Trim(s[strings.Index(s, "//")+2:], ".,") != "":
		n.urls = append(n.urls, s) // not a run of dots and commas, which is text
	}
}

// opens reports whether r, just written from n.rs[n.i], opens a construct
// that a following U+200B defuses. n.prev is r; the character before r is
// n.rs[n.i-1] as written, and none of our insertions is a letter or digit.
func (n *neutraliser) opens(r rune) bool {
	rs, i := n.rs, n.i
	next := at(rs, i+1)
	afterWord := i > 0 && isASCIIAlnum(rs[i-1])
	switch r {
	case '*': // ***big***, **bold**, *italic*
		return next == '*' || !afterWord && enclosed(rs, i+1, '*', 1)
	case '_': // __bold__, _italic_
		return next == '_' && enclosed(rs, i+2, '_', 2) || !afterWord && enclosed(rs, i+1, '_', 1)
	case '~': // ~~strike~~
		return next == '~'
	case '$': // $[fn ...]
		return next == '['
	case '\\': // \(math\), \[math block\]
		return next == '[' || next == '(' && mathInlineAt(rs, i)
	case '<': // <center> <small> <plain> <b> <i> <s>
		return tagAt(rs, i+1)
	case ']': // [label](url), ?[label](url)
		return next == '(' && (urlLen(rs, i+2) > 0 || urlAltLen(rs, i+2) > 0)
	case ':': // :emoji:, defused before its closing colon (see emojiCodeEnd)
		if j := emojiCodeEnd(rs, i); j > 0 {
			n.closing = j
		}
		return false
	case '@': // @mention
		return !afterWord && isMentionChar(next)
	case ' ', '\u3000', '\t': // "query 検索" at the end of a line
		return searchButtonAt(rs, i+1)
	}
	return false
}

// enclosed reports whether rs[from:] is one or more ASCII letters, digits
// or spaces followed by n closing marks.
func enclosed(rs []rune, from int, mark rune, n int) bool {
	j := from
	for j < len(rs) && (isASCIIAlnum(rs[j]) || isMFMSpace(rs[j])) {
		j++
	}
	if j == from || j+n > len(rs) {
		return false
	}
	for k := range n {
		if rs[j+k] != mark {
			return false
		}
	}
	return true
}

// backtickFollows reports whether another backtick follows the one at i
// before a line break or "´". Inline code runs from a backtick to the next
// one on its line with no "´" between, so when every backtick but the last
// of such a run is defused, none can open code (a code block's fence is
// three backticks: two are defused). Defusing only the backticks that
// open code is not enough: a defused one no longer closes the code that
// an earlier backtick opens.
func backtickFollows(rs []rune, i int) bool {
	for j := i + 1; j < len(rs) && !strings.ContainsRune("´\r\n", rs[j]); j++ {
		if rs[j] == '`' {
			return true
		}
	}
	return false
}

// mathInlineAt reports whether the backslash at i opens "\(...\)" on one
// line.
func mathInlineAt(rs []rune, i int) bool {
	for j := i + 2; j < len(rs) && rs[j] != '\n' && rs[j] != '\r'; j++ {
		if rs[j] == '\\' && at(rs, j+1) == ')' {
			return j > i+2
		}
	}
	return false
}

var mfmTags = [...]string{"center>", "small>", "plain>", "b>", "i>", "s>"}

func tagAt(rs []rune, i int) bool {
	for _, t := range mfmTags {
		if hasPrefix(rs[i:], t) {
			return true
		}
	}
	return false
}

// emojiCodeEnd returns the index of the closing colon when the colon at
// i opens ":name:" followed by the end of the text or a character that is
// not an ASCII letter or digit, else 0. The U+200B goes before the closing
// colon, not after the opening one: there it would stand after a colon
// that may close an earlier ":name" and make that one an emoji code (the
// grammar looks at the character after the closing colon).
func emojiCodeEnd(rs []rune, i int) int {
	j := i + 1
	for j < len(rs) && (isASCIIAlnum(rs[j]) || strings.ContainsRune("_+-", rs[j])) {
		j++
	}
	if j > i+1 && j < len(rs) && rs[j] == ':' && !isASCIIAlnum(at(rs, j+1)) {
		return j
	}
	return 0
}

// searchButtonAt reports whether rs[i:] is a search button ("検索",
// "search", "[検索]" or "[search]", in any case) that ends its line.
func searchButtonAt(rs []rune, i int) bool {
	for _, button := range [...]string{"[検索]", "[search]", "検索", "search"} {
		n := utf8.RuneCountInString(button)
		if i+n <= len(rs) && strings.EqualFold(string(rs[i:i+n]), button) {
			if end := at(rs, i+n); end == 0 || end == '\n' || end == '\r' {
				return true
			}
		}
	}
	return false
}

func isMentionChar(r rune) bool { return isASCIIAlnum(r) || r == '_' || r == '.' || r == '-' }

func isMFMSpace(r rune) bool { return r == ' ' || r == '\u3000' || r == '\t' }

func isASCIIAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// at returns rs[i], or 0 past the end.
func at(rs []rune, i int) rune {
	if i < 0 || i >= len(rs) {
		return 0
	}
	return rs[i]
}

func hasPrefix(rs []rune, prefix string) bool {
	for _, p := range prefix {
		if len(rs) == 0 || rs[0] != p {
			return false
		}
		rs = rs[1:]
	}
	return true
}
