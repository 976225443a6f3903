package mastodon

import (
	"errors"
	"net/http"
	"strings"

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
		pe.Status, pe.Delivered = http.StatusTooManyRequests, poster.NotDelivered
		pe.Message, pe.RetryAfter = rl.message, rl.retryAfter
	case errors.As(err, &api):
		_, header := cl.response()
		pe.Status, pe.Message = api.StatusCode, api.Message
		pe.Delivered = deliveryForStatus(api.StatusCode, cl.reply)
		pe.RetryAfter = poster.RetryDelay(header, c.now())
	default:
		// A transport error, or a 2xx whose body did not decode. Only a
		// request that never got a connection is surely unposted.
		pe.Status, _ = cl.response()
		pe.Delivered = poster.NotDelivered
		if cl.mayHaveSent.Load() {
			pe.Delivered = poster.Unknown
		}
	}
	c.redact(pe)
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
//   - other 4xx: validation (422), a missing reply target (404): this post
//     will fail again, whatever the account.
//   - 503: Mastodon answers it for lock races, open circuit breakers and
//     serialization failures, all before the status is committed, and proxies
//     use it for maintenance; nothing was created.
//   - 500, 502, 504 and the rest: Rails may have committed the status before
//     failing (hooks after save, serialising the reply), or the proxy lost a
//     backend that kept working. We cannot tell, so Unknown; a retry with
//     the same Idempotency-Key is safe on Mastodon itself.
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

// redact removes the access token from anything the error will print, in
// case a server or proxy echoes it back.
func (c *Client) redact(pe *poster.Error) {
	tok := c.cfg.AccessToken
	if tok == "" {
		return
	}
	pe.Message = strings.ReplaceAll(pe.Message, tok, "<redacted>")
	if pe.Err != nil && strings.Contains(pe.Err.Error(), tok) {
		// Dropping the chain loses errors.As on the original, but nothing
		// may print the token, not even an unwrapped cause.
		pe.Err = errors.New(strings.ReplaceAll(pe.Err.Error(), tok, "<redacted>"))
	}
}
