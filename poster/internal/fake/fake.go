// Package fake holds what the in-process fake platforms share: a server
// that ends with the test, a queue of faults, answers that never come or
// break the connection, a log of what the fake received, the bearer token
// it accepts, and a testing.TB that keeps what the fake reports.
package fake

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Start serves h on a loopback server that is closed when t ends. done is
// closed first, so that handlers hanging on it (see Hang) return.
func Start(t testing.TB, h http.Handler) (url string, done <-chan struct{}) {
	stop := make(chan struct{})
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		close(stop)
		srv.Close()
	})
	return srv.URL, stop
}

// Hang never answers r: it returns once the client gives up or done is
// closed.
func Hang(r *http.Request, done <-chan struct{}) {
	select {
	case <-r.Context().Done():
	case <-done:
	}
}

// Drop closes the connection without an answer.
func Drop(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
	}
}

// Queue is a queue of faults; each request takes the oldest.
type Queue[F any] struct {
	mu sync.Mutex
	q  []F
}

// Add queues f.
func (q *Queue[F]) Add(f F) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.q = append(q.q, f)
}

// Next takes the oldest queued fault.
func (q *Queue[F]) Next() (F, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var f F
	if len(q.q) == 0 {
		return f, false
	}
	f, q.q = q.q[0], q.q[1:]
	return f, true
}

// Log is what a fake keeps in the order it came: the requests it received
// with what it answered, or what it stored.
type Log[T any] struct {
	mu    sync.Mutex
	items []T
}

// Add appends v and returns its index.
func (l *Log[T]) Add(v T) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items = append(l.items, v)
	return len(l.items) - 1
}

// Update changes the entry at index i.
func (l *Log[T]) Update(i int, change func(*T)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	change(&l.items[i])
}

// All returns a copy of the entries, in order.
func (l *Log[T]) All() []T {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]T(nil), l.items...)
}

// Bearer is the token a fake accepts as "Authorization: Bearer TOKEN"; a
// test changes it to revoke the old one.
type Bearer struct {
	mu    sync.Mutex
	token string
}

// Set makes token the only one accepted from now on.
func (b *Bearer) Set(token string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.token = token
}

// Check reports whether r carries credentials at all (sent), and whether
// they are the accepted token (ok).
func (b *Bearer) Check(r *http.Request) (sent, ok bool) {
	auth := r.Header.Get("Authorization")
	b.mu.Lock()
	defer b.mu.Unlock()
	return auth != "", auth == "Bearer "+b.token
}
