// Package misskeytest runs an in-process fake Misskey server for tests:
// notes/create, users/notes, i and meta, answering with JSON shaped like
// Misskey's (field names from misskey-js), checking what our client sends,
// and able to fail on demand.
package misskeytest

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/internal/fake"
)

// Token is the access token the server accepts unless WithToken is given.
const Token = "test-misskey-token"

// UserID is the id of the token's user.
const UserID = "9xbot0000001"

// Note is one note the server created.
type Note struct {
	ID         string
	Text       string // as received, escapes included
	CW         string
	Visibility string
	ReplyID    string
	Created    time.Time
}

// Attempt is one POST /api/notes/create as received, whatever the answer.
type Attempt struct {
	Body      map[string]any // the JSON body
	UserAgent string
	Status    int // HTTP status answered (0 if the client gave up first)
}

// Fault makes the server misbehave on one POST /api/notes/create.
type Fault struct {
	Status  int         // HTTP status to answer, e.g. 400, 429; default 500
	Code    string      // error code, e.g. RATE_LIMIT_EXCEEDED; default by status
	Message string      // error message
	Header  http.Header // extra response headers, e.g. Retry-After
	// Info is the error's info, e.g. INVALID_PARAM's param and reason.
	Info map[string]string
	// Page, when set, is answered as text/html instead of Misskey's error,
	// as a proxy in front of the server does.
	Page string
	// Publish creates the note before answering with the fault, as a
	// server that fails after storing it (or that answers 202 PROCESSING
	// to a request it is still working on).
	Publish bool
	// Hang, when set, is called once the request has been read (and the
	// note created if Publish); the server then never answers and waits
	// for the client to give up. Status is ignored.
	Hang func()
	// Drop closes the connection without an answer (after creating the
	// note if Publish). Status is ignored.
	Drop bool
	// Pass answers this request normally, so that a later queued fault
	// hits a later request.
	Pass bool
}

// Option configures a Server.
type Option func(*Server)

// WithToken sets the accepted access token.
func WithToken(token string) Option { return func(s *Server) { s.Token = token } }

// WithMaxNoteLength sets the maxNoteTextLength /api/meta announces and the
// server enforces (default 3000); 0 announces none and enforces 3000, as
// servers that leave the field out.
func WithMaxNoteLength(n int) Option {
	return func(s *Server) { s.announced, s.enforced = n, max(n, 0) }
}

// WithEnforcedLength makes the server refuse texts longer than n code
// points, whatever /api/meta announces.
func WithEnforcedLength(n int) Option { return func(s *Server) { s.enforcedSet = n } }

// WithAuthStatus sets the status of a refused token: 401 (default, as
// current Misskey) or 403 (as older versions).
func WithAuthStatus(status int) Option { return func(s *Server) { s.authStatus = status } }

// WithClock stamps created notes and makes their ids; default time.Now.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// Server is a fake Misskey server.
type Server struct {
	URL   string // base URL, e.g. http://127.0.0.1:1234
	Token string // accepted access token

	t           testing.TB
	announced   int
	enforced    int
	enforcedSet int
	authStatus  int
	now         func() time.Time
	done        <-chan struct{} // closed at cleanup to release hung handlers
	token       fake.Bearer
	attempts    fake.Log[Attempt]
	faults      fake.Queue[Fault]

	mu           sync.Mutex
	readFault    int // HTTP status for i and users/notes, 0 for none
	metaFault    int // HTTP status for meta, 0 for none
	notes        []Note
	metaRequests int
	seq          int
}

// NewServer starts a fake Misskey server that is closed when t ends.
// Requests our client must never send (a form, a token in the body, a
// parameter upstream Misskey does not know, no visibility) fail t.
func NewServer(t testing.TB, opts ...Option) *Server {
	s := &Server{Token: Token, t: t, announced: 3000, enforced: 3000, authStatus: http.StatusUnauthorized,
		now: time.Now}
	for _, o := range opts {
		o(s)
	}
	if s.enforced == 0 {
		s.enforced = 3000
	}
	if s.enforcedSet > 0 {
		s.enforced = s.enforcedSet
	}
	s.token.Set(s.Token)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/notes/create", s.createNote)
	mux.HandleFunc("POST /api/users/notes", s.userNotes)
	mux.HandleFunc("POST /api/i", s.i)
	mux.HandleFunc("POST /api/meta", s.meta)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "UNKNOWN_API_ENDPOINT", "Unknown API endpoint.", nil)
	})
	s.URL, s.done = fake.Start(t, mux)
	return s
}

// Inject queues f; each POST /api/notes/create takes the oldest queued
// fault.
func (s *Server) Inject(f Fault) { s.faults.Add(f) }

// SetToken makes the server accept only token from now on, as when the
// old one is revoked.
func (s *Server) SetToken(token string) { s.token.Set(token) }

// FailReads makes i and users/notes answer status (0 stops it).
func (s *Server) FailReads(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readFault = status
}

// FailMeta makes /api/meta answer status (0 stops it).
func (s *Server) FailMeta(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.metaFault = status
}

// Notes returns the notes created so far, in order.
func (s *Server) Notes() []Note {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Note(nil), s.notes...)
}

// Attempts returns every POST /api/notes/create received, in order.
func (s *Server) Attempts() []Attempt { return s.attempts.All() }

// MetaRequests counts POST /api/meta requests received.
func (s *Server) MetaRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.metaRequests
}
