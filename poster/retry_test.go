package poster

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryDelay(t *testing.T) {
	now := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"none", nil, 0},
		{"retry-after seconds", map[string]string{"Retry-After": "30"}, 30 * time.Second},
		{"retry-after http date", map[string]string{"Retry-After": "Wed, 01 May 2024 00:02:00 GMT"}, 2 * time.Minute},
		{"retry-after wins over reset", map[string]string{"Retry-After": "5", "X-RateLimit-Reset": "2024-05-01T01:00:00Z"}, 5 * time.Second},
		{"mastodon iso reset with microseconds", map[string]string{"X-RateLimit-Reset": "2024-05-01T00:10:00.500000Z"}, 10*time.Minute + 500*time.Millisecond},
		{"iso reset with offset", map[string]string{"X-RateLimit-Reset": "2024-05-01T09:01:00+09:00"}, time.Minute},
		{"x unix reset", map[string]string{"X-Rate-Limit-Reset": "1714521660"}, time.Minute},
		{"ietf delta reset", map[string]string{"RateLimit-Reset": "42"}, 42 * time.Second},
		{"reset in the past", map[string]string{"X-RateLimit-Reset": "2024-04-30T23:00:00Z"}, 0},
		{"negative seconds", map[string]string{"Retry-After": "-3"}, 0},
		{"garbage retry-after falls through", map[string]string{"Retry-After": "soon", "X-RateLimit-Reset": "7"}, 7 * time.Second},
		{"garbage everywhere", map[string]string{"Retry-After": "soon", "X-RateLimit-Reset": "later"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			if got := RetryDelay(h, now); got != tt.want {
				t.Errorf("RetryDelay(%v) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}
