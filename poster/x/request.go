package x

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/itsecbot/itsecbot/poster"
)

// exchange is one request to X and what came back of it.
type exchange struct {
	status int // 0 when no answer came
	header http.Header
	body   []byte
	// sent is set once a connection was obtained for the request: from
	// then on it may have reached X. A failure before it (dial, DNS, TLS,
	// a canceled context) surely published nothing.
	sent bool
}

// do sends a signed request to the API. The error is the transport's, or
// the body's read error once the status is known (ex.status set).
func (c *Client) do(ctx context.Context, method, path string, body []byte) (exchange, error) {
	var ex exchange
	var sent atomic.Bool
	ctx = poster.TraceConnection(ctx, &sent)
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.APIURL+path, rd)
	if err != nil {
		return ex, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	resp, err := c.http.Do(req)
	ex.sent = sent.Load()
	if err != nil {
		return ex, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	ex.status, ex.header = resp.StatusCode, resp.Header
	ex.body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	discard(resp.Body)
	if err != nil {
		return ex, fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	return ex, nil
}

// transportError classifies a request that got no answer: only one that
// never got a connection is surely unposted.
func transportError(ex exchange, err error) *poster.Error {
	return poster.TransportError("", err, ex.sent)
}

// maxBody caps how much of an answer is read.
const maxBody = 256 << 10

// discard reads what is left of a body so the connection can be reused.
func discard(r io.Reader) { _, _ = io.Copy(io.Discard, io.LimitReader(r, maxBody)) }
