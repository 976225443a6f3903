package poster

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// Whether a request may have reached the platform decides between "not
// delivered" and "unknown".
func TestTraceConnection(t *testing.T) {
	dropping := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	}))
	defer dropping.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	for _, tt := range []struct {
		name, url string
		want      Delivery
	}{
		{"connection refused", closed.URL, NotDelivered},
		{"dropped after the request", dropping.URL, Unknown},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var sent atomic.Bool
			req, err := http.NewRequestWithContext(TraceConnection(t.Context(), &sent), http.MethodPost, tt.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = http.DefaultClient.Do(req)
			if err == nil {
				t.Fatal("no error")
			}
			pe := TransportError("m", err, sent.Load())
			if pe.Delivered != tt.want || pe.Cause != CauseUnavailable || pe.Poster != "m" || !errors.Is(pe, err) {
				t.Errorf("TransportError = %+v, want %v, unavailable", pe, tt.want)
			}
		})
	}
}
