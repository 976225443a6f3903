// Package teams posts to a Microsoft Teams channel through a Workflows
// webhook ("Post to a channel when a webhook request is received"): each
// post is an Adaptive Card with a TextBlock per line and each story's title
// a link to the story. Office 365 connector URLs are retired and refused.
package teams

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/internal/hook"
	"github.com/itsecbot/itsecbot/textlen"
)

// Defaults applied by New to empty Config fields.
const (
	DefaultName    = "teams"
	DefaultTimeout = poster.DefaultTimeout
)

// MaxBody is the largest request sent. Teams refuses messages over 28 KB
// (28,672 bytes), but only after the flow has answered 202, and counts more
// than the request (a 24.4 KB request has been seen to count 28.9 KB); a
// refused message is seen in the flow's run history, never here.
const MaxBody = 20000

// Config describes one Workflows webhook.
type Config struct {
	Name       string // poster name, default "teams"
	WebhookURL string // the flow's HTTP trigger URL; its sig parameter is a secret
	UserAgent  string
	Timeout    time.Duration // per request, default 30s
	// Transport carries the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
	Now       func() time.Time // nil means time.Now
}

// Poster posts to one Teams channel. It is safe for concurrent use.
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
		return nil, fmt.Errorf("teams %s: %w", cfg.Name, err)
	}
	env := poster.Env{Common: poster.Common{Name: cfg.Name, TimeoutDuration: cfg.Timeout}, UserAgent: cfg.UserAgent,
		Transport: cfg.Transport, Now: cfg.Now}
	return &Poster{cfg: cfg, hook: hook.NewSender(env, hook.Secrets(cfg.WebhookURL)), rule: textlen.Teams(0)}, nil
}

// retiredHosts served the Office 365 connectors' incoming webhooks.
var retiredHosts = []string{"webhook.office.com", "outlook.office.com", "outlook.office365.com"}

// checkURL accepts a Workflows trigger URL; the error never repeats it.
func checkURL(raw string) error {
	u, ok := poster.ParseHTTPURL(raw)
	if !ok {
		return errors.New("the webhook URL must be the http(s) URL of a Workflows trigger")
	}
	for _, h := range retiredHosts {
		if host := u.Hostname(); host == h || strings.HasSuffix(host, "."+h) {
			return errors.New("Office 365 connector webhooks are retired: create a Workflows webhook " +
				`("Post to a channel when a webhook request is received") and use its URL`)
		}
	}
	return nil
}

// Name returns the configured name.
func (p *Poster) Name() string { return p.cfg.Name }

// Capabilities: a flow cannot reply to an earlier message, list the
// channel or take an idempotency key; the rule is fixed.
func (p *Poster) Capabilities() poster.Capabilities {
	return poster.Capabilities{Rule: poster.RuleFixed}
}

// Limits returns the card rule: 19000 bytes of text elements.
func (p *Poster) Limits(context.Context) (textlen.Spec, error) {
	return textlen.Spec{Platform: textlen.PlatformTeams}, nil
}

// Post sends p as an Adaptive Card. Workflows answers 202 Accepted once
// the flow's run is queued; the run's ID is the receipt's.
func (p *Poster) Post(ctx context.Context, post poster.Post) (poster.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return poster.Receipt{}, p.hook.Unsent(err)
	}
	if !p.rule.Fits(post.Text) {
		return poster.Receipt{}, p.hook.TooLong(p.rule.Limit(), "text does not fit the card's %d bytes: length %d", p.rule.Limit(), p.rule.Length(post.Text))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // '<' as \u003c would take six bytes of the 28 KB
	if err := enc.Encode(envelope(post.Text, post.Stories)); err != nil {
		return poster.Receipt{}, p.hook.Unsent(fmt.Errorf("encode card: %w", err))
	}
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if len(body) > MaxBody {
		return poster.Receipt{}, p.hook.TooLong(p.rule.Limit(), "the card takes %d bytes, more than %d", len(body), MaxBody)
	}
	resp, err := p.hook.Send(ctx, hook.Request{URL: p.cfg.WebhookURL, Body: body}, p.classify)
	if err != nil {
		return poster.Receipt{}, err
	}
	id := resp.Header.Get("X-Ms-Workflow-Run-Id")
	if id == "" {
		id = hook.Fingerprint(body)
	}
	return poster.Receipt{ID: id}, nil
}

// classify reads the flow's error, {"error": {"code": ..., "message": ...}}
// (TriggerInputSchemaMismatch 400, DirectApiInvalidAuthorizationSignature
// 401, WorkflowNotFound 404); see hook.Classify for the statuses. A flow
// that is turned off waits for the admin like a revoked URL.
func (p *Poster) classify(resp hook.Response) *poster.Error {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	msg := hook.Message(resp.Body)
	if json.Unmarshal(resp.Body, &e) == nil && e.Error.Code != "" {
		msg = hook.Message([]byte(e.Error.Code + ": " + e.Error.Message))
	}
	pe := p.hook.StatusError(resp, msg)
	if code := strings.ToLower(e.Error.Code); strings.Contains(code, "notenabled") || strings.Contains(code, "disabled") {
		pe.Delivered, pe.Cause = poster.NotDelivered, poster.CauseAuth
	}
	return pe
}
