package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Validators are the HTTP cache validators stored per feed.
type Validators struct{ ETag, LastModified string }

// Options configure a Fetcher. Zero fields take the documented defaults.
type Options struct {
	UserAgent      string            // e.g. "itsecbot/0.1 (+https://github.com/itsecbot/itsecbot)"; default set if empty
	Timeout        time.Duration     // total per fetch incl. body, default 30s
	ConnectTimeout time.Duration     // default 10s (also bounds the TLS handshake)
	MaxBody        int64             // default 10 MiB; applies to the decompressed body
	MaxRedirects   int               // default 5; negative follows none
	PerHost        int               // concurrent fetches per host, default 2
	Concurrency    int               // concurrent fetches in all, default 8
	Transport      http.RoundTripper // optional (tests); ConnectTimeout and the dial-time address check are then up to it
	Now            func() time.Time  // for Retry-After HTTP-dates; default time.Now
	// AllowPrivate lets every feed reach loopback, private, link-local and
	// other internal addresses, directly, by redirect or through DNS.
	// Without it only a feed whose configured host is such an address may;
	// the others fail with ErrPrivateAddress.
	AllowPrivate bool
}

// Defaults used for zero Options fields.
const (
	DefaultUserAgent      = "itsecbot/0.1 (+https://github.com/itsecbot/itsecbot)"
	DefaultTimeout        = 30 * time.Second
	DefaultConnectTimeout = 10 * time.Second
	DefaultMaxBody        = 10 << 20
	DefaultMaxRedirects   = 5
	DefaultPerHost        = 2
	DefaultConcurrency    = 8
)

// acceptFeeds asks for feed types first but takes anything: many servers
// label feeds text/html or application/octet-stream.
const acceptFeeds = "application/rss+xml, application/rdf+xml, application/atom+xml, " +
	"application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"

func (o Options) withDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	switch {
	case o.MaxRedirects == 0:
		o.MaxRedirects = DefaultMaxRedirects
	case o.MaxRedirects < 0:
		o.MaxRedirects = 0
	}
	if o.PerHost <= 0 {
		o.PerHost = DefaultPerHost
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Fetcher performs conditional GETs of feeds. It is safe for concurrent use.
type Fetcher struct {
	opts   Options
	client *http.Client
	guard  *guard
	hosts  *hostLimiter
	// all bounds fetches in progress. It is taken after the host slot, so
	// feeds queued behind a slow host do not hold slots other hosts need.
	all chan struct{}
}

// NewFetcher returns a Fetcher with o's zero fields set to their defaults.
func NewFetcher(o Options) *Fetcher {
	o = o.withDefaults()
	g := newGuard(o.AllowPrivate)
	rt := o.Transport
	if rt == nil {
		rt = newTransport(o.ConnectTimeout, g)
	}
	return &Fetcher{
		opts: o,
		client: &http.Client{
			Transport:     rt,
			CheckRedirect: redirectPolicy(o.MaxRedirects, g),
		},
		guard: g,
		hosts: newHostLimiter(o.PerHost),
		all:   make(chan struct{}, o.Concurrency),
	}
}

func newTransport(connect time.Duration, g *guard) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = g.dialer(connect)
	t.TLSHandshakeTimeout = connect
	return t
}

func redirectPolicy(max int, g *guard) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > max {
			return fmt.Errorf("%w (limit %d)", ErrTooManyRedirects, max)
		}
		return g.checkRedirect(req)
	}
}

// Response is a successful fetch (2xx or 304).
type Response struct {
	URL         string // final URL after redirects
	Status      int    // 200, 304...; 0 for file://
	NotModified bool
	Body        []byte
	ContentType string
	// Validators to store. Empty fields mean the server sent none; on 304,
	// fields the server did not resend keep the values that were sent.
	Validators Validators
}

// Fetch GETs url (http, https, or file:// with an absolute path), sending v
// as If-None-Match / If-Modified-Since. Non-2xx/304 answers are *StatusError;
// an oversized body is ErrTooLarge; a fetch slower than Options.Timeout fails
// with an error wrapping context.DeadlineExceeded.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, v Validators) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "file":
		return fetchFile(ctx, u, v, f.opts.MaxBody)
	case "http", "https":
	default:
		return nil, fmt.Errorf("fetch %s: unsupported scheme %q", rawURL, u.Scheme)
	}
	release, err := f.hosts.acquire(ctx, strings.ToLower(u.Host))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: wait for host slot: %w", rawURL, err)
	}
	defer release()
	select {
	case f.all <- struct{}{}:
		defer func() { <-f.all }()
	case <-ctx.Done():
		return nil, fmt.Errorf("fetch %s: wait for a fetch slot: %w", rawURL, ctx.Err())
	}
	tctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	tctx = f.guard.scope(tctx, u.Hostname())
	resp, err := f.get(tctx, rawURL, v)
	if err != nil {
		return nil, f.failure(ctx, tctx, rawURL, err)
	}
	defer resp.Body.Close()
	out, err := f.handle(resp, v)
	if err != nil {
		return nil, f.failure(ctx, tctx, rawURL, err)
	}
	return out, nil
}

func (f *Fetcher) get(ctx context.Context, rawURL string, v Validators) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", acceptFeeds)
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) && ue.URL != rawURL {
			return nil, fmt.Errorf("redirected to %s: %w", ue.URL, ue.Err)
		} else if ue != nil {
			return nil, ue.Err
		}
		return nil, err
	}
	return resp, nil
}

// failure names the URL and says so when our own timeout (not the caller's
// context) ended the fetch.
func (f *Fetcher) failure(parent, ctx context.Context, rawURL string, err error) error {
	var se *StatusError
	if errors.As(err, &se) {
		return err
	}
	if ctx.Err() != nil && parent.Err() == nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
		}
		return fmt.Errorf("fetch %s: timeout after %s: %w", rawURL, f.opts.Timeout, err)
	}
	return fmt.Errorf("fetch %s: %w", rawURL, err)
}
