// Package webhook posts each digest as JSON to a receiver of the CSIRT's
// own: the composed text, each story's fields, and an idempotency key the
// receiver dedupes by, optionally signed with HMAC-SHA256 so the receiver
// can tell the request is ours and fresh.
package webhook

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/internal/hook"
	"github.com/itsecbot/itsecbot/textlen"
)

// The headers a receiver reads. The signature is "sha256=" and the hex
// HMAC-SHA256, keyed with the shared secret, of the timestamp (Unix
// seconds), a '.', and the body.
const (
	HeaderSignature      = "X-Itsecbot-Signature"
	HeaderTimestamp      = "X-Itsecbot-Timestamp"
	HeaderIdempotencyKey = "Idempotency-Key"
)

// Defaults applied by New to empty Config fields.
const (
	DefaultName    = "webhook"
	DefaultTimeout = poster.DefaultTimeout
)

// Config describes one receiver.
type Config struct {
	Name      string // poster name, default "webhook"
	URL       string // where to POST; may carry a credential, so it never prints
	Secret    string // HMAC key; "" sends requests unsigned
	MaxChars  int    // the text's limit, default 10000
	Language  string // ISO 639-1 of the posts, sent along
	UserAgent string
	Timeout   time.Duration // per request, default 30s
	// Transport carries the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
	Now       func() time.Time // nil means time.Now
}

// Poster posts to one receiver. It is safe for concurrent use.
type Poster struct {
	cfg  Config
	hook *hook.Sender
	spec textlen.Spec
	rule textlen.Rule
}

var _ poster.Poster = (*Poster)(nil)

// New checks cfg and returns a Poster. It does no I/O.
func New(cfg Config) (*Poster, error) {
	cfg.Name = cmp.Or(cfg.Name, DefaultName)
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if err := checkURL(cfg.URL); err != nil {
		return nil, fmt.Errorf("webhook %s: %w", cfg.Name, err)
	}
	spec := textlen.Spec{Platform: textlen.PlatformWebhook, Limit: max(cfg.MaxChars, 0)}
	rule, err := spec.Rule()
	if err != nil {
		return nil, fmt.Errorf("webhook %s: %w", cfg.Name, err)
	}
	env := poster.Env{Common: poster.Common{Name: cfg.Name, TimeoutDuration: cfg.Timeout}, UserAgent: cfg.UserAgent,
		Transport: cfg.Transport, Now: cfg.Now}
	return &Poster{cfg: cfg, hook: hook.NewSender(env, append(hook.Secrets(cfg.URL), cfg.Secret)), spec: spec, rule: rule}, nil
}

// urlProblem is what is wrong with a url that is not an http(s) URL; it
// never repeats the URL.
const urlProblem = "the url must be an http(s) URL like https://csirt.example/itsecbot"

// checkURL accepts an absolute http(s) URL.
func checkURL(raw string) error {
	if _, ok := poster.ParseHTTPURL(raw); !ok {
		return errors.New(urlProblem)
	}
	return nil
}

// Name returns the configured name.
func (p *Poster) Name() string { return p.cfg.Name }

// Capabilities: the receiver dedupes by the idempotency key, so a post
// whose outcome is unknown is sent again with the same key; it cannot be
// read back, and posts are not threaded. The limit is the config's.
func (p *Poster) Capabilities() poster.Capabilities {
	return poster.Capabilities{IdempotencyKeys: true, Rule: poster.RuleFromConfig}
}

// Limits returns the configured rule: code points, max_chars.
func (p *Poster) Limits(context.Context) (textlen.Spec, error) { return p.spec, nil }

// Post sends p as JSON. A 2xx is delivery; its JSON "id" (and "url"), if
// any, make the receipt, else the idempotency key is the ID.
func (p *Poster) Post(ctx context.Context, post poster.Post) (poster.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return poster.Receipt{}, p.hook.Unsent(err)
	}
	if !p.rule.Fits(post.Text) {
		return poster.Receipt{}, p.hook.TooLong(p.rule.Limit(), "text does not fit max_chars %d: length %d", p.rule.Limit(), p.rule.Length(post.Text))
	}
	body, err := json.Marshal(newPayload(p.cfg, post))
	if err != nil {
		return poster.Receipt{}, p.hook.Unsent(fmt.Errorf("encode payload: %w", err))
	}
	header := http.Header{}
	if post.IdempotencyKey != "" {
		header.Set(HeaderIdempotencyKey, post.IdempotencyKey)
	}
	if p.cfg.Secret != "" {
		ts := strconv.FormatInt(p.cfg.Now().Unix(), 10)
		header.Set(HeaderTimestamp, ts)
		header.Set(HeaderSignature, sign(p.cfg.Secret, ts, body))
	}
	resp, err := p.hook.Send(ctx, hook.Request{URL: p.cfg.URL, Body: body, Header: header}, p.classify)
	if err != nil {
		return poster.Receipt{}, err
	}
	return receipt(resp.Body, post.IdempotencyKey, body), nil
}

// sign returns the signature header's value for a request.
func sign(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}
