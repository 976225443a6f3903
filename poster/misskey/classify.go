package misskey

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/poster"
)

// RateLimitFallback is how long a rate-limited post waits when the answer
// says nothing: Misskey sends Retry-After, but proxies in front of some
// servers answer 429 without it.
const RateLimitFallback = 10 * time.Minute

// authCodes are the error codes that refuse the account or its token,
// whatever the HTTP status (older servers send some of them as 400).
var authCodes = map[string]bool{
	"CREDENTIAL_REQUIRED": true, "AUTHENTICATION_FAILED": true, "PERMISSION_DENIED": true,
	"ACCESS_DENIED": true, "ROLE_PERMISSION_DENIED": true, "YOUR_ACCOUNT_SUSPENDED": true,
	"YOUR_ACCOUNT_MOVED": true,
}

// postError classifies a notes/create answer other than 200. added is
// what Neutralise added to the text, taken off a limit the server states.
func (c *Client) postError(resp response, added int) *poster.Error {
	e := decodeAPIError(resp.body)
	pe := &poster.Error{Poster: c.cfg.Name, Status: resp.status, Message: e.String()}
	if pe.Message == "" {
		pe.Message = http.StatusText(resp.status)
	}
	pe.Delivered, pe.Cause = classify(resp.status, e)
	if pe.Delivered == poster.NotDelivered {
		pe.RetryAfter = poster.RetryDelay(resp.header, c.now())
		if pe.Cause == poster.CauseRateLimited && pe.RetryAfter == 0 {
			pe.RetryAfter = RateLimitFallback
		}
	}
	if pe.Cause == poster.CauseTooLong {
		if stated := statedLimit(e); stated > added {
			pe.Limit = stated - added // the limit for the text as composed
		}
	}
	pe.Redact(c.cfg.AccessToken)
	return pe
}

// classify sorts an error answer of notes/create:
//
//   - 202 PROCESSING (misskey.io's fork): the same request is being
//     processed and its note will exist: Unknown, so it is read back.
//   - 429: rate-limited, nothing created.
//   - 401, 403 and the account's error codes: the token or the account is
//     refused; 3xx and 404: the server URL is wrong. Nothing was created and
//     every post would fail alike, so the post waits for the admin.
//   - 408, 425, 503: the server did not take the request.
//   - other 4xx: the note was refused: NO_SUCH_REPLY_TARGET when the
//     thread's previous note is gone, INVALID_PARAM on the text when it is
//     too long, anything else (prohibited words, ...) invalid.
//   - 500 and other 5xx: the note may have been created before the error.
func classify(status int, e apiError) (poster.Delivery, poster.Cause) {
	switch {
	case status == http.StatusAccepted || e.Code == "PROCESSING":
		return poster.Unknown, poster.CauseOther
	case status == http.StatusTooManyRequests || e.Code == "RATE_LIMIT_EXCEEDED":
		return poster.NotDelivered, poster.CauseRateLimited
	case authCodes[e.Code], e.Kind == "permission", status == http.StatusUnauthorized, status == http.StatusForbidden,
		status >= 300 && status < 400, status == http.StatusNotFound:
		return poster.NotDelivered, poster.CauseAuth
	case status == http.StatusRequestTimeout, status == http.StatusTooEarly, status == http.StatusServiceUnavailable:
		return poster.NotDelivered, poster.CauseUnavailable
	case e.Code == "NO_SUCH_REPLY_TARGET", e.Code == "CANNOT_REPLY_TO_AN_INVISIBLE_NOTE":
		return poster.Rejected, poster.CauseReplyGone
	case status >= 400 && status < 500 && textTooLong(e):
		return poster.Rejected, poster.CauseTooLong
	case status >= 400 && status < 500:
		return poster.Rejected, poster.CauseInvalid
	default:
		return poster.Unknown, poster.CauseUnavailable
	}
}

// textTooLong reports a refusal of the text's length: INVALID_PARAM on
// the text's maxLength ("#/properties/text/maxLength", "must NOT have
// more than 3000 characters"), or on the text alone on servers whose
// validator names only the field (the text we send is never blank, the
// other reason they refuse it).
func textTooLong(e apiError) bool {
	if e.Code == "TEXT_TOO_LONG" {
		return true
	}
	param := e.Info.Param
	return e.Code == "INVALID_PARAM" && (param == "text" ||
		strings.Contains(param, "text") && (strings.Contains(param, "maxLength") || tooLongReason.MatchString(e.Info.Reason)))
}

var (
	tooLongReason = regexp.MustCompile(`(?i)more than|longer than|too long`)
	number        = regexp.MustCompile(`\d{2,7}`)
)

// statedLimit returns the limit a length refusal names, 0 if none.
func statedLimit(e apiError) int {
	n, _ := strconv.Atoi(number.FindString(e.Info.Reason))
	return n
}

// readError classifies a failed read (i, users/notes) like a failed post,
// so that a refused token is told apart from a server that is down;
// nothing was published either way.
func (c *Client) readError(op string, resp response) *poster.Error {
	e := decodeAPIError(resp.body)
	pe := &poster.Error{Poster: c.cfg.Name, Status: resp.status, Message: e.String(), Delivered: poster.NotDelivered}
	if pe.Message == "" {
		pe.Message = http.StatusText(resp.status)
	}
	pe.Message = op + ": " + pe.Message
	_, pe.Cause = classify(resp.status, e)
	pe.RetryAfter = poster.RetryDelay(resp.header, c.now())
	if pe.Cause == poster.CauseRateLimited && pe.RetryAfter == 0 {
		pe.RetryAfter = RateLimitFallback
	}
	pe.Redact(c.cfg.AccessToken)
	return pe
}
