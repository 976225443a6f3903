package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/itsecbot/itsecbot/poster"
)

// stateAuthError is the poster state key under which the last refusal of
// the poster's credentials is kept ("" once a post went through), for
// `health`.
const stateAuthError = "auth_error"

// authError is a refusal of the credentials, as stored.
type authError struct {
	At    time.Time `json:"at"`
	Error string    `json:"error"`
}

// errStopping refuses a post once a stop began: it surely published
// nothing, so the post waits, queued, for the next run.
var errStopping = errors.New("not sent: itsecbot is stopping; it goes out at the next run")

// guard wraps a poster for one cycle: once stop is done it sends nothing
// more, and it remembers whether the platform refused the credentials.
type guard struct {
	poster.Poster
	stop  context.Context
	state poster.State
	log   *slog.Logger
}

// readerGuard is a guard over a poster that reads back: the pipeline must
// still find the Reader, or it would give up unknown outcomes.
type readerGuard struct {
	*guard
	reader poster.Reader
}

func guarded(p poster.Poster, stop context.Context, state poster.State, log *slog.Logger) poster.Poster {
	g := &guard{Poster: p, stop: stop, state: state, log: log.With("poster", p.Name())}
	if r, ok := p.(poster.Reader); ok {
		return &readerGuard{guard: g, reader: r}
	}
	return g
}

func (g *guard) Post(ctx context.Context, p poster.Post) (poster.Receipt, error) {
	if g.stop.Err() != nil {
		return poster.Receipt{}, &poster.Error{Poster: g.Name(), Delivered: poster.NotDelivered, Cause: poster.CauseUnavailable, Err: errStopping}
	}
	rcpt, err := g.Poster.Post(ctx, p)
	g.note(ctx, err)
	return rcpt, err
}

func (g *readerGuard) Recent(ctx context.Context, since time.Time) ([]poster.Remote, error) {
	remotes, err := g.reader.Recent(ctx, since)
	if err != nil {
		g.note(ctx, err) // a read that succeeds proves nothing about posting
	}
	return remotes, err
}

// note keeps the last credential refusal, and forgets it after a success.
func (g *guard) note(ctx context.Context, err error) {
	var value string
	switch {
	case err == nil:
		if old, lerr := g.state.Load(ctx, stateAuthError); lerr != nil || old == "" {
			return
		}
	case poster.CauseOf(err) == poster.CauseAuth:
		b, _ := json.Marshal(authError{At: time.Now().UTC(), Error: err.Error()}) // plain strings always marshal
		value = string(b)
	default:
		return
	}
	if serr := g.state.Save(ctx, stateAuthError, value); serr != nil {
		g.log.Warn("cannot record the credentials' state for health", "error", serr.Error())
	}
}
