package mastodon

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/itsecbot/itsecbot/poster"
)

// maxErrorBody caps how much of an error response we read for its message.
const maxErrorBody = 64 << 10

// call carries one Post's state through the library to our RoundTripper: the
// idempotency key to add on every attempt, and what happened on the wire,
// which the library's *APIError does not expose.
type call struct {
	key   string
	reply bool // the post answers another, so a 404 means its target is gone
	// mayHaveSent is set once a connection was obtained for the request:
	// from then on bytes may reach the server (see poster.TraceConnection).
	mayHaveSent atomic.Bool

	mu     sync.Mutex
	status int
	header http.Header
}

type callKey struct{}

func withCall(ctx context.Context, c *call) context.Context {
	return context.WithValue(ctx, callKey{}, c)
}

func (c *call) record(resp *http.Response) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.status, c.header = resp.StatusCode, resp.Header.Clone()
}

// response returns the status and headers of the last response, if any.
func (c *call) response() (int, http.Header) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status, c.header
}

// rateLimited is returned by the RoundTripper instead of a 429 response, so
// the library's internal retry loop (hours of backoff) never starts.
type rateLimited struct {
	retryAfter time.Duration
	message    string
}

func (e *rateLimited) Error() string {
	return fmt.Sprintf("rate limited: retry after %s: %s", e.retryAfter, e.message)
}

// transport adds the Idempotency-Key, watches whether the request may have
// been sent, and turns 429 into a *rateLimited error.
type transport struct {
	base http.RoundTripper
	now  func() time.Time
}

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	c, ok := r.Context().Value(callKey{}).(*call)
	if !ok {
		return t.intercept429(t.base.RoundTrip(r))
	}
	// A RoundTripper must not modify the caller's request.
	r = r.Clone(poster.TraceConnection(r.Context(), &c.mayHaveSent))
	// Without GetBody, net/http cannot replay the post by itself when a
	// reused connection breaks, as it does for a request with an
	// Idempotency-Key: a server that ignores the key would hold it twice.
	// Whether to send again is the pipeline's to decide, after reading back.
	r.GetBody = nil
	if c.key != "" {
		r.Header.Set("Idempotency-Key", c.key)
	}
	resp, err := t.base.RoundTrip(r)
	if err == nil {
		c.record(resp)
	}
	return t.intercept429(resp, err)
}

func (t *transport) intercept429(resp *http.Response, err error) (*http.Response, error) {
	if err != nil || resp.StatusCode != http.StatusTooManyRequests {
		return resp, err
	}
	defer resp.Body.Close()
	return nil, &rateLimited{
		retryAfter: poster.RetryDelay(resp.Header, t.now()),
		message:    errorMessage(resp.Body),
	}
}

// errorMessage extracts Mastodon's {"error": "..."} from a response body.
func errorMessage(body io.Reader) string {
	var e struct {
		Error string `json:"error"`
	}
	if err := json.NewDecoder(io.LimitReader(body, maxErrorBody)).Decode(&e); err != nil {
		return ""
	}
	return e.Error
}
