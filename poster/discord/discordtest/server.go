// Package discordtest runs an in-process fake Discord webhook for tests.
// It answers Execute Webhook and Get Webhook with real-shaped JSON and
// Discord's errors, reads the markdown it receives into what the channel
// shows, and fails the test when a message could ping: every request must
// carry allowed_mentions with an empty parse list.
package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/itsecbot/itsecbot/poster/internal/fake"
	"github.com/itsecbot/itsecbot/poster/internal/hooktest"
)

// The webhook the server knows.
const (
	WebhookID = "1234567890123456789"
	Token     = "tOkEn_0123456789-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX"
	ChannelID = "1100000000000000001"
	GuildID   = "1000000000000000001"
)

// firstID resembles a Discord snowflake.
const firstID int64 = 1300000000000000001

// Message is one message the channel received.
type Message struct {
	ID              string
	Body            []byte // the request body as received
	Content         string // the markdown as sent
	Shown           string // what the channel shows: escapes removed, links as their labels
	Links           []Link
	Flags           int
	AllowedMentions json.RawMessage
	Wait            bool // ?wait=true was sent
}

// Link is a masked link [Label](URL), or <URL> with no label.
type Link struct {
	URL, Label string
}

// Fault makes the webhook misbehave on one post.
type Fault = hooktest.Fault

// Server is a fake Discord serving one channel webhook.
type Server struct {
	URL string // the webhook URL, token included

	t        testing.TB
	faults   hooktest.Faults
	done     <-chan struct{}
	attempts atomic.Int64

	mu       sync.Mutex
	messages []Message
}

// NewServer starts a fake Discord that is closed when t ends.
func NewServer(t testing.TB) *Server {
	s := &Server{t: t}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/webhooks/{id}/{token}", s.execute)
	mux.HandleFunc("GET /api/webhooks/{id}/{token}", s.get)
	url, done := fake.Start(t, mux)
	s.URL, s.done = url+"/api/webhooks/"+WebhookID+"/"+Token, done
	return s
}

// Inject queues f; each post takes the oldest queued fault.
func (s *Server) Inject(f Fault) { s.faults.Add(f) }

// Messages returns the messages posted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Attempts counts the Execute Webhook requests received.
func (s *Server) Attempts() int { return int(s.attempts.Load()) }

// authorized answers 404 Unknown Webhook or 401 Invalid Webhook Token as
// Discord does, and reports whether the request may go on.
func authorized(w http.ResponseWriter, r *http.Request) bool {
	switch {
	case r.PathValue("id") != WebhookID:
		writeError(w, http.StatusNotFound, "Unknown Webhook", 10015)
	case r.PathValue("token") != Token:
		writeError(w, http.StatusUnauthorized, "Invalid Webhook Token", 50027)
	default:
		return true
	}
	return false
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	if !authorized(w, r) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"type": 1, "id": WebhookID, "name": "itsecbot", "avatar": nil, "channel_id": ChannelID,
		"guild_id": GuildID, "application_id": nil, "token": Token,
	})
}

func (s *Server) execute(w http.ResponseWriter, r *http.Request) {
	s.attempts.Add(1)
	if !authorized(w, r) {
		return
	}
	m, ok := s.read(w, r)
	if !ok {
		return
	}
	if s.faults.Play(w, r, s.done, func() { m = s.store(m) }) {
		return
	}
	if !m.Wait {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, messageJSON(m))
}

// read decodes and checks a message as Discord would, and checks what our
// client must always send.
func (s *Server) read(w http.ResponseWriter, r *http.Request) (Message, bool) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		s.t.Errorf("discordtest: Content-Type = %q, want application/json", ct)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var in struct {
		Content         string          `json:"content"`
		Flags           int             `json:"flags"`
		AllowedMentions json.RawMessage `json:"allowed_mentions"`
	}
	if err != nil || json.Unmarshal(body, &in) != nil {
		writeError(w, http.StatusBadRequest, "The request body contains invalid JSON.", 50109)
		return Message{}, false
	}
	m := Message{Body: body, Content: in.Content, Flags: in.Flags, AllowedMentions: in.AllowedMentions,
		Wait: r.URL.Query().Get("wait") == "true"}
	s.checkMentions(m)
	if !m.Wait {
		s.t.Errorf("discordtest: no ?wait=true: the answer carries no message ID")
	}
	switch n := utf8.RuneCountInString(in.Content); {
	case strings.TrimSpace(in.Content) == "":
		writeError(w, http.StatusBadRequest, "Cannot send an empty message", 50006)
		return m, false
	case n > 2000:
		writeFormError(w, "content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
		return m, false
	}
	m.Shown, m.Links = parse(in.Content)
	return m, true
}

