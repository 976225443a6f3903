// Package slack posts to a Slack channel through an incoming webhook, as
// mrkdwn text with each story's title linked to the story.
package slack

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/internal/hook"
	"github.com/itsecbot/itsecbot/textlen"
)

// Defaults applied by New to empty Config fields.
const (
	DefaultName    = "slack"
	DefaultTimeout = poster.DefaultTimeout
)

// Config describes one incoming webhook.
type Config struct {
	Name         string // poster name, default "slack"
	WebhookURL   string // https://hooks.slack.com/services/...; a secret
	LinkPreviews bool   // let Slack unfurl the links
	UserAgent    string
	Timeout      time.Duration // per request, default 30s
	// Transport carries the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
	Now       func() time.Time // nil means time.Now
}

// Poster posts to one Slack channel. It is safe for concurrent use.
type Poster struct {
	cfg  Config
	hook *hook.Sender
	rule textlen.Rule
}

var _ poster.Poster = (*Poster)(nil)

// New checks cfg and returns a Poster. It does no I/O.
func New(cfg Config) (*Poster, error) {
	cfg.Name = cmp.Or(cfg.Name, DefaultName)
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if err := checkURL(cfg.WebhookURL); err != nil {
		return nil, fmt.Errorf("slack %s: %w", cfg.Name, err)
	}
	env := poster.Env{Common: poster.Common{Name: cfg.Name, TimeoutDuration: cfg.Timeout}, UserAgent: cfg.UserAgent,
		Transport: cfg.Transport, Now: cfg.Now}
	return &Poster{cfg: cfg, hook: hook.NewSender(env, hook.Secrets(cfg.WebhookURL)), rule: textlen.Slack(0)}, nil
}

// checkURL accepts an absolute http(s) URL; the error never repeats it.
func checkURL(raw string) error {
	if _, ok := poster.ParseHTTPURL(raw); !ok {
		return errors.New("the webhook URL must be an http(s) URL like https://hooks.slack.com/services/...")
	}
	return poster.CheckCredential("the webhook URL", raw)
}

// Name returns the configured name.
func (p *Poster) Name() string { return p.cfg.Name }

// Capabilities: an incoming webhook cannot reply in a thread, list the
// channel's messages or take an idempotency key; the length rule is fixed.
func (p *Poster) Capabilities() poster.Capabilities {
	return poster.Capabilities{Rule: poster.RuleFixed}
}

// Limits returns Slack's rule: 4000 characters of mrkdwn.
func (p *Poster) Limits(context.Context) (textlen.Spec, error) {
	return textlen.Spec{Platform: textlen.PlatformSlack}, nil
}

// message is the incoming webhook's JSON.
type message struct {
	Text        string `json:"text"`
	Mrkdwn      bool   `json:"mrkdwn"`
	UnfurlLinks bool   `json:"unfurl_links"`
	UnfurlMedia bool   `json:"unfurl_media"`
}

// Post sends p's text as mrkdwn. Slack answers 200 "ok" and no message ID,
// so the receipt's ID is a fingerprint of the request.
func (p *Poster) Post(ctx context.Context, post poster.Post) (poster.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return poster.Receipt{}, p.hook.Unsent(err)
	}
	if !p.rule.Fits(post.Text) {
		return poster.Receipt{}, p.tooLong(p.rule.Length(post.Text))
	}
	text := mrkdwn(post.Text, post.Stories)
	if n := utf8.RuneCountInString(text); n > p.rule.Limit() {
		return poster.Receipt{}, p.tooLong(n)
	}
	body, err := json.Marshal(message{Text: text, Mrkdwn: true, UnfurlLinks: p.cfg.LinkPreviews, UnfurlMedia: p.cfg.LinkPreviews})
	if err != nil {
		return poster.Receipt{}, p.hook.Unsent(fmt.Errorf("encode message: %w", err))
	}
	if _, err := p.hook.Send(ctx, hook.Request{URL: p.cfg.WebhookURL, Body: body}, p.classify); err != nil {
		return poster.Receipt{}, err
	}
	return poster.Receipt{ID: hook.Fingerprint(body)}, nil
}

func (p *Poster) tooLong(n int) *poster.Error {
	return p.hook.TooLong(p.rule.Limit(), "text does not fit Slack's %d characters of mrkdwn: length %d", p.rule.Limit(), n)
}

// classify reads Slack's error: a plain-text code such as invalid_payload,
// no_text (400), invalid_token, action_prohibited (403), no_service,
// channel_not_found (404), channel_is_archived (410), rate_limited (429)
// or rollup_error (500). See hook.Classify for what each status means.
func (p *Poster) classify(resp hook.Response) *poster.Error {
	pe := p.hook.StatusError(resp, hook.Message(resp.Body))
	if pe.Delivered == poster.Rejected && strings.Contains(pe.Message, "too_long") {
		pe.Cause = poster.CauseTooLong
	}
	return pe
}
