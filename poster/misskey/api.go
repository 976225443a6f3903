package misskey

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/itsecbot/itsecbot/poster"
)

// maxBody caps what is read of an answer: a page of 100 notes with their
// users fits many times over.
const maxBody = 8 << 20

// response is an answer of the API, body read.
type response struct {
	status int
	header http.Header
	body   []byte
}

// call POSTs body as JSON to /api/endpoint with the token in an
// Authorization header, and reads the answer. A failure to get one is a
// *poster.Error: NotDelivered while no connection was obtained (nothing
// can have reached the server), else Unknown.
func (c *Client) call(ctx context.Context, endpoint string, body any) (response, error) {
	payload, err := json.Marshal(body)
	if err != nil {
		return response{}, &poster.Error{Poster: c.cfg.Name, Delivered: poster.NotDelivered,
			Err: fmt.Errorf("encode %s: %w", endpoint, err)}
	}
	var mayHaveSent atomic.Bool
	ctx = poster.TraceConnection(ctx, &mayHaveSent)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.Server+"/api/"+endpoint, bytes.NewReader(payload))
	if err != nil {
		return response{}, c.transportError(endpoint, err, false)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.cfg.AccessToken)
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return response{}, c.transportError(endpoint, err, mayHaveSent.Load())
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		pe := c.transportError(endpoint, err, true)
		pe.Status = resp.StatusCode
		return response{}, pe
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

func (c *Client) transportError(endpoint string, err error, mayHaveSent bool) *poster.Error {
	pe := poster.TransportError(c.cfg.Name, fmt.Errorf("%s: %w", endpoint, err), mayHaveSent)
	pe.Redact(c.cfg.AccessToken)
	return pe
}

// apiError is Misskey's error answer:
// {"error": {"code": ..., "message": ..., "id": ..., "kind": ..., "info": ...}}.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Info    struct {
		Param  string `json:"param"`
		Reason string `json:"reason"`
	} `json:"info"`
}

// decodeAPIError reads the error of body; a body that is not Misskey's
// error (a proxy's page) gives the zero value.
func decodeAPIError(body []byte) apiError {
	var doc struct {
		Error apiError `json:"error"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return apiError{}
	}
	return doc.Error
}

// String is "CODE: message (param: reason)", leaving out what is empty.
func (e apiError) String() string {
	s := e.Code
	if e.Message != "" {
		if s != "" {
			s += ": "
		}
		s += e.Message
	}
	if e.Info.Param != "" || e.Info.Reason != "" {
		s += fmt.Sprintf(" (%s: %s)", e.Info.Param, e.Info.Reason)
	}
	return s
}
