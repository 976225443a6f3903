package poster

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// epochThreshold separates Unix timestamps from delta-seconds in reset
// headers: no platform asks to wait 30 years.
const epochThreshold = 1_000_000_000

// resetHeaders name the rate-limit reset headers of the platforms we post to,
// tried in order after Retry-After: Mastodon (ISO 8601), X (Unix seconds) and
// the IETF draft used by Bluesky.
var resetHeaders = [...]string{"X-RateLimit-Reset", "X-Rate-Limit-Reset", "RateLimit-Reset"}

// RetryDelay returns how long to wait before retrying, read from h at time
// now: Retry-After (delta-seconds or HTTP date) first, then a rate-limit
// reset header (RFC 3339 timestamp, Unix seconds, or delta-seconds). It
// returns 0 when no header gives a usable value; past times also give 0.
func RetryDelay(h http.Header, now time.Time) time.Duration {
	if d, ok := parseRetryAfter(h.Get("Retry-After"), now); ok {
		return d
	}
	for _, name := range resetHeaders {
		if d, ok := parseReset(h.Get(name), now); ok {
			return d
		}
	}
	return 0
}

func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		return secondsDelay(secs), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return untilDelay(t, now), true
	}
	return 0, false
}

func parseReset(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n >= epochThreshold {
			return untilDelay(time.Unix(n, 0), now), true
		}
		return secondsDelay(n), true
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return untilDelay(t, now), true
	}
	return 0, false
}

func secondsDelay(secs int64) time.Duration {
	if secs <= 0 {
		return 0
	}
	return time.Duration(min(secs, epochThreshold)) * time.Second
}

func untilDelay(t, now time.Time) time.Duration {
	return max(t.Sub(now), 0)
}
