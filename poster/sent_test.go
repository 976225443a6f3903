package poster

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

func TestTraceConnection(t *testing.T) {
	open := httptest.NewServer(http.NotFoundHandler())
	defer open.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	for url, want := range map[string]bool{open.URL: true, closed.URL: false} {
		var sent atomic.Bool
		req, err := http.NewRequestWithContext(TraceConnection(t.Context(), &sent), http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
		if sent.Load() != want {
			t.Errorf("GET %s: sent = %v, want %v", url, sent.Load(), want)
		}
	}
}

// Whether a request may have reached the platform decides between "not
// delivered" and "unknown".
func TestTransportError(t *testing.T) {
	cause := errors.New("connection reset")
	for mayHaveSent, want := range map[bool]Delivery{false: NotDelivered, true: Unknown} {
		pe := TransportError("m", cause, mayHaveSent)
		if pe.Delivered != want || pe.Cause != CauseUnavailable || pe.Poster != "m" || !errors.Is(pe, cause) {
			t.Errorf("TransportError(sent %v) = %+v, want %v, unavailable", mayHaveSent, pe, want)
		}
	}
}
