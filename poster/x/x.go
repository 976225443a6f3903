// Package x posts to an X (Twitter) account through the X API v2:
// POST /2/tweets signed with OAuth 1.0a user context, threads as replies,
// X's weighted length rule, its 15-minute and 24-hour rate limits, and its
// refusal of duplicate text, which tells an unknown outcome apart.
package x

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

// Defaults applied by New to empty Config fields.
const (
	DefaultName      = "x"
	DefaultAPIURL    = "https://api.x.com"
	DefaultUserAgent = poster.DefaultUserAgent
	DefaultTimeout   = poster.DefaultTimeout
)

// Config describes one X account and the app it posts through.
type Config struct {
	Name              string // poster name, default "x"
	APIURL            string // default https://api.x.com; a proxy or a test server
	ConsumerKey       string // the app's API key
	ConsumerSecret    string
	AccessToken       string // the account's access token, read and write
	AccessTokenSecret string
	// Username, when known, names the account in receipt URLs.
	Username  string
	UserAgent string        // default DefaultUserAgent
	Timeout   time.Duration // per request, default 30s
	// Transport carries the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
	// State keeps the 24-hour budget's reset between runs; nil keeps it
	// in memory.
	State  poster.State
	Logger *slog.Logger     // nil discards
	Now    func() time.Time // nil means time.Now
}

// Client posts to one X account. It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
	log  *slog.Logger
	now  func() time.Time
}

var (
	_ poster.Poster   = (*Client)(nil)
	_ poster.Verifier = (*Client)(nil)
)

// New validates cfg, fills defaults and returns a Client. It does no I/O.
func New(cfg Config) (*Client, error) {
	cfg = withDefaults(cfg)
	if err := validate(cfg); err != nil {
		return nil, fmt.Errorf("x %s: %w", cfg.Name, err)
	}
	base := cfg.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	// The library signs each request: method, URL and oauth_* parameters
	// (RFC 5849 §3.4.1); a JSON body is not part of the signature.
	ctx := context.WithValue(context.Background(), oauth1.HTTPClient, &http.Client{Transport: base})
	signed := oauth1.NewConfig(cfg.ConsumerKey, cfg.ConsumerSecret).
		Client(ctx, oauth1.NewToken(cfg.AccessToken, cfg.AccessTokenSecret))
	return &Client{cfg: cfg, http: poster.NewHTTPClient(signed.Transport, cfg.Timeout), log: cfg.Logger, now: cfg.Now}, nil
}

func withDefaults(cfg Config) Config {
	cfg.Name = cmp.Or(cfg.Name, DefaultName)
	cfg.APIURL = cmp.Or(cfg.APIURL, DefaultAPIURL)
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	cfg.UserAgent = cmp.Or(cfg.UserAgent, DefaultUserAgent)
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.State == nil {
		cfg.State = &poster.MemoryState{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

func validate(cfg Config) error {
	if !isAPIURL(cfg.APIURL) {
		return fmt.Errorf("api url %q: want an http or https URL like %s", cfg.APIURL, DefaultAPIURL)
	}
	for _, c := range []struct{ name, value string }{
		{"consumer key", cfg.ConsumerKey}, {"consumer secret", cfg.ConsumerSecret},
		{"access token", cfg.AccessToken}, {"access token secret", cfg.AccessTokenSecret},
	} {
		if err := poster.CheckCredential(c.name, c.value); err != nil {
			return err
		}
	}
	return nil
}

// Name returns the configured name.
func (c *Client) Name() string { return c.cfg.Name }

// Capabilities: X threads with reply.in_reply_to_tweet_id and refuses a
// repeat of a recent post's text, so a post whose outcome is unknown may
// be sent again: the refusal proves the first attempt was published.
// Reading the account's posts back costs money per read, so it is not
// done; X takes no idempotency key; the length rule is a constant.
func (c *Client) Capabilities() poster.Capabilities {
	return poster.Capabilities{Threads: true, RefusesDuplicates: true, Rule: poster.RuleFixed}
}

// Limits returns X's weighted length rule (twitter-text v3: 280, CJK
// counting 2, each URL 23).
func (c *Client) Limits(context.Context) (textlen.Spec, error) { return Spec(), nil }

// Spec is X's length rule.
func Spec() textlen.Spec {
	return textlen.Spec{Platform: textlen.PlatformX, Limit: textlen.X().Limit()}
}

type createBody struct {
	Text  string     `json:"text"`
	Reply *replySpec `json:"reply,omitempty"`
}

type replySpec struct {
	InReplyToTweetID string `json:"in_reply_to_tweet_id"`
}

// Post publishes p with POST /2/tweets, unless a 24-hour budget X reported
// exhausted has not reset yet: then X is not called and the post waits.
// Errors are *poster.Error; see classify for how they are sorted.
func (c *Client) Post(ctx context.Context, p poster.Post) (poster.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return poster.Receipt{}, c.fail(&poster.Error{Delivered: poster.NotDelivered, Cause: poster.CauseUnavailable, Err: err})
	}
	if pe := c.budgetHolds(ctx); pe != nil {
		return poster.Receipt{}, c.fail(pe)
	}
	body := createBody{Text: p.Text}
	if p.InReplyTo != "" {
		body.Reply = &replySpec{InReplyToTweetID: p.InReplyTo}
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return poster.Receipt{}, c.fail(&poster.Error{Delivered: poster.NotDelivered, Err: fmt.Errorf("encode post: %w", err)})
	}
	ex, err := c.do(ctx, http.MethodPost, "/2/tweets", raw)
	if ex.header != nil {
		c.observeBudgets(ctx, ex.header)
	}
	switch {
	case err != nil && ex.status == 0:
		return poster.Receipt{}, c.fail(transportError(ex, err))
	case ex.status == http.StatusOK || ex.status == http.StatusCreated:
		return c.receipt(ex, err)
	default:
		return poster.Receipt{}, c.fail(classify(ex, p.InReplyTo != "", c.now()))
	}
}

// receipt reads the created post's ID. A 2xx whose body is lost or
// unreadable may still have created the post: Unknown.
func (c *Client) receipt(ex exchange, readErr error) (poster.Receipt, error) {
	var doc struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	err := readErr
	if err == nil {
		err = json.Unmarshal(ex.body, &doc)
	}
	if err == nil && doc.Data.ID == "" {
		err = errors.New("the answer has no data.id")
	}
	if err != nil {
		return poster.Receipt{}, c.fail(&poster.Error{Status: ex.status, Delivered: poster.Unknown,
			Cause: poster.CauseUnavailable, Err: fmt.Errorf("read created post: %w", err)})
	}
	return poster.Receipt{ID: doc.Data.ID, URL: c.statusURL(doc.Data.ID)}, nil
}

// statusURL is the public URL of a post: with the account's name when it
// is known, else the form X redirects to the author's.
func (c *Client) statusURL(id string) string {
	if c.cfg.Username != "" {
		return "https://x.com/" + url.PathEscape(c.cfg.Username) + "/status/" + url.PathEscape(id)
	}
	return "https://x.com/i/web/status/" + url.PathEscape(id)
}

// fail names the poster and removes every credential from pe.
func (c *Client) fail(pe *poster.Error) *poster.Error {
	pe.Poster = c.cfg.Name
	pe.Redact(c.cfg.ConsumerKey, c.cfg.ConsumerSecret, c.cfg.AccessToken, c.cfg.AccessTokenSecret)
	return pe
}
