package bluesky

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/itsecbot/itsecbot/poster"
)

// Read-back bounds: records per page (listRecords' maximum) and pages per
// lookup. A bot posts a few records per cycle, so the ones looked for are
// on the first page.
const (
	pageSize = 100
	maxPages = 5
)

// listedRecord is one entry of listRecords.
type listedRecord struct {
	URI   string `json:"uri"`
	CID   string `json:"cid"`
	Value record `json:"value"`
}

// Recent lists the account's own posts created at or after since, newest
// first (listRecords' default order), reading at most maxPages pages.
func (c *Client) Recent(ctx context.Context, since time.Time) ([]poster.Remote, error) {
	var out []poster.Remote
	cursor := ""
	for range maxPages {
		var page struct {
			Cursor  string         `json:"cursor"`
			Records []listedRecord `json:"records"`
		}
		err := c.sess.do(ctx, func(s session) error {
			params := url.Values{"repo": {s.DID}, "collection": {postCollection}, "limit": {strconv.Itoa(pageSize)}}
			if cursor != "" {
				params.Set("cursor", cursor)
			}
			return c.xrpc(ctx, http.MethodGet, "com.atproto.repo.listRecords", s.AccessJWT, params, nil, &page)
		})
		if err != nil {
			return nil, c.readError("list own posts", err)
		}
		for _, r := range page.Records {
			rm := remoteOf(r)
			if !rm.Created.IsZero() && rm.Created.Before(since) {
				return out, nil
			}
			out = append(out, rm)
		}
		if page.Cursor == "" || len(page.Records) < pageSize {
			return out, nil
		}
		cursor = page.Cursor
	}
	return out, poster.ReadBackShort(len(out), since)
}

func remoteOf(r listedRecord) poster.Remote {
	created, _ := time.Parse(time.RFC3339Nano, r.Value.CreatedAt)
	return poster.Remote{
		ID:        idOf(ref{URI: r.URI, CID: r.CID}, r.Value.Reply).String(),
		URL:       postURL(r.URI),
		Text:      r.Value.Text,
		InReplyTo: parentID(r.Value.Reply),
		Created:   created,
	}
}

// Verify checks the session with getSession and returns the account. It
// uses the stored session when there is one, so it spends a login only
// when there is none or it is refused; unlike posting, it logs in even
// right after a refused login.
func (c *Client) Verify(ctx context.Context) (poster.Account, error) {
	var out struct {
		Handle string `json:"handle"`
		DID    string `json:"did"`
	}
	err := c.sess.doWith(ctx, true, func(s session) error {
		return c.xrpc(ctx, http.MethodGet, "com.atproto.server.getSession", s.AccessJWT, nil, nil, &out)
	})
	if err != nil {
		return poster.Account{}, c.readError("check the session", err)
	}
	return poster.Account{Name: "@" + out.Handle, URL: webURL + "/profile/" + out.Handle}, nil
}