// checkMentions fails the test unless allowed_mentions is present with an
// empty parse list and names no one.
func (s *Server) checkMentions(m Message) {
	var am struct {
		Parse *[]string `json:"parse"`
		Users []string  `json:"users"`
		Roles []string  `json:"roles"`
	}
	if len(m.AllowedMentions) == 0 || json.Unmarshal(m.AllowedMentions, &am) != nil || am.Parse == nil {
		s.t.Errorf("discordtest: allowed_mentions %s: want {\"parse\": []} on every message", m.AllowedMentions)
		return
	}
	if len(*am.Parse) != 0 || len(am.Users) != 0 || len(am.Roles) != 0 {
		s.t.Errorf("discordtest: allowed_mentions %s lets a message ping", m.AllowedMentions)
	}
}

func (s *Server) store(m Message) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	m.ID = strconv.FormatInt(firstID+int64(len(s.messages)), 10)
	s.messages = append(s.messages, m)
	return m
}

// messageJSON is the message object Execute Webhook returns with wait=true.
func messageJSON(m Message) map[string]any {
	return map[string]any{
		"id": m.ID, "type": 0, "content": m.Content, "channel_id": ChannelID,
		"author":      map[string]any{"id": WebhookID, "username": "itsecbot", "avatar": nil, "discriminator": "0000", "bot": true},
		"attachments": []any{}, "embeds": []any{}, "mentions": []any{}, "mention_roles": []any{},
		"pinned": false, "mention_everyone": false, "tts": false,
		"timestamp": time.Now().UTC().Format("2006-01-02T15:04:05.000000+00:00"), "edited_timestamp": nil,
		"flags": m.Flags, "components": []any{}, "webhook_id": WebhookID,
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, message string, errCode int) {
	writeJSON(w, code, map[string]any{"message": message, "code": errCode})
}

// writeFormError answers 400 Invalid Form Body naming the field.
func writeFormError(w http.ResponseWriter, field, code, message string) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Invalid Form Body", "code": 50035,
		"errors": map[string]any{field: map[string]any{"_errors": []any{map[string]string{"code": code, "message": message}}}}})
}

// FormError is the answer to a refused field, for Inject.
func FormError(field, code, message string) Fault {
	body := fmt.Sprintf(`{"message": "Invalid Form Body", "code": 50035, "errors": {%q: {"_errors": [{"code": %q, "message": %q}]}}}`,
		field, code, message)
	return Fault{Status: http.StatusBadRequest, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
}

// RateLimited is a 429 as Discord sends it, the bucket resetting after
// seconds.
func RateLimited(seconds float64) Fault {
	return Fault{Status: http.StatusTooManyRequests, Header: http.Header{
		"Content-Type":            {"application/json"},
		"Retry-After":             {strconv.Itoa(int(seconds) + 1)},
		"X-Ratelimit-Limit":       {"5"},
		"X-Ratelimit-Remaining":   {"0"},
		"X-Ratelimit-Reset":       {strconv.FormatFloat(float64(time.Now().Unix())+seconds, 'f', 3, 64)},
		"X-Ratelimit-Reset-After": {strconv.FormatFloat(seconds, 'f', 3, 64)},
		"X-Ratelimit-Bucket":      {"abcd1234"},
		"X-Ratelimit-Scope":       {"shared"},
	}, Body: fmt.Sprintf(`{"message": "The resource is being rate limited.", "retry_after": %.3f, "global": false}`, seconds)}
}
