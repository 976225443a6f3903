package x

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/poster"
)

// X's refusal texts that say what is wrong with the post itself. X sends
// them with 403 (duplicate, reply target) or 400 (length, reported by
// client libraries' users with 403 too), so they are matched on any 4xx.
const (
	duplicateText = "duplicate content"      // "You are not allowed to create a Tweet with duplicate content."
	replyGoneText = "deleted or not visible" // "You attempted to reply to a Tweet that is deleted or not visible to you."
	tooLongText   = "too long"               // "Your Tweet text is too long. ..."
)

// problem is X's error document: problem+json (title, detail, type,
// status), often with an errors list, or the older {"errors":[{code,
// message}]}.
type problem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Type   string `json:"type"`
	Errors []struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
}

// message joins what the document says, without repeats.
func (p problem) message() string {
	var parts []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		for _, q := range parts {
			if s == "" || strings.Contains(q, s) {
				return
			}
		}
		parts = append(parts, s)
	}
	add(p.Detail)
	for _, e := range p.Errors {
		add(e.Message)
	}
	if len(parts) == 0 {
		add(p.Title)
	}
	return strings.Join(parts, "; ")
}

// classify sorts an error answer of POST /2/tweets or GET /2/users/me;
// reply says whether the post answered another.
//
//   - the post's own refusals (duplicate, too long, reply target gone, any
//     other 400/422 validation): Rejected; composing again may help.
//   - 401, 402 (the pay-per-use credits are spent), other 403 (the app's
//     access level, e.g. code 453; a suspended app or account), 404 and
//     3xx (a wrong api_url): nothing was posted and every post would fail
//     alike, so the post waits for the admin: NotDelivered, CauseAuth.
//   - 429: NotDelivered until x-rate-limit-reset, or until the 24-hour
//     budget's reset when that is what ran out.
//   - 408, 425, 503: refused before processing, NotDelivered.
//   - 500, 502, 504 and the rest: X or a proxy may have created the post
//     before failing: Unknown, so it is resent only where a duplicate
//     refusal can tell.
func classify(ex exchange, reply bool, now time.Time) *poster.Error {
	var doc problem
	_ = json.Unmarshal(ex.body, &doc) // a body that is not JSON leaves the status alone
	msg := doc.message()
	pe := &poster.Error{Status: ex.status, Message: msg}
	lower := strings.ToLower(msg)
	client := ex.status >= 400 && ex.status < 500
	switch {
	case client && strings.Contains(lower, duplicateText):
		pe.Delivered, pe.Cause = poster.Rejected, poster.CauseDuplicate
	case client && strings.Contains(lower, replyGoneText) && reply:
		pe.Delivered, pe.Cause = poster.Rejected, poster.CauseReplyGone
	case client && strings.Contains(lower, tooLongText):
		pe.Delivered, pe.Cause = poster.Rejected, poster.CauseTooLong
	case ex.status == http.StatusTooManyRequests:
		pe.Delivered, pe.Cause = poster.NotDelivered, poster.CauseRateLimited
		pe.RetryAfter = max(poster.RetryDelay(ex.header, now), exhaustedUntil(ex.header, now).Sub(now))
	case ex.status == http.StatusRequestTimeout, ex.status == http.StatusTooEarly, ex.status == http.StatusServiceUnavailable:
		pe.Delivered, pe.Cause = poster.NotDelivered, poster.CauseUnavailable
		pe.RetryAfter = retryAfterOnly(ex.header, now)
	case ex.status >= 300 && ex.status < 400, ex.status == http.StatusUnauthorized, ex.status == http.StatusPaymentRequired,
		ex.status == http.StatusForbidden, ex.status == http.StatusNotFound:
		pe.Delivered, pe.Cause = poster.NotDelivered, poster.CauseAuth
	case client:
		pe.Delivered, pe.Cause = poster.Rejected, poster.CauseInvalid
	default:
		pe.Delivered, pe.Cause = poster.Unknown, poster.CauseUnavailable
	}
	return pe
}

// retryAfterOnly reads Retry-After alone: X's x-rate-limit-reset on other
// answers is the 15-minute window's, not a reason to wait.
func retryAfterOnly(h http.Header, now time.Time) time.Duration {
	return poster.RetryDelay(http.Header{"Retry-After": h.Values("Retry-After")}, now)
}
