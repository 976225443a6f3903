package feeds

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// serve answers every request with body and Content-Type ct.
func serve(t *testing.T, ct string, body []byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		} else {
			w.Header()["Content-Type"] = nil // no sniffed default
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestFetchParseEncodings serves every encoding case over HTTP, so the
// charset travels in a real Content-Type header.
func TestFetchParseEncodings(t *testing.T) {
	f := NewFetcher(Options{})
	for _, tc := range encodingCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, tc.contentType, tc.body)
			feed, err := fetchParse(t, f, srv.URL)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(feed.Items) != 1 || feed.Items[0].Title != tc.title {
				t.Errorf("items = %+v, want one titled %q", feed.Items, tc.title)
			}
		})
	}
}

func TestFetchParseFailures(t *testing.T) {
	jvndb := readFixture(t, "jvndb-new-rss10.rdf")
	tests := []struct {
		name, ct string
		body     []byte
		notFeed  bool
		msg      string
	}{
		{"HTML page", "text/html; charset=utf-8", []byte("<!doctype html><html><body><h1>Welcome</h1></body></html>"), true, "got an HTML page"},
		{"truncated XML", "application/rdf+xml", jvndb[:len(jvndb)-200], false, "XML syntax error on line"},
	}
	f := NewFetcher(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fetchParse(t, f, serve(t, tt.ct, tt.body).URL)
			if err == nil || errors.Is(err, ErrNotFeed) != tt.notFeed || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want %q (ErrNotFeed %v)", err, tt.msg, tt.notFeed)
			}
		})
	}
}
