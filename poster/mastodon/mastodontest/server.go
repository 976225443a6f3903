// Package mastodontest runs an in-process fake Mastodon server for tests. It
// checks the requests our client sends, answers with real-shaped JSON,
// remembers idempotency keys like Mastodon does, and can be told to fail.
package mastodontest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

// Token is the access token the server accepts unless WithToken is given.
const Token = "test-token"

// InstanceAPI selects which instance endpoints the server answers.
type InstanceAPI int

const (
	// InstanceV2 serves /api/v2/instance and /api/v1/instance (Mastodon ≥ 4.0).
	InstanceV2 InstanceAPI = iota
	// InstanceV1Only serves /api/v1/instance only (Mastodon < 4.0).
	InstanceV1Only
	// InstanceNone answers 404 on both, like servers without the fields.
	InstanceNone
)

// Status is one status the server created.
type Status struct {
	ID             string
	Text           string
	SpoilerText    string
	Visibility     string
	Language       string
	InReplyToID    string
	IdempotencyKey string
}

// Attempt is one POST /api/v1/statuses as received, whatever the answer.
type Attempt struct {
	IdempotencyKey string
	UserAgent      string
	Form           url.Values
	Status         int // HTTP status the server answered (0 if the client gave up first)
}

// Fault makes the server misbehave on one POST /api/v1/statuses.
type Fault struct {
	Status  int         // HTTP status to answer, e.g. 422, 429; default 500
	Header  http.Header // extra response headers, e.g. Retry-After
	Message string      // body is {"error": Message}
	// Publish creates the status before answering with the fault, as a
	// server that fails after committing.
	Publish bool
	// Hang, when set, is called once the request has been read (and the
	// status created if Publish); the server then never answers and waits
	// for the client to give up. Status is ignored.
	Hang func()
}

// Option configures a Server.
type Option func(*Server)

// WithToken sets the accepted access token.
func WithToken(token string) Option { return func(s *Server) { s.Token = token } }

// WithLimits sets configuration.statuses.max_characters and
// characters_reserved_per_url (defaults 500 and 23); the server enforces them.
func WithLimits(maxChars, urlChars int) Option {
	return func(s *Server) { s.maxChars, s.urlChars = maxChars, urlChars }
}

// WithInstance selects the instance endpoints served.
func WithInstance(api InstanceAPI) Option { return func(s *Server) { s.instance = api } }

// WithoutIdempotency makes the server ignore Idempotency-Key, as GoToSocial
// does.
func WithoutIdempotency() Option { return func(s *Server) { s.ignoreKeys = true } }

// Server is a fake Mastodon instance.
type Server struct {
	URL   string // base URL, e.g. http://127.0.0.1:1234
	Token string // accepted access token

	t          testing.TB
	maxChars   int
	urlChars   int
	instance   InstanceAPI
	ignoreKeys bool
	done       chan struct{} // closed at cleanup to release hung handlers

	mu               sync.Mutex
	statuses         []Status
	attempts         []Attempt
	byKey            map[string]int // idempotency key -> index in statuses
	faults           []Fault
	instanceRequests int
}

// NewServer starts a fake Mastodon server that is closed when t ends.
// Requests missing status, visibility or language, or not form-encoded, fail
// t: our client must always send them.
func NewServer(t testing.TB, opts ...Option) *Server {
	s := &Server{
		Token:    Token,
		t:        t,
		maxChars: 500,
		urlChars: 23,
		byKey:    make(map[string]int),
		done:     make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/statuses", s.postStatus)
	mux.HandleFunc("GET /api/v2/instance", s.getInstance(InstanceV2))
	mux.HandleFunc("GET /api/v1/instance", s.getInstance(InstanceV1Only))
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		close(s.done)
		srv.Close()
	})
	s.URL = srv.URL
	return s
}

// Inject queues f; each POST /api/v1/statuses takes the oldest queued fault.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// Statuses returns the statuses created so far, in order.
func (s *Server) Statuses() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Status(nil), s.statuses...)
}

// Attempts returns every POST /api/v1/statuses received, in order.
func (s *Server) Attempts() []Attempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Attempt, len(s.attempts))
	for i, a := range s.attempts {
		out[i] = a
		out[i].Form = cloneValues(a.Form)
	}
	return out
}

// InstanceRequests counts GET /api/v{1,2}/instance requests received.
func (s *Server) InstanceRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.instanceRequests
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
