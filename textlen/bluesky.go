package textlen

import "github.com/rivo/uniseg"

const (
	blueskyMaxGraphemes = 300  // app.bsky.feed.post text maxGraphemes
	blueskyMaxBytes     = 3000 // app.bsky.feed.post text maxLength, in UTF-8 bytes
)

type blueskyRule struct{ maxGraphemes int }

// Bluesky returns the rule of Bluesky: at most 300 grapheme clusters and
// 3000 UTF-8 bytes. Length counts graphemes, the limit Japanese text meets.
func Bluesky() Rule { return blueskyRule{maxGraphemes: blueskyMaxGraphemes} }

func (blueskyRule) Platform() string       { return PlatformBluesky }
func (blueskyRule) Length(text string) int { return uniseg.GraphemeClusterCount(text) }
func (r blueskyRule) Limit() int           { return r.maxGraphemes }
func (r blueskyRule) Fits(text string) bool {
	return !isBlank(text) && len(text) <= blueskyMaxBytes && r.Length(text) <= r.maxGraphemes
}
