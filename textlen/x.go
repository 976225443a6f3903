package textlen

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

const (
	xMaxWeighted = 280 // twitter-text maxWeightedTweetLength
	xURLWeight   = 23  // twitter-text transformedURLLength
)

// TwitterWeightedLength returns twitter-text's weightedLength of text: NFC
// first, then 1 for code points in the light ranges (Latin and friends,
// general punctuation), 2 for everything else (kana, kanji, full-width
// forms), 23 for each URL, bare domains included. emoji=true is config v3,
// where a whole emoji sequence counts 2; false is config v2, where each of
// its code points counts.
func TwitterWeightedLength(text string, emoji bool) int {
	weighted, _ := parseTweet(text, emoji)
	return weighted
}

// parseTweet returns the weighted length and whether the text holds any
// character twitter-text forbids.
func parseTweet(text string, emoji bool) (weighted int, forbidden bool) {
	t := toNFC(text)
	urls := xURLs.extract(t)
	for i := 0; i < len(t); {
		for len(urls) > 0 && urls[0].start < i {
			urls = urls[1:] // began inside an emoji sequence: not counted as a URL
		}
		if len(urls) > 0 && urls[0].start == i {
			weighted += xURLWeight
			i = urls[0].end
			urls = urls[1:]
			continue
		}
		if emoji {
			if n := emojiSequenceLen(t[i:]); n > 0 {
				weighted += 2
				i += n
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(t[i:])
		forbidden = forbidden || isInvalidTweetChar(r)
		weighted += xCharWeight(r)
		i += size
	}
	return weighted, forbidden
}

// xCharWeight is the weight of one code point under config v2 and v3.
func xCharWeight(r rune) int {
	switch {
	case r <= 0x10FF, r >= 0x2000 && r <= 0x200D, r >= 0x2010 && r <= 0x201F, r >= 0x2032 && r <= 0x2037:
		return 1
	}
	return 2
}

func toNFC(s string) string {
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// xRule counts with config v3 against a weighted limit.
type xRule struct{ limit int }

// X returns the rule of X (Twitter): twitter-text v3 weighted length, 280 max.
func X() Rule { return xRule{limit: xMaxWeighted} }

func (xRule) Platform() string       { return PlatformX }
func (xRule) Length(text string) int { return TwitterWeightedLength(text, true) }
func (r xRule) Limit() int           { return r.limit }
func (r xRule) Fits(text string) bool {
	weighted, forbidden := parseTweet(text, true)
	return !isBlank(text) && !forbidden && weighted <= r.limit
}
