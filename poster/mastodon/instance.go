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

// Limits returns the instance's length rule, read once from
// /api/v2/instance (else /api/v1/instance) and cached. A server that
// answers without the fields gets Mastodon's 500/23. A lookup that failed
// for a transient reason is not cached: it returns 500/23 with the error,
// so the caller can use a rule it stored earlier, and is tried again on
// the next call. A configured SpoilerText is counted by Mastodon together
// with the text, so its length is reserved.
func (c *Client) Limits(ctx context.Context) (textlen.Spec, error) {
	lim, err := c.instanceLimits(ctx)
	spec := textlen.Spec{Platform: textlen.PlatformMastodon, Limit: lim.maxChars, URLChars: lim.urlChars}
	if c.cfg.SpoilerText != "" {
		spec.Reserved = uniseg.GraphemeClusterCount(c.cfg.SpoilerText)
	}
	return spec, err
}

func (c *Client) instanceLimits(ctx context.Context) (limits, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.limits != nil {
		return *c.limits, nil
	}
	lim, err := c.lookupLimits(ctx)
	if err == nil {
		c.limits = &lim
	}
	return lim, err
}

// lookupLimits returns an error only when the answer may change on retry:
// an endpoint failed for a transient reason. Limits found, or every endpoint
// answering without them, are final.
func (c *Client) lookupLimits(ctx context.Context) (limits, error) {
	var transient error
	for _, path := range instancePaths {
		lim, err := c.fetchLimits(ctx, path)
		if err == nil {
			return lim, nil
		}
		var se *statusError
		if !errors.Is(err, errNoLimits) && !(errors.As(err, &se) && se.status < 500) && transient == nil {
			transient = err
		}
	}
	fallback := limits{fallbackMaxChars, fallbackURLChars}
	if transient != nil {
		return fallback, fmt.Errorf("read limits of %s: %w", c.cfg.Server, transient)
	}
	return fallback, nil
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
