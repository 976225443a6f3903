// Package bluesky posts to a Bluesky account (any AT Protocol PDS) through
// XRPC: app.bsky.feed.post records with link and hashtag facets, threads
// by reply references, and a session that is logged in once and then
// refreshed, kept in the database so that cron runs do not spend logins.
package bluesky

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

// Defaults applied by New to empty Config fields.
const (
	DefaultName      = "bluesky"
	DefaultService   = "https://bsky.social"
	DefaultLanguage  = "ja"
	DefaultUserAgent = poster.DefaultUserAgent
	DefaultTimeout   = poster.DefaultTimeout
)

// webURL is where posts are shown; receipts link there.
const webURL = "https://bsky.app"

// Config describes one Bluesky account.
type Config struct {
	Name       string // poster name, default "bluesky"
	Service    string // the PDS or entryway, default https://bsky.social
	Identifier string // handle or DID
	Password   string // an app password
	Languages  []string
	UserAgent  string
	Timeout    time.Duration // per request, default 30s
	// State keeps the session between runs; nil keeps it in memory only.
	State poster.State
	// Transport carries the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
	Logger    *slog.Logger     // nil discards
	Now       func() time.Time // stamps createdAt; nil means time.Now
}

// Client posts to one Bluesky account. It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
	sess sessions
}

var (
	_ poster.Poster   = (*Client)(nil)
	_ poster.Reader   = (*Client)(nil)
	_ poster.Verifier = (*Client)(nil)
)

// New validates cfg, fills defaults and returns a Client. It does no I/O.
func New(cfg Config) (*Client, error) {
	cfg = withDefaults(cfg)
	if err := validate(cfg); err != nil {
		return nil, fmt.Errorf("bluesky %s: %w", cfg.Name, err)
	}
	c := &Client{cfg: cfg, http: poster.NewHTTPClient(cfg.Transport, cfg.Timeout)}
	c.sess = newSessions(c)
	return c, nil
}

func withDefaults(cfg Config) Config {
	cfg.Name = cmp.Or(cfg.Name, DefaultName)
	cfg.Service = cmp.Or(cfg.Service, DefaultService)
	if len(cfg.Languages) == 0 {
		cfg.Languages = []string{DefaultLanguage}
	}
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
	if _, ok := poster.ParseHTTPURL(cfg.Service); !ok {
		return fmt.Errorf("service %q: want an http or https URL", cfg.Service)
	}
	if strings.TrimSpace(cfg.Identifier) == "" {
		return errors.New("identifier is empty")
	}
	if err := poster.CheckCredential("app password", cfg.Password); err != nil {
		return err
	}
	if len(cfg.Languages) > maxLangs {
		return fmt.Errorf("%d languages: a post takes at most %d", len(cfg.Languages), maxLangs)
	}
	return nil
}

// Name returns the configured name.
func (c *Client) Name() string { return c.cfg.Name }

// Capabilities: replies carry root and parent references, the account's
// records can be listed for read-back, and the length rule is the post
// lexicon's. There are no idempotency keys, and repeats are accepted.
func (c *Client) Capabilities() poster.Capabilities {
	return poster.Capabilities{Threads: true, ReadBack: true, Rule: poster.RuleFixed}
}

// Limits returns the post lexicon's rule: 300 graphemes and 3000 bytes.
func (c *Client) Limits(context.Context) (textlen.Spec, error) {
	return textlen.Spec{Platform: textlen.PlatformBluesky, Limit: textlen.Bluesky().Limit()}, nil
}

// Post publishes p as an app.bsky.feed.post record, a reply when
// p.InReplyTo is set. Text that breaks the lexicon's limits is refused
// before any request. Errors are *poster.Error.
func (c *Client) Post(ctx context.Context, p poster.Post) (poster.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return poster.Receipt{}, c.fail(poster.NotDelivered, poster.CauseOther, err)
	}
	if pe := c.checkLength(p.Text); pe != nil {
		return poster.Receipt{}, pe
	}
	rec := newRecord(p.Text, c.cfg.Languages, c.cfg.Now())
	var root ref
	if p.InReplyTo != "" {
		parent, err := parseID(p.InReplyTo)
		if err != nil {
			return poster.Receipt{}, c.fail(poster.Rejected, poster.CauseReplyGone, err)
		}
		root = parent.threadRoot()
		rec.Reply = &replyRef{Root: root, Parent: parent.Self}
	}
	var out struct {
		URI string `json:"uri"`
		CID string `json:"cid"`
	}
	err := c.sess.do(ctx, func(s session) error {
		in := map[string]any{"repo": s.DID, "collection": postCollection, "record": rec}
		return c.xrpc(ctx, http.MethodPost, "com.atproto.repo.createRecord", s.AccessJWT, nil, in, &out)
	})
	if err != nil {
		return poster.Receipt{}, c.classifyPost(err)
	}
	if out.URI == "" || out.CID == "" {
		return poster.Receipt{}, &poster.Error{Poster: c.cfg.Name, Status: http.StatusOK, Delivered: poster.Unknown,
			Cause: poster.CauseUnavailable, Err: errors.New("create record: the answer has no uri or cid")}
	}
	id := postID{Self: ref{URI: out.URI, CID: out.CID}, Root: root}
	return poster.Receipt{ID: id.String(), URL: postURL(out.URI)}, nil
}

// checkLength refuses text the PDS would refuse, so that it is never sent.
func (c *Client) checkLength(text string) *poster.Error {
	rule := textlen.Bluesky()
	if rule.Fits(text) {
		return nil
	}
	n := rule.Length(text)
	var err error
	limit := 0
	switch {
	case n > rule.Limit():
		err, limit = fmt.Errorf("text has %d graphemes, Bluesky allows %d", n, rule.Limit()), rule.Limit()
	case len(text) > maxTextBytes:
		err = fmt.Errorf("text has %d bytes, Bluesky allows %d", len(text), maxTextBytes)
	default:
		return c.fail(poster.Rejected, poster.CauseInvalid, errors.New("text is blank"))
	}
	pe := c.fail(poster.Rejected, poster.CauseTooLong, err)
	pe.Limit = limit
	return pe
}

func (c *Client) fail(d poster.Delivery, cause poster.Cause, err error) *poster.Error {
	return &poster.Error{Poster: c.cfg.Name, Delivered: d, Cause: cause, Err: err}
}

// postURL turns at://DID/app.bsky.feed.post/RKEY into the post's web page.
func postURL(uri string) string {
	did, rkey, ok := splitPostURI(uri)
	if !ok {
		return ""
	}
	return webURL + "/profile/" + did + "/post/" + rkey
}
