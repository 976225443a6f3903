package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// State keys.
const (
	stateSession      = "session"       // the session: tokens, DID, handle
	stateLoginRefused = "login_refused" // when the app password was last refused
)

// loginPause is how long a refused app password is not tried again by
// posting: each attempt uses up the login budget (30 per 5 minutes, about
// 100 a day), and a cron run every 15 minutes would spend it all.
// `check -online` tries at once.
const loginPause = time.Hour

// session is what createSession and refreshSession return, kept in the
// database. Refresh tokens rotate: each refresh revokes the previous one,
// so the new session is saved at once.
type session struct {
	Service    string `json:"service"`
	Identifier string `json:"identifier"`
	DID        string `json:"did"`
	Handle     string `json:"handle"`
	AccessJWT  string `json:"access_jwt"`
	RefreshJWT string `json:"refresh_jwt"`
}

// loginRefusal records a refused login, to pause the next ones.
type loginRefusal struct {
	Identifier string    `json:"identifier"`
	At         time.Time `json:"at"`
}

// sessionError is a failure to obtain a session: nothing was posted.
type sessionError struct {
	op  string
	err error
}

func (e *sessionError) Error() string { return e.op + ": " + e.err.Error() }
func (e *sessionError) Unwrap() error { return e.err }

// pausedError means the app password was refused (err, when just now), so
// posting does not log in again before until.
type pausedError struct {
	until time.Time
	err   error
}

func (e *pausedError) Error() string {
	msg := fmt.Sprintf("the app password was refused; posting does not log in again before %s (check -online tries now)",
		e.until.UTC().Format(time.RFC3339))
	if e.err != nil {
		msg = e.err.Error() + ": " + msg
	}
	return msg
}

func (e *pausedError) Unwrap() error { return e.err }

// sessions logs in once and refreshes after. One login or refresh runs at
// a time; the others wait for its session.
type sessions struct {
	c    *Client
	slow chan struct{} // held during a load, login or refresh

	mu  sync.Mutex
	cur *session
}

func newSessions(c *Client) sessions { return sessions{c: c, slow: make(chan struct{}, 1)} }

// do runs call with the session. When the access token is refused
// (expired after 2 hours, or revoked) it refreshes the session and calls
// once more; it logs in again only when the refresh token is refused.
func (ss *sessions) do(ctx context.Context, call func(session) error) error {
	return ss.doWith(ctx, false, call)
}

// doWith is do; force logs in even while a refusal pauses logins.
func (ss *sessions) doWith(ctx context.Context, force bool, call func(session) error) error {
	s, err := ss.get(ctx, force)
	if err != nil {
		return err
	}
	err = call(s)
	if !tokenRefused(err) {
		return err
	}
	if s, err = ss.renew(ctx, s, force); err != nil {
		return err
	}
	return call(s)
}

// tokenRefused reports whether err is the PDS refusing an access token.
func tokenRefused(err error) bool {
	var xe *xrpcError
	if !errors.As(err, &xe) {
		return false
	}
	return xe.Status == http.StatusUnauthorized ||
		xe.Status == http.StatusBadRequest && (xe.Code == "ExpiredToken" || xe.Code == "InvalidToken")
}

func (ss *sessions) lock(ctx context.Context) error {
	select {
	case ss.slow <- struct{}{}:
		return nil
	case <-ctx.Done():
		return &sessionError{op: "wait for the session", err: ctx.Err()}
	}
}

func (ss *sessions) unlock() { <-ss.slow }

func (ss *sessions) current() *session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.cur
}

// secrets returns the tokens in use, to keep them out of errors.
func (ss *sessions) secrets() []string {
	if s := ss.current(); s != nil {
		return []string{s.AccessJWT, s.RefreshJWT}
	}
	return nil
}

// get returns the session: the one in use, else the stored one, else a
// new login.
func (ss *sessions) get(ctx context.Context, force bool) (session, error) {
	if s := ss.current(); s != nil {
		return *s, nil
	}
	if err := ss.lock(ctx); err != nil {
		return session{}, err
	}
	defer ss.unlock()
	if s := ss.current(); s != nil {
		return *s, nil
	}
	stored, err := ss.load(ctx)
	if err != nil {
		return session{}, err
	}
	if stored != nil {
		ss.set(stored)
		return *stored, nil
	}
	return ss.login(ctx, force)
}

// load returns the stored session when it belongs to the configured
// account, else nil.
func (ss *sessions) load(ctx context.Context) (*session, error) {
	raw, err := ss.c.cfg.State.Load(ctx, stateSession)
	if err != nil {
		return nil, &sessionError{op: "load the session", err: fmt.Errorf("%w: %w", errNoState, err)}
	}
	if raw == "" {
		return nil, nil
	}
	var s session
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		ss.c.cfg.Logger.Warn("stored session unreadable; logging in again", "error", err.Error())
		return nil, nil
	}
	if s.Service != ss.c.cfg.Service || s.Identifier != ss.c.cfg.Identifier || s.DID == "" || s.AccessJWT == "" || s.RefreshJWT == "" {
		return nil, nil
	}
	return &s, nil
}

func (ss *sessions) set(s *session) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.cur = s
}

// save keeps s in the database, even when the caller gave up meanwhile:
// the refresh token it replaced is revoked. A failure is logged, not
// returned: the session works for this run, and the next run logs in again.
func (ss *sessions) save(ctx context.Context, s *session) {
	b, err := json.Marshal(s)
	if err == nil {
		err = ss.c.cfg.State.Save(context.WithoutCancel(ctx), stateSession, string(b))
	}
	if err != nil {
		ss.c.cfg.Logger.Error("cannot save the session; the next run must log in again", "error", err.Error())
	}
}
