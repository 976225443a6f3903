package feeds

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// drainLimit is how much of an error body is read so the connection can be
// reused; anything longer is not worth the bandwidth.
const drainLimit = 4 << 10

// handle turns a response into a Response or an error.
func (f *Fetcher) handle(resp *http.Response, sent Validators) (*Response, error) {
	out := &Response{
		URL:         resp.Request.URL.String(),
		Status:      resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
		Validators: Validators{
			ETag:         resp.Header.Get("ETag"),
			LastModified: resp.Header.Get("Last-Modified"),
		},
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		if out.Validators.ETag == "" {
			out.Validators.ETag = sent.ETag
		}
		if out.Validators.LastModified == "" {
			out.Validators.LastModified = sent.LastModified
		}
		return out, nil
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		body, err := readBody(resp, f.opts.MaxBody)
		if err != nil {
			return nil, err
		}
		out.Body = body
		return out, nil
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, drainLimit))
	se := &StatusError{URL: out.URL, Status: resp.StatusCode}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		se.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), f.opts.Now())
	}
	return nil, se
}

// readBody reads at most max decompressed bytes. The transport decompresses
// gzip it asked for itself; a gzip body it did not ask for (custom transport,
// or a server ignoring Accept-Encoding) is decompressed here.
func readBody(resp *http.Response, max int64) ([]byte, error) {
	if resp.ContentLength > max {
		return nil, fmt.Errorf("%w: Content-Length %d exceeds %d bytes", ErrTooLarge, resp.ContentLength, max)
	}
	var r io.Reader = resp.Body
	size := resp.ContentLength // -1 when unknown or decompressed by the transport
	if !resp.Uncompressed && strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("read gzip body: %w", err)
		}
		defer zr.Close()
		r, size = zr, -1
	}
	return readLimited(r, max, size)
}

// readLimited reads all of r, failing with ErrTooLarge as soon as it passes
// max bytes rather than reading the rest. A known size (else -1) is
// allocated at once: growing by copies briefly takes about twice the body.
func readLimited(r io.Reader, max, size int64) ([]byte, error) {
	r = io.LimitReader(r, max+1)
	var body []byte
	var err error
	if size >= 0 {
		var b bytes.Buffer
		b.Grow(int(size) + bytes.MinRead)
		_, err = b.ReadFrom(r)
		body = b.Bytes()
	} else {
		body, err = io.ReadAll(r)
	}
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	return body, nil
}
