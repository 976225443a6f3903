package hook

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/itsecbot/itsecbot/poster"
)

// Sender sends the requests of one webhook poster and turns each failure
// into a *poster.Error with the webhook's secrets redacted: a webhook URL
// carries its token, so no error may print it.
type Sender struct {
	name      string
	userAgent string
	now       func() time.Time
	client    *http.Client
	secrets   []string
}

// NewSender returns the Sender of the poster named env.Common.Name, with
// env's timeout, transport, user agent and clock. secrets are what no
// error may print (see Secrets).
func NewSender(env poster.Env, secrets []string) *Sender {
	return &Sender{name: env.Common.Name, userAgent: env.UserAgent, now: env.Clock(), client: env.HTTPClient(), secrets: secrets}
}

// Send sends req. No answer is a TransportError; an answer other than 2xx
// is what classify makes of it.
func (s *Sender) Send(ctx context.Context, req Request, classify func(Response) *poster.Error) (Response, error) {
	req.UserAgent = s.userAgent
	resp, sent, err := Post(ctx, s.client, req)
	if err != nil {
		return resp, s.Redact(poster.TransportError(s.name, err, sent))
	}
	if resp.Status/100 != 2 {
		return resp, s.Redact(classify(resp))
	}
	return resp, nil
}

// Read GETs url, which publishes nothing: no answer is NotDelivered, and
// an answer other than 200 is what classify makes of it.
func (s *Sender) Read(ctx context.Context, url string, classify func(Response) *poster.Error) (Response, error) {
	resp, _, err := Post(ctx, s.client, Request{Method: http.MethodGet, URL: url, UserAgent: s.userAgent})
	if err != nil {
		return resp, s.Redact(poster.TransportError(s.name, err, false))
	}
	if resp.Status != http.StatusOK {
		return resp, s.Redact(classify(resp))
	}
	return resp, nil
}

// Unsent is the error of a post that was never sent: its context was done,
// or its body could not be made.
func (s *Sender) Unsent(err error) *poster.Error {
	return &poster.Error{Poster: s.name, Delivered: poster.NotDelivered, Err: err}
}

// TooLong is the error of a post refused before sending because it does
// not fit limit; format and args say by how much.
func (s *Sender) TooLong(limit int, format string, args ...any) *poster.Error {
	return &poster.Error{Poster: s.name, Delivered: poster.Rejected, Cause: poster.CauseTooLong, Limit: limit,
		Message: fmt.Sprintf(format, args...)}
}

// StatusError is StatusError for this poster's answer, now.
func (s *Sender) StatusError(resp Response, message string) *poster.Error {
	return StatusError(s.name, resp, message, s.now())
}

// Redact removes the secrets from pe and returns it.
func (s *Sender) Redact(pe *poster.Error) *poster.Error {
	pe.Redact(s.secrets...)
	return pe
}
