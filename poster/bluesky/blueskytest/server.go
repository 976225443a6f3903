// Package blueskytest runs an in-process fake Bluesky PDS for tests. It
// answers the XRPC calls the poster makes (createSession, refreshSession,
// getSession, createRecord, listRecords) with the shapes, status codes and
// messages measured on the reference PDS, rotates refresh tokens, and
// fails the test when our client sends a record the real network would
// store wrong: facets that do not point at their link or tag, replies whose
// root is not their thread's, a createdAt that is not UTC.
package blueskytest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/internal/fake"
)

// The account the server hosts unless options say otherwise.
const (
	Handle      = "itsecbot.test"
	DID         = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
	AppPassword = "abcd-efgh-ijkl-mnop"
)

// Fault makes the server misbehave on one createRecord.
type Fault struct {
	Status  int         // HTTP status to answer; default 500
	Code    string      // XRPC error name, e.g. InvalidRequest
	Message string      // XRPC error message
	Header  http.Header // extra response headers, e.g. RateLimit-Reset
	// Publish stores the record before answering with the fault.
	Publish bool
	// Hang: the server never answers and waits for the client to give up
	// (after storing the record if Publish).
	Hang bool
	// Drop closes the connection without an answer (after storing the
	// record if Publish).
	Drop bool
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the server's clock (rate-limit resets); default time.Now.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithLoginLimit refuses logins past n within the server's life (default
// 30, the reference PDS's limit per 5 minutes) with 429 and its headers.
func WithLoginLimit(n int) Option { return func(s *Server) { s.loginLimit = n } }

// Server is a fake PDS hosting one account.
type Server struct {
	URL string // base URL, e.g. http://127.0.0.1:1234

	t          testing.TB
	now        func() time.Time
	loginLimit int
	done       <-chan struct{}
	faults     fake.Queue[Fault]
	attempts   atomic.Int64 // createRecord calls

	mu        sync.Mutex
	password  string
	access    map[string]tokenState
	refresh   map[string]tokenState
	nextToken int
	logins    int // createSession calls, refused ones included
	refreshes int // successful refreshSession calls
	records   []Record
}

type tokenState int

const (
	tokenValid tokenState = iota + 1
	tokenExpired
	tokenRevoked
)

// NewServer starts a fake PDS that is closed when t ends.
func NewServer(t testing.TB, opts ...Option) *Server {
	s := &Server{
		t: t, now: time.Now, password: AppPassword, loginLimit: 30,
		access: map[string]tokenState{}, refresh: map[string]tokenState{},
	}
	for _, o := range opts {
		o(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /xrpc/com.atproto.server.createSession", s.createSession)
	mux.HandleFunc("POST /xrpc/com.atproto.server.refreshSession", s.refreshSession)
	mux.HandleFunc("GET /xrpc/com.atproto.server.getSession", s.getSession)
	mux.HandleFunc("POST /xrpc/com.atproto.repo.createRecord", s.createRecord)
	mux.HandleFunc("GET /xrpc/com.atproto.repo.listRecords", s.listRecords)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotImplemented, "MethodNotImplemented", "Method Not Implemented")
	})
	s.URL, s.done = fake.Start(t, mux)
	return s
}

// Inject queues f; each createRecord takes the oldest queued fault.
func (s *Server) Inject(f Fault) { s.faults.Add(f) }

// SetPassword makes the server accept only password from now on, as when
// the app password is revoked and a new one made.
func (s *Server) SetPassword(password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.password = password
}

// ExpireAccess makes every access token issued so far expired, as two
// hours after its session was made.
func (s *Server) ExpireAccess() { s.setAll(s.access, tokenExpired) }

// RevokeRefresh revokes every refresh token issued so far, as when the
// app password is deleted or the refresh token's 90 days are over.
func (s *Server) RevokeRefresh() { s.setAll(s.refresh, tokenRevoked) }

func (s *Server) setAll(m map[string]tokenState, st tokenState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range m {
		m[k] = st
	}
}

// Logins counts createSession calls, refused ones included.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// Refreshes counts successful refreshSession calls.
func (s *Server) Refreshes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshes
}

// Attempts counts createRecord calls, whatever the answer.
func (s *Server) Attempts() int { return int(s.attempts.Load()) }

// Records returns the stored posts, oldest first.
func (s *Server) Records() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Record(nil), s.records...)
}

// rateLimitHeaders sets the reference PDS's login limit headers.
func (s *Server) rateLimitHeaders(w http.ResponseWriter, remaining int) {
	reset := s.now().Add(5 * time.Minute).Unix()
	w.Header().Set("RateLimit-Limit", strconv.Itoa(s.loginLimit))
	w.Header().Set("RateLimit-Remaining", strconv.Itoa(max(remaining, 0)))
	w.Header().Set("RateLimit-Reset", strconv.FormatInt(reset, 10))
	w.Header().Set("RateLimit-Policy", strconv.Itoa(s.loginLimit)+";w=300")
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(v)
}

// writeError answers an XRPC error as the PDS does.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "message": msg})
}
