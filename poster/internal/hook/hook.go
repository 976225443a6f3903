// Package hook sends one JSON request to a webhook and classifies the
// outcome, for the posters that publish through webhooks (Slack, Discord,
// Teams Workflows, a CSIRT's own receiver): Sender does it for a poster,
// its secrets redacted, and Configure reads a chat webhook's entry.
package hook

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/itsecbot/itsecbot/poster"
)

// maxBody caps how much of an answer is read.
const maxBody = 64 << 10

// Request is one request, a POST of a JSON body unless Method says
// otherwise.
type Request struct {
	Method    string // default POST
	URL       string
	Body      []byte
	Header    http.Header // added to Content-Type and User-Agent
	UserAgent string
}

// Response is what the platform answered.
type Response struct {
	Status int
	Header http.Header
	Body   []byte // at most 64 KiB
}

// Post sends req. mayHaveSent reports whether a connection was obtained
// for it: from then on the platform may have received the request, so a
// failure after it leaves the outcome unknown, and one before it (DNS,
// dial, TLS, a canceled context) surely published nothing.
func Post(ctx context.Context, client *http.Client, req Request) (resp Response, mayHaveSent bool, err error) {
	var got atomic.Bool
	ctx = poster.TraceConnection(ctx, &got)
	method := req.Method
	if method == "" {
		method = http.MethodPost
	}
	r, err := http.NewRequestWithContext(ctx, method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return resp, false, stripURL(err)
	}
	for k, vs := range req.Header {
		r.Header[k] = vs
	}
	// net/http replays a request that carries an Idempotency-Key when a
	// reused connection breaks; whether to send again is the pipeline's
	// decision (a receiver may ignore the key), so it cannot.
	r.GetBody = nil
	if req.Body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if req.UserAgent != "" {
		r.Header.Set("User-Agent", req.UserAgent)
	}
	hr, err := client.Do(r)
	if err != nil {
		return resp, got.Load(), stripURL(err)
	}
	defer hr.Body.Close()
	resp = Response{Status: hr.StatusCode, Header: hr.Header}
	// A body cut short still leaves the status: the platform answered.
	resp.Body, _ = io.ReadAll(io.LimitReader(hr.Body, maxBody))
	return resp, true, nil
}

// stripURL drops the request URL from a transport error: webhook URLs
// carry their secret.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// StatusError classifies an error status by what it means for webhooks
// (see Classify), with message as the platform's words and the wait read
// from Retry-After for 429 and 503. Platforms adjust Cause from the body.
func StatusError(name string, resp Response, message string, now time.Time) *poster.Error {
	pe := &poster.Error{Poster: name, Status: resp.Status, Message: message}
	pe.Delivered, pe.Cause = Classify(resp.Status)
	if resp.Status == http.StatusTooManyRequests || resp.Status == http.StatusServiceUnavailable {
		pe.RetryAfter = poster.RetryDelay(resp.Header, now)
	}
	return pe
}

// Classify says what an error status from a webhook means.
//
//   - 3xx, 401, 403, 404, 410: the URL is wrong, revoked or its channel
//     gone. Nothing was posted and every post would fail alike, so the post
//     waits for the admin: NotDelivered, CauseAuth.
//   - 408, 425, 429, 503: the platform says it did not process the
//     request: NotDelivered.
//   - 413: the message is too large: Rejected, CauseTooLong.
//   - other 4xx: the platform refused this message: Rejected, CauseInvalid.
//   - 500, 502, 504 and the rest: the platform or a proxy failed, perhaps
//     after posting: Unknown.
func Classify(status int) (poster.Delivery, poster.Cause) {
	switch {
	case status >= 300 && status < 400, status == http.StatusUnauthorized, status == http.StatusForbidden,
		status == http.StatusNotFound, status == http.StatusGone:
		return poster.NotDelivered, poster.CauseAuth
	case status == http.StatusTooManyRequests:
		return poster.NotDelivered, poster.CauseRateLimited
	case status == http.StatusRequestTimeout, status == http.StatusTooEarly, status == http.StatusServiceUnavailable:
		return poster.NotDelivered, poster.CauseUnavailable
	case status == http.StatusRequestEntityTooLarge:
		return poster.Rejected, poster.CauseTooLong
	case status >= 400 && status < 500:
		return poster.Rejected, poster.CauseInvalid
	default:
		return poster.Unknown, poster.CauseUnavailable
	}
}

// Message makes an answer's text printable: its first line, without
// control characters, at most 200 bytes.
func Message(body []byte) string {
	s := strings.ToValidUTF8(string(body), "\uFFFD")
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

// Fingerprint identifies a request body, as the receipt ID of a post on a
// platform that returns none: the same post always has the same one.
func Fingerprint(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:16])
}

// Secrets returns what of a webhook URL must never be printed: the URL, its
// path, and each path segment and query value long enough to be a token.
func Secrets(rawURL string) []string {
	out := []string{rawURL}
	u, err := url.Parse(rawURL)
	if err != nil {
		return out
	}
	parts := append([]string{u.Path, u.RawQuery}, strings.Split(u.Path, "/")...)
	for _, p := range parts {
		if len(p) >= minTokenLen {
			out = append(out, p)
		}
	}
	for _, vs := range u.Query() {
		for _, v := range vs {
			if len(v) >= minTokenLen {
				out = append(out, v)
			}
		}
	}
	return out
}

// minTokenLen is the shortest URL part taken for a token: Slack's are 24
// characters, Discord's 68, a Workflows signature 43.
const minTokenLen = 16
