package pipeline

import (
	"errors"
	"time"

	"github.com/itsecbot/itsecbot/feeds"
)

// maxBackoff caps how long a failing feed waits between polls.
const maxBackoff = 6 * time.Hour

// retryDelay is how long a feed that failed waits before its next poll:
// the interval doubled for each consecutive failure, capped at maxBackoff
// (never below the interval), and never before the server's Retry-After.
func retryDelay(interval time.Duration, failures int, err error) time.Duration {
	d := interval
	for i := 1; i < failures && d < maxBackoff; i++ {
		d *= 2
	}
	d = min(d, max(maxBackoff, interval))
	var se *feeds.StatusError
	if errors.As(err, &se) && se.RetryAfter > d {
		d = se.RetryAfter
	}
	return d
}
