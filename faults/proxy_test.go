package faults

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"testing"
)

// faultProxy stands in front of a fake platform and spoils what the fakes
// cannot: the answer to a stored post that is not JSON, and a receiver
// that refuses every post.
type faultProxy struct {
	srv  *httptest.Server
	post string // the method and path of a post, e.g. "POST /api/v1/statuses"

	mu     sync.Mutex
	garble int // posts to come whose answer is cut short
	deny   int // the status every post gets without reaching the platform; 0 for none
}

type garbled struct{}

func newFaultProxy(t *testing.T, target, post string) *faultProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{post: post}
	rp := &httputil.ReverseProxy{
		// The Host stays the proxy's: X's fake checks the signature on it.
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(&url.URL{Scheme: u.Scheme, Host: u.Host})
			r.Out.Host = r.In.Host
		},
		ModifyResponse: func(resp *http.Response) error {
			if resp.Request.Context().Value(garbled{}) == nil {
				return nil
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			body := []byte(`{"id": "1`)
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
			return nil
		},
		// The platform dropped the connection: so does the proxy, rather
		// than answer 502.
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			if conn, _, herr := http.NewResponseController(w).Hijack(); herr == nil {
				conn.Close()
			}
		},
	}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method+" "+r.URL.Path == p.post {
			p.mu.Lock()
			deny, garble := p.deny, p.garble > 0
			if garble && deny == 0 {
				p.garble--
			}
			p.mu.Unlock()
			if deny != 0 {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(deny)
				w.Write([]byte(`{"error": "the token was revoked"}`))
				return
			}
			if garble {
				r = r.WithContext(context.WithValue(r.Context(), garbled{}, true))
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// garbleNext cuts short the answers to the next n posts, which reach the
// platform.
func (p *faultProxy) garbleNext(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.garble += n
}

// denyAll answers every post with status (0 lets them through again).
func (p *faultProxy) denyAll(status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.deny = status
}
