package web

import (
	"context"
	"sync"

	"github.com/itsecbot/itsecbot/store"
)

// database is the server's own read-only connection pool, opened on first
// use and again after a failed open, so that the server can start before
// the first cycle creates the file and answers 503 meanwhile.
type database struct {
	path string

	mu sync.Mutex
	st *store.Store
}

func (d *database) get(ctx context.Context) (*store.Store, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.st != nil {
		return d.st, nil
	}
	st, err := store.OpenReadOnly(ctx, d.path)
	if err != nil {
		return nil, err
	}
	d.st = st
	return st, nil
}

func (d *database) close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.st == nil {
		return nil
	}
	err := d.st.Close()
	d.st = nil
	return err
}
