// Package mastodontest runs an in-process fake Mastodon server for tests. It
// checks the requests our client sends, answers with real-shaped JSON,
// remembers idempotency keys like Mastodon does, and can be told to fail.
package mastodontest

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/internal/fake"
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
	Created        time.Time
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
	// Drop closes the connection without an answer (after creating the
	// status if Publish). Status is ignored.
	Drop bool
	// Pass answers this request normally, so that a later queued fault
	// hits a later request.
	Pass bool
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

// WithURLsInFull makes the server count each URL at its full length while
// still advertising characters_reserved_per_url.
func WithURLsInFull() Option { return func(s *Server) { s.urlsInFull = true } }

// WithLengthError sets how a too-long status is refused: the HTTP status
// and a message format taking the limit (default 422 and Mastodon's
// "Validation failed: Text character limit of %d exceeded").
func WithLengthError(status int, format string) Option {
	return func(s *Server) { s.lengthStatus, s.lengthFormat = status, format }
}

// LikeGoToSocial makes the server behave as a GoToSocial server measured
// on loopback: it ignores Idempotency-Key, counts URLs in full although it
// advertises 25 characters per URL, and refuses a long status with 400
// "text with spoiler exceed max chars (N)".
func LikeGoToSocial() Option {
	return func(s *Server) {
		s.ignoreKeys, s.urlsInFull, s.urlChars = true, true, 25
		s.lengthStatus, s.lengthFormat = http.StatusBadRequest, "text with spoiler exceed max chars (%d)"
	}
}

// WithClock stamps created statuses; default time.Now.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// Server is a fake Mastodon instance.
type Server struct {
	URL   string // base URL, e.g. http://127.0.0.1:1234
	Token string // accepted access token

	t            testing.TB
	maxChars     int
	urlChars     int
	instance     InstanceAPI
	ignoreKeys   bool
	urlsInFull   bool
	lengthStatus int
	lengthFormat string
	now          func() time.Time
	done         <-chan struct{} // closed at cleanup to release hung handlers
	token        fake.Bearer     // the accepted token; SetToken changes it
	attempts     fake.Log[Attempt]
	faults       fake.Queue[Fault]

	mu               sync.Mutex
	readFault        int // HTTP status for reads, 0 for none
	instanceFault    int // HTTP status for instance lookups, 0 for none
	statuses         []Status
	byKey            map[string]int // idempotency key -> index in statuses
	instanceRequests int
}

// NewServer starts a fake Mastodon server that is closed when t ends.
// Requests missing status, visibility or language, or not form-encoded, fail
// t: our client must always send them.
func NewServer(t testing.TB, opts ...Option) *Server {
	s := &Server{
		Token:        Token,
		t:            t,
		maxChars:     500,
		urlChars:     23,
		lengthStatus: http.StatusUnprocessableEntity,
		lengthFormat: "Validation failed: Text character limit of %d exceeded",
		now:          time.Now,
		byKey:        make(map[string]int),
	}
	for _, o := range opts {
		o(s)
	}
	s.token.Set(s.Token)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/statuses", s.postStatus)
	mux.HandleFunc("GET /api/v2/instance", s.getInstance(InstanceV2))
	mux.HandleFunc("GET /api/v1/instance", s.getInstance(InstanceV1Only))
	mux.HandleFunc("GET /api/v1/accounts/verify_credentials", s.verifyCredentials)
	mux.HandleFunc("GET /api/v1/accounts/{id}/statuses", s.accountStatuses)
	s.URL, s.done = fake.Start(t, mux)
	return s
}

// Inject queues f; each POST /api/v1/statuses takes the oldest queued fault.
func (s *Server) Inject(f Fault) { s.faults.Add(f) }

// SetToken makes the server accept only token from now on, as when the
// old one is revoked.
func (s *Server) SetToken(token string) { s.token.Set(token) }

// FailReads makes every read of statuses and credentials answer status
// (0 stops it).
func (s *Server) FailReads(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readFault = status
}

// FailInstance makes the instance endpoints answer status (0 stops it).
func (s *Server) FailInstance(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.instanceFault = status
}

func (s *Server) authorized(r *http.Request) bool {
	_, ok := s.token.Check(r)
	return ok
}

// Statuses returns the statuses created so far, in order.
func (s *Server) Statuses() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Status(nil), s.statuses...)
}

// Attempts returns every POST /api/v1/statuses received, in order.
func (s *Server) Attempts() []Attempt {
	out := s.attempts.All()
	for i := range out {
		out[i].Form = cloneValues(out[i].Form)
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
