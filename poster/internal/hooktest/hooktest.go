// Package hooktest holds what the tests of the webhook posters share: for
// their fakes, a queue of faults to show and answers that never come or
// break the connection; for their config, the cases of a chat webhook.
package hooktest

import (
	"net/http"
	"sync"
)

// Fault makes a fake platform misbehave on one post.
type Fault struct {
	Status int         // the status to answer, e.g. 400, 429; default 500
	Header http.Header // extra response headers, e.g. Retry-After
	Body   string      // the answer's body
	// Publish stores the post before the fault, as a platform that fails
	// after saving.
	Publish bool
	// Hang never answers: the handler waits until the client gives up or
	// the server closes.
	Hang bool
	// Drop closes the connection without an answer.
	Drop bool
}

// Faults is a queue of faults; each post takes the oldest.
type Faults struct {
	mu sync.Mutex
	q  []Fault
}

// Add queues f.
func (fs *Faults) Add(f Fault) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.q = append(fs.q, f)
}

// Next takes the oldest queued fault.
func (fs *Faults) Next() (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if len(fs.q) == 0 {
		return Fault{}, false
	}
	f := fs.q[0]
	fs.q = fs.q[1:]
	return f, true
}

// Show plays f on w: it hangs until r is given up or done is closed,
// drops the connection, or writes f's status, headers and body.
func Show(w http.ResponseWriter, r *http.Request, f Fault, done <-chan struct{}) {
	switch {
	case f.Hang:
		select {
		case <-r.Context().Done():
		case <-done:
		}
	case f.Drop:
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	default:
		for k, vs := range f.Header {
			w.Header()[k] = vs
		}
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		w.WriteHeader(status)
		w.Write([]byte(f.Body))
	}
}
