package digest

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/rivo/uniseg"
)

// minTitleGraphemes is the shortest a title may be cut to. Below this a
// reader cannot tell what the story is about, so Compose reports the story
// instead of posting a stub.
const minTitleGraphemes = 10

// wordSlack is how many more graphemes a cut may give up to land on a
// word boundary, so that "Malicious Packages" becomes "Malicious…" rather
// than "Malicious Pack…". UAX #29 puts a word boundary between kanji and
// kana, so Japanese titles rarely lose anything to it.
const wordSlack = 12

const ellipsis = "…"

// Tokens a cut must not split: links written inside a title (the
// characters RFC 3986 allows; platforms end a link at other ones), and,
// when feed hashtags are allowed, those hashtags (cutting "#foobar" to
// "#foo" would tag something else).
var (
	linkToken = regexp.MustCompile(`(?i)https?://[a-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+`)
	tagToken  = regexp.MustCompile(`[#＃][\p{L}\p{M}\p{N}_]+`)
)

// cut is a place where a title may be shortened.
type cut struct {
	at   int    // byte offset in the title
	n    int    // graphemes kept
	word bool   // a word boundary
	sep  string // put between the kept text and "…"
}

// fitTitle returns title when fits accepts it, or else the longest
// shortened form that fits: cut at a grapheme boundary outside protected
// tokens, keeping at least minTitleGraphemes, ending in "…". It reports
// false when not even the shortest form fits.
//
// The search gallops from the shortest cut and then bisects, so the work
// depends on the length that fits, not on the title's: a 100 KB title
// costs no more than a long one. It assumes that shorter titles fit
// whenever longer ones do; where a rule bends that, the result still fits
// (it was tested) but may not be the longest.
func fitTitle(title string, allowHash bool, fits func(string) bool) (string, bool) {
	if fits(title) {
		return title, true
	}
	c := newCutter(title, allowHash)
	try := func(i int) bool {
		ct, ok := c.get(i)
		return ok && fits(shortened(title, ct))
	}
	if !try(0) {
		return "", false
	}
	lo, hi := 0, 1 // cut lo fits; cut hi does not, or does not exist
	for try(hi) {
		lo, hi = hi, hi*2
	}
	for hi-lo > 1 {
		if mid := (lo + hi) / 2; try(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return preferWord(title, c.cuts[:lo+1], fits), true
}

// preferWord steps back from the longest fitting cut (the last one) to a
// word boundary when one is within wordSlack graphemes. It checks that cut
// too: a shorter text usually fits, but not always (on X, cutting
// "foo.command" to "foo.com" turns plain text into a bare domain counted
// as a link).
func preferWord(title string, cuts []cut, fits func(string) bool) string {
	best := len(cuts) - 1
	for i := best; i >= 0 && cuts[best].n-cuts[i].n <= wordSlack; i-- {
		if !cuts[i].word {
			continue
		}
		if s := shortened(title, cuts[i]); i == best || fits(s) {
			return s
		}
		break
	}
	return shortened(title, cuts[best])
}

func shortened(title string, c cut) string {
	return strings.TrimRightFunc(title[:c.at], unicode.IsSpace) + c.sep + ellipsis
}

// cutter lists, in increasing order and only as far as asked, the
// grapheme boundaries where a title may be cut. A cut never falls inside a
// protected token, never separates a sigil from the U+200B that defuses
// it, and keeps at least minTitleGraphemes graphemes.
type cutter struct {
	title string
	spans [][]int // protected tokens
	rest  string  // not yet segmented
	at, n int     // bytes and graphemes segmented so far
	state int     // uniseg state
	cuts  []cut
}

func newCutter(title string, allowHash bool) *cutter {
	spans := linkToken.FindAllStringIndex(title, -1)
	if allowHash {
		spans = append(spans, tagToken.FindAllStringIndex(title, -1)...)
	}
	return &cutter{title: title, spans: spans, rest: title, state: -1}
}

// get returns cut i, or false when the title has no more cuts.
func (c *cutter) get(i int) (cut, bool) {
	for len(c.cuts) <= i && c.rest != "" {
		c.step()
	}
	if i < len(c.cuts) {
		return c.cuts[i], true
	}
	return cut{}, false
}

// step segments one more grapheme and records the boundary after it when
// it is a permitted cut.
func (c *cutter) step() {
	var cluster string
	var boundaries int
	cluster, c.rest, boundaries, c.state = uniseg.StepString(c.rest, c.state)
	c.at += len(cluster)
	c.n++
	if c.n < minTitleGraphemes || c.rest == "" || strings.HasPrefix(c.rest, zwsp) {
		return
	}
	if ct, ok := cutAt(c.title, c.at, c.spans); ok {
		ct.n, ct.word = c.n, boundaries&uniseg.MaskWord != 0
		c.cuts = append(c.cuts, ct)
	}
}

// cutAt checks a boundary against the protected spans. A link kept whole
// at the very end gets a space before "…" so that the ellipsis does not
// become part of the link.
func cutAt(title string, at int, spans [][]int) (cut, bool) {
	kept := len(strings.TrimRightFunc(title[:at], unicode.IsSpace))
	c := cut{at: at}
	for _, s := range spans {
		if s[0] < at && at < s[1] {
			return cut{}, false
		}
		if s[1] == kept {
			c.sep = " "
		}
	}
	return c, true
}
