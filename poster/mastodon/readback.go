package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	gomastodon "github.com/mattn/go-mastodon"
	"golang.org/x/net/html"

	"github.com/itsecbot/itsecbot/poster"
)

// Read-back bounds: statuses per page (Mastodon's maximum) and pages per
// lookup. A bot posts a few statuses per cycle, so the ones we look for
// are on the first page; more pages cover a bot that posts elsewhere too.
const (
	pageSize = 40
	maxPages = 5
)

// Verify checks the token with verify_credentials and returns the account.
func (c *Client) Verify(ctx context.Context) (poster.Account, error) {
	acct, err := c.api.GetAccountCurrentUser(ctx)
	if err != nil {
		return poster.Account{}, c.readError("verify credentials", err)
	}
	c.accountMu.Lock()
	c.accountID = acct.ID
	c.accountMu.Unlock()
	name := acct.Acct
	if u, err := url.Parse(c.cfg.Server); err == nil && !strings.Contains(name, "@") {
		name += "@" + u.Host
	}
	return poster.Account{Name: "@" + name, URL: acct.URL}, nil
}

// Recent lists the account's own statuses created at or after since,
// newest first, replies included, reading at most maxPages pages.
func (c *Client) Recent(ctx context.Context, since time.Time) ([]poster.Remote, error) {
	id, err := c.account(ctx)
	if err != nil {
		return nil, err
	}
	var out []poster.Remote
	var maxID gomastodon.ID
	params := url.Values{"exclude_reblogs": {"true"}}
	for range maxPages {
		page, err := c.api.GetAccountStatusesParams(ctx, id, params, &gomastodon.Pagination{Limit: pageSize, MaxID: maxID})
		if err != nil {
			return nil, c.readError("list own statuses", err)
		}
		for _, st := range page {
			if st.CreatedAt.Before(since) {
				return out, nil
			}
			out = append(out, remoteOf(st))
		}
		if len(page) < pageSize {
			return out, nil
		}
		maxID = page[len(page)-1].ID
	}
	return out, poster.ReadBackShort(len(out), since)
}

// account returns the token's account id, asking once.
func (c *Client) account(ctx context.Context) (gomastodon.ID, error) {
	c.accountMu.Lock()
	id := c.accountID
	c.accountMu.Unlock()
	if id != "" {
		return id, nil
	}
	if _, err := c.Verify(ctx); err != nil {
		return "", err
	}
	c.accountMu.Lock()
	defer c.accountMu.Unlock()
	return c.accountID, nil
}

func remoteOf(st *gomastodon.Status) poster.Remote {
	r := poster.Remote{ID: string(st.ID), URL: st.URL, Text: htmlText(st.Content), Created: st.CreatedAt}
	if r.URL == "" {
		r.URL = st.URI
	}
	if st.InReplyToID != nil {
		r.InReplyTo = fmt.Sprint(st.InReplyToID)
	}
	return r
}

// readError classifies a failed read like a failed post, so that a
// refused token is told apart from a server that is down.
func (c *Client) readError(op string, err error) error {
	pe := &poster.Error{Poster: c.cfg.Name, Delivered: poster.NotDelivered, Cause: poster.CauseUnavailable,
		Err: fmt.Errorf("%s: %w", op, err)}
	var rl *rateLimited
	var api *gomastodon.APIError
	switch {
	case errors.As(err, &rl):
		pe.Status, pe.Cause, pe.Message, pe.RetryAfter = 429, poster.CauseRateLimited, rl.message, rl.retryAfter
	case errors.As(err, &api):
		pe.Status, pe.Message = api.StatusCode, api.Message
		pe.Cause, _ = causeForStatus(api.StatusCode, api.Message, false)
	}
	pe.Redact(c.cfg.AccessToken)
	return pe
}

// htmlText turns a status's HTML content back into the text that was
// posted: paragraphs and line breaks become newlines, and every tag is
// dropped while its text stays. Mastodon splits long links into visible
// and invisible spans; their text together is the whole URL.
func htmlText(content string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(content))
	paragraphs := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "br":
				b.WriteByte('\n')
			case "p":
				if paragraphs > 0 {
					b.WriteString("\n\n")
				}
				paragraphs++
			}
		}
	}
}
