package textlen

import (
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

const (
	zwj               = '\u200D'
	textPresentation  = '\uFE0E'
	emojiPresentation = '\uFE0F'
	combiningKeycap   = '\u20E3'
	cancelTag         = '\U000E007F'
)

// emojiSequenceLen returns the byte length of the emoji sequence of two or
// more code points starting s (keycap, flag, modifier, presentation, tag or
// ZWJ sequence), or 0. Twitter counts such a sequence as one character of
// weight 2; a lone emoji code point already weighs 2 on its own. Twitter
// only knows the recommended ZWJ sequences; here any ZWJ chain of
// pictographs counts as one, as it forms one grapheme.
func emojiSequenceLen(s string) int {
	r, n := utf8.DecodeRuneInString(s)
	switch {
	case r == '#' || r == '*' || r >= '0' && r <= '9':
		return keycapLen(s, n)
	case isRegionalIndicator(r):
		if r2, n2 := utf8.DecodeRuneInString(s[n:]); isRegionalIndicator(r2) {
			return n + n2
		}
		return 0
	case r < 0xA9 || !continuesEmoji(s[n:]):
		return 0
	}
	end, runes := emojiElementLen(s)
	for end > 0 && end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if r != zwj {
			break
		}
		next, nextRunes := emojiElementLen(s[end+n:])
		if next == 0 {
			break
		}
		end += n + next
		runes += 1 + nextRunes
	}
	if runes < 2 {
		return 0
	}
	return end
}

// keycapLen matches base, an optional U+FE0F, then U+20E3.
func keycapLen(s string, baseLen int) int {
	i := baseLen
	r, n := utf8.DecodeRuneInString(s[i:])
	if r == emojiPresentation {
		i += n
		r, n = utf8.DecodeRuneInString(s[i:])
	}
	if r != combiningKeycap {
		return 0
	}
	return i + n
}

// emojiElementLen matches one pictograph with an optional presentation
// selector, skin-tone modifier or tag sequence, returning bytes and runes.
// A text presentation selector (U+FE0E) is left out, so "☺︎" stays two
// characters.
func emojiElementLen(s string) (int, int) {
	r, n := utf8.DecodeRuneInString(s)
	if r < 0xA9 {
		return 0, 0
	}
	if !isExtendedPictographic(r) {
		return 0, 0
	}
	next, m := utf8.DecodeRuneInString(s[n:])
	switch {
	case next == emojiPresentation && !isEmojiPresentation(r), isSkinTone(next):
		// Twemoji takes U+FE0F only after pictographs shown as text by
		// default; after 😀 it is a character of its own.
		return n + m, 2
	case isTag(next):
		return tagSequenceLen(s, n)
	}
	return n, 1
}

// tagSequenceLen matches tag characters closed by CANCEL TAG after a base
// (as in the flag of England); without the closing tag only the base counts.
func tagSequenceLen(s string, baseLen int) (int, int) {
	i, runes := baseLen, 1
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		runes++
		if r == cancelTag {
			return i, runes
		}
		if !isTag(r) {
			break
		}
	}
	return baseLen, 1
}

// continuesEmoji reports whether s starts with a code point that can extend
// a pictograph into a sequence; it spares plain text the property lookup.
func continuesEmoji(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == zwj || r == emojiPresentation || isSkinTone(r) || isTag(r)
}

func isRegionalIndicator(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }
func isSkinTone(r rune) bool          { return r >= 0x1F3FB && r <= 0x1F3FF }
func isTag(r rune) bool               { return r >= 0xE0020 && r <= 0xE007F }

// isExtendedPictographic reports the Unicode Extended_Pictographic property.
// uniseg keeps its table private but applies it in grapheme rule GB11
// (pictograph ZWJ × pictograph): r ZWJ 😀 is one cluster exactly when r is
// a pictograph, as no other property lets ZWJ join a following pictograph.
func isExtendedPictographic(r rune) bool {
	var buf [12]byte
	n := utf8.EncodeRune(buf[:], r)
	n += utf8.EncodeRune(buf[n:], zwj)
	n += utf8.EncodeRune(buf[n:], '\U0001F600')
	return uniseg.GraphemeClusterCount(string(buf[:n])) == 1
}

// isEmojiPresentation reports Emoji_Presentation for a pictograph: uniseg
// gives a lone pictograph width 2 exactly when it has that property.
func isEmojiPresentation(r rune) bool {
	var buf [4]byte
	n := utf8.EncodeRune(buf[:], r)
	return uniseg.StringWidth(string(buf[:n])) == 2
}
