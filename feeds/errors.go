package feeds

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Errors callers branch on. They arrive wrapped; test with errors.Is.
var (
	// ErrTooLarge: the body exceeded Options.MaxBody.
	ErrTooLarge = errors.New("body too large")
	// ErrTooManyRedirects: more than Options.MaxRedirects redirects.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrNotFeed: the document is an HTML page or otherwise not a feed.
	ErrNotFeed = errors.New("not a feed")
	// ErrTooComplex: the document's markup exceeds MaxDepth, MaxNodes,
	// MaxAttrs or MaxElementAttrs, so it is not parsed.
	ErrTooComplex = errors.New("document too complex")
	// ErrPrivateAddress: a feed whose configured host is public led, by a
	// redirect or its DNS, to a loopback, private, link-local or other
	// internal address, and Options.AllowPrivate is not set.
	ErrPrivateAddress = errors.New("private address not allowed")
)

// StatusError is a non-2xx/304 answer. RetryAfter is set from Retry-After
// (seconds or HTTP-date) on 429/503; zero when absent or already past.
type StatusError struct {
	URL        string
	Status     int
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("fetch %s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// parseRetryAfter reads a Retry-After value: delta-seconds or an HTTP-date
// relative to now. Unparseable or past values give 0.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil || !t.After(now) {
		return 0
	}
	return min(t.Sub(now), maxRetryAfter)
}

// maxRetryAfter keeps a hostile or broken header from overflowing durations.
const maxRetryAfter = 7 * 24 * time.Hour
