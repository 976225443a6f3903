package mastodon

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"

	gomastodon "github.com/mattn/go-mastodon"

	"github.com/itsecbot/itsecbot/poster"
)

// classify turns a PostStatus error into a *poster.Error.
func (c *Client) classify(err error, cl *call) *poster.Error {
	pe := &poster.Error{Poster: c.cfg.Name, Err: err}
	var rl *rateLimited
	var api *gomastodon.APIError
	switch {
	case errors.As(err, &rl):
		pe.Status, pe.Delivered, pe.Cause = http.StatusTooManyRequests, poster.NotDelivered, poster.CauseRateLimited
		pe.Message, pe.RetryAfter = rl.message, rl.retryAfter
	case errors.As(err, &api):
		_, header := cl.response()
		pe.Status, pe.Message = api.StatusCode, api.Message
		pe.Delivered = deliveryForStatus(api.StatusCode, cl.reply)
		pe.Cause, pe.Limit = causeForStatus(api.StatusCode, api.Message, cl.reply)
		pe.RetryAfter = poster.RetryDelay(header, c.now())
	default:
		// A transport error, or a 2xx whose body did not decode. Only a
		// request that never got a connection is surely unposted.
		pe.Status, _ = cl.response()
		pe.Delivered, pe.Cause = poster.NotDelivered, poster.CauseUnavailable
		if cl.mayHaveSent.Load() {
			pe.Delivered = poster.Unknown
		}
	}
	pe.Redact(c.cfg.AccessToken)
	return pe
}

// deliveryForStatus classifies an HTTP error status from POST /api/v1/statuses;
// reply says whether the post was a reply.
//
//   - 408, 425: the server says it did not process the request.
//   - 3xx, 401, 403, and 404 for a post that is not a reply: the account or
//     the server URL is wrong (a revoked token, a moved instance). Nothing was
//     posted and every post would fail alike, so the post must wait for the
//     admin, not be given up: NotDelivered.
//   - other 4xx: validation (422, or 400 on some compatible servers), a
//     missing reply target (404): this post will fail again, whatever the
//     account.
//   - 503: Mastodon answers it for lock races, open circuit breakers and
//     serialization failures, all before the status is committed, and proxies
//     use it for maintenance; nothing was created.
//   - 500, 502, 504 and the rest: Rails may have committed the status before
//     failing (hooks after save, serialising the reply), or the proxy lost a
//     backend that kept working. We cannot tell, so Unknown: the status is
//     looked up before any resend.
func deliveryForStatus(status int, reply bool) poster.Delivery {
	switch {
	case status == http.StatusRequestTimeout, status == http.StatusTooEarly,
		status == http.StatusServiceUnavailable, status == http.StatusTooManyRequests:
		return poster.NotDelivered
	case status >= 300 && status < 400, status == http.StatusUnauthorized, status == http.StatusForbidden,
		status == http.StatusNotFound && !reply:
		return poster.NotDelivered
	case status >= 300 && status < 500:
		return poster.Rejected
	default:
		return poster.Unknown
	}
}

// tooLongMessage matches the length refusals of Mastodon ("Text character
// limit of 500 exceeded") and of compatible servers ("text with spoiler
// exceed max chars (500)", "status is over the character limit"), keeping
// the stated limit when there is one.
var (
	tooLongMessage = regexp.MustCompile(`(?i)character limit|max(imum)? ?(chars|characters|length)|too long|exceeds? `)
	statedLimit    = regexp.MustCompile(`(\d{2,7})`)
)

// causeForStatus says why a post was refused, and the limit the server
// stated for a length refusal (0 when none).
func causeForStatus(status int, message string, reply bool) (poster.Cause, int) {
	switch {
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		return poster.CauseAuth, 0
	case status == http.StatusTooManyRequests:
		return poster.CauseRateLimited, 0
	case status == http.StatusNotFound && reply:
		return poster.CauseReplyGone, 0
	case status >= 300 && status < 400, status == http.StatusNotFound:
		return poster.CauseAuth, 0 // the server URL is wrong: the admin must act
	case status >= 400 && status < 500 && tooLongMessage.MatchString(message):
		limit := 0
		if m := statedLimit.FindStringSubmatch(message); m != nil {
			limit, _ = strconv.Atoi(m[1])
		}
		return poster.CauseTooLong, limit
	case status >= 400 && status < 500 && status != http.StatusRequestTimeout && status != http.StatusTooEarly:
		return poster.CauseInvalid, 0
	default:
		return poster.CauseUnavailable, 0
	}
}
