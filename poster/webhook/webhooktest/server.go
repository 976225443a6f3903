// Package webhooktest runs an in-process receiver of the generic webhook
// for tests, built as the README tells a CSIRT to build one: it verifies
// the HMAC signature of every request (failing the test on a bad one),
// refuses stale timestamps, and dedupes by the idempotency key, answering
// a repeat with the first delivery's ID.
package webhooktest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
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

	"github.com/itsecbot/itsecbot/poster/internal/fake"
	"github.com/itsecbot/itsecbot/poster/internal/hooktest"
)

// Secret is the shared HMAC key the receiver expects unless WithSecret
// says otherwise.
const Secret = "wh-secret-0123456789abcdef"

// Tolerance is how far a request's timestamp may be from the receiver's
// clock.
const Tolerance = 5 * time.Minute

// Delivery is one post the receiver accepted.
type Delivery struct {
	ID        string
	Key       string          // Idempotency-Key
	Body      []byte          // as received
	Payload   json.RawMessage // the body, for field checks
	Text      string
	Signed    bool
	Timestamp int64
}

// Fault makes the receiver misbehave on one request.
type Fault = hooktest.Fault

// Option configures a Server.
type Option func(*Server)

// WithSecret sets the HMAC key; "" accepts unsigned requests and fails the
// test on signed ones.
func WithSecret(secret string) Option { return func(s *Server) { s.secret = secret } }

// WithNoContent answers 204 with no body, so the client has no ID.
func WithNoContent() Option { return func(s *Server) { s.noContent = true } }

// Server is a fake receiver.
type Server struct {
	URL string

	t         testing.TB
	secret    string
	noContent bool
	faults    hooktest.Faults
	done      <-chan struct{}
	requests  atomic.Int64

	mu         sync.Mutex
	deliveries []Delivery
	byKey      map[string]string // idempotency key -> delivery ID
}

// NewServer starts a receiver that is closed when t ends.
func NewServer(t testing.TB, opts ...Option) *Server {
	s := &Server{t: t, secret: Secret, byKey: map[string]string{}}
	for _, o := range opts {
		o(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /hooks/itsecbot", s.receive)
	url, done := fake.Start(t, mux)
	s.URL, s.done = url+"/hooks/itsecbot", done
	return s
}

// Inject queues f; each request takes the oldest queued fault.
func (s *Server) Inject(f Fault) { s.faults.Add(f) }

// Deliveries returns the accepted posts, in order, repeats excluded.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// Requests counts the requests received, repeats included.
func (s *Server) Requests() int { return int(s.requests.Load()) }

func (s *Server) receive(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, `{"error": "unreadable body"}`, http.StatusBadRequest)
		return
	}
	d, ok := s.check(w, r, body)
	if !ok {
		return
	}
	if s.faults.Play(w, r, s.done, func() { d = s.store(d) }) {
		return
	}
	if s.noContent {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"id": %q}`, d.ID)
}

// check verifies a request as a receiver must, and answers when it fails.
func (s *Server) check(w http.ResponseWriter, r *http.Request, body []byte) (Delivery, bool) {
	d := Delivery{Body: body, Key: r.Header.Get("Idempotency-Key"), Payload: body}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		s.t.Errorf("webhooktest: Content-Type = %q, want application/json", ct)
	}
	var p struct {
		Key  string `json:"idempotency_key"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		s.t.Errorf("webhooktest: body is not JSON: %v", err)
		http.Error(w, `{"error": "invalid JSON"}`, http.StatusBadRequest)
		return d, false
	}
	d.Text = p.Text
	if d.Key == "" || p.Key != d.Key {
		s.t.Errorf("webhooktest: Idempotency-Key %q, body idempotency_key %q: want the same, not empty", d.Key, p.Key)
	}
	if err := s.verify(r.Header, body, &d); err != nil {
		s.t.Errorf("webhooktest: %v", err)
		http.Error(w, `{"error": "signature"}`, http.StatusUnauthorized)
		return d, false
	}
	return d, true
}

// verify checks the signature as the README describes: HMAC-SHA256 of
// timestamp "." body, hex, after "sha256=", and a timestamp within
// Tolerance.
func (s *Server) verify(h http.Header, body []byte, d *Delivery) error {
	sig, ts := h.Get("X-Itsecbot-Signature"), h.Get("X-Itsecbot-Timestamp")
	if s.secret == "" {
		if sig != "" || ts != "" {
			return fmt.Errorf("signed request, but no secret is configured")
		}
		return nil
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp %q is not Unix seconds", ts)
	}
	if age := time.Since(time.Unix(unix, 0)); age > Tolerance || age < -Tolerance {
		return fmt.Errorf("timestamp %s is %s away", ts, age)
	}
	mac := hmac.New(sha256.New, []byte(s.secret))
	mac.Write([]byte(ts + "." + string(body)))
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(sig), []byte(want)) {
		return fmt.Errorf("signature %q does not match the body", sig)
	}
	d.Signed, d.Timestamp = true, unix
	return nil
}

// store keeps a delivery, or returns the earlier one with the same key.
func (s *Server) store(d Delivery) Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, ok := s.byKey[d.Key]; ok && d.Key != "" {
		d.ID = id
		return d
	}
	d.ID = strconv.Itoa(len(s.deliveries) + 1)
	s.deliveries = append(s.deliveries, d)
	s.byKey[d.Key] = d.ID
	return d
}
