package digest

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// zwsp (U+200B ZERO WIDTH SPACE) follows every sigil we neutralise. It is
// not a name character in any platform's mention or hashtag grammar (see
// the package documentation), and every U+200B in our output is ours:
// feed text loses its own.
const zwsp = "\u200b"

// inertHash replaces a '#' or '＃' from feed text. Misskey's hashtag grammar
// accepts U+200B as a tag character, so '#'+U+200B would still be a tag
// there; Misskey only knows the ASCII '#', and the platforms that also
// accept '＃' (Mastodon 4.3+, X, Bluesky) stop at the U+200B.
const inertHash = "＃" + zwsp

// cleanText makes feed text safe and tidy for a post: invalid UTF-8 is
// replaced, control characters, bidi controls and other invisible
// troublemakers are removed, runs of white space become one space,
// '@'/'＠' (and '#'/'＃' unless allowHash) can no longer mention or tag, and
// web addresses are defanged so that they are no links (see defang).
func cleanText(s string, allowHash bool) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s) + 8)
	prev := ' '
	var space rune // pending separator: 0, ' ' or the ideographic space
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			// A run of white space becomes one space; one with an
			// ideographic space (ordinary Japanese typography) keeps that.
			if r == '\u3000' {
				space = r
			} else if space == 0 {
				space = ' '
			}
			continue
		case dropRune(r):
			continue
		}
		if space != 0 && b.Len() > 0 {
			b.WriteRune(space)
			prev = space
		}
		space = 0
		writeNeutral(&b, r, prev, allowHash)
		prev = r
	}
	return defang(norm.NFC.String(b.String()))
}

// writeNeutral writes r, defusing sigils. A sigil right after an ASCII
// letter or digit ("C#", "user@example.com") starts nothing on any of the
// four platforms, so it is left as it is for readability.
func writeNeutral(b *strings.Builder, r, prev rune, allowHash bool) {
	afterWord := isASCIIAlnum(prev)
	switch {
	case (r == '@' || r == '＠') && !afterWord:
		b.WriteRune(r)
		b.WriteString(zwsp)
	case (r == '#' || r == '＃') && !afterWord && !allowHash:
		b.WriteString(inertHash)
	default:
		b.WriteRune(r)
	}
}

func isASCIIAlnum(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// dropRune reports runes removed from feed text: C0/C1 controls, bidi
// embeddings, overrides, isolates and marks (they can reorder what readers
// see), the BOM, interlinear annotations, noncharacters (X rejects
// U+FFFE/U+FFFF outright) and U+200B (reserved for our neutraliser).
func dropRune(r rune) bool {
	switch {
	case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r):
		return true
	case r == '\u200b', r == '\ufeff', r >= '\ufff9' && r <= '\ufffb':
		return true
	case r >= '\ufdd0' && r <= '\ufdef', r&0xfffe == 0xfffe:
		return true
	}
	return false
}

// cleanURL returns raw when it is an absolute http or https URL with a host
// and nothing that could break or disguise a link, and "" otherwise.
func cleanURL(raw string) string {
	raw = strings.TrimSpace(raw)
	bad := func(r rune) bool { return unicode.IsSpace(r) || dropRune(r) }
	if raw == "" || !utf8.ValidString(raw) || strings.ContainsFunc(raw, bad) {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	// url.Parse lowercases the scheme; keep the rest byte for byte.
	return u.Scheme + raw[len(u.Scheme):]
}

// hashtagSet collects live hashtags in order, without case-insensitive
// duplicates.
type hashtagSet struct {
	tags []string
	seen map[string]bool
}

func (h *hashtagSet) add(tags ...string) {
	for _, t := range tags {
		key := strings.ToLower(t)
		if h.seen == nil {
			h.seen = make(map[string]bool)
		}
		if !h.seen[key] {
			h.seen[key] = true
			h.tags = append(h.tags, t)
		}
	}
}

func (h *hashtagSet) line() string { return strings.Join(h.tags, " ") }

// CheckHashtag reports whether tag can be used in Options.Hashtags or
// Story.Tags: "#" (which may be left out) and a name without white space,
// control or bidi characters, '#', '＃', '@' or '＠'. Config checks can call
// it to reject what Compose would.
func CheckHashtag(tag string) error {
	name := strings.TrimPrefix(strings.TrimSpace(tag), "#")
	bad := func(r rune) bool {
		return unicode.IsSpace(r) || dropRune(r) || strings.ContainsRune("#＃@＠", r)
	}
	if name == "" || strings.ContainsFunc(name, bad) || !utf8.ValidString(name) {
		return fmt.Errorf("check hashtag %q: want # and a name without spaces, control characters, # or @", tag)
	}
	return nil
}

// cleanHashtags checks configured hashtags and gives each its '#'. They
// come from config, so a bad one is an error rather than something to fix.
func cleanHashtags(tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		if err := CheckHashtag(t); err != nil {
			return nil, err
		}
		name := strings.TrimPrefix(strings.TrimSpace(t), "#")
		out = append(out, "#"+norm.NFC.String(name))
	}
	return out, nil
}
