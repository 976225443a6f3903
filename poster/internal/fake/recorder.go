package fake

import (
	"fmt"
	"sync"
	"testing"
)

// Recorder is a testing.TB that keeps what is reported with Errorf instead
// of failing, so that a fake's own checks can be tested.
type Recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

// Errorf keeps the message.
func (r *Recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// Errors returns the messages kept so far.
func (r *Recorder) Errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}
