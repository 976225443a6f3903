package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/rivo/uniseg"

	"github.com/itsecbot/itsecbot/textlen"
)

// Upstream Mastodon's StatusLengthValidator constants, used when the instance
// does not say (old versions, Pleroma/Akkoma, lookup failures).
const (
	fallbackMaxChars = 500
	fallbackURLChars = 23
	maxInstanceBody  = 1 << 20
)

// instancePaths are tried in order; v2 exists since Mastodon 4.0, and both
// carry configuration.statuses.
var instancePaths = [...]string{"/api/v2/instance", "/api/v1/instance"}

// errNoLimits means the server answered but did not state its limits.
var errNoLimits = errors.New("no configuration.statuses.max_characters")

type limits struct{ maxChars, urlChars int }

// Rule returns the instance's length rule, read once from /api/v2/instance
// (else /api/v1/instance, else 500/23) and cached. A configured SpoilerText
// is counted by Mastodon together with the text, so its length is taken off
// the limit. Rule never returns an error; a lookup that failed for a
// transient reason is not cached and is tried again on the next call.
func (c *Client) Rule(ctx context.Context) (textlen.Rule, error) {
	lim := c.instanceLimits(ctx)
	rule := textlen.Mastodon(lim.maxChars, lim.urlChars)
	if c.cfg.SpoilerText == "" {
		return rule, nil
	}
	return reservedRule{Rule: rule, reserved: uniseg.GraphemeClusterCount(c.cfg.SpoilerText)}, nil
}

func (c *Client) instanceLimits(ctx context.Context) limits {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.limits != nil {
		return *c.limits
	}
	lim, final := c.lookupLimits(ctx)
	if final {
		c.limits = &lim
	}
	return lim
}

// lookupLimits reports final=true when the answer will not change on retry:
// the limits were found, or every endpoint answered without them.
func (c *Client) lookupLimits(ctx context.Context) (lim limits, final bool) {
	final = true
	for _, path := range instancePaths {
		lim, err := c.fetchLimits(ctx, path)
		if err == nil {
			return lim, true
		}
		var se *statusError
		definite := errors.Is(err, errNoLimits) || (errors.As(err, &se) && se.status < 500)
		final = final && definite
	}
	return limits{fallbackMaxChars, fallbackURLChars}, final
}

type statusError struct{ status int }

func (e *statusError) Error() string { return fmt.Sprintf("HTTP %d", e.status) }

func (c *Client) fetchLimits(ctx context.Context, path string) (limits, error) {
	u, err := url.Parse(c.cfg.Server)
	if err != nil {
		return limits{}, fmt.Errorf("parse server url: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.JoinPath(path).String(), nil)
	if err != nil {
		return limits{}, fmt.Errorf("get %s: %w", path, err)
	}
	// Public on most servers; the token helps on those that require it.
	req.Header.Set("Authorization", "Bearer "+c.cfg.AccessToken)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return limits{}, fmt.Errorf("get %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return limits{}, fmt.Errorf("get %s: %w", path, &statusError{resp.StatusCode})
	}
	return decodeLimits(io.LimitReader(resp.Body, maxInstanceBody))
}

func decodeLimits(r io.Reader) (limits, error) {
	var doc struct {
		Configuration struct {
			Statuses struct {
				MaxCharacters            int `json:"max_characters"`
				CharactersReservedPerURL int `json:"characters_reserved_per_url"`
			} `json:"statuses"`
		} `json:"configuration"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return limits{}, fmt.Errorf("decode instance: %w: %w", errNoLimits, err)
	}
	st := doc.Configuration.Statuses
	if st.MaxCharacters <= 0 {
		return limits{}, errNoLimits
	}
	lim := limits{maxChars: st.MaxCharacters, urlChars: st.CharactersReservedPerURL}
	if lim.urlChars <= 0 {
		lim.urlChars = fallbackURLChars
	}
	return lim, nil
}

// reservedRule is a Mastodon rule with room kept for the spoiler text.
type reservedRule struct {
	textlen.Rule
	reserved int
}

func (r reservedRule) Limit() int { return r.Rule.Limit() - r.reserved }

func (r reservedRule) Fits(text string) bool {
	return r.Rule.Fits(text) && r.Rule.Length(text) <= r.Limit()
}
