package feeds

import (
	"context"
	"sync"
)

// hostLimiter bounds concurrent fetches per host, so one slow site cannot
// take every worker and no site sees more than a polite number of requests.
type hostLimiter struct {
	per   int
	mu    sync.Mutex
	slots map[string]chan struct{} // one semaphore per host; hosts come from config, so few
}

func newHostLimiter(per int) *hostLimiter {
	return &hostLimiter{per: per, slots: make(map[string]chan struct{})}
}

// acquire waits for a slot for host, or for ctx to end. The returned func
// gives the slot back.
func (h *hostLimiter) acquire(ctx context.Context, host string) (func(), error) {
	h.mu.Lock()
	sem, ok := h.slots[host]
	if !ok {
		sem = make(chan struct{}, h.per)
		h.slots[host] = sem
	}
	h.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
