package bluesky

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/itsecbot/itsecbot/poster"
)

// accountCodes are XRPC errors that refuse the account, not the post:
// every post would fail alike until the admin acts.
var accountCodes = map[string]bool{
	"ExpiredToken": true, "InvalidToken": true, "AuthenticationRequired": true, "AuthMissing": true,
	"AccountTakedown": true, "AccountDeactivated": true, "AccountSuspended": true,
	"RepoTakendown": true, "RepoDeactivated": true, "RepoSuspended": true,
}

// The PDS refuses a long text with "grapheme too big (maximum 300, got
// 301) at $.record.text" or "string too big (maximum 3000, got 3001)";
// older versions said "Record/text must not be longer than 300 graphemes".
var (
	textTooLong   = regexp.MustCompile(`(?i)(too big|too long|longer than).*\btext\b|\btext\b.*(too big|too long|longer than)`)
	graphemeLimit = regexp.MustCompile(`(?i)grapheme.*maximum (\d+)|longer than (\d+) graphemes`)
)

// classifyPost turns a createRecord failure into a *poster.Error.
func (c *Client) classifyPost(err error) *poster.Error {
	pe := &poster.Error{Poster: c.cfg.Name, Err: err}
	var se *sessionError
	var xe *xrpcError
	var te *transportError
	switch {
	case errors.As(err, &se):
		c.notSent(pe, se.err)
	case errors.As(err, &xe):
		pe.Status, pe.Message = xe.Status, message(xe)
		pe.Delivered, pe.Cause, pe.Limit = forStatus(xe)
		pe.RetryAfter = c.retryAfter(xe)
	case errors.As(err, &te) && !te.sent:
		pe.Delivered, pe.Cause = poster.NotDelivered, poster.CauseUnavailable
	default:
		// The request may have reached the PDS: a timeout, a dropped
		// connection, an answer that did not decode.
		pe.Delivered, pe.Cause = poster.Unknown, poster.CauseUnavailable
	}
	pe.Redact(append(c.sess.secrets(), c.cfg.Password)...)
	return pe
}

// readError classifies a failed read or session check: nothing was posted.
func (c *Client) readError(op string, err error) *poster.Error {
	pe := &poster.Error{Poster: c.cfg.Name, Err: fmt.Errorf("%s: %w", op, err)}
	var se *sessionError
	if errors.As(err, &se) {
		err = se.err
	}
	c.notSent(pe, err)
	pe.Redact(append(c.sess.secrets(), c.cfg.Password)...)
	return pe
}

// notSent fills pe for a failure before anything was posted: a login or
// refresh that failed, a read.
func (c *Client) notSent(pe *poster.Error, err error) {
	pe.Delivered, pe.Cause = poster.NotDelivered, poster.CauseUnavailable
	var xe *xrpcError
	var pause *pausedError
	if errors.As(err, &xe) {
		pe.Status, pe.Message = xe.Status, message(xe)
	}
	switch {
	case errors.As(err, &pause):
		pe.Cause, pe.RetryAfter = poster.CauseAuth, max(pause.until.Sub(c.cfg.Now()), time.Second)
	case xe != nil:
		pe.RetryAfter = c.retryAfter(xe)
		switch _, cause, _ := forStatus(xe); cause {
		case poster.CauseRateLimited, poster.CauseAuth:
			pe.Cause = cause
		case poster.CauseTooLong, poster.CauseInvalid:
			pe.Cause = poster.CauseAuth // a login the PDS refuses as malformed
		}
	case errors.Is(err, errNoState):
		pe.Cause = poster.CauseOther
	}
}

// retryAfter reads the wait from a 429 or 503. The PDS sends RateLimit-*
// headers on every answer; on others the reset is only the end of the
// window, not a reason to wait.
func (c *Client) retryAfter(xe *xrpcError) time.Duration {
	if xe.Status != http.StatusTooManyRequests && xe.Status != http.StatusServiceUnavailable {
		return 0
	}
	return poster.RetryDelay(xe.Header, c.cfg.Now())
}

// errNoState marks a failure of the poster's own database state.
var errNoState = errors.New("poster state")

func message(xe *xrpcError) string {
	switch {
	case xe.Code == "":
		return xe.Message
	case xe.Message == "":
		return xe.Code
	}
	return xe.Code + ": " + xe.Message
}

// forStatus classifies an XRPC error answer to createRecord.
//
//   - 429: rate limited, nothing written.
//   - 401, 403, and 400 with a token or account error: the session or the
//     account is refused; every post would fail alike, so the post waits.
//   - 3xx, 404, 501: the service URL is not a PDS; the admin must act.
//   - 408, 425, 503: the request was not processed.
//   - other 4xx: the record was refused (400 InvalidRequest), for its length
//     or its content; sending it again will not help.
//   - 500, 502, 504 and the rest: the PDS or a proxy failed, maybe after
//     writing the record: looked up before any resend.
func forStatus(xe *xrpcError) (poster.Delivery, poster.Cause, int) {
	s := xe.Status
	switch {
	case s == http.StatusTooManyRequests:
		return poster.NotDelivered, poster.CauseRateLimited, 0
	case s == http.StatusUnauthorized, s == http.StatusForbidden, s == http.StatusBadRequest && accountCodes[xe.Code]:
		return poster.NotDelivered, poster.CauseAuth, 0
	case s >= 300 && s < 400, s == http.StatusNotFound, s == http.StatusNotImplemented:
		return poster.NotDelivered, poster.CauseAuth, 0
	case s == http.StatusRequestTimeout, s == http.StatusTooEarly, s == http.StatusServiceUnavailable:
		return poster.NotDelivered, poster.CauseUnavailable, 0
	case s == http.StatusRequestEntityTooLarge:
		return poster.Rejected, poster.CauseTooLong, 0
	case s >= 400 && s < 500 && textTooLong.MatchString(xe.Message):
		limit := 0
		if m := graphemeLimit.FindStringSubmatch(xe.Message); m != nil {
			limit, _ = strconv.Atoi(m[1] + m[2])
		}
		return poster.Rejected, poster.CauseTooLong, limit
	case s >= 400 && s < 500:
		return poster.Rejected, poster.CauseInvalid, 0
	default:
		return poster.Unknown, poster.CauseUnavailable, 0
	}
}
