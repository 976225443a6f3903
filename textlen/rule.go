package textlen

import (
	"fmt"
	"strings"
	"unicode"
)

// Platform names as returned by Rule.Platform and accepted by ForPlatform.
const (
	PlatformMastodon = "mastodon"
	PlatformX        = "x"
	PlatformBluesky  = "bluesky"
	PlatformMisskey  = "misskey"
	PlatformSlack    = "slack"
	PlatformDiscord  = "discord"
	PlatformTeams    = "teams"
	PlatformWebhook  = "webhook"
)

// Rule is one platform's length rule for a whole post text.
type Rule interface {
	// Platform names the platform: "mastodon", "x", "bluesky", "misskey",
	// "slack", "discord", "teams" or "webhook".
	Platform() string
	// Length measures text in the platform's own unit (X: weighted length).
	Length(text string) int
	// Limit is the largest Length the platform accepts.
	Limit() int
	// Fits reports whether the platform accepts text as one post: it has a
	// non-space character, Length <= Limit, and any extra constraint holds
	// (Bluesky's 3000 UTF-8 bytes, X's forbidden characters).
	Fits(text string) bool
}

// Platforms lists the platforms ForPlatform knows, for messages.
func Platforms() []string {
	return []string{PlatformMastodon, PlatformX, PlatformBluesky, PlatformMisskey,
		PlatformSlack, PlatformDiscord, PlatformTeams, PlatformWebhook}
}

// ForPlatform returns the rule of the named platform with the given limit;
// limit <= 0 means the platform's default.
func ForPlatform(platform string, limit int) (Rule, error) {
	switch platform {
	case PlatformMastodon:
		return Mastodon(limit, 0), nil
	case PlatformX:
		if limit <= 0 {
			return X(), nil
		}
		return xRule{limit: limit}, nil
	case PlatformBluesky:
		if limit <= 0 {
			return Bluesky(), nil
		}
		return blueskyRule{maxGraphemes: limit}, nil
	case PlatformMisskey:
		return Misskey(limit), nil
	case PlatformSlack:
		return Slack(limit), nil
	case PlatformDiscord:
		return Discord(limit), nil
	case PlatformTeams:
		return Teams(limit), nil
	case PlatformWebhook:
		return Webhook(limit), nil
	}
	return nil, fmt.Errorf("rule for platform %q: unknown platform", platform)
}

// isBlank reports whether text has no character other than white space;
// Mastodon and Misskey reject such posts.
func isBlank(text string) bool {
	return strings.TrimFunc(text, unicode.IsSpace) == ""
}
