package poster

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Delivery says whether a failed post may have been published.
type Delivery int

// Unknown is the zero value so that an Error built without thought is never
// mistaken for "safe to retry".
const (
	// Unknown means the request may have been published (for example a
	// timeout after the request was written): retry only with the same
	// idempotency key, or check the platform first.
	Unknown Delivery = iota
	// NotDelivered means the platform certainly did not publish the post
	// (dial errors, 429, 503): retrying is safe.
	NotDelivered
	// Rejected means the platform refused the post (validation, auth):
	// retrying the same post will not help.
	Rejected
)

// String returns a short lowercase description of d.
func (d Delivery) String() string {
	switch d {
	case NotDelivered:
		return "not delivered"
	case Rejected:
		return "rejected"
	case Unknown:
		return "delivery unknown"
	default:
		return fmt.Sprintf("delivery(%d)", int(d))
	}
}

// Error is a platform's refusal or a transport failure, classified for the
// caller.
type Error struct {
	Poster     string        // name of the poster that failed
	Status     int           // HTTP status, 0 for transport errors
	Message    string        // the platform's message (never a token)
	Delivered  Delivery      // whether the post may have been published
	RetryAfter time.Duration // from Retry-After / X-RateLimit-Reset when known
	Err        error
}

// Error formats as "post to NAME (CLASS): HTTP STATUS: MESSAGE: ERR", leaving
// out the parts that are empty or repeated.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "post to %s (%s)", e.Poster, e.Delivered)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Err != nil && (e.Message == "" || !strings.Contains(e.Err.Error(), e.Message)) {
		b.WriteString(": " + e.Err.Error())
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// DeliveryOf returns the Delivered class of the first *Error in err's chain,
// or Unknown for any other non-nil error (an unclassified failure may have
// published).
func DeliveryOf(err error) Delivery {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Delivered
	}
	return Unknown
}
