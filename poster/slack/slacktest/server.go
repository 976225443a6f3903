// Package slacktest runs an in-process fake Slack incoming webhook for
// tests. It answers like Slack (200 "ok", or an error code as plain text),
// parses the mrkdwn it receives into what the channel shows, and fails the
// test when a message holds a control sequence other than a link: our
// client never mentions anyone.
package slacktest

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/itsecbot/itsecbot/poster/internal/fake"
	"github.com/itsecbot/itsecbot/poster/internal/hooktest"
)

// Path is the webhook's path; its last segment is the secret.
const Path = "/services/T0ITSECBOT/B0ITSECBOT/sEcReT0123456789abcdefXY"

// Message is one message the channel received.
type Message struct {
	Body        []byte // the request body as received
	Text        string // the mrkdwn as sent
	Shown       string // what the channel shows: entities decoded, links as their labels
	Links       []Link // the links, in order
	UnfurlLinks bool
}

// Link is a link in a message: <URL|Label>, or <URL> with no label.
type Link struct {
	URL, Label string
}

// Fault makes the webhook misbehave on one post.
type Fault = hooktest.Fault

// Server is a fake incoming webhook.
type Server struct {
	URL string // the webhook URL, secret included

	t        testing.TB
	faults   hooktest.Faults
	done     <-chan struct{}
	messages fake.Log[Message]
	attempts atomic.Int64
}

// NewServer starts a fake webhook that is closed when t ends.
func NewServer(t testing.TB) *Server {
	s := &Server{t: t}
	url, done := fake.Start(t, http.HandlerFunc(s.serve))
	s.URL, s.done = url+Path, done
	return s
}

// Inject queues f; each post takes the oldest queued fault.
func (s *Server) Inject(f Fault) { s.faults.Add(f) }

// Messages returns the messages posted so far, in order.
func (s *Server) Messages() []Message { return s.messages.All() }

// Attempts counts the requests received.
func (s *Server) Attempts() int { return int(s.attempts.Load()) }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.attempts.Add(1)
	if r.Method != http.MethodPost || r.URL.Path != Path {
		answer(w, http.StatusNotFound, "no_service")
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		s.t.Errorf("slacktest: Content-Type = %q, want application/json", ct)
	}
	msg, code, errText := s.read(r)
	if code != http.StatusOK {
		answer(w, code, errText)
		return
	}
	if s.faults.Play(w, r, s.done, func() { s.messages.Add(msg) }) {
		return
	}
	answer(w, http.StatusOK, "ok")
}

// read decodes and checks a message as Slack would.
func (s *Server) read(r *http.Request) (Message, int, string) {
	var m Message
	var in struct {
		Text        *string `json:"text"`
		UnfurlLinks bool    `json:"unfurl_links"`
	}
	body, err := readAll(r)
	if err != nil || json.Unmarshal(body, &in) != nil {
		return m, http.StatusBadRequest, "invalid_payload"
	}
	if in.Text == nil || strings.TrimSpace(*in.Text) == "" {
		return m, http.StatusBadRequest, "no_text"
	}
	m = Message{Body: body, Text: *in.Text, UnfurlLinks: in.UnfurlLinks}
	m.Shown, m.Links = s.parse(m.Text)
	return m, http.StatusOK, ""
}

var (
	controlSeq = regexp.MustCompile(`<([^<>]*)>`)
	entity     = regexp.MustCompile(`&(amp|lt|gt);`)
)

// parse reads mrkdwn: control sequences <...> and the three entities.
// Anything else in angle brackets (<!channel>, <@U123>, <#C123>), or an
// '&' that is not an entity, fails the test.
func (s *Server) parse(text string) (string, []Link) {
	var links []Link
	shown := controlSeq.ReplaceAllStringFunc(text, func(seq string) string {
		inner := seq[1 : len(seq)-1]
		target, label, _ := strings.Cut(inner, "|")
		if !strings.HasPrefix(target, "http://") && !strings.HasPrefix(target, "https://") {
			s.t.Errorf("slacktest: control sequence %q in %q: only links may be sent", seq, text)
		}
		links = append(links, Link{URL: decode(target), Label: decode(label)})
		if label == "" {
			return target
		}
		return label
	})
	if rest := entity.ReplaceAllString(text, ""); strings.Contains(rest, "&") {
		s.t.Errorf("slacktest: unescaped '&' in %q", text)
	}
	return decode(shown), links
}

func decode(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

func answer(w http.ResponseWriter, code int, text string) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(code)
	w.Write([]byte(text))
}

func readAll(r *http.Request) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r.Body, 1<<20))
}
