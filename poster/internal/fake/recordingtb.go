package fake

import (
	"fmt"
	"sync"
	"testing"
)

// RecordingTB is a testing.TB that keeps what is reported with Errorf instead
// of failing, so that a fake's own checks can be tested.
type RecordingTB struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

// Errorf keeps the message.
func (r *RecordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// Errors returns the messages kept so far.
func (r *RecordingTB) Errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}
