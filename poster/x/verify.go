package x

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/itsecbot/itsecbot/poster"
)

// Verify asks GET /2/users/me which account the credentials post as,
// posting nothing.
func (c *Client) Verify(ctx context.Context) (poster.Account, error) {
	ex, err := c.do(ctx, http.MethodGet, "/2/users/me", nil)
	switch {
	case err != nil && ex.status == 0:
		pe := transportError(ex, err)
		pe.Delivered = poster.NotDelivered // a read publishes nothing
		return poster.Account{}, c.fail(pe)
	case ex.status != http.StatusOK:
		pe := classify(ex, false, c.now())
		pe.Delivered = poster.NotDelivered
		pe.Err = errors.New("get /2/users/me")
		return poster.Account{}, c.fail(pe)
	}
	var doc struct {
		Data struct {
			ID       string `json:"id"`
			Username string `json:"username"`
		} `json:"data"`
	}
	if err == nil {
		err = json.Unmarshal(ex.body, &doc)
	}
	if err == nil && doc.Data.Username == "" {
		err = errors.New("the answer has no data.username")
	}
	if err != nil {
		return poster.Account{}, c.fail(&poster.Error{Status: ex.status, Delivered: poster.NotDelivered,
			Cause: poster.CauseUnavailable, Err: fmt.Errorf("get /2/users/me: %w", err)})
	}
	return poster.Account{Name: "@" + doc.Data.Username, URL: "https://x.com/" + doc.Data.Username}, nil
}
