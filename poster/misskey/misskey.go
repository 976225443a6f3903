// Package misskey posts notes to a Misskey account through its HTTP API:
// POST /api/notes/create with a Bearer token, threads with replyId, the
// length limit from /api/meta, read-back through /api/users/notes, and the
// post text neutralised so that feed text does not render as MFM.
package misskey

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/itsecbot/itsecbot/poster"
)

// Defaults applied by New to empty Config fields.
const (
	DefaultName       = "misskey"
	DefaultVisibility = "home"
	DefaultUserAgent  = poster.DefaultUserAgent
	DefaultTimeout    = poster.DefaultTimeout
	// MaxCWLength is the longest content warning notes/create takes.
	MaxCWLength = 100
)

// Config describes one Misskey account.
type Config struct {
	Name        string // poster name, default "misskey"
	Server      string // base URL, e.g. https://misskey.example
	AccessToken string // token with write:notes and read:account
	// Visibility is public, home (default: on the home timelines of
	// followers, not on the public ones) or followers.
	Visibility string
	CW         string        // optional content warning, at most 100 characters
	UserAgent  string        // default DefaultUserAgent
	Timeout    time.Duration // per request, default 30s
	// Transport carries the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
	Now       func() time.Time // nil means time.Now
}

// Client posts to one Misskey account. It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
	now  func() time.Time

	mu    sync.Mutex // guards limit; held during the lookup
	limit int        // maxNoteTextLength, 0 until known

	userMu sync.Mutex
	userID string // the token's user, "" until asked
}

var (
	_ poster.Poster   = (*Client)(nil)
	_ poster.Reader   = (*Client)(nil)
	_ poster.Verifier = (*Client)(nil)
)

var visibilities = map[string]bool{"public": true, "home": true, "followers": true}

// New validates cfg, fills defaults and returns a Client. It does no I/O.
func New(cfg Config) (*Client, error) {
	cfg = withDefaults(cfg)
	if err := validate(cfg); err != nil {
		return nil, fmt.Errorf("misskey %s: %w", cfg.Name, err)
	}
	return &Client{cfg: cfg, http: poster.NewHTTPClient(cfg.Transport, cfg.Timeout), now: cfg.Now}, nil
}

func withDefaults(cfg Config) Config {
	cfg.Name = cmp.Or(cfg.Name, DefaultName)
	cfg.Visibility = cmp.Or(cfg.Visibility, DefaultVisibility)
	cfg.UserAgent = cmp.Or(cfg.UserAgent, DefaultUserAgent)
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Server = strings.TrimRight(cfg.Server, "/")
	return cfg
}

func validate(cfg Config) error {
	if _, ok := poster.ParseHTTPURL(cfg.Server); !ok {
		return fmt.Errorf("server %q: want an http or https URL", cfg.Server)
	}
	if err := poster.CheckCredential("access token", cfg.AccessToken); err != nil {
		return err
	}
	if !visibilities[cfg.Visibility] {
		return fmt.Errorf("visibility %q: want public, home or followers", cfg.Visibility)
	}
	if n := utf8.RuneCountInString(cfg.CW); n > MaxCWLength {
		return fmt.Errorf("cw is %d characters, Misskey takes at most %d", n, MaxCWLength)
	}
	return nil
}

// Name returns the configured name.
func (c *Client) Name() string { return c.cfg.Name }

// Capabilities: Misskey threads with replyId, lists the account's notes
// for read-back, and states its limit in /api/meta. It takes no
// idempotency key (misskey.io's fork folds identical requests made within
// a minute, which upstream Misskey does not), so an unknown outcome is
// always read back.
func (c *Client) Capabilities() poster.Capabilities {
	return poster.Capabilities{Threads: true, ReadBack: true, Rule: poster.RuleFromServer}
}

// createRequest is the body of notes/create. Upstream Misskey takes no
// lang (a fork's extra), so none is sent.
type createRequest struct {
	Text       string `json:"text"`
	Visibility string `json:"visibility"`
	CW         string `json:"cw,omitempty"`
	ReplyID    string `json:"replyId,omitempty"`
}

// Post publishes p as a note, its text neutralised (see Neutralise).
// Errors are *poster.Error; see classify for how they are sorted.
func (c *Client) Post(ctx context.Context, p poster.Post) (poster.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return poster.Receipt{}, &poster.Error{Poster: c.cfg.Name, Delivered: poster.NotDelivered, Err: err}
	}
	text, added := Neutralise(p.Text)
	if pe := c.checkLength(ctx, p.Text, text, added); pe != nil {
		return poster.Receipt{}, pe
	}
	req := createRequest{Text: text, Visibility: c.cfg.Visibility, CW: c.cfg.CW, ReplyID: p.InReplyTo}
	resp, err := c.call(ctx, "notes/create", req)
	if err != nil {
		return poster.Receipt{}, err
	}
	if resp.status != http.StatusOK {
		return poster.Receipt{}, c.postError(resp, added)
	}
	var created struct {
		CreatedNote struct {
			ID string `json:"id"`
		} `json:"createdNote"`
	}
	if err := json.Unmarshal(resp.body, &created); err != nil || created.CreatedNote.ID == "" {
		if err == nil {
			err = errors.New("response has no createdNote.id")
		}
		return poster.Receipt{}, &poster.Error{Poster: c.cfg.Name, Status: resp.status, Delivered: poster.Unknown,
			Err: fmt.Errorf("create note: %w", err)}
	}
	return poster.Receipt{ID: created.CreatedNote.ID, URL: c.noteURL(created.CreatedNote.ID)}, nil
}

// noteURL is the note's page on the server.
func (c *Client) noteURL(id string) string { return c.cfg.Server + "/notes/" + url.PathEscape(id) }
