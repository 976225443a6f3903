package misskey

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/itsecbot/itsecbot/poster"
)

// Read-back bounds: notes per page (the API's maximum) and pages per
// lookup. A bot posts a few notes per cycle, so the ones we look for are
// on the first page; more pages cover an account that posts elsewhere too.
const (
	pageSize = 100
	maxPages = 5
)

// me is the part of POST /api/i we use.
type me struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

// Verify checks the token with POST /api/i and returns the account.
func (c *Client) Verify(ctx context.Context) (poster.Account, error) {
	var m me
	if err := c.read(ctx, "i", struct{}{}, &m); err != nil {
		return poster.Account{}, err
	}
	if m.ID == "" {
		return poster.Account{}, &poster.Error{Poster: c.cfg.Name, Status: http.StatusOK, Delivered: poster.NotDelivered,
			Cause: poster.CauseUnavailable, Message: "i: the answer has no user id"}
	}
	c.userMu.Lock()
	c.userID = m.ID
	c.userMu.Unlock()
	host := c.cfg.Server
	if u, err := url.Parse(c.cfg.Server); err == nil {
		host = u.Host
	}
	return poster.Account{Name: "@" + m.Username + "@" + host, URL: c.cfg.Server + "/@" + url.PathEscape(m.Username)}, nil
}

// user returns the token's user id, asking once.
func (c *Client) user(ctx context.Context) (string, error) {
	c.userMu.Lock()
	id := c.userID
	c.userMu.Unlock()
	if id != "" {
		return id, nil
	}
	if _, err := c.Verify(ctx); err != nil {
		return "", err
	}
	c.userMu.Lock()
	defer c.userMu.Unlock()
	return c.userID, nil
}

// userNotesRequest is the body of users/notes. withReplies keeps the
// replies of our threads in the answer; untilId pages back (the server
// answers newest first).
type userNotesRequest struct {
	UserID      string `json:"userId"`
	Limit       int    `json:"limit"`
	WithReplies bool   `json:"withReplies"`
	UntilID     string `json:"untilId,omitempty"`
}

// note is the part of a Note we read back.
type note struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
	UserID    string    `json:"userId"`
	Text      *string   `json:"text"`
	ReplyID   *string   `json:"replyId"`
}

// Recent lists the account's own notes created at or after since, newest
// first, replies included, reading at most maxPages pages. Texts are as
// posted: the backticks Neutralise defused are turned back.
func (c *Client) Recent(ctx context.Context, since time.Time) ([]poster.Remote, error) {
	id, err := c.user(ctx)
	if err != nil {
		return nil, err
	}
	var out []poster.Remote
	req := userNotesRequest{UserID: id, Limit: pageSize, WithReplies: true}
	for range maxPages {
		var page []note
		if err := c.read(ctx, "users/notes", req, &page); err != nil {
			return nil, err
		}
		if len(page) == 0 {
			return out, nil
		}
		slices.SortStableFunc(page, func(a, b note) int {
			return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.ID, a.ID))
		})
		for _, n := range page {
			if n.CreatedAt.Before(since) {
				return out, nil
			}
			if n.UserID == id && n.Text != nil {
				out = append(out, c.remoteOf(n))
			}
		}
		req.UntilID = page[len(page)-1].ID
	}
	return out, poster.ReadBackShort(len(out), since)
}

func (c *Client) remoteOf(n note) poster.Remote {
	r := poster.Remote{ID: n.ID, URL: c.noteURL(n.ID), Text: Unneutralise(*n.Text), Created: n.CreatedAt}
	if n.ReplyID != nil {
		r.InReplyTo = *n.ReplyID
	}
	return r
}

// read calls a read endpoint and decodes its 200 answer into out. Errors
// are *poster.Error, NotDelivered: a read publishes nothing.
func (c *Client) read(ctx context.Context, endpoint string, body, out any) error {
	resp, err := c.call(ctx, endpoint, body)
	if err != nil {
		if pe, ok := err.(*poster.Error); ok {
			pe.Delivered = poster.NotDelivered
		}
		return err
	}
	if resp.status != http.StatusOK {
		return c.readError(endpoint, resp)
	}
	if err := json.Unmarshal(resp.body, out); err != nil {
		return &poster.Error{Poster: c.cfg.Name, Status: resp.status, Delivered: poster.NotDelivered,
			Cause: poster.CauseUnavailable, Err: fmt.Errorf("decode %s: %w", endpoint, err)}
	}
	return nil
}
