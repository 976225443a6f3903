package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/itsecbot/itsecbot/poster"
)

// maxResponse caps a response body: a page of 100 records is far smaller.
const maxResponse = 4 << 20

// xrpcError is an answer other than 2xx: the XRPC error name and message of
// the body {"error": ..., "message": ...}, and the headers (rate limits).
type xrpcError struct {
	Status  int
	Code    string // e.g. InvalidRequest, ExpiredToken, RateLimitExceeded
	Message string
	Header  http.Header
}

func (e *xrpcError) Error() string {
	msg := fmt.Sprintf("HTTP %d", e.Status)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// transportError is a request that got no HTTP answer. sent says whether a
// connection was obtained, so that bytes may have reached the server; a
// failure before it (dial, DNS, TLS, a canceled context) surely sent nothing.
type transportError struct {
	sent bool
	err  error
}

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// xrpc is one XRPC call: a query (GET with params) or a procedure (POST,
// with in as JSON when not nil). token, when set, is sent as Bearer. out
// receives the JSON answer when not nil.
func (c *Client) xrpc(ctx context.Context, method, nsid, token string, params url.Values, in, out any) error {
	req, err := c.request(ctx, method, nsid, token, params, in)
	if err != nil {
		return err
	}
	var sent atomic.Bool
	req = req.WithContext(poster.TraceConnection(req.Context(), &sent))
	resp, err := c.http.Do(req)
	if err != nil {
		return &transportError{sent: sent.Load(), err: fmt.Errorf("%s: %w", nsid, err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return &transportError{sent: true, err: fmt.Errorf("%s: read answer: %w", nsid, err)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		xe := &xrpcError{Status: resp.StatusCode, Header: resp.Header}
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		if json.Unmarshal(body, &e) == nil {
			xe.Code, xe.Message = e.Error, e.Message
		}
		return xe
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s: decode answer: %w", nsid, err)
	}
	return nil
}

func (c *Client) request(ctx context.Context, method, nsid, token string, params url.Values, in any) (*http.Request, error) {
	u := strings.TrimRight(c.cfg.Service, "/") + "/xrpc/" + nsid
	if len(params) > 0 {
		u += "?" + params.Encode()
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("%s: encode: %w", nsid, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", nsid, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req, nil
}
