package pipeline

import (
	"errors"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/feeds"
)

func TestRetryDelay(t *testing.T) {
	plain := errors.New("dial tcp: connection refused")
	limited := &feeds.StatusError{Status: 429, RetryAfter: 3 * time.Hour}
	tests := []struct {
		interval time.Duration
		failures int
		err      error
		want     time.Duration
	}{
		{15 * time.Minute, 1, plain, 15 * time.Minute},
		{15 * time.Minute, 2, plain, 30 * time.Minute},
		{15 * time.Minute, 4, plain, 2 * time.Hour},
		{15 * time.Minute, 6, plain, 6 * time.Hour},  // capped
		{15 * time.Minute, 60, plain, 6 * time.Hour}, // no overflow
		{12 * time.Hour, 3, plain, 12 * time.Hour},   // never below the interval
		{15 * time.Minute, 1, limited, 3 * time.Hour},
		{15 * time.Minute, 6, &feeds.StatusError{Status: 503, RetryAfter: time.Minute}, 6 * time.Hour},
	}
	for _, tt := range tests {
		if got := retryDelay(tt.interval, tt.failures, tt.err); got != tt.want {
			t.Errorf("retryDelay(%v, %d, %v) = %v, want %v", tt.interval, tt.failures, tt.err, got, tt.want)
		}
	}
}
