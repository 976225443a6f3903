package webhook

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/internal/hook"
)

// payload is the JSON a receiver gets; README documents it. Lists are
// never null, so receivers can iterate without checks.
type payload struct {
	IdempotencyKey string  `json:"idempotency_key"`
	Poster         string  `json:"poster"`
	Language       string  `json:"language,omitempty"`
	Text           string  `json:"text"`
	Stories        []story `json:"stories"`
}

type story struct {
	Title      string    `json:"title"`
	Link       string    `json:"link"`
	Sources    []string  `json:"sources"`
	Severity   string    `json:"severity,omitempty"` // Critical, High, Medium, Low
	CVSSScore  float64   `json:"cvss_score,omitempty"`
	CVEs       []string  `json:"cves"`
	Identifier string    `json:"identifier,omitempty"` // e.g. JVNDB-2026-000123
	Published  time.Time `json:"published,omitzero"`
}

func newPayload(cfg Config, post poster.Post) payload {
	out := payload{IdempotencyKey: post.IdempotencyKey, Poster: cfg.Name, Language: cfg.Language, Text: post.Text,
		Stories: make([]story, 0, len(post.Stories))}
	for _, s := range post.Stories {
		out.Stories = append(out.Stories, story{
			Title: s.Title, Link: s.Link, Sources: orEmpty(s.Sources), Severity: s.Severity, CVSSScore: s.CVSSScore,
			CVEs: orEmpty(s.CVEs), Identifier: s.Identifier, Published: s.Published.UTC(),
		})
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// receipt reads the receiver's answer: {"id": ..., "url": ...} if it sends
// one. Without an ID the idempotency key stands for the post.
func receipt(answer []byte, key string, body []byte) poster.Receipt {
	var a struct {
		ID  json.RawMessage `json:"id"`
		URL string          `json:"url"`
	}
	var rc poster.Receipt
	if json.Unmarshal(answer, &a) == nil {
		var s string
		switch {
		case json.Unmarshal(a.ID, &s) == nil:
			rc.ID = s
		case len(a.ID) > 0 && a.ID[0] >= '0' && a.ID[0] <= '9':
			rc.ID = string(a.ID) // a number, kept as written
		}
		if u, err := url.Parse(a.URL); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			rc.URL = a.URL
		}
	}
	switch {
	case rc.ID != "":
	case key != "":
		rc.ID = key
	default:
		rc.ID = hook.Fingerprint(body)
	}
	return rc
}

// classify reads the receiver's refusal: a JSON "error" or "message", or
// the first line of the body. 409 Conflict means the receiver already
// holds a post with this key; otherwise see hook.Classify.
func (p *Poster) classify(resp hook.Response) *poster.Error {
	var e struct {
		Error   any    `json:"error"`
		Message string `json:"message"`
	}
	msg := hook.Message(resp.Body)
	if json.Unmarshal(resp.Body, &e) == nil {
		switch v := e.Error.(type) {
		case string:
			msg = hook.Message([]byte(v))
		default:
			if e.Message != "" {
				msg = hook.Message([]byte(e.Message))
			}
		}
	}
	pe := p.hook.StatusError(resp, msg)
	if resp.Status == http.StatusConflict {
		pe.Cause = poster.CauseDuplicate
	}
	if pe.Message == "" {
		pe.Message = strings.ToLower(http.StatusText(resp.Status))
	}
	return pe
}
