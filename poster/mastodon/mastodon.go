// Package mastodon posts to a Mastodon account through go-mastodon, with the
// library's hidden 429 retry loop replaced by a classified error, an
// Idempotency-Key on every attempt, and a length rule read from the instance.
package mastodon

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	gomastodon "github.com/mattn/go-mastodon"

	"github.com/itsecbot/itsecbot/poster"
)

// Defaults applied by New to empty Config fields.
const (
	DefaultName       = "mastodon"
	DefaultVisibility = "unlisted"
	DefaultLanguage   = "ja"
	DefaultUserAgent  = poster.DefaultUserAgent
	DefaultTimeout    = poster.DefaultTimeout
)

// Config describes one Mastodon account.
type Config struct {
	Name        string        // poster name, default "mastodon"
	Server      string        // base URL, e.g. https://mastodon.example
	AccessToken string        // user token with write:statuses
	Visibility  string        // public, unlisted (default), private, direct
	Language    string        // ISO 639-1, default "ja"
	SpoilerText string        // optional content warning; counts toward the length
	UserAgent   string        // default DefaultUserAgent
	Timeout     time.Duration // per request, default 30s
	// Transport carries the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
}

// Client posts to one Mastodon account. It is safe for concurrent use.
type Client struct {
	cfg  Config
	api  *gomastodon.Client
	http *http.Client // instance lookups; same transport as api
	now  func() time.Time

	mu     sync.Mutex // guards limits; held during the lookup
	limits *limits    // cached instance limits, nil until known

	accountMu sync.Mutex
	accountID gomastodon.ID // the token's account, "" until verified
}

var _ poster.Poster = (*Client)(nil)

var visibilities = map[string]bool{"public": true, "unlisted": true, "private": true, "direct": true}

// New validates cfg, fills defaults and returns a Client. It does no I/O.
func New(cfg Config) (*Client, error) {
	cfg = withDefaults(cfg)
	if err := validate(cfg); err != nil {
		return nil, fmt.Errorf("mastodon %s: %w", cfg.Name, err)
	}
	base := cfg.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc := poster.NewHTTPClient(&transport{base: base, now: time.Now}, cfg.Timeout)
	api := gomastodon.NewClient(&gomastodon.Config{Server: cfg.Server, AccessToken: cfg.AccessToken})
	api.Client = *hc
	api.UserAgent = cfg.UserAgent
	return &Client{cfg: cfg, api: api, http: hc, now: time.Now}, nil
}

func withDefaults(cfg Config) Config {
	cfg.Name = cmp.Or(cfg.Name, DefaultName)
	cfg.Visibility = cmp.Or(cfg.Visibility, DefaultVisibility)
	cfg.Language = cmp.Or(cfg.Language, DefaultLanguage)
	cfg.UserAgent = cmp.Or(cfg.UserAgent, DefaultUserAgent)
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return cfg
}

func validate(cfg Config) error {
	if _, ok := poster.ParseHTTPURL(cfg.Server); !ok {
		return fmt.Errorf("server %q: want an http or https URL", cfg.Server)
	}
	if err := poster.CheckCredential("access token", cfg.AccessToken); err != nil {
		return err
	}
	if !visibilities[cfg.Visibility] {
		return fmt.Errorf("visibility %q: want public, unlisted, private or direct", cfg.Visibility)
	}
	return nil
}

// Name returns the configured name.
func (c *Client) Name() string { return c.cfg.Name }

// Capabilities: Mastodon threads with in_reply_to_id, takes an
// Idempotency-Key (which compatible servers may ignore), lists the
// account's statuses for read-back, and states its limits in the instance.
func (c *Client) Capabilities() poster.Capabilities {
	return poster.Capabilities{Threads: true, ReadBack: true, IdempotencyKeys: true, Rule: poster.RuleFromServer}
}

// Post publishes p with the configured visibility, language and spoiler text.
// Errors are *poster.Error; see classify for how they are sorted.
func (c *Client) Post(ctx context.Context, p poster.Post) (poster.Receipt, error) {
	cl := &call{key: p.IdempotencyKey, reply: p.InReplyTo != ""}
	st, err := c.api.PostStatus(withCall(ctx, cl), &gomastodon.Toot{
		Status:      p.Text,
		InReplyToID: gomastodon.ID(p.InReplyTo),
		SpoilerText: c.cfg.SpoilerText,
		Visibility:  c.cfg.Visibility,
		Language:    c.cfg.Language,
	})
	if err != nil {
		return poster.Receipt{}, c.classify(err, cl)
	}
	rc := poster.Receipt{ID: string(st.ID), URL: st.URL}
	if rc.URL == "" {
		rc.URL = st.URI
	}
	if rc.ID == "" {
		return poster.Receipt{}, &poster.Error{Poster: c.cfg.Name, Status: http.StatusOK, Delivered: poster.Unknown,
			Err: errors.New("post status: response has no status id")}
	}
	return rc, nil
}
