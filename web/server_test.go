package web

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestOnlyGetAndHeadAreAnswered(t *testing.T) {
	cfg, _ := fixture(t, nil)
	srv := newServer(t, cfg, nil, now)
	for _, method := range []string{"POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
		for _, path := range []string{"/", "/feed.atom", "/healthz", "/metrics", "/no-such-page"} {
			code, h, _ := get(t, srv, method, path)
			if code != http.StatusMethodNotAllowed || h.Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s = %d, Allow %q; want 405", method, path, code, h.Get("Allow"))
			}
		}
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	for _, path := range []string{"/", "/feed.atom", "/feed.json", "/healthz", "/metrics"} {
		resp, err := ts.Client().Head(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(body) != 0 {
			t.Errorf("HEAD %s = %d with %d bytes", path, resp.StatusCode, len(body))
		}
	}
	if code, _, _ := get(t, srv, "GET", "/no-such-page"); code != http.StatusNotFound {
		t.Errorf("GET /no-such-page = %d", code)
	}
}

func TestServeAnswersUntilTheContextEnds(t *testing.T) {
	cfg, _ := fixture(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(cfg, Options{})
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "no cycle has succeeded for") {
		// The fixture's cycle ran in 2026-11; the real clock says it is stale.
		t.Errorf("healthz over TCP = %d %q", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after its context ended", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return after its context ended")
	}
}

func TestServeIsOffWithoutAnAddressAndFailsOnABusyOne(t *testing.T) {
	cfg := loadConfig(t, t.TempDir())
	if err := Serve(context.Background(), cfg, nil, nil, "test"); err != nil {
		t.Errorf("Serve without http.listen = %v, want nil at once", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg.HTTP.Listen = ln.Addr().String()
	if err := Serve(context.Background(), cfg, nil, nil, "test"); err == nil || !strings.Contains(err.Error(), "serve http") {
		t.Errorf("Serve on a busy address = %v", err)
	}
}
