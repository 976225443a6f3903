// Package discord posts to a Discord channel through a webhook: the digest
// as message content in Discord markdown, each story's title a masked link,
// and allowed_mentions empty on every message so that nothing a feed says
// can ping anyone.
package discord

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/internal/hook"
	"github.com/itsecbot/itsecbot/textlen"
)

// Defaults applied by New to empty Config fields.
const (
	DefaultName    = "discord"
	DefaultTimeout = poster.DefaultTimeout
)

// flagSuppressEmbeds is the message flag SUPPRESS_EMBEDS (1 << 2): no link
// previews under a digest of many links.
const flagSuppressEmbeds = 1 << 2

// Config describes one channel webhook.
type Config struct {
	Name         string // poster name, default "discord"
	WebhookURL   string // https://discord.com/api/webhooks/ID/TOKEN; a secret
	LinkPreviews bool   // let Discord show previews of the links
	UserAgent    string
	Timeout      time.Duration // per request, default 30s
	// Transport carries the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
	Now       func() time.Time // nil means time.Now
}

// Poster posts to one Discord channel. It is safe for concurrent use.
type Poster struct {
	cfg  Config
	url  *url.URL // the webhook, without query
	post string   // the URL posted to: ?wait=true added
	hook *hook.Sender
	rule textlen.Rule
}

var (
	_ poster.Poster   = (*Poster)(nil)
	_ poster.Verifier = (*Poster)(nil)
)

// New checks cfg and returns a Poster. It does no I/O.
func New(cfg Config) (*Poster, error) {
	cfg.Name = cmp.Or(cfg.Name, DefaultName)
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	u, err := parseURL(cfg.WebhookURL)
	if err != nil {
		return nil, fmt.Errorf("discord %s: %w", cfg.Name, err)
	}
	// wait=true: Discord answers once the message is saved, with its ID.
	q := u.Query()
	q.Set("wait", "true")
	post := *u
	post.RawQuery = q.Encode()
	u.RawQuery = ""
	env := poster.Env{Common: poster.Common{Name: cfg.Name, TimeoutDuration: cfg.Timeout}, UserAgent: cfg.UserAgent,
		Transport: cfg.Transport, Now: cfg.Now}
	return &Poster{cfg: cfg, url: u, post: post.String(), hook: hook.NewSender(env, hook.Secrets(cfg.WebhookURL)),
		rule: textlen.Discord(0)}, nil
}

// webhookPath is /api/webhooks/ID/TOKEN, with an optional API version.
var webhookPath = regexp.MustCompile(`^/api(/v\d+)?/webhooks/\d+/[\w-]+/?$`)

// checkURL accepts a channel webhook URL; the error never repeats it.
func checkURL(raw string) error {
	_, err := parseURL(raw)
	return err
}

// parseURL parses a channel webhook URL; the error never repeats it.
func parseURL(raw string) (*url.URL, error) {
	u, ok := poster.ParseHTTPURL(raw)
	if !ok || !webhookPath.MatchString(u.Path) {
		return nil, errors.New("the webhook URL must look like https://discord.com/api/webhooks/ID/TOKEN")
	}
	return u, nil
}

// Name returns the configured name.
func (p *Poster) Name() string { return p.cfg.Name }

// Capabilities: a webhook message cannot reply to another (thread_id only
// works in forum channels), the channel cannot be listed with the
// webhook's token, and there is no idempotency key; the rule is fixed.
func (p *Poster) Capabilities() poster.Capabilities {
	return poster.Capabilities{Rule: poster.RuleFixed}
}

// Limits returns Discord's rule: 2000 characters of content.
func (p *Poster) Limits(context.Context) (textlen.Spec, error) {
	return textlen.Spec{Platform: textlen.PlatformDiscord}, nil
}

// message is Execute Webhook's JSON.
type message struct {
	Content         string          `json:"content"`
	AllowedMentions allowedMentions `json:"allowed_mentions"`
	Flags           int             `json:"flags,omitempty"`
}

// allowedMentions with an empty Parse list lets nothing ping: not
// @everyone, @here, roles or users, whatever the content says.
type allowedMentions struct {
	Parse []string `json:"parse"`
}

// Post sends p's text as the message content and returns the message ID.
func (p *Poster) Post(ctx context.Context, post poster.Post) (poster.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return poster.Receipt{}, p.hook.Unsent(err)
	}
	if !p.rule.Fits(post.Text) {
		return poster.Receipt{}, p.tooLong(p.rule.Length(post.Text))
	}
	content := markdown(post.Text, post.Stories)
	if n := utf8.RuneCountInString(content); n > p.rule.Limit() {
		return poster.Receipt{}, p.tooLong(n)
	}
	m := message{Content: content, AllowedMentions: allowedMentions{Parse: []string{}}}
	if !p.cfg.LinkPreviews {
		m.Flags = flagSuppressEmbeds
	}
	body, err := json.Marshal(m)
	if err != nil {
		return poster.Receipt{}, p.hook.Unsent(fmt.Errorf("encode message: %w", err))
	}
	resp, err := p.hook.Send(ctx, hook.Request{URL: p.post, Body: body}, p.classify)
	if err != nil {
		return poster.Receipt{}, err
	}
	// A 2xx means saved (wait=true); an answer without an ID still is.
	var saved struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(resp.Body, &saved) != nil || saved.ID == "" {
		saved.ID = hook.Fingerprint(body)
	}
	return poster.Receipt{ID: saved.ID}, nil
}

func (p *Poster) tooLong(n int) *poster.Error {
	return p.hook.TooLong(p.rule.Limit(), "content does not fit Discord's %d characters: length %d", p.rule.Limit(), n)
}

// Verify reads the webhook (a GET, posting nothing): its name and channel.
func (p *Poster) Verify(ctx context.Context) (poster.Account, error) {
	resp, err := p.hook.Read(ctx, p.url.String(), p.classify)
	if err != nil {
		return poster.Account{}, err
	}
	var w struct {
		Name      string `json:"name"`
		ChannelID string `json:"channel_id"`
	}
	if err := json.Unmarshal(resp.Body, &w); err != nil {
		return poster.Account{}, &poster.Error{Poster: p.cfg.Name, Status: resp.Status, Err: fmt.Errorf("read webhook: %w", err)}
	}
	return poster.Account{Name: fmt.Sprintf("webhook %q in channel %s", w.Name, w.ChannelID)}, nil
}
