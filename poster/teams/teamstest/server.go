// Package teamstest runs an in-process fake Teams Workflows webhook for
// tests: the HTTP trigger of a flow that posts each Adaptive Card it gets
// to a channel. Like Workflows it answers 202 Accepted with the run's ID
// before the card is posted, and a card over 28 KB fails in the run, not
// in the answer. It fails the test on a message our client must never
// send: no Adaptive Card, an unknown card version, elements other than
// TextBlocks.
package teamstest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/itsecbot/itsecbot/poster/internal/fake"
	"github.com/itsecbot/itsecbot/poster/internal/hooktest"
)

// Sig is the trigger URL's signature, its secret.
const Sig = "sIgNaTuRe_0123456789-abcdefghijklmnopqrstuvw"

// MaxMessage is the size over which Teams refuses a message (28 KB).
const MaxMessage = 28672

// Message is one card the flow posted.
type Message struct {
	RunID  string
	Body   []byte   // the request body as received
	Blocks []string // the TextBlocks' text, in order
	Bolder []bool   // whether each block is bold
	Shown  string   // what the channel shows: blocks one per line, links as their labels
	Links  []Link
}

// Link is a Markdown link [Label](URL) in a TextBlock.
type Link struct {
	URL, Label string
}

// Run is one run of the flow, posted or failed.
type Run struct {
	ID    string
	Error string // why the run failed; "" when the card was posted
}

// Fault makes the trigger misbehave on one request.
type Fault = hooktest.Fault

// Server is a fake Workflows trigger.
type Server struct {
	URL string // the trigger URL, signature included

	t      testing.TB
	faults hooktest.Faults
	done   <-chan struct{}

	mu       sync.Mutex
	messages []Message
	runs     []Run
}

const path = "/workflows/0a1b2c3d4e5f/triggers/manual/paths/invoke"

// NewServer starts a fake trigger that is closed when t ends.
func NewServer(t testing.TB) *Server {
	s := &Server{t: t}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+path, s.invoke)
	url, done := fake.Start(t, mux)
	s.URL, s.done = url+path+"?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig="+Sig, done
	return s
}

// Inject queues f; each request takes the oldest queued fault.
func (s *Server) Inject(f Fault) { s.faults.Add(f) }

// Messages returns the cards posted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Runs returns the flow's runs, in order.
func (s *Server) Runs() []Run {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Run(nil), s.runs...)
}

func (s *Server) invoke(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("sig") != Sig {
		writeError(w, http.StatusUnauthorized, "DirectApiInvalidAuthorizationSignature", "The provided authorization signature is not valid.")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || !json.Valid(body) {
		writeError(w, http.StatusBadRequest, "TriggerInputSchemaMismatch",
			"The input body for trigger 'manual' of type 'Request' did not match its schema definition.")
		return
	}
	m := s.read(body)
	if s.faults.Play(w, r, s.done, func() { m = s.run(m, len(body)) }) {
		return
	}
	w.Header().Set("X-Ms-Workflow-Run-Id", m.RunID)
	w.Header().Set("X-Ms-Correlation-Id", "2b6f5c1e-0000-4000-8000-000000000000")
	w.WriteHeader(http.StatusAccepted)
}

// run records the flow's run: it posts the card, or fails as Teams does
// when the message is too large.
func (s *Server) run(m Message, size int) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	m.RunID = fmt.Sprintf("08584%015d", len(s.runs)+1)
	run := Run{ID: m.RunID}
	if size > MaxMessage {
		run.Error = fmt.Sprintf("MessageSizeExceeded-Message properties size exceeded. Actual message properties size: %d bytes, "+
			"whereas max allowed size is %d bytes", size, MaxMessage)
	} else {
		s.messages = append(s.messages, m)
	}
	s.runs = append(s.runs, run)
	return m
}

func writeError(w http.ResponseWriter, code int, errCode, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": errCode, "message": message}})
}

// ErrorFault is an error answer of the trigger, for Inject.
func ErrorFault(status int, code, message string) Fault {
	b, _ := json.Marshal(map[string]any{"error": map[string]string{"code": code, "message": message}})
	return Fault{Status: status, Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}, Body: string(b)}
}

var (
	mdLink     = regexp.MustCompile(`\[([^\[\]]*)\]\(([^()\s]+)\)`)
	wordJoiner = "\u2060"
)

// read decodes the message and checks the card.
func (s *Server) read(body []byte) Message {
	var in struct {
		Type        string `json:"type"`
		Attachments []struct {
			ContentType string          `json:"contentType"`
			ContentURL  *string         `json:"contentUrl"`
			Content     json.RawMessage `json:"content"`
		} `json:"attachments"`
	}
	m := Message{Body: body}
	if json.Unmarshal(body, &in) != nil || in.Type != "message" || len(in.Attachments) != 1 ||
		in.Attachments[0].ContentType != "application/vnd.microsoft.card.adaptive" {
		s.t.Errorf("teamstest: message %s: want type message with one Adaptive Card attachment", body)
		return m
	}
	var c struct {
		Type    string `json:"type"`
		Version string `json:"version"`
		Body    []struct {
			Type   string `json:"type"`
			Text   string `json:"text"`
			Wrap   bool   `json:"wrap"`
			Weight string `json:"weight"`
		} `json:"body"`
	}
	if err := json.Unmarshal(in.Attachments[0].Content, &c); err != nil || c.Type != "AdaptiveCard" || (c.Version != "1.4" && c.Version != "1.5") {
		s.t.Errorf("teamstest: card %s: want an AdaptiveCard of version 1.4 or 1.5", in.Attachments[0].Content)
	}
	var shown []string
	for _, e := range c.Body {
		if e.Type != "TextBlock" || !e.Wrap || strings.TrimSpace(e.Text) == "" {
			s.t.Errorf("teamstest: element %+v: want a wrapping TextBlock with text", e)
		}
		m.Blocks = append(m.Blocks, e.Text)
		m.Bolder = append(m.Bolder, e.Weight == "Bolder")
		shown = append(shown, mdLink.ReplaceAllStringFunc(strings.ReplaceAll(e.Text, wordJoiner, ""), func(l string) string {
			sub := mdLink.FindStringSubmatch(l)
			m.Links = append(m.Links, Link{URL: sub[2], Label: sub[1]})
			return sub[1]
		}))
	}
	m.Shown = strings.Join(shown, "\n")
	return m
}
