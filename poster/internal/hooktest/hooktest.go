// Package hooktest holds what the tests of the webhook posters share: for
// their fakes, a queue of faults to show and answers that never come or
// break the connection; for their config, the cases of a chat webhook.
package hooktest

import (
	"net/http"

	"github.com/itsecbot/itsecbot/poster/internal/fake"
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
	fake.Queue[Fault]
}

// Play takes the next queued fault for a post. store saves the post unless
// the fault comes before the platform saves it, and the fault is shown on
// w (see Show). Play reports whether it answered; if not, the caller
// answers as the platform does.
func (fs *Faults) Play(w http.ResponseWriter, r *http.Request, done <-chan struct{}, store func()) bool {
	f, faulty := fs.Next()
	if !faulty || f.Publish {
		store()
	}
	if faulty {
		Show(w, r, f, done)
	}
	return faulty
}

// Show plays f on w: it hangs until r is given up or done is closed,
// drops the connection, or writes f's status, headers and body.
func Show(w http.ResponseWriter, r *http.Request, f Fault, done <-chan struct{}) {
	switch {
	case f.Hang:
		fake.Hang(r, done)
	case f.Drop:
		fake.Drop(w)
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
