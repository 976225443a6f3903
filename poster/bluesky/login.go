package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// sessionAnswer is the part of createSession's and refreshSession's
// output we keep.
type sessionAnswer struct {
	AccessJWT  string `json:"accessJwt"`
	RefreshJWT string `json:"refreshJwt"`
	Handle     string `json:"handle"`
	DID        string `json:"did"`
}

func (ss *sessions) newSession(a sessionAnswer) *session {
	return &session{Service: ss.c.cfg.Service, Identifier: ss.c.cfg.Identifier, DID: a.DID, Handle: a.Handle,
		AccessJWT: a.AccessJWT, RefreshJWT: a.RefreshJWT}
}

// renew replaces stale, whose access token was refused: by a refresh, or
// by a login when the refresh token is refused too. When another call
// renewed it meanwhile, that session is returned.
func (ss *sessions) renew(ctx context.Context, stale session, force bool) (session, error) {
	if err := ss.lock(ctx); err != nil {
		return session{}, err
	}
	defer ss.unlock()
	if s := ss.current(); s != nil && s.AccessJWT != stale.AccessJWT {
		return *s, nil
	}
	var a sessionAnswer
	err := ss.c.xrpc(ctx, http.MethodPost, "com.atproto.server.refreshSession", stale.RefreshJWT, nil, nil, &a)
	switch {
	case err == nil && a.AccessJWT != "" && a.RefreshJWT != "":
		s := ss.newSession(a)
		ss.set(s)
		ss.save(ctx, s)
		ss.c.cfg.Logger.Debug("session refreshed", "handle", s.Handle)
		return *s, nil
	case err == nil:
		err = errors.New("the answer has no tokens")
	case credentialsRefused(err):
		ss.c.cfg.Logger.Info("the session's refresh token was refused; logging in again", "error", err.Error())
		return ss.login(ctx, force)
	}
	return session{}, &sessionError{op: "refresh the session", err: err}
}

// credentialsRefused reports whether a login or refresh was refused for
// its credentials, rather than failing on the way.
func credentialsRefused(err error) bool {
	var xe *xrpcError
	if !errors.As(err, &xe) {
		return false
	}
	switch xe.Status {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden:
		return true
	}
	return false
}

// login creates a session with the app password. Its caller holds the
// lock. After a refusal, logins pause for loginPause unless force.
func (ss *sessions) login(ctx context.Context, force bool) (session, error) {
	cfg := ss.c.cfg
	if !force {
		if until, err := ss.pausedUntil(ctx); err != nil {
			return session{}, err
		} else if cfg.Now().Before(until) {
			return session{}, &sessionError{op: "log in", err: &pausedError{until: until}}
		}
	}
	in := map[string]string{"identifier": cfg.Identifier, "password": cfg.Password}
	var a sessionAnswer
	err := ss.c.xrpc(ctx, http.MethodPost, "com.atproto.server.createSession", "", nil, in, &a)
	if err == nil && (a.AccessJWT == "" || a.RefreshJWT == "" || a.DID == "") {
		err = errors.New("the answer has no tokens")
	}
	if err != nil {
		if credentialsRefused(err) {
			now := cfg.Now()
			ss.saveRefusal(ctx, loginRefusal{Identifier: cfg.Identifier, At: now})
			err = &pausedError{until: now.Add(loginPause), err: err}
		}
		return session{}, &sessionError{op: "log in as " + cfg.Identifier, err: err}
	}
	s := ss.newSession(a)
	ss.set(s)
	ss.save(ctx, s)
	ss.saveRefusal(ctx, loginRefusal{})
	cfg.Logger.Info("logged in; the session is kept and refreshed", "handle", s.Handle, "did", s.DID)
	return *s, nil
}

// pausedUntil returns when logins may be tried again after a refusal of
// the configured identifier (zero when they may now).
func (ss *sessions) pausedUntil(ctx context.Context) (time.Time, error) {
	raw, err := ss.c.cfg.State.Load(ctx, stateLoginRefused)
	if err != nil {
		return time.Time{}, &sessionError{op: "load the last login refusal", err: fmt.Errorf("%w: %w", errNoState, err)}
	}
	var r loginRefusal
	if raw == "" || json.Unmarshal([]byte(raw), &r) != nil || r.Identifier != ss.c.cfg.Identifier {
		return time.Time{}, nil
	}
	return r.At.Add(loginPause), nil
}

// saveRefusal records a refusal; a zero refusal clears it.
func (ss *sessions) saveRefusal(ctx context.Context, r loginRefusal) {
	raw := ""
	if r.Identifier != "" {
		b, _ := json.Marshal(r)
		raw = string(b)
	}
	if err := ss.c.cfg.State.Save(context.WithoutCancel(ctx), stateLoginRefused, raw); err != nil {
		ss.c.cfg.Logger.Warn("cannot save the login refusal", "error", err.Error())
	}
}
