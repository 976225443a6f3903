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
	// timeout after the request was written): look it up on the platform,
	// or retry only with the same idempotency key.
	Unknown Delivery = iota
	// NotDelivered means the platform certainly did not publish the post
	// (dial errors, 429, 503, a refused token): retrying is safe.
	NotDelivered
	// Rejected means the platform refused this post (validation, length):
	// sending the same text again will not help.
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

// Cause says why a post failed, where the platform told us, so that the
// pipeline can act: wait, tell the admin, or compose again.
type Cause int

// The causes a poster can report.
const (
	CauseOther       Cause = iota
	CauseAuth              // the credentials were refused: an admin must act
	CauseRateLimited       // wait RetryAfter
	CauseUnavailable       // the server or the network failed
	CauseTooLong           // the text is too long for the platform (Rejected)
	CauseInvalid           // other validation of the content (Rejected)
	CauseDuplicate         // the platform refuses a repeat of a published text
	CauseReplyGone         // the post it replies to no longer exists (Rejected)
)

var causeNames = [...]string{"other", "auth", "rate limited", "unavailable", "too long", "invalid", "duplicate", "reply target gone"}

func (c Cause) String() string {
	if c >= 0 && int(c) < len(causeNames) {
		return causeNames[c]
	}
	return fmt.Sprintf("cause(%d)", int(c))
}

// Error is a platform's refusal or a transport failure, classified for the
// caller.
type Error struct {
	Poster     string        // name of the poster that failed
	Status     int           // HTTP status, 0 for transport errors
	Message    string        // the platform's message (never a token)
	Delivered  Delivery      // whether the post may have been published
	Cause      Cause         // why, when known
	Limit      int           // CauseTooLong: the limit the platform stated, 0 if none
	RetryAfter time.Duration // from Retry-After / rate-limit reset headers when known
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

// CauseOf returns the Cause of the first *Error in err's chain.
func CauseOf(err error) Cause {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Cause
	}
	return CauseOther
}

// Redact replaces every occurrence of each non-empty secret in the error's
// printable parts, in case a server or proxy echoes a token back.
func (e *Error) Redact(secrets ...string) {
	for _, s := range secrets {
		if s == "" {
			continue
		}
		e.Message = strings.ReplaceAll(e.Message, s, "<redacted>")
		if e.Err != nil && strings.Contains(e.Err.Error(), s) {
			// Dropping the chain loses errors.As on the cause, but nothing
			// may print the secret, not even an unwrapped cause.
			e.Err = errors.New(strings.ReplaceAll(e.Err.Error(), s, "<redacted>"))
		}
	}
}
