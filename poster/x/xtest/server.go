// Package xtest runs an in-process fake of the X API v2 for tests. It
// verifies the OAuth 1.0a signature of every request with the shared
// secrets, checks the JSON our client sends to POST /2/tweets, answers with
// real-shaped JSON and rate-limit headers, refuses duplicates like X, counts
// down 24-hour post budgets, and can be told to fail.
package xtest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/internal/fake"
)

// Tweet is one post the server created.
type Tweet struct {
	ID        string
	Text      string
	InReplyTo string
	Created   time.Time
}

// Attempt is one request received, whatever the answer.
type Attempt struct {
	Method, Path string
	ContentType  string
	UserAgent    string
	Body         string
	Signed       bool // the OAuth signature verified with the accepted credentials
	Status       int  // HTTP status answered (0 if the client gave up first)
}

// Fault makes the server misbehave on one POST /2/tweets.
type Fault struct {
	Status int         // HTTP status to answer, default 500
	Header http.Header // extra response headers
	Body   string      // raw JSON body; default a problem document for Status
	// Publish creates the post before answering with the fault, as a
	// server that fails after committing.
	Publish bool
	// Hang never answers: the handler waits for the client to give up.
	Hang bool
	// Drop closes the connection without an answer.
	Drop bool
}

// Budget is a 24-hour post budget, reported in the x-user-limit-24hour-*
// or x-app-limit-24hour-* headers and counted down by each post created.
// Once Remaining is 0, posts are answered 429 until Reset; then the budget
// refills to Limit for another day.
type Budget struct {
	Limit     int
	Remaining int
	Reset     time.Time
}

// Account is the user the credentials belong to (GET /2/users/me).
type Account struct {
	ID, Name, Username string
}

// Option configures a Server.
type Option func(*Server)

// WithCredentials sets the accepted credentials.
func WithCredentials(c Credentials) Option { return func(s *Server) { s.creds = c } }

// WithClock stamps posts and counts budgets; default time.Now. OAuth
// timestamps are always checked against the real clock, which signs them.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// AllowBadSignatures answers a request whose signature does not verify
// with 401 without failing the test, for tests of wrong secrets. By
// default such a request fails the test: our client signed it wrongly.
func AllowBadSignatures() Option { return func(s *Server) { s.allowBad = true } }

// Server is a fake X API.
type Server struct {
	URL string // base URL, e.g. http://127.0.0.1:1234

	t        testing.TB
	now      func() time.Time
	allowBad bool
	done     <-chan struct{} // closed at cleanup to release hung handlers
	attempts fake.Log[Attempt]
	faults   fake.Queue[Fault]

	mu      sync.Mutex
	creds   Credentials
	account Account
	tweets  []Tweet
	nonces  map[string]bool
	budgets map[string]*Budget // "user", "app"
	window  rateWindow
}

// NewServer starts a fake X API that is closed when t ends.
func NewServer(t testing.TB, opts ...Option) *Server {
	s := &Server{
		t:       t,
		now:     time.Now,
		creds:   DefaultCredentials,
		account: Account{ID: "1790000000000000001", Name: "itsecbot", Username: "itsecbot_jp"},
		nonces:  map[string]bool{},
		budgets: map[string]*Budget{},
	}
	for _, o := range opts {
		o(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2/tweets", s.postTweet)
	mux.HandleFunc("GET /2/users/me", s.usersMe)
	mux.HandleFunc("/", s.notFound)
	s.URL, s.done = fake.Start(t, mux)
	return s
}

// Inject queues f; each POST /2/tweets takes the oldest queued fault.
func (s *Server) Inject(f Fault) { s.faults.Add(f) }

// SetCredentials makes the server accept only c from now on, as when the
// old tokens are revoked.
func (s *Server) SetCredentials(c Credentials) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.creds = c
}

// SetBudget sets the 24-hour budget of kind "user" or "app".
func (s *Server) SetBudget(kind string, b Budget) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.budgets[kind] = &b
}

// Tweets returns the posts created so far, in order.
func (s *Server) Tweets() []Tweet {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Tweet(nil), s.tweets...)
}

// Attempts returns every request received, in order.
func (s *Server) Attempts() []Attempt { return s.attempts.All() }

// Posts counts the POST /2/tweets requests received.
func (s *Server) Posts() int {
	n := 0
	for _, a := range s.Attempts() {
		if a.Method == http.MethodPost && a.Path == "/2/tweets" {
			n++
		}
	}
	return n
}

// Account returns the user the credentials belong to.
func (s *Server) Account() Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.account
}

// maxClockSkew bounds how far an oauth_timestamp may be from the clock.
const maxClockSkew = 5 * time.Minute

// authenticate checks the request's OAuth 1.0a signature, timestamp and
// nonce, and answers 401 when they fail. Credentials that are not the
// accepted ones (revoked tokens) are X's business; a signature that does
// not verify with the accepted ones is our client's bug and fails the test.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, idx int, body []byte) bool {
	var form url.Values
	if r.Header.Get("Content-Type") == "application/x-www-form-urlencoded" {
		form, _ = url.ParseQuery(string(body))
	}
	s.mu.Lock()
	creds := s.creds
	s.mu.Unlock()
	ck := verifySignature(signedRequest{method: r.Method, url: "http://" + r.Host + r.URL.RequestURI(),
		authorization: r.Header.Get("Authorization"), form: form}, creds)
	problem := ck.problem
	if problem == nil {
		problem = s.fresh(ck.params)
	}
	switch {
	case !ck.keysOK && ck.params != nil:
	case problem != nil && !s.allowBad:
		s.t.Errorf("xtest: %s %s: %v", r.Method, r.URL.Path, problem)
	}
	if !ck.keysOK || problem != nil {
		s.problem(w, idx, http.StatusUnauthorized, "Unauthorized")
		return false
	}
	s.attempts.Update(idx, func(a *Attempt) { a.Signed = true })
	return true
}

// fresh refuses a timestamp far from the clock and a nonce used before.
func (s *Server) fresh(params map[string]string) error {
	ts, err := strconv.ParseInt(params["oauth_timestamp"], 10, 64)
	if err != nil {
		return fmt.Errorf("oauth_timestamp %q: %w", params["oauth_timestamp"], err)
	}
	if skew := time.Since(time.Unix(ts, 0)).Abs(); skew > maxClockSkew {
		return fmt.Errorf("oauth_timestamp %d is %s from the clock", ts, skew)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	nonce := params["oauth_nonce"]
	if s.nonces[nonce] {
		return fmt.Errorf("oauth_nonce %q used twice", nonce)
	}
	s.nonces[nonce] = true
	return nil
}
