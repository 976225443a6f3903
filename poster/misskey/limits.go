package misskey

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

// escapeReserve is the room Limits keeps for what Neutralise adds to a
// text: 1% of the limit, at least 10 (at most a tenth). Feed text rarely
// needs more than a few escapes per post; one that needs more is refused
// with a limit that accounts for them, and composed again.
func escapeReserve(limit int) int { return min(limit/10, max(10, limit/100)) }

// Limits returns the server's rule: Misskey counts code points, up to
// maxNoteTextLength from /api/meta (3000 when it announces none), less
// escapeReserve. A lookup that failed is not cached: it returns the
// 3000-character rule with the error, so the caller can use a rule it
// stored earlier, and is tried again on the next call.
func (c *Client) Limits(ctx context.Context) (textlen.Spec, error) {
	limit, err := c.serverLimit(ctx)
	return textlen.Spec{Platform: textlen.PlatformMisskey, Limit: limit, Reserved: escapeReserve(limit)}, err
}

func (c *Client) serverLimit(ctx context.Context) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.limit > 0 {
		return c.limit, nil
	}
	limit, err := maxNoteLength(ctx, c.http, c.cfg.Server, c.cfg.UserAgent)
	if err != nil {
		return DefaultMaxNoteLength, fmt.Errorf("read limits of %s: %w", c.cfg.Server, err)
	}
	if limit <= 0 {
		limit = DefaultMaxNoteLength
	}
	c.limit = limit
	return limit, nil
}

// checkLength refuses, before sending, a text longer than the rule Limits
// states, or one whose escapes (added to make sent) take it past the
// server's limit; the latter states the limit that would have fitted, so
// the caller composes under it. When the limit cannot be read, the server
// decides.
func (c *Client) checkLength(ctx context.Context, text, sent string, added int) *poster.Error {
	limit, err := c.serverLimit(ctx)
	if err != nil {
		return nil
	}
	rule, n := textlen.Misskey(limit), utf8.RuneCountInString(text)
	pe := &poster.Error{Poster: c.cfg.Name, Delivered: poster.Rejected, Cause: poster.CauseTooLong}
	switch reserve := escapeReserve(limit); {
	case n > limit-reserve:
		pe.Message = fmt.Sprintf("text is %d characters, over the %d of the %d-character limit left after room for MFM escapes",
			n, limit-reserve, limit)
	case !rule.Fits(sent):
		pe.Message = fmt.Sprintf("text is %d characters with the %d zero-width spaces that keep it from rendering as MFM, over the %d-character limit",
			n+added, added, limit)
		pe.Limit = limit - added
	default:
		return nil
	}
	return pe
}
